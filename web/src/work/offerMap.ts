// The map beside the offer form (issue 12 §3): where the selection lies while the offer is edited,
// redrawn with every preview. The server decides what may be drawn: a point per open work item
// for those who may see the items, and for a partner only cells (squares or hexagons) with at
// least k households behind them, filled by their rounded count. MapLibre is loaded with the
// first answer; the count above the map stays the keyboard and screen-reader path.

import type { components } from '../api/schema';
import { formatNumber, t } from '../i18n';
import { h } from '../ui/element';
import { smallMap } from '../map/smallMap';

export type PreviewMap = components['schemas']['AssignmentPreview']['map'];
type Cells = Extract<PreviewMap, { kind: 'cells' }>;

/** Fills of the count classes, light to dark (ColorBrewer Oranges). */
const FILLS = ['#fdd0a2', '#fdae6b', '#e6550d', '#a63603'] as const;
const POINT_COLOUR = '#d94801';

/** What the map's source holds: a cell, filled by its count's class, or a point. */
interface Feature {
  readonly type: 'Feature';
  readonly properties: { count?: number; fill?: string };
  readonly geometry: { type: 'Point'; coordinates: number[] } | { type: 'Polygon'; coordinates: number[][][] };
}

/** A class of counts and its fill. */
export interface CountClass {
  readonly from: number;
  readonly to: number;
  readonly fill: string;
}

/**
 * Up to four classes over the counts the cells have (rounded counts, so few distinct values): each
 * distinct count its own class when there are four or fewer, else quartiles of the distinct counts.
 */
export function countClasses(counts: readonly number[]): CountClass[] {
  const distinct = [...new Set(counts)].sort((a, b) => a - b);
  if (distinct.length === 0) return [];
  const n = Math.min(FILLS.length, distinct.length);
  const out: CountClass[] = [];
  for (let i = 0; i < n; i++) {
    const lo = Math.floor((i * distinct.length) / n);
    const hi = Math.floor(((i + 1) * distinct.length) / n) - 1;
    // With fewer classes than fills, spread them over the ramp (two classes: lightest and darkest).
    const fill = FILLS[n === 1 ? FILLS.length - 1 : Math.round((i * (FILLS.length - 1)) / (n - 1))] ?? FILLS[0];
    out.push({ from: distinct[lo] ?? 0, to: distinct[hi] ?? 0, fill });
  }
  return out;
}

function classOf(count: number, classes: readonly CountClass[]): CountClass | undefined {
  return classes.find((c) => count >= c.from && count <= c.to);
}

/** What the browser test reads. */
export interface OfferMapHook {
  readonly map: import('maplibre-gl').Map;
  readonly kind: 'points' | 'cells';
  readonly drawn: number;
  /** The selection the drawing answers. */
  readonly asked: Asked;
}

/** What a preview was asked about. */
export interface Asked {
  readonly kind: string;
  readonly area: string;
  readonly criteria: string;
}

declare global {
  interface Window {
    __offerMap?: OfferMapHook;
  }
}

/** The map and its legend, in `box` (hidden until the first answer). */
export class OfferMap {
  private map: import('maplibre-gl').Map | null = null;
  private pending: { answer: PreviewMap; asked: Asked } | null = null;
  private starting = false;
  private readonly container: HTMLElement;
  private readonly legend: HTMLElement;

  constructor(private readonly box: HTMLElement) {
    this.container = h('div', { className: 'campaign-map offer-map', attrs: { role: 'region', 'aria-label': t('asg.selectionMap'), id: 'offer-map' } });
    this.legend = h('div', { className: 'offer-map-legend', attrs: { id: 'offer-map-legend' } });
    box.hidden = true;
    box.replaceChildren(this.container, this.legend);
  }

  /** Draws what a preview about `asked` answered. */
  show(answer: PreviewMap, asked: Asked): void {
    this.pending = { answer, asked };
    this.box.hidden = false;
    this.renderLegend(answer);
    if (this.map) this.draw();
    else if (!this.starting) void this.start();
  }

  private async start(): Promise<void> {
    this.starting = true;
    const map = await smallMap(this.container);
    const empty = { type: 'FeatureCollection' as const, features: [] };
    map.addSource('offer-selection', { type: 'geojson', data: empty });
    map.addLayer({
      id: 'offer-cells',
      type: 'fill',
      source: 'offer-selection',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.7 },
    });
    map.addLayer({
      id: 'offer-cell-edges',
      type: 'line',
      source: 'offer-selection',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'line-color': '#7f2704', 'line-width': 1, 'line-opacity': 0.6 },
    });
    map.addLayer({
      id: 'offer-points',
      type: 'circle',
      source: 'offer-selection',
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 3, 'circle-color': POINT_COLOUR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    });
    this.map = map;
    this.draw();
  }

  private draw(): void {
    const map = this.map;
    if (!map || !this.pending) return;
    const { answer, asked } = this.pending;
    const features: Feature[] = [];
    const corners: number[][] = [];
    if (answer.kind === 'points') {
      for (const p of answer.points) {
        features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } });
        corners.push(p);
      }
    } else {
      const classes = countClasses(answer.cells.map((c) => c.count));
      for (const c of answer.cells) {
        features.push({ type: 'Feature', properties: { count: c.count, fill: classOf(c.count, classes)?.fill ?? FILLS[0] }, geometry: { type: 'Polygon', coordinates: [c.outline] } });
        corners.push(...c.outline);
      }
    }
    const source = map.getSource('offer-selection') as import('maplibre-gl').GeoJSONSource | undefined;
    source?.setData({ type: 'FeatureCollection', features });
    if (corners.length > 0) {
      const lons = corners.map((p) => p[0] ?? 0);
      const lats = corners.map((p) => p[1] ?? 0);
      map.resize();
      map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 24, maxZoom: 17, animate: false });
    }
    window.__offerMap = { map, kind: answer.kind, drawn: features.length, asked };
  }

  private renderLegend(answer: PreviewMap): void {
    const swatch = (colour: string, shape: 'fill' | 'point') => {
      const s = h('span', { className: `swatch swatch-${shape}`, attrs: { 'aria-hidden': 'true', 'data-colour': colour } });
      s.style.setProperty('--swatch', colour);
      if (shape === 'point') s.style.setProperty('--swatch-stroke', '#ffffff');
      return s;
    };
    if (answer.kind === 'points') {
      this.legend.replaceChildren(
        h('ul', { className: 'legend-swatches' }, h('li', {}, swatch(POINT_COLOUR, 'point'), h('span', { text: t('asg.mapPoint') }))),
        h('p', { className: 'hint', text: answer.points.length === 0 ? t('asg.mapNoPoints') : t('asg.mapPointsHint') }),
      );
      return;
    }
    this.legend.replaceChildren(...this.cellsLegend(answer, swatch));
  }

  private cellsLegend(answer: Cells, swatch: (colour: string, shape: 'fill') => HTMLElement): HTMLElement[] {
    const classes = countClasses(answer.cells.map((c) => c.count));
    const label = (c: CountClass) => (c.from === c.to ? t('asg.mapAbout', { count: formatNumber(c.from) }) : t('asg.mapRange', { from: formatNumber(c.from), to: formatNumber(c.to) }));
    const out: HTMLElement[] = [h('p', { className: 'offer-map-title', text: t('asg.mapCells') })];
    if (classes.length > 0) out.push(h('ul', { className: 'legend-swatches legend-fill' }, ...classes.map((c) => h('li', {}, swatch(c.fill, 'fill'), h('span', { text: label(c) })))));
    else out.push(h('p', { text: t('asg.mapNoCells') }));
    out.push(h('p', { className: 'hint', text: t('asg.mapCellsHint', { k: formatNumber(answer.k), round: formatNumber(answer.round_to) }) }));
    return out;
  }
}
