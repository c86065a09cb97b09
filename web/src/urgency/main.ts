// Entry point of the urgency page (urgentie.html): one indicator per cell of one level on a map
// (a choropleth over the server's own map), its legend with the class breaks, what the figure is
// and how it is computed, a sortable table (the keyboard path to every cell), the trend of a
// gemeente, wijk or buurt, and two areas side by side. The figures come from /api/urgency and the
// cells on the map from the level's vector tiles (/tiles/urgency_<level>.json), which carry every
// indicator: the map colours a cell from the tile's own value with the legend's breaks (the
// combined index, weighted per user, is given to the tiles' cells by feature state). Both release
// aggregates only; the page never sees a household.

import '../style.css';
import '../pages.css';
import './urgency.css';
import * as maplibregl from 'maplibre-gl';
import { fetchTileJson } from '../api/client';
import { http } from '../api/http';
import { lang, onLangChange, t, type MessageKey } from '../i18n';
import { relabelControls } from '../map/map';
import { initialView, NETHERLANDS_VIEW } from '../map/view';
import { byId, h, type Child } from '../ui/element';
import { formatDate, scrollRegion } from '../ui/facts';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { formatCount, formatFixed, plural } from '../ui/words';
import { breaks, classOf, type ClassMethod } from './classes';
import { contextText, type CbsContext } from './context';

interface Text {
  readonly nl: string;
  readonly en: string;
}

interface IndicatorInfo {
  readonly name: string;
  readonly title: Text;
  readonly description: Text;
  readonly measure: 'share' | 'density' | 'mean' | 'per_1000_inhabitants' | 'index';
  /** What is counted; `raster`: the zonal mean of a GeoTIFF's pixels. */
  readonly over?: string;
  readonly sum_unit: Text | null;
  /** What a mean's value counts (e.g. °C). */
  readonly value_unit?: Text | null;
  readonly baseline: boolean;
  readonly source: Text;
  readonly freshness: Text;
  readonly higher_is_more_urgent: boolean;
}

interface CellProps {
  readonly context?: CbsContext | null;
  readonly code: string;
  readonly name: string | null;
  readonly suppressed: boolean;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly sum: number | null;
  readonly baseline: number | null;
}

interface Answer {
  readonly features: { properties: CellProps }[];
  readonly total: { numerator: number; denominator: number; value: number | null; sum: number; released: number; suppressed: number };
}

interface SeriesPoint {
  readonly day: string;
  readonly suppressed: boolean;
  readonly value: number | null;
}

/** Colours from least to most urgent (ColorBrewer YlOrRd, 5 classes), then suppressed and no data. */
export const COLOURS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;
const SUPPRESSED = '#bdbdbd';
const NO_DATA = '#ffffff';
const FILL = 'urgency-fill';
const LINE = 'urgency-line';
const SNAPSHOT_LEVELS = ['gemeente', 'wijk', 'buurt'];

/** What the browser test reads. */
export interface UrgencyHook {
  readonly map: maplibregl.Map;
  level: string;
  indicator: string;
  /** Per cell code: its class (0…4), -1 suppressed, -2 no data. */
  classes: Record<string, number>;
  bounds: number[];
  /** The vector source and its layer the map draws the level from. */
  source: string;
  sourceLayer: string;
}

declare global {
  interface Window {
    __urgency?: UrgencyHook;
  }
}

let indicators: IndicatorInfo[] = [];
/** The combined index, chosen like an indicator. */
const INDEX = '@index';
/** The weights in the form (per indicator name). */
let weights: Record<string, number> = {};
let signedIn = false;
/** The caller is a system partner (who offers assignments, issue 12 §3). */
let partner = false;

function indexInfo(): IndicatorInfo {
  const words = (key: MessageKey) => ({ nl: t(key, {}, 'nl'), en: t(key, {}, 'en') });
  return {
    name: INDEX,
    title: words('urgency.index'),
    description: words('urgency.indexDescription'),
    measure: 'index',
    sum_unit: null,
    baseline: false,
    source: { nl: indicators.map((i) => i.title.nl).join(', '), en: indicators.map((i) => i.title.en).join(', ') },
    freshness: { nl: 'direct bijgewerkt', en: 'updated live' },
    higher_is_more_urgent: true,
  };
}

function weightsParam(): string {
  return indicators.map((i) => `${i.name}:${weights[i.name] ?? 0}`).join(',');
}
let levels: string[] = [];
let answer: Answer | null = null;
let bounds: number[] = [];
/** Decimals of the legend's bounds (and a mean's values): the fewest, from 1 to 3, that tell them apart. */
let decimals = 1;
let sortKey: 'area' | 'value' | 'numerator' | 'denominator' = 'value';
let sortUp = false;
let selected: string | null = null;
const compared: string[] = [];
let map: maplibregl.Map | null = null;

const text = (x: Text) => (lang() === 'nl' ? x.nl : x.en);
const indicator = () => {
  const chosen = byId<HTMLSelectElement>('urgency-indicator').value;
  return chosen === INDEX ? indexInfo() : (indicators.find((i) => i.name === chosen) ?? indicators[0]);
};
const level = () => byId<HTMLSelectElement>('urgency-level').value || 'buurt';
const method = () => byId<HTMLSelectElement>('urgency-classes').value as ClassMethod;

/** An area as people name it: its CBS name, else the CBS square or a numbered hexagon. */
function areaName(c: CellProps, index: number): string {
  if (c.name) return c.name;
  if (level() === 'grid100') return t('urgency.square', { code: c.code });
  return t('urgency.hexagon', { n: formatCount(index + 1) });
}

function valueText(c: CellProps): string {
  const ind = indicator();
  return ind ? formatFor(ind, c) : t('urgency.none');
}

/** A count per something of the cell itself (km², inhabitants), or a raster's mean: no denominator. */
function perCell(ind: IndicatorInfo | undefined): boolean {
  return ind?.measure === 'density' || ind?.measure === 'per_1000_inhabitants' || ind?.over === 'raster';
}

/** A mean with its unit, when the indicator names one. */
function withUnit(ind: IndicatorInfo | undefined, value: string): string {
  return ind?.value_unit ? t('urgency.withUnit', { value, unit: text(ind.value_unit) }) : value;
}

function boundText(b: number): string {
  const ind = indicator();
  if (ind?.measure === 'index') return formatCount(b, lang(), 2);
  if (ind?.measure === 'share') return `${formatCount(b * 100, lang(), 0)}%`;
  return withUnit(ind, formatFixed(b, decimals, lang()));
}

/** The fewest decimals (1–3) at which the distinct `bounds` still read differently. */
function decimalsFor(values: readonly number[]): number {
  const distinct = new Set(values).size;
  for (let d = 1; d < 3; d++) {
    if (new Set(values.map((v) => v.toFixed(d))).size === distinct) return d;
  }
  return 3;
}

function fillLevelSelects(): void {
  const ind = byId<HTMLSelectElement>('urgency-indicator');
  const chosen = ind.value;
  ind.replaceChildren(
    ...indicators.map((i) => h('option', { attrs: { value: i.name }, text: text(i.title) })),
    h('option', { attrs: { value: INDEX }, text: t('urgency.index') }),
  );
  if (chosen) ind.value = chosen;
  const lev = byId<HTMLSelectElement>('urgency-level');
  const chosenLevel = lev.value || 'buurt';
  lev.replaceChildren(...levels.map((l) => h('option', { attrs: { value: l }, text: t(`urgency.level.${l}` as MessageKey) })));
  lev.value = chosenLevel;
}

function classify(): Record<string, number> {
  const out: Record<string, number> = {};
  if (!answer) return out;
  const ind = indicator();
  const released = answer.features.map((f) => f.properties).filter((c) => !c.suppressed && c.value !== null);
  bounds = breaks(released.map((c) => c.value ?? 0), method(), ind?.measure === 'share' || ind?.measure === 'index');
  decimals = decimalsFor(bounds);
  for (const f of answer.features) {
    const c = f.properties;
    out[c.code] = c.suppressed ? -1 : c.value === null ? -2 : classOf(c.value, bounds, ind?.higher_is_more_urgent ?? true);
  }
  return out;
}

/** The vector source of a level's tiles, and its layer. */
const sourceOf = (lev: string) => `urgency-${lev}`;
const layerOf = (lev: string) => `urgency_${lev.replace('-', '_')}`;
/** The level whose tiles the map holds. */
let drawnLevel: string | null = null;
/** Cells given a class by feature state (the index), to clear when the indicator changes. */
let stated: string[] = [];

/**
 * The fill colour: for an indicator, from the value each tile carries, by the legend's breaks
 * (withheld cells grey, cells without data white); for the index, from the class the page gave
 * each cell.
 */
function colourOf(ind: IndicatorInfo): maplibregl.ExpressionSpecification {
  if (ind.measure === 'index') {
    return ['match', ['coalesce', ['feature-state', 'cls'], -2], 0, COLOURS[0], 1, COLOURS[1], 2, COLOURS[2], 3, COLOURS[3], 4, COLOURS[4], -1, SUPPRESSED, NO_DATA];
  }
  const higher = ind.higher_is_more_urgent;
  const value: maplibregl.ExpressionSpecification = ['to-number', ['get', ind.name]];
  const out: unknown[] = ['case', ['to-boolean', ['get', `${ind.name}_onderdrukt`]], SUPPRESSED, ['!', ['has', ind.name]], NO_DATA];
  for (const b of bounds) out.push(['<=', value, b], COLOURS[classOf(b, bounds, higher)]);
  out.push(COLOURS[classOf(Number.POSITIVE_INFINITY, bounds, higher)]);
  return out as maplibregl.ExpressionSpecification;
}

function showLevel(m: maplibregl.Map, lev: string): void {
  if (drawnLevel === lev) return;
  if (m.getLayer(FILL)) m.removeLayer(FILL);
  if (m.getLayer(LINE)) m.removeLayer(LINE);
  if (drawnLevel && m.getSource(sourceOf(drawnLevel))) m.removeSource(sourceOf(drawnLevel));
  const source = sourceOf(lev);
  const sourceLayer = layerOf(lev);
  m.addSource(source, { type: 'vector', url: new URL(`/tiles/${sourceLayer}.json`, window.location.href).href, promoteId: { [sourceLayer]: 'code' } });
  m.addLayer({ id: FILL, type: 'fill', source, 'source-layer': sourceLayer, paint: { 'fill-color': NO_DATA, 'fill-opacity': 0.7 } });
  m.addLayer({
    id: LINE,
    type: 'line',
    source,
    'source-layer': sourceLayer,
    paint: {
      'line-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#000000', '#6b6b6b'],
      'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, 0.6],
    },
  });
  if (drawnLevel === null) {
    m.on('click', FILL, (e) => {
      const code = e.features?.[0]?.properties?.['code'];
      if (typeof code === 'string') select(code);
    });
    m.on('mouseenter', FILL, () => (m.getCanvas().style.cursor = 'pointer'));
    m.on('mouseleave', FILL, () => (m.getCanvas().style.cursor = ''));
  }
  drawnLevel = lev;
  stated = [];
}

function drawMap(classes: Record<string, number>): void {
  if (!map || !answer) return;
  const ind = indicator();
  if (!ind) return;
  const lev = level();
  showLevel(map, lev);
  const target = { source: sourceOf(lev), sourceLayer: layerOf(lev) };
  for (const code of stated) map.removeFeatureState({ ...target, id: code }, 'cls');
  stated = [];
  if (ind.measure === 'index') {
    for (const [code, cls] of Object.entries(classes)) {
      map.setFeatureState({ ...target, id: code }, { cls });
      stated.push(code);
    }
  }
  map.setPaintProperty(FILL, 'fill-color', colourOf(ind));
  const container = map.getContainer();
  container.setAttribute('aria-label', t('urgency.mapLabel', { indicator: text(ind.title) }));
  window.__urgency = { map, level: lev, indicator: ind.name, classes, bounds, ...target };
}

function drawLegend(): void {
  const ind = indicator();
  const items: Child[] = [];
  const labels: string[] = [];
  const lows = [undefined, ...bounds];
  for (let i = 0; i <= bounds.length; i += 1) {
    const lo = lows[i];
    const hi = bounds[i];
    labels.push(lo === undefined ? `≤ ${boundText(hi ?? 0)}` : hi === undefined ? `> ${boundText(lo)}` : `${boundText(lo)} – ${boundText(hi)}`);
  }
  // One class: it spans the released values (one value: that value).
  const shown = (answer?.features ?? []).map((f) => f.properties).filter((c) => !c.suppressed && c.value !== null).map((c) => c.value ?? 0);
  if (bounds.length === 0 && shown.length > 0) {
    const [lo, hi] = [Math.min(...shown), Math.max(...shown)];
    labels.splice(0, labels.length, lo === hi ? boundText(lo) : `${boundText(lo)} – ${boundText(hi)}`);
  }
  labels.forEach((label, i) => {
    const cls = classOf(i === 0 ? -Infinity : (bounds[i - 1] ?? 0) + 1e-12, bounds, ind?.higher_is_more_urgent ?? true);
    items.push(h('li', {}, h('span', { className: `urgency-swatch urgency-c${cls}`, attrs: { 'aria-hidden': 'true' } }), label));
  });
  items.push(h('li', {}, h('span', { className: 'urgency-swatch urgency-suppressed', attrs: { 'aria-hidden': 'true' } }), t('urgency.suppressed')));
  items.push(h('li', {}, h('span', { className: 'urgency-swatch urgency-nodata', attrs: { 'aria-hidden': 'true' } }), t('urgency.noData')));
  byId('urgency-legend').replaceChildren(
    h('h3', { text: t('urgency.legend') }),
    h('ul', { className: 'urgency-legend-list' }, ...items),
    h('p', { className: 'hint', text: t(ind?.higher_is_more_urgent ? 'urgency.moreUrgent' : 'urgency.lessUrgent') }),
  );
  if (!ind) return;
  const formula: MessageKey =
    ind.measure === 'share'
      ? 'urgency.formulaShare'
      : ind.measure === 'density'
      ? 'urgency.formulaDensity'
      : ind.measure === 'per_1000_inhabitants'
      ? 'urgency.formulaPerThousand'
      : ind.measure === 'index'
      ? 'urgency.formulaIndex'
      : ind.over === 'raster'
      ? 'urgency.formulaRaster'
      : 'urgency.formulaMean';
  byId('urgency-about').replaceChildren(
    h('p', { text: text(ind.description) }),
    h('p', { text: t('urgency.formula', { formula: t(formula) }) }),
    h('p', { className: 'hint', text: t('urgency.source', { source: text(ind.source), freshness: text(ind.freshness) }) }),
  );
}

function sorted(): CellProps[] {
  if (!answer) return [];
  const cells = answer.features.map((f) => f.properties);
  const names = new Map(cells.map((c, i) => [c.code, areaName(c, i)]));
  const num = (c: CellProps) => (sortKey === 'value' ? c.value : sortKey === 'numerator' ? c.numerator : c.denominator) ?? -Infinity;
  const out = [...cells];
  out.sort((a, b) => {
    const d = sortKey === 'area' ? (names.get(a.code) ?? '').localeCompare(names.get(b.code) ?? '', 'nl') : num(a) - num(b);
    return sortUp ? d : -d;
  });
  return out;
}

function drawTable(): void {
  if (!answer) return;
  const ind = indicator();
  const cells = answer.features.map((f) => f.properties);
  const index = new Map(cells.map((c, i) => [c.code, i]));
  const columns: [typeof sortKey | null, MessageKey][] = [
    ['area', 'urgency.colArea'],
    ['value', 'urgency.colValue'],
    ...(ind?.measure === 'index' ? [] : ([['numerator', ind?.over === 'raster' ? 'urgency.colPixels' : 'urgency.colNumerator']] as [typeof sortKey, MessageKey][])),
    ...(perCell(ind) || ind?.measure === 'index' ? [] : ([['denominator', 'urgency.colDenominator']] as [typeof sortKey, MessageKey][])),
    ...(ind?.sum_unit ? ([[null, 'urgency.colSum']] as [null, MessageKey][]) : []),
    ...(ind?.baseline ? ([[null, 'urgency.colBaseline']] as [null, MessageKey][]) : []),
    [null, 'urgency.colCompare'],
  ];
  const head = h(
    'tr',
    {},
    ...columns.map(([key, label]) => {
      if (!key) return h('th', { attrs: { scope: 'col' }, text: t(label) });
      const sortedHere = sortKey === key;
      const button = h('button', { className: 'button-link', attrs: { type: 'button', 'aria-label': t('urgency.sortBy', { column: t(label) }) }, text: t(label) });
      button.addEventListener('click', () => {
        if (sortKey === key) sortUp = !sortUp;
        else {
          sortKey = key;
          sortUp = key === 'area';
        }
        drawTable();
        byId('urgency-table').querySelector<HTMLButtonElement>(`th[data-key="${key}"] button`)?.focus();
      });
      return h('th', { attrs: { scope: 'col', 'data-key': key, 'aria-sort': sortedHere ? (sortUp ? 'ascending' : 'descending') : 'none' } }, button);
    }),
  );
  const rows = sorted().map((c) => {
    const name = areaName(c, index.get(c.code) ?? 0);
    const pick = h('button', { className: 'button-link', attrs: { type: 'button' }, text: name });
    pick.addEventListener('click', () => select(c.code));
    const box = h('input', { attrs: { type: 'checkbox', 'aria-label': t('urgency.compareThis', { area: name }) } });
    box.checked = compared.includes(c.code);
    box.addEventListener('change', () => {
      const at = compared.indexOf(c.code);
      if (box.checked && at < 0) compared.push(c.code);
      if (!box.checked && at >= 0) compared.splice(at, 1);
      while (compared.length > 2) compared.shift();
      drawTable();
      void drawCompare();
    });
    // Each cell names its column, which a phone shows before it when the rows become cards.
    const texts = [
      valueText(c),
      ...(ind?.measure !== 'index' ? [c.numerator === null ? '' : formatCount(c.numerator)] : []),
      ...(!perCell(ind) && ind?.measure !== 'index' ? [c.denominator === null ? '' : formatCount(c.denominator)] : []),
      ...(ind?.sum_unit ? [c.sum === null ? '' : `${formatCount(c.sum)} ${text(ind.sum_unit)}`] : []),
      ...(ind?.baseline ? [c.baseline === null ? '' : formatCount(c.baseline, lang(), 1)] : []),
    ];
    const cellsOfRow: Child[] = [
      h('th', { attrs: { scope: 'row', 'data-code': c.code } }, pick),
      ...texts.map((value, i) => h('td', { attrs: { 'data-label': t(columns[i + 1]?.[1] ?? 'urgency.colValue') }, text: value })),
    ];
    cellsOfRow.push(h('td', { attrs: { 'data-label': t('urgency.colCompare') } }, box));
    return h('tr', { className: c.code === selected ? 'urgency-selected' : '' }, ...cellsOfRow);
  });
  const table = h('table', { className: 'data-table urgency-table' }, h('thead', {}, head), h('tbody', {}, ...rows));
  byId('urgency-table').replaceChildren(scrollRegion(table, t('urgency.table')));
  const total = answer.total;
  const totalText =
    ind?.measure === 'index'
      ? ''
      : ind?.measure === 'mean'
      ? t('urgency.totalMean', { value: total.value === null ? t('urgency.none') : withUnit(ind, formatFixed(total.value, decimals, lang())) })
      : perCell(ind)
      ? t('urgency.totalDensity', { numerator: formatCount(total.numerator) })
      : t('urgency.total', {
          value: total.value === null ? t('urgency.none') : `${formatCount(total.value * 100, lang(), 0)}%`,
          numerator: formatCount(total.numerator),
          denominator: formatCount(total.denominator),
        });
  const counts = `${plural('urgency.shown', total.released)} ${plural('urgency.notShown', total.suppressed)}`;
  byId('urgency-total').textContent = `${totalText ? `${totalText} ` : ''}${counts}`;
  const q = new URLSearchParams({ level: level(), indicator: ind?.name ?? '' });
  byId<HTMLAnchorElement>('urgency-csv').hidden = ind?.measure === 'index';
  byId<HTMLAnchorElement>('urgency-gpkg').href = `/api/urgency?level=${level()}&format=gpkg`;
  byId<HTMLAnchorElement>('urgency-csv').href = `/api/urgency?${q.toString()}&format=csv`;
  byId<HTMLAnchorElement>('urgency-geojson').href =
    ind?.measure === 'index' ? `/api/urgency/index?level=${level()}&weights=${encodeURIComponent(weightsParam())}&format=geojson` : `/api/urgency?${q.toString()}&format=geojson`;
}

function trendChart(points: readonly SeriesPoint[]): Child {
  const shown = points.filter((p) => !p.suppressed && p.value !== null);
  if (shown.length === 0) return h('p', { text: t('urgency.trendNone') });
  const width = 320;
  const height = 90;
  const max = Math.max(...shown.map((p) => p.value ?? 0), 1e-9);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'urgency-trend');
  svg.setAttribute('aria-hidden', 'true');
  const first = Date.parse(shown[0]!.day);
  const last = Date.parse(shown[shown.length - 1]!.day);
  const span = Math.max(last - first, 86_400_000);
  const xy = shown.map((p) => [4 + ((Date.parse(p.day) - first) / span) * (width - 8), height - 4 - ((p.value ?? 0) / max) * (height - 8)] as const);
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#bd0026');
  line.setAttribute('stroke-width', '2');
  svg.append(line);
  for (const [x, y] of xy) {
    const dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('cx', x.toFixed(1));
    dot.setAttribute('cy', y.toFixed(1));
    dot.setAttribute('r', '3');
    dot.setAttribute('fill', '#bd0026');
    svg.append(dot);
  }
  const lastCell = shown[shown.length - 1]!;
  const summary = t(shown.length === 1 ? 'urgency.trendSummaryOne' : 'urgency.trendSummary', {
    count: formatCount(shown.length),
    from: formatDate(shown[0]!.day),
    to: formatDate(lastCell.day),
    last: valueText({ code: '', name: null, suppressed: false, numerator: null, denominator: null, value: lastCell.value, sum: null, baseline: null }),
  });
  return h('figure', { className: 'urgency-trend-figure' }, svg, h('figcaption', { text: summary }));
}

async function drawDetails(): Promise<void> {
  const box = byId('urgency-details');
  const c = answer?.features.find((f) => f.properties.code === selected)?.properties;
  if (!c) {
    box.replaceChildren(h('p', { text: t('urgency.pickCell') }));
    return;
  }
  const index = answer!.features.findIndex((f) => f.properties.code === c.code);
  const name = areaName(c, index);
  const ind = indicator();
  const parts: Child[] = [h('h3', { text: name }), h('p', { className: 'urgency-value', text: valueText(c) })];
  if (ind && !c.suppressed && c.numerator !== null && c.denominator !== null && !perCell(ind)) {
    parts.push(h('p', { className: 'hint', text: `${formatCount(c.numerator)} / ${formatCount(c.denominator)}` }));
  }
  if (c.context) parts.push(h('p', { className: 'hint urgency-context', text: contextText(c.context) }));
  if (level() === 'buurt' || level() === 'wijk') {
    const work = `/werk?area=${encodeURIComponent(c.code)}`;
    parts.push(h('p', {}, h('a', { attrs: { href: work }, text: t('urgency.toWork', { area: name }) })));
    // A partner starts an assignment here: the offer form opens for this area.
    if (partner) parts.push(h('p', {}, h('a', { className: 'urgency-offer', attrs: { href: `${work}#offer-form` }, text: t('urgency.offerHere', { area: name }) })));
  }
  parts.push(h('h3', { text: t('urgency.trend') }));
  box.replaceChildren(...parts.filter((p): p is Node | string => Boolean(p)));
  if (ind?.measure === 'index') return;
  if (!SNAPSHOT_LEVELS.includes(level())) {
    box.append(h('p', { text: t('urgency.trendNotKept') }));
    return;
  }
  try {
    const q = new URLSearchParams({ level: level(), indicator: ind?.name ?? '', cell: c.code });
    const series = await http.json<{ points: SeriesPoint[] }>('GET', `/api/urgency/series?${q.toString()}`);
    if (selected !== c.code) return;
    const chart = trendChart(series.points);
    if (chart) box.append(chart);
  } catch (error) {
    box.append(h('p', { text: t('urgency.loadFailed', { message: error instanceof Error ? error.message : String(error) }) }));
  }
}

const answers = new Map<string, Answer>();

/** The figures of one indicator (or the index) at one level, without outlines: the map has them in its tiles. */
async function fetchAnswer(lev: string, ind: string): Promise<Answer> {
  type Cells = { cells: CellProps[]; total: Answer['total'] };
  const asAnswer = (c: Cells): Answer => ({ features: c.cells.map((properties) => ({ properties })), total: c.total });
  if (ind === INDEX) {
    const q = new URLSearchParams({ level: lev, weights: weightsParam() });
    return asAnswer(await http.json<Cells>('GET', `/api/urgency/index?${q.toString()}`));
  }
  const key = `${lev}/${ind}`;
  const have = answers.get(key);
  if (have) return have;
  const q = new URLSearchParams({ level: lev, indicator: ind });
  const a = asAnswer(await http.json<Cells>('GET', `/api/urgency?${q.toString()}`));
  answers.set(key, a);
  return a;
}

async function drawCompare(): Promise<void> {
  const box = byId('urgency-compare');
  if (compared.length < 2 || !answer) {
    box.replaceChildren(h('p', { text: t('urgency.compareHint') }));
    return;
  }
  const cells = answer.features.map((f) => f.properties);
  const names = compared.map((code) => {
    const i = cells.findIndex((c) => c.code === code);
    return i >= 0 ? areaName(cells[i]!, i) : code;
  });
  const all = await Promise.all(indicators.map((i) => fetchAnswer(level(), i.name)));
  const rows = indicators.map((ind, k) => {
    const cellsOf = all[k]!.features.map((f) => f.properties);
    return h(
      'tr',
      {},
      h('th', { attrs: { scope: 'row' }, text: text(ind.title) }),
      ...compared.map((code) => {
        const c = cellsOf.find((x) => x.code === code);
        const shown = c ? formatFor(ind, c) : t('urgency.none');
        return h('td', { text: shown });
      }),
    );
  });
  box.replaceChildren(
    h(
      'table',
      { className: 'data-table urgency-compare' },
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' }, text: t('urgency.compareIndicator') }), ...names.map((n) => h('th', { attrs: { scope: 'col' }, text: n })))),
      h('tbody', {}, ...rows),
    ),
  );
}

function formatFor(ind: IndicatorInfo, c: CellProps): string {
  if (c.suppressed) return t('urgency.withheld');
  if (c.value === null) return t('urgency.none');
  if (ind.measure === 'index') return formatCount(c.value, lang(), 2);
  if (ind.measure === 'share') return `${formatCount(c.value * 100, lang(), 0)}%`;
  if (ind.measure === 'density') return t('urgency.perKm2', { value: formatCount(c.value, lang(), 1) });
  if (ind.measure === 'per_1000_inhabitants') return t('urgency.perThousand', { value: formatCount(c.value, lang(), 1) });
  // A mean with as many decimals as the legend, the same for every cell.
  return withUnit(ind, formatFixed(c.value, decimals, lang()));
}

function select(code: string): void {
  const target = { source: sourceOf(level()), sourceLayer: layerOf(level()) };
  if (map && selected && map.getSource(target.source)) map.setFeatureState({ ...target, id: selected }, { selected: false });
  selected = code;
  if (map && map.getSource(target.source)) map.setFeatureState({ ...target, id: code }, { selected: true });
  drawTable();
  void drawDetails();
}

/** The latest load: an answer that arrives after a newer choice is dropped. */
let loads = 0;

async function load(notice: Notice): Promise<void> {
  const ind = indicator();
  if (!ind) return;
  const mine = ++loads;
  try {
    const got = await fetchAnswer(level(), ind.name);
    if (mine !== loads) return;
    answer = got;
  } catch (error) {
    if (mine !== loads) return;
    notice.show('error', { key: 'urgency.loadFailed', params: { message: error instanceof Error ? error.message : String(error) } });
    return;
  }
  if (selected && !answer.features.some((f) => f.properties.code === selected)) selected = null;
  compared.splice(0, compared.length, ...compared.filter((c) => answer!.features.some((f) => f.properties.code === c)));
  const classes = classify();
  drawMap(classes);
  drawLegend();
  drawTable();
  if (selected && map) map.setFeatureState({ source: sourceOf(level()), sourceLayer: layerOf(level()), id: selected }, { selected: true });
  void drawDetails();
  void drawCompare();
}

function drawWeights(notice: Notice): void {
  const section = byId('urgency-weights-section');
  section.hidden = byId<HTMLSelectElement>('urgency-indicator').value !== INDEX;
  const form = byId<HTMLFormElement>('urgency-weights');
  const fields = indicators.map((i) => {
    const id = `urgency-weight-${i.name}`;
    const input = h('input', { attrs: { id, type: 'number', min: '0', max: '10', step: '0.5', inputmode: 'decimal', value: String(weights[i.name] ?? 0) } });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      weights[i.name] = Number.isFinite(v) ? Math.min(10, Math.max(0, v)) : 0;
    });
    return h('div', { className: 'field' }, h('label', { attrs: { for: id }, text: t('urgency.weightOf', { indicator: text(i.title) }) }), input);
  });
  const apply = h('button', { className: 'button-primary', attrs: { type: 'submit' }, text: t('urgency.weightsApply') });
  const save = h('button', { className: 'button-secondary', attrs: { type: 'button' }, text: t('urgency.weightsSave') });
  save.hidden = !signedIn;
  save.addEventListener('click', () => {
    void (async () => {
      try {
        await http.json('PUT', '/api/urgency/weights', { weights });
        notice.show('success', { key: 'urgency.weightsSaved' });
      } catch (error) {
        notice.error(error);
      }
    })();
  });
  form.replaceChildren(...fields, h('div', { className: 'actions' }, apply, save));
  if (!signedIn) form.append(h('p', { className: 'hint', text: t('urgency.weightsSignIn') }));
}

async function createUrgencyMap(): Promise<maplibregl.Map> {
  const tileJson = await fetchTileJson('all').catch(() => null);
  const view = tileJson ? initialView(tileJson) : NETHERLANDS_VIEW;
  const m = new maplibregl.Map({
    container: byId('urgency-map'),
    style: '/style.json',
    ...(view.kind === 'bounds' ? { bounds: view.bounds, fitBoundsOptions: { padding: 16, maxZoom: 16 } } : { center: view.center, zoom: view.zoom }),
    maxZoom: 19,
    attributionControl: { compact: true },
  });
  m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  m.on('error', (e) => console.warn('wijkwerk urgency map:', e.error));
  await new Promise<void>((resolve) => m.once('style.load', () => resolve()));
  relabelControls(m);
  return m;
}

async function start(): Promise<void> {
  startPage('urgency.pageTitle');
  const main = byId('main');
  const notice = new Notice(byId('urgency-notice'));
  try {
    const [meta, session] = await Promise.all([http.json<{ indicators: IndicatorInfo[]; levels: string[] }>('GET', '/api/urgency/indicators'), pageSession()]);
    indicators = meta.indicators;
    levels = meta.levels;
    signedIn = Boolean(session?.user);
    partner = (session?.user?.roles ?? []).some((g) => g.role === 'partner');
    weights = Object.fromEntries(indicators.map((i) => [i.name, 1]));
    if (signedIn) {
      const saved = await http.json<{ weights: Record<string, number> }>('GET', '/api/urgency/weights').catch(() => null);
      if (saved) weights = { ...weights, ...saved.weights };
    }
    fillLevelSelects();
    const weightsNotice = new Notice(byId('urgency-weights-notice'));
    drawWeights(weightsNotice);
    byId<HTMLFormElement>('urgency-weights').addEventListener('submit', (e) => {
      e.preventDefault();
      weightsNotice.clear();
      void load(notice);
    });
    byId('urgency-indicator').addEventListener('change', () => drawWeights(weightsNotice));
    map = await createUrgencyMap();
    for (const id of ['urgency-indicator', 'urgency-level', 'urgency-classes']) {
      byId(id).addEventListener('change', () => {
        notice.clear();
        void load(notice);
      });
    }
    byId<HTMLFormElement>('urgency-form').addEventListener('submit', (e) => e.preventDefault());
    onLangChange(() => {
      fillLevelSelects();
      drawWeights(weightsNotice);
      if (map) relabelControls(map);
      drawLegend();
      drawTable();
      void drawDetails();
      void drawCompare();
    });
    await load(notice);
  } catch (error) {
    notice.error(error);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
