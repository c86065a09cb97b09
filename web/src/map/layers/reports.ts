// The report layers of the `all` tiles (server/src/private_tiles.rs):
//
// - `public_space` (public): public-space reports as points with `type`, `status_class`,
//   `confirmations`, `weight`, in every tile from z12;
// - `meldingen` (staff in scope, admins): one point per pand (or verblijfsobject) and type, drawn
//   by the newest report, with the same properties, `reports` (how many are open) and
//   `pand_identificatie`; absent from everyone else's tiles.
//
// The server's /style.json does not draw them (yet), so the web adds the two circle layers itself,
// beneath the labels, coloured by status class, each only when the caller's /tiles/all.json lists
// its layer (MapLibre reports a style layer whose source layer TileJSON lacks as an error; the
// public's TileJSON has no `meldingen`). After a report the tiles are fetched again with a new URL
// (`refreshReportTiles`).

import type { ExpressionSpecification, Map as MapLibreMap, MapGeoJSONFeature, VectorTileSource } from 'maplibre-gl';
import type { TileJson } from '../../api/client';
import { t } from '../../i18n';
import { formatCount, plural } from '../../ui/words';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';
import { AREAS_LABEL } from './areas';

export const REPORTS_PUBLIC = 'reports-public';
export const REPORTS_PRIVATE = 'reports-private';
export const PUBLIC_REPORTS_SOURCE_LAYER = 'public_space';
export const PRIVATE_REPORTS_SOURCE_LAYER = 'observations';
/** The server's lowest zoom of both layers (`REPORT_MIN_ZOOM`). */
export const REPORTS_MIN_ZOOM = 12;

/** The style's source of the `all` tiles. */
const SOURCE_ID = 'wijkwerk';

/**
 * Colours per status class: bad news warm and strong, good news green, unknown grey. Classes of
 * types added later get the default.
 */
export const STATUS_CLASS_COLOURS: Readonly<Record<string, string>> = {
  dying: '#b2182b',
  serious: '#ef6c00',
  light: '#f2c12e',
  unknown: '#8c8c8c',
  panels_seen: '#1b7837',
  no_panels: '#762a83',
  suitable: '#1b7837',
  partly_shaded: '#a6dba0',
  shaded: '#762a83',
  interested: '#1b7837',
  maybe: '#a6dba0',
  not_interested: '#762a83',
  off_gas: '#2166ac',
};
export const STATUS_CLASS_DEFAULT = '#2166ac';
const STROKE = '#ffffff';

/** Status classes of public-space reports, in the legend's order. */
const PUBLIC_CLASSES = ['light', 'serious', 'dying', 'unknown'] as const;

/** The `circle-color` expression: a `match` on `status_class`. */
export function statusColourExpression(): ExpressionSpecification {
  const pairs = Object.entries(STATUS_CLASS_COLOURS).flat();
  return ['match', ['get', 'status_class'], ...pairs, STATUS_CLASS_DEFAULT] as unknown as ExpressionSpecification;
}

/** Whether the caller's TileJSON lists `layer` among its `vector_layers`. */
export function listsLayer(tileJson: Pick<TileJson, 'vector_layers'> | null, layer: string): boolean {
  return tileJson?.vector_layers?.some((l) => l.id === layer) ?? false;
}

/**
 * Adds the report layers the caller's tiles carry (see the file comment) above the buildings and
 * addresses, beneath the labels; does nothing without the style's `wijkwerk` source.
 */
export function addReportLayers(map: MapLibreMap, tileJson: Pick<TileJson, 'vector_layers'> | null): void {
  if (!map.getSource(SOURCE_ID)) return;
  const beneath = map.getLayer(AREAS_LABEL) ? AREAS_LABEL : undefined;
  for (const [id, sourceLayer] of [
    [REPORTS_PRIVATE, PRIVATE_REPORTS_SOURCE_LAYER],
    [REPORTS_PUBLIC, PUBLIC_REPORTS_SOURCE_LAYER],
  ] as const) {
    if (map.getLayer(id) || !listsLayer(tileJson, sourceLayer)) continue;
    // Reports about buildings sit on the building's centre: a dark ring tells them from public ones.
    const ring = id === REPORTS_PRIVATE ? '#1b1b24' : STROKE;
    map.addLayer(
      {
        id,
        type: 'circle',
        source: SOURCE_ID,
        'source-layer': sourceLayer,
        minzoom: REPORTS_MIN_ZOOM,
        paint: {
          'circle-color': statusColourExpression(),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 16, 7, 19, 10],
          'circle-stroke-color': ring,
          'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 16, 2],
        },
      },
      beneath,
    );
  }
}

/** A tile URL template with `v=generation`, replacing an earlier one (braces stay as they are). */
export function withGeneration(template: string, generation: number): string {
  const bare = template.replace(/([?&])v=\d+(&|$)/, (_m, sep: string, end: string) => (end ? sep : '')).replace(/[?&]$/, '');
  return `${bare}${bare.includes('?') ? '&' : '?'}v=${generation}`;
}

let generation = 0;

/**
 * Fetches the tiles of the `wijkwerk` source again, so that a new or changed report shows at
 * once. The server has dropped its cached tiles before it answered the report; the browser has
 * not (`Cache-Control: public, max-age=60`). `map.refreshTiles` would ask for the same URLs and
 * may get the cached tiles back, so the source gets new URLs instead (`setTiles` with `v=…`),
 * which also reloads the tiles in view in place, without a blank moment.
 */
export function refreshReportTiles(map: MapLibreMap): boolean {
  const source = map.getSource<VectorTileSource>(SOURCE_ID);
  if (!source || source.type !== 'vector' || !Array.isArray(source.tiles) || source.tiles.length === 0) return false;
  generation += 1;
  source.setTiles(source.tiles.map((url) => withGeneration(url, generation)));
  return true;
}

/** The popup text of a report point: "Zonnepanelen: gezien (bevestigd door 2) · 3 open meldingen over dit pand". */
export function reportDescription(
  properties: Record<string, unknown> | null | undefined,
  typeTitle: (name: string) => string,
  classLabel: (statusClass: string) => string,
): string | null {
  const type = properties?.['type'];
  const statusClass = properties?.['status_class'];
  if (typeof type !== 'string' || typeof statusClass !== 'string') return null;
  const confirmations = Number(properties?.['confirmations'] ?? 0);
  const reports = Number(properties?.['reports'] ?? 1);
  let text = `${typeTitle(type)}: ${classLabel(statusClass)}`;
  if (confirmations > 0) text += ` (${plural('mine.confirmations', confirmations)})`;
  if (reports > 1) text += ` · ${t('map.openReports', { count: formatCount(reports) })}`;
  return text;
}

/** What the report layers need from the rest of the app to describe a point. */
export interface ReportWords {
  typeTitle(name: string): string;
  classLabel(statusClass: string): string;
}

/** The report layers as a layer module: a click describes a public report, or opens the building of a private one. */
export function reportsLayer(words: ReportWords): TileLayerModule {
  return {
    sourceLayer: PUBLIC_REPORTS_SOURCE_LAYER,
    styleLayerIds: [REPORTS_PUBLIC, REPORTS_PRIVATE],
    clickableLayerIds: [REPORTS_PUBLIC, REPORTS_PRIVATE],
    click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
      const text = reportDescription(feature.properties, words.typeTitle, words.classLabel);
      if (text === null) return false;
      const pand = feature.properties?.['pand_identificatie'];
      if (feature.layer.id === REPORTS_PRIVATE && typeof pand === 'string') {
        context.selectBuilding(pand);
        return true;
      }
      context.showPopup(text);
      return true;
    },
    legend(): LegendEntry[] {
      return [
        {
          title: 'legend.reports',
          shape: 'point',
          swatches: PUBLIC_CLASSES.map((c) => ({
            id: `report-${c}`,
            colour: STATUS_CLASS_COLOURS[c] ?? STATUS_CLASS_DEFAULT,
            stroke: '#555555',
            label: words.classLabel(c),
          })),
        },
      ];
    },
  };
}
