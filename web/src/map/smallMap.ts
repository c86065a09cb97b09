// A small MapLibre map beside a form (a selection's preview, an organiser's map): MapLibre, its
// worker and its styles loaded only when the first one is shown, the app's own style, the zoom
// buttons and the controls' words from the catalogue. The pages' big map is map/map.ts.

import type { Map as MapLibreMap, MapOptions } from 'maplibre-gl';

/** The MapLibre module, loaded once, with its worker set. */
export async function maplibre(): Promise<typeof import('maplibre-gl')> {
  const [maplibregl, worker] = await Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl-worker.mjs?url')]);
  await import('maplibre-gl/dist/maplibre-gl.css');
  maplibregl.setWorkerUrl(worker.default);
  return maplibregl;
}

/** A map in `container` with the app's style, once that style has loaded. */
export async function smallMap(container: HTMLElement, options: Partial<MapOptions> = {}): Promise<MapLibreMap> {
  const [maplibregl, { controlLocale, relabelControls }] = await Promise.all([maplibre(), import('./map')]);
  // The controls' words from the start: a screen read before the style loads has no English.
  const map = new maplibregl.Map({ container, style: '/style.json', attributionControl: { compact: true }, locale: controlLocale(), ...options });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  await new Promise<void>((resolve) => map.once('style.load', () => resolve()));
  relabelControls(map);
  return map;
}
