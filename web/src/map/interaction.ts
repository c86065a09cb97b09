// Pointer interaction with the map: one click handler asks the layer modules in priority order
// (addresses over buildings over areas), and a pointer cursor shows what can be clicked.

import * as maplibregl from 'maplibre-gl';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TileLayerModule } from './layer';

export interface InteractionOptions {
  /** Layer modules, highest priority first. */
  readonly layers: readonly TileLayerModule[];
  readonly selectBuilding: (identificatie: string) => void;
}

/** Wires clicks and hover; returns a function that removes the popup, if any. */
export function attachInteraction(map: MapLibreMap, options: InteractionOptions): () => void {
  const popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '18rem' });
  const clickable = () =>
    options.layers.flatMap((l) => l.clickableLayerIds).filter((id) => map.getLayer(id) !== undefined);

  map.on('click', (e) => {
    const layerIds = clickable();
    if (layerIds.length === 0) return;
    const hits = map.queryRenderedFeatures(e.point, { layers: layerIds });
    for (const module of options.layers) {
      for (const feature of hits) {
        if (!module.clickableLayerIds.includes(feature.layer.id)) continue;
        const handled = module.click(feature, {
          map,
          lngLat: e.lngLat,
          selectBuilding: options.selectBuilding,
          showPopup: (text) => {
            const p = document.createElement('p');
            p.className = 'popup-text';
            p.textContent = text;
            popup.setLngLat(e.lngLat).setDOMContent(p).addTo(map);
          },
        });
        if (handled) return;
      }
    }
  });

  map.on('mousemove', (e) => {
    const layerIds = clickable();
    const over = layerIds.length > 0 && map.queryRenderedFeatures(e.point, { layers: layerIds }).length > 0;
    map.getCanvas().style.cursor = over ? 'pointer' : '';
  });

  return () => popup.remove();
}
