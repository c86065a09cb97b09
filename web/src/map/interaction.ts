// Pointer interaction with the map: one click handler asks the layer modules in priority order
// (reports over addresses over buildings), then the spot handler (a click on no object: to report
// there), then the background layers (areas); a pointer cursor shows what can be clicked.

import * as maplibregl from 'maplibre-gl';
import type { LngLat, Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { TileLayerModule } from './layer';

/** Shows content in a popup at the click; returns the function that closes it. */
export type ShowPopup = (content: Node) => () => void;

export interface InteractionOptions {
  /** Layer modules, highest priority first. */
  readonly layers: readonly TileLayerModule[];
  readonly selectBuilding: (identificatie: string) => void;
  /**
   * A click that no object layer took: a spot on the map, with what lies under it (areas).
   * Returns true when it handled the click; the background layers get it otherwise.
   */
  readonly onSpot?: (lngLat: LngLat, hits: readonly MapGeoJSONFeature[], showPopup: ShowPopup) => boolean;
}

/** Wires clicks and hover; returns a function that removes the popup, if any. */
export function attachInteraction(map: MapLibreMap, options: InteractionOptions): () => void {
  const popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '18rem' });
  const clickable = () =>
    options.layers.flatMap((l) => l.clickableLayerIds).filter((id) => map.getLayer(id) !== undefined);

  map.on('click', (e) => {
    const layerIds = clickable();
    const hits = layerIds.length === 0 ? [] : map.queryRenderedFeatures(e.point, { layers: layerIds });
    const showContent: ShowPopup = (content) => {
      popup.setLngLat(e.lngLat).setDOMContent(content).addTo(map);
      return () => popup.remove();
    };
    const context = {
      map,
      lngLat: e.lngLat,
      selectBuilding: options.selectBuilding,
      showPopup: (text: string) => {
        const p = document.createElement('p');
        p.className = 'popup-text';
        p.textContent = text;
        showContent(p);
      },
    };
    const tryModules = (modules: readonly TileLayerModule[]): boolean =>
      modules.some((module) =>
        hits.some((feature) => module.clickableLayerIds.includes(feature.layer.id) && module.click(feature, context)),
      );
    if (tryModules(options.layers.filter((m) => !m.background))) return;
    popup.remove();
    if (options.onSpot?.(e.lngLat, hits, showContent)) return;
    tryModules(options.layers.filter((m) => m.background));
  });

  map.on('mousemove', (e) => {
    const layerIds = clickable();
    const over = layerIds.length > 0 && map.queryRenderedFeatures(e.point, { layers: layerIds }).length > 0;
    map.getCanvas().style.cursor = over ? 'pointer' : '';
  });

  return () => popup.remove();
}
