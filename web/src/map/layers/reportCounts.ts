// The `observations_per_buurt` tile layer (server/src/private_tiles.rs `render_aggregates`): the
// public's view of reports about homes, as k-anonymous counts per buurt and type at the buurt's
// label point (`buurtcode`, `type`, `records`, `addresses`; cells under k are left out), from z10.
// Drawn as translucent circles sized by the count, the largest beneath; a click lists every type
// counted at that buurt. Added by the web (the server's style does not draw it), only when the
// caller's /tiles/all.json lists the layer.

import type { Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { TileJson } from '../../api/client';
import { formatNumber, t } from '../../i18n';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';
import { AREAS_LABEL } from './areas';
import { listsLayer, REPORTS_PRIVATE, REPORTS_PUBLIC } from './reports';

export const REPORT_COUNTS = 'report-counts';
export const REPORT_COUNTS_SOURCE_LAYER = 'observations_per_buurt';
export const REPORT_COUNTS_MIN_ZOOM = 10;
export const REPORT_COUNTS_COLOUR = '#2166ac';

const SOURCE_ID = 'wijkwerk';

/** Adds the counts layer beneath the report points and the labels, when the caller's tiles carry it. */
export function addReportCountsLayer(map: MapLibreMap, tileJson: Pick<TileJson, 'vector_layers'> | null): void {
  if (!map.getSource(SOURCE_ID) || map.getLayer(REPORT_COUNTS) || !listsLayer(tileJson, REPORT_COUNTS_SOURCE_LAYER)) return;
  const beneath = [REPORTS_PRIVATE, REPORTS_PUBLIC, AREAS_LABEL].find((id) => map.getLayer(id));
  map.addLayer(
    {
      id: REPORT_COUNTS,
      type: 'circle',
      source: SOURCE_ID,
      'source-layer': REPORT_COUNTS_SOURCE_LAYER,
      minzoom: REPORT_COUNTS_MIN_ZOOM,
      // Several types share a buurt's point: the larger counts beneath the smaller ones.
      layout: { 'circle-sort-key': ['-', 0, ['to-number', ['get', 'records'], 0]] },
      paint: {
        'circle-color': REPORT_COUNTS_COLOUR,
        'circle-opacity': 0.25,
        'circle-stroke-color': REPORT_COUNTS_COLOUR,
        'circle-stroke-width': 1.5,
        'circle-radius': ['interpolate', ['linear'], ['to-number', ['get', 'records'], 0], 0, 8, 20, 16, 200, 32],
      },
    },
    beneath,
  );
}

/** The popup text for the counts at one buurt point; null when none of `features` is a count. */
export function countsDescription(features: readonly { properties?: Record<string, unknown> | null }[], typeTitle: (name: string) => string): string | null {
  const counts = features
    .map((f) => f.properties ?? {})
    .filter((p) => typeof p['buurtcode'] === 'string' && typeof p['type'] === 'string')
    .sort((a, b) => Number(b['records'] ?? 0) - Number(a['records'] ?? 0));
  const first = counts[0];
  if (!first) return null;
  const items = counts.map((p) =>
    t('counts.item', {
      type: typeTitle(String(p['type'])),
      records: formatNumber(Number(p['records'] ?? 0)),
      addresses: formatNumber(Number(p['addresses'] ?? 0)),
    }),
  );
  return t('counts.popup', { buurt: String(first['buurtcode']), list: items.join('; ') });
}

/** The counts layer as a layer module; needs only the type titles. */
export function reportCountsLayer(typeTitle: (name: string) => string): TileLayerModule {
  return {
    sourceLayer: REPORT_COUNTS_SOURCE_LAYER,
    styleLayerIds: [REPORT_COUNTS],
    clickableLayerIds: [REPORT_COUNTS],
    click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
      // Every type counted at this buurt lies on the same point.
      const here = context.map.queryRenderedFeatures(context.map.project(context.lngLat), { layers: [REPORT_COUNTS] });
      const text = countsDescription(here.length > 0 ? here : [feature], typeTitle);
      if (text === null) return false;
      context.showPopup(text);
      return true;
    },
    legend(): LegendEntry[] {
      return [
        {
          title: 'legend.reportCounts',
          shape: 'point',
          swatches: [{ id: 'report-counts', colour: REPORT_COUNTS_COLOUR, stroke: REPORT_COUNTS_COLOUR, label: t('legend.reportCounts') }],
        },
      ];
    },
  };
}
