// Drawing an area on a map (issue 11 §5): the admin clicks the corners, closes the outline, names it
// and saves it (POST /api/admin/custom-areas); it is then a scope `polygon:{id}` in the pickers.
// The same without a mouse: the map pans with the arrow keys and "Punt in het midden" adds the
// point under the cross, and the corners are a text field (one "lengtegraad, breedtegraad" a line,
// or GeoJSON) that follows the drawing and can be typed or pasted. MapLibre is loaded only here.

import { admin, type CustomArea } from '../api/admin';
import { fetchTileJson } from '../api/client';
import type { JsonObject } from '../api/http';
import { formatNumber, onLangChange, t } from '../i18n';
import { byId } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { formatPoints, nameProblem, parseCoordinates, ringProblem, toPolygon, type DrawProblem, type LonLat } from './drawArea';
import { maplibre } from '../map/smallMap';

/** What the browser test reads. */
export interface DrawMapHook {
  readonly map: import('maplibre-gl').Map;
  readonly points: () => readonly LonLat[];
  readonly closed: () => boolean;
}

declare global {
  interface Window {
    __drawMap?: DrawMapHook;
  }
}

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** Mounts the drawing form; `saved` is told of each new area (to list it and offer it in the pickers). */
export async function mountDrawArea(existing: () => readonly CustomArea[], saved: () => Promise<void>): Promise<(areas: readonly CustomArea[]) => void> {
  const form = byId<HTMLFormElement>('draw-form');
  const container = byId('draw-map');
  const status = byId('draw-status');
  const text = byId<HTMLTextAreaElement>('draw-points');
  const name = byId<HTMLInputElement>('draw-name');
  const notice = new Notice(byId('draw-notice'));
  let points: LonLat[] = [];
  let closed = false;
  let map: import('maplibre-gl').Map | null = null;

  const problem = (p: DrawProblem, field?: HTMLInputElement | HTMLTextAreaElement) => {
    notice.show('error', { key: p.key, ...(p.params ? { params: p.params } : {}) });
    if (field) {
      setInvalid(field, true);
      field.focus();
    }
  };

  const sayStatus = () => {
    const count = formatNumber(points.length);
    status.textContent = closed
      ? t('admin.drawClosed', { count })
      : points.length === 0
        ? t('admin.drawStart')
        : t(points.length === 1 ? 'admin.drawPoints.one' : 'admin.drawPoints.other', { count });
  };

  const draft = () => {
    const features: object[] = points.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (points.length >= 2) {
      const line = closed ? [...points, points[0]!] : points;
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: line } });
    }
    if (closed) features.push({ type: 'Feature', properties: {}, geometry: toPolygon(points) });
    return { type: 'FeatureCollection', features };
  };

  const redraw = (syncText = true) => {
    if (syncText) text.value = formatPoints(points);
    sayStatus();
    const source = map?.getSource('draw-draft') as import('maplibre-gl').GeoJSONSource | undefined;
    source?.setData(draft() as never);
  };

  const fit = () => {
    if (!map || points.length === 0) return;
    const lons = points.map((p) => p[0]);
    const lats = points.map((p) => p[1]);
    map.fitBounds(
      [
        [Math.min(...lons), Math.min(...lats)],
        [Math.max(...lons), Math.max(...lats)],
      ],
      { padding: 32, maxZoom: 17, animate: false },
    );
  };

  const add = (p: LonLat) => {
    if (closed) {
      notice.show('info', { key: 'admin.drawAlreadyClosed' });
      return;
    }
    notice.clear();
    points = [...points, [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))]];
    setInvalid(text, false);
    redraw();
  };

  const close = (): boolean => {
    const p = ringProblem(points);
    if (p) {
      problem(p);
      return false;
    }
    closed = true;
    notice.clear();
    redraw();
    return true;
  };

  byId('draw-centre').addEventListener('click', () => {
    if (!map) return;
    const c = map.getCenter();
    add([c.lng, c.lat]);
  });
  byId('draw-undo').addEventListener('click', () => {
    notice.clear();
    if (closed) closed = false;
    else points = points.slice(0, -1);
    redraw();
  });
  byId('draw-clear').addEventListener('click', () => {
    notice.clear();
    points = [];
    closed = false;
    redraw();
  });
  byId('draw-close').addEventListener('click', () => void close());
  byId('draw-apply').addEventListener('click', () => {
    const parsed = parseCoordinates(text.value);
    if ('problem' in parsed) {
      problem(parsed.problem, text);
      return;
    }
    setInvalid(text, false);
    points = parsed.points;
    closed = false;
    redraw(false);
    fit();
    if (close()) notice.show('success', { key: 'admin.drawApplied', params: { count: formatNumber(points.length) } });
  });
  text.addEventListener('input', () => setInvalid(text, false));
  name.addEventListener('input', () => setInvalid(name, false));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const bad = nameProblem(name.value);
    if (bad) {
      problem(bad, name);
      return;
    }
    setInvalid(name, false);
    if (!closed) {
      const ring = ringProblem(points);
      problem(ring ?? { key: 'admin.drawNotClosed' });
      return;
    }
    const title = name.value.trim();
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        await admin.createCustomArea(title, toPolygon(points) as unknown as JsonObject);
        points = [];
        closed = false;
        name.value = '';
        redraw();
        await saved();
        notice.show('success', { key: 'admin.drawSaved', params: { name: title } });
      } catch (error) {
        notice.error(error);
      }
    });
  });
  onLangChange(sayStatus);
  sayStatus();

  // The map: the areas drawn before as dashed outlines, the draft on top.
  const showExisting = (areas: readonly CustomArea[]) => {
    const source = map?.getSource('draw-existing') as import('maplibre-gl').GeoJSONSource | undefined;
    source?.setData({
      type: 'FeatureCollection',
      features: areas.filter((a) => a['geometry']).map((a) => ({ type: 'Feature', properties: {}, geometry: a['geometry'] as never })),
    });
  };
  const [maplibregl, tileJson, { controlLocale, relabelControls }] = await Promise.all([
    maplibre(),
    fetchTileJson('all').catch(() => null),
    import('../map/map'),
  ]);
  const b = tileJson?.bounds;
  const m = new maplibregl.Map({
    container,
    style: '/style.json',
    ...(b && b.length === 4 ? { bounds: [[b[0]!, b[1]!], [b[2]!, b[3]!]] as [[number, number], [number, number]], fitBoundsOptions: { padding: 16 } } : { center: [5.3, 52.1] as [number, number], zoom: 7 }),
    attributionControl: { compact: true },
    // The controls' words from the start: a screen read before the style loads has no English.
    locale: controlLocale(),
  });
  m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  await new Promise<void>((resolve) => m.once('style.load', () => resolve()));
  // MapLibre's own labels (the canvas says "Map", the controls English) in the page's language.
  const relabel = () => {
    relabelControls(m);
    m.getCanvas().setAttribute('aria-label', t('admin.drawMapLabel'));
  };
  relabel();
  onLangChange(relabel);
  m.addSource('draw-existing', { type: 'geojson', data: EMPTY });
  m.addSource('draw-draft', { type: 'geojson', data: EMPTY });
  m.addLayer({ id: 'draw-existing-line', type: 'line', source: 'draw-existing', paint: { 'line-color': '#4d4d5c', 'line-width': 2, 'line-dasharray': [2, 2] } });
  m.addLayer({ id: 'draw-draft-fill', type: 'fill', source: 'draw-draft', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#d94801', 'fill-opacity': 0.25 } });
  m.addLayer({ id: 'draw-draft-line', type: 'line', source: 'draw-draft', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#d94801', 'line-width': 3 } });
  m.addLayer({
    id: 'draw-draft-points',
    type: 'circle',
    source: 'draw-draft',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 5, 'circle-color': '#d94801', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  });
  m.getCanvas().style.cursor = 'crosshair';
  m.on('click', (e) => add([e.lngLat.lng, e.lngLat.lat]));
  map = m;
  showExisting(existing());
  redraw(false);
  window.__drawMap = { map: m, points: () => points, closed: () => closed };
  return showExisting;
}
