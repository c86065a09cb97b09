// The organiser's map of a campaign (issue 13 §2, §6): each route as an outline around its doors,
// coloured by how many doors were visited, and its doors; doors of free routes are picked by
// clicking and moved to another free route. MapLibre is loaded only when a map is opened (the
// work page does not need it otherwise).

import { http } from '../api/http';
import { formatNumber, t } from '../i18n';
import { h } from '../ui/element';
import { whileBusy } from '../ui/form';
import type { Notice } from '../ui/notice';
import { maplibre, smallMap } from '../map/smallMap';

interface RouteProps {
  readonly kind: 'route';
  readonly route: number;
  readonly route_number: number;
  readonly doors: number;
  readonly visited: number;
  readonly share: number;
  readonly held: boolean;
}

interface DoorProps {
  readonly kind: 'door';
  readonly route: number;
  readonly route_number: number;
  readonly address: string;
  readonly label: string;
}

interface MapAnswer {
  readonly type: 'FeatureCollection';
  readonly features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: RouteProps | DoorProps }[];
}

/** What the browser test reads. */
export interface CampaignMapHook {
  readonly map: import('maplibre-gl').Map;
  readonly routes: number;
  readonly doors: { address: string; route: number; lonlat: [number, number] }[];
  readonly picked: () => readonly string[];
}

declare global {
  interface Window {
    __campaignMap?: CampaignMapHook;
  }
}

/** Draws campaign `id` into `box` (a heading, the map, its legend and the redraw tools). */
export async function campaignMap(box: HTMLElement, id: number, notice: Notice, changed: () => Promise<void>): Promise<void> {
  const [maplibregl, data] = await Promise.all([maplibre(), http.json<MapAnswer>('GET', `/api/campaigns/${id}/map`)]);
  const routes = data.features.filter((f) => f.properties.kind === 'route').map((f) => f.properties as RouteProps);
  const doors = data.features.filter((f) => f.properties.kind === 'door');
  const container = h('div', { className: 'campaign-map', attrs: { role: 'region', 'aria-label': t('cmp.mapLabel') } });
  const picked = new Set<string>();
  const freeRoutes = routes.filter((r) => !r.held && r.visited === 0);
  const target = h(
    'select',
    { attrs: { 'aria-label': t('cmp.moveTo') } },
    ...freeRoutes.map((r) => h('option', { attrs: { value: String(r.route) }, text: t('cmp.routeNumber', { number: r.route_number }) })),
  );
  const move = h('button', { className: 'button-secondary', attrs: { type: 'button' }, text: t('cmp.moveDoors', { count: 0 }) });
  move.disabled = true;
  const tools = h('div', { className: 'actions' }, h('label', { text: `${t('cmp.moveTo')} ` }, target), move);
  box.replaceChildren(h('h3', { text: t('cmp.map') }), container, h('p', { className: 'hint', text: t('cmp.mapLegend') }), h('p', { className: 'hint', text: t('cmp.moveHint') }), tools);
  let west = 180;
  let south = 90;
  let east = -180;
  let north = -90;
  for (const d of doors) {
    const [lon, lat] = d.geometry.coordinates as [number, number];
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  const map = new maplibregl.Map({
    container,
    style: '/style.json',
    bounds: doors.length > 0 ? [[west, south], [east, north]] : undefined,
    fitBoundsOptions: { padding: 24, maxZoom: 18 },
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  await new Promise<void>((resolve) => map.once('style.load', () => resolve()));
  // MapLibre's own control labels in the page's language.
  (await import('../map/map')).relabelControls(map);
  if (doors.length > 0) {
    map.resize();
    map.fitBounds([[west, south], [east, north]], { padding: 24, maxZoom: 18, animate: false });
  }
  map.addSource('campaign', { type: 'geojson', data: data as never, promoteId: 'address' });
  map.addLayer({
    id: 'campaign-routes',
    type: 'fill',
    source: 'campaign',
    filter: ['==', ['get', 'kind'], 'route'],
    paint: { 'fill-color': ['interpolate', ['linear'], ['get', 'share'], 0, '#deebf7', 1, '#08519c'], 'fill-opacity': 0.55 },
  });
  map.addLayer({
    id: 'campaign-route-edges',
    type: 'line',
    source: 'campaign',
    filter: ['==', ['get', 'kind'], 'route'],
    paint: { 'line-color': '#08306b', 'line-width': ['case', ['get', 'held'], 3, 1] },
  });
  map.addLayer({
    id: 'campaign-doors',
    type: 'circle',
    source: 'campaign',
    filter: ['==', ['get', 'kind'], 'door'],
    paint: {
      'circle-radius': ['case', ['boolean', ['feature-state', 'picked'], false], 7, 4],
      'circle-color': ['case', ['boolean', ['feature-state', 'picked'], false], '#d94801', '#252525'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1,
    },
  });
  const free = new Set(freeRoutes.map((r) => r.route));
  const update = () => {
    move.textContent = t('cmp.moveDoors', { count: formatNumber(picked.size) });
    move.disabled = picked.size === 0 || freeRoutes.length === 0;
  };
  map.on('click', 'campaign-doors', (e) => {
    const p = e.features?.[0]?.properties as DoorProps | undefined;
    if (!p || !free.has(p.route)) return;
    const on = !picked.has(p.address);
    if (on) picked.add(p.address);
    else picked.delete(p.address);
    map.setFeatureState({ source: 'campaign', id: p.address }, { picked: on });
    update();
  });
  map.on('mouseenter', 'campaign-doors', () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', 'campaign-doors', () => (map.getCanvas().style.cursor = ''));
  move.addEventListener('click', () =>
    void whileBusy(move, async () => {
      const to = Number(target.value);
      const number = freeRoutes.find((r) => r.route === to)?.route_number ?? 0;
      const addresses = [...picked];
      try {
        await http.json('POST', `/api/campaigns/${id}/turfs/${to}/doors`, { addresses });
        notice.show('success', { key: 'cmp.moved', params: { count: formatNumber(addresses.length), number } });
        await changed();
      } catch (error) {
        notice.error(error);
      }
    }),
  );
  window.__campaignMap = {
    map,
    routes: routes.length,
    doors: doors.map((d) => ({ address: (d.properties as DoorProps).address, route: d.properties.route, lonlat: d.geometry.coordinates as [number, number] })),
    picked: () => [...picked],
  };
}

/** The map beside the criteria: the doors the selection holds now, redrawn as it changes. */
export class SelectionMap {
  private map: import('maplibre-gl').Map | null = null;
  private pending: [number, number][] | null = null;
  private starting = false;

  constructor(private readonly container: HTMLElement) {}

  /** Draws `points` (WGS84), fitting the map to them. */
  show(points: readonly [number, number][]): void {
    this.pending = [...points];
    if (this.map) this.draw();
    else if (!this.starting) void this.start();
  }

  private async start(): Promise<void> {
    this.starting = true;
    const map = await smallMap(this.container);
    map.addSource('selection', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    map.addLayer({
      id: 'selection-doors',
      type: 'circle',
      source: 'selection',
      paint: { 'circle-radius': 3, 'circle-color': '#d94801', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    });
    this.map = map;
    this.draw();
  }

  private draw(): void {
    const map = this.map;
    const points = this.pending;
    if (!map || !points) return;
    const source = map.getSource('selection') as import('maplibre-gl').GeoJSONSource | undefined;
    source?.setData({ type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } })) });
    if (points.length > 0) {
      const lons = points.map((p) => p[0]);
      const lats = points.map((p) => p[1]);
      map.resize();
      map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 24, maxZoom: 17, animate: false });
    }
    window.__selectionMap = { map, points: points.length };
  }
}

declare global {
  interface Window {
    __selectionMap?: { map: import('maplibre-gl').Map; points: number };
  }
}
