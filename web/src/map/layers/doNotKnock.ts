// The `do_not_knock` tile layer (tiles/src/layers/do_not_knock.rs): addresses whose household
// opted out of visits, from z14, in the tiles of the staff who plan campaigns in their area (admin,
// wijkondernemer, communitybuilder). The web adds its style layer when the caller's TileJSON lists
// the layer, above the buildings and the reports, so that a household that said no is never hidden
// under a dot; its legend row shows only then.

import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { TileJson } from '../../api/client';
import { t } from '../../i18n';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';
import { AREAS_LABEL } from './areas';
import { listsLayer } from './reports';

export const DO_NOT_KNOCK_SOURCE_LAYER = 'do_not_knock';
export const DO_NOT_KNOCK_POINT = 'do-not-knock-point';
/** A white dot in a thick red ring: unlike any building colour or report dot. */
export const DO_NOT_KNOCK_COLOUR = '#ffffff';
export const DO_NOT_KNOCK_STROKE = '#c0392b';
const MIN_ZOOM = 14;

/** Adds the layer when the caller's tiles carry it; true when it is on the map. */
export function addDoNotKnockLayer(map: MapLibreMap, tileJson: Pick<TileJson, 'vector_layers'> | null): boolean {
  if (!map.getSource('wijkwerk') || !listsLayer(tileJson, DO_NOT_KNOCK_SOURCE_LAYER)) return false;
  if (!map.getLayer(DO_NOT_KNOCK_POINT)) {
    map.addLayer(
      {
        id: DO_NOT_KNOCK_POINT,
        type: 'circle',
        source: 'wijkwerk',
        'source-layer': DO_NOT_KNOCK_SOURCE_LAYER,
        minzoom: MIN_ZOOM,
        paint: {
          'circle-color': DO_NOT_KNOCK_COLOUR,
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 3, 18, 7],
          'circle-stroke-color': DO_NOT_KNOCK_STROKE,
          'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 14, 1.5, 18, 3],
        },
      },
      map.getLayer(AREAS_LABEL) ? AREAS_LABEL : undefined,
    );
  }
  return true;
}

/** The layer as a module; `shown` says whether the map has it (the legend row follows). */
export function doNotKnockLayer(shown: () => boolean): TileLayerModule {
  return {
    sourceLayer: DO_NOT_KNOCK_SOURCE_LAYER,
    styleLayerIds: [DO_NOT_KNOCK_POINT],
    clickableLayerIds: [DO_NOT_KNOCK_POINT],
    click(_feature: MapGeoJSONFeature, context: ClickContext): boolean {
      context.showPopup(t('doNotKnock.popup'));
      return true;
    },
    legend(): LegendEntry[] {
      if (!shown()) return [];
      return [
        {
          title: 'legend.doNotKnock',
          shape: 'point',
          swatches: [{ id: 'do-not-knock', colour: DO_NOT_KNOCK_COLOUR, stroke: DO_NOT_KNOCK_STROKE, label: t('legend.doNotKnock') }],
        },
      ];
    },
  };
}
