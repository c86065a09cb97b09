// The MapLibre map: the server's style, the first view fitted to the data, and the layers the web
// adds: the selection, and the report points (until the server's style draws them).
// Works without any background map: the style's own layers draw on its background colour, and a
// `brt` raster source that cannot be reached only logs.

import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { fetchTileJson, type TileJson } from '../api/client';
import { t, type MessageKey } from '../i18n';
import { addressesLayer } from './layers/addresses';
import { areasLayer } from './layers/areas';
import { buildingsLayer } from './layers/buildings';
import { addReportCountsLayer, REPORT_COUNTS } from './layers/reportCounts';
import { addDoNotKnockLayer, DO_NOT_KNOCK_POINT, DO_NOT_KNOCK_SOURCE_LAYER } from './layers/doNotKnock';
import { addReportLayers, REPORTS_PRIVATE, REPORTS_PUBLIC } from './layers/reports';
import { streetNamesLayer } from './layers/streetNames';
import { treesLayer } from './layers/trees';
import type { TileLayerModule } from './layer';
import { addSelectionLayer, BUILDINGS_SELECTED } from './selection';
import { initialView, NETHERLANDS_VIEW, type InitialView } from './view';

// Bundlers cannot resolve MapLibre's worker from inside the bundle; Vite emits it as an asset.
maplibregl.setWorkerUrl(workerUrl);

/** The layer modules, highest click priority first. */
export const TILE_LAYERS: readonly TileLayerModule[] = [addressesLayer, treesLayer, buildingsLayer, areasLayer, streetNamesLayer];

/** The layer modules in legend order: what the map is about first. */
export const LEGEND_LAYERS: readonly TileLayerModule[] = [buildingsLayer, areasLayer, addressesLayer, treesLayer];

/** The style source the server's style declares. */
export const SOURCE_ID = 'wijkwerk';

/** What the browser e2e test reads from `window.__wijkwerk`. */
export interface TestHook {
  readonly map: maplibregl.Map;
  /** The MVT layer names the web code expects in the public's `/tiles/all.json` `vector_layers`. */
  readonly sourceLayers: readonly string[];
  /** The style layer ids the web code expects in `/style.json`. */
  readonly styleLayerIds: readonly string[];
  /** The layers the web map adds itself. */
  readonly ownLayerIds: readonly string[];
  /** Of those, the report layers: public-space reports, and reports about buildings (staff). */
  readonly reportLayerIds: { readonly public: string; readonly private: string };
  /** Map errors seen so far (source id and message). */
  readonly errors: { source: string | null; message: string }[];
}

declare global {
  interface Window {
    __wijkwerk?: TestHook;
  }
}

/** MapLibre's own control labels: its locale key, the control's element, and the catalogue's words. */
const CONTROL_LABELS: readonly (readonly [locale: string, selector: string, message: MessageKey])[] = [
  ['NavigationControl.ZoomIn', '.maplibregl-ctrl-zoom-in', 'map.zoomIn'],
  ['NavigationControl.ZoomOut', '.maplibregl-ctrl-zoom-out', 'map.zoomOut'],
  ['NavigationControl.ResetBearing', '.maplibregl-ctrl-compass', 'map.resetBearing'],
  ['AttributionControl.ToggleAttribution', '.maplibregl-ctrl-attrib-button', 'map.attribution'],
];

/** MapLibre's `locale` option: its control labels in the current language, from the start. */
export function controlLocale(): Record<string, string> {
  return Object.fromEntries(CONTROL_LABELS.map(([key, , message]) => [key, t(message)]));
}

/** Puts MapLibre's control labels in the current language (MapLibre takes them once, at the start). */
export function relabelControls(map: maplibregl.Map): void {
  for (const [, selector, message] of CONTROL_LABELS) {
    for (const el of map.getContainer().querySelectorAll<HTMLElement>(selector)) {
      el.title = t(message);
      el.setAttribute('aria-label', t(message));
    }
  }
}

async function loadTileJson(): Promise<TileJson | null> {
  try {
    return await fetchTileJson('all');
  } catch (error) {
    console.warn('wijkwerk: /tiles/all.json unavailable, starting at the Netherlands', error);
    return null;
  }
}

function cameraOptions(view: InitialView): Partial<maplibregl.MapOptions> {
  return view.kind === 'bounds'
    ? { bounds: view.bounds, fitBoundsOptions: { padding: 24, maxZoom: 17 } }
    : { center: view.center, zoom: view.zoom };
}

/**
 * Creates the map in `container`; resolves once the style is in (tiles may still be loading).
 * `overlays` are the modules of the layers the server adds to the `all` tiles and the web draws
 * itself (reports); the test hook counts them among the tile layers the web knows.
 */
export async function createMap(container: HTMLElement, overlays: readonly TileLayerModule[] = []): Promise<maplibregl.Map> {
  const tileJson = await loadTileJson();
  const view = tileJson ? initialView(tileJson) : NETHERLANDS_VIEW;
  const map = new maplibregl.Map({
    container,
    style: '/style.json',
    ...cameraOptions(view),
    maxZoom: 20,
    attributionControl: { compact: true },
    // Screen readers: the canvas is labelled by its region; MapLibre adds keyboard pan/zoom.
    locale: controlLocale(),
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');

  const errors: TestHook['errors'] = [];
  map.on('error', (e) => {
    const source = 'sourceId' in e && typeof e.sourceId === 'string' ? e.sourceId : null;
    errors.push({ source, message: e.error?.message ?? String(e.error) });
    // A background map (brt) is optional and unreachable offline: not worth more than a warning.
    (source === SOURCE_ID || source === null ? console.error : console.warn)('wijkwerk map:', source, e.error);
  });

  const hook: TestHook = {
    map,
    sourceLayers: [...TILE_LAYERS, ...overlays].map((l) => l.sourceLayer),
    styleLayerIds: TILE_LAYERS.flatMap((l) => l.styleLayerIds),
    ownLayerIds: [BUILDINGS_SELECTED, REPORT_COUNTS, REPORTS_PRIVATE, REPORTS_PUBLIC, DO_NOT_KNOCK_POINT],
    reportLayerIds: { public: REPORTS_PUBLIC, private: REPORTS_PRIVATE },
    errors,
  };
  window.__wijkwerk = hook;

  await new Promise<void>((resolve, reject) => {
    // Before the style is in, an error that names no source is the style itself failing.
    // Tile errors (an unreachable background map) name their source and do not stop the start.
    const onError = (e: maplibregl.ErrorEvent) => {
      if ('sourceId' in e && e.sourceId) return;
      map.off('error', onError);
      reject(new Error(e.error?.message ?? 'style failed to load'));
    };
    map.on('error', onError);
    map.once('style.load', () => {
      map.off('error', onError);
      resolve();
    });
  });
  addSelectionLayer(map);
  addReportLayers(map, tileJson);
  addReportCountsLayer(map, tileJson);
  // Last: a household that said no is drawn over the report dots, never hidden under one. Only
  // staff who plan visits have it: the test hook counts it only then.
  if (addDoNotKnockLayer(map, tileJson)) {
    window.__wijkwerk = { ...hook, sourceLayers: [...hook.sourceLayers, DO_NOT_KNOCK_SOURCE_LAYER] };
  }
  return map;
}
