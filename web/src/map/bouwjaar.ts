// The bouwjaar (construction year) classes of the building colouring: the web's one place for the
// class breaks and colours. The server's style (`/style.json`, buildings-fill and buildings-blocks,
// from tiles/src/style.rs `BOUWJAAR_COLOURS`) colours with the same breaks and colours;
// `bouwjaarColorExpression()` is the expression it is expected to hold, and the browser e2e test
// checks that the legend's colours appear in the style. A sequential brown → purple ramp, old to new,
// that stays apart for the common colour-vision deficiencies; unknown (9999) is neutral grey.

import type { ExpressionSpecification } from 'maplibre-gl';

/** The bouwjaar BAG writes when the construction year is unknown. */
export const BOUWJAAR_UNKNOWN = 9999;

/** One colour class: the years `from`..=`to` (either end open when null). */
export interface BouwjaarClass {
  /** Stable id, used in CSS class names and tests. */
  readonly id: string;
  /** First year in the class, or null for "everything before `to`". */
  readonly from: number | null;
  /** Last year in the class, or null for "everything from `from` on". */
  readonly to: number | null;
  /** Fill colour, `#rrggbb`. */
  readonly colour: string;
}

/** The year classes, oldest first. Breaks follow the common Dutch building-age periods. */
export const BOUWJAAR_CLASSES: readonly BouwjaarClass[] = [
  { id: 'before-1920', from: null, to: 1919, colour: '#7f3b08' },
  { id: '1920-1945', from: 1920, to: 1945, colour: '#b35806' },
  { id: '1946-1970', from: 1946, to: 1970, colour: '#e08214' },
  { id: '1971-1990', from: 1971, to: 1990, colour: '#fdb863' },
  { id: '1991-2010', from: 1991, to: 2010, colour: '#b2abd2' },
  { id: 'from-2011', from: 2011, to: null, colour: '#5e3c99' },
];

/** The class of buildings whose bouwjaar is unknown (9999, missing or not a year). */
export const BOUWJAAR_UNKNOWN_CLASS: BouwjaarClass = { id: 'unknown', from: null, to: null, colour: '#bdbdbd' };

/** Every class the legend shows: the year classes, then unknown. */
export const BOUWJAAR_LEGEND: readonly BouwjaarClass[] = [...BOUWJAAR_CLASSES, BOUWJAAR_UNKNOWN_CLASS];

/** Whether `bouwjaar` is a known construction year. */
export function isKnownBouwjaar(bouwjaar: number | null | undefined): bouwjaar is number {
  return typeof bouwjaar === 'number' && Number.isInteger(bouwjaar) && bouwjaar !== BOUWJAAR_UNKNOWN && bouwjaar > 0;
}

/** The colour class of a bouwjaar; 9999, null and non-years are unknown. */
export function bouwjaarClass(bouwjaar: number | null | undefined): BouwjaarClass {
  if (!isKnownBouwjaar(bouwjaar)) return BOUWJAAR_UNKNOWN_CLASS;
  for (const c of BOUWJAAR_CLASSES) {
    if ((c.from === null || bouwjaar >= c.from) && (c.to === null || bouwjaar <= c.to)) return c;
  }
  // The classes cover every year; this only guards against a future edit leaving a gap.
  return BOUWJAAR_UNKNOWN_CLASS;
}

/** The class label: `< 1920`, `1920–1945`, `≥ 2011`; unknown takes its word from i18n. */
export function bouwjaarClassLabel(c: BouwjaarClass, unknownWord: string): string {
  if (c.id === BOUWJAAR_UNKNOWN_CLASS.id) return unknownWord;
  if (c.from === null && c.to !== null) return `< ${c.to + 1}`;
  if (c.to === null && c.from !== null) return `≥ ${c.from}`;
  return `${c.from}–${c.to}`;
}

/** How a bouwjaar reads in the UI: the year, or the unknown word for 9999. */
export function formatBouwjaar(bouwjaar: number | null | undefined, unknownWord: string): string {
  return isKnownBouwjaar(bouwjaar) ? String(bouwjaar) : unknownWord;
}

/**
 * The MapLibre `fill-color` expression for these classes, reading the tile property `bouwjaar`:
 *
 * ```json
 * ["case", ["==", ["coalesce", ["get", "bouwjaar"], 9999], 9999], "#bdbdbd",
 *  ["step", ["coalesce", ["get", "bouwjaar"], 9999], "#7f3b08", 1920, "#b35806", 1946, "#e08214",
 *   1971, "#fdb863", 1991, "#b2abd2", 2011, "#5e3c99"]]
 * ```
 */
export function bouwjaarColorExpression(property = 'bouwjaar'): ExpressionSpecification {
  const year: ExpressionSpecification = ['coalesce', ['get', property], BOUWJAAR_UNKNOWN];
  const [first, ...rest] = BOUWJAAR_CLASSES;
  if (!first) throw new Error('BOUWJAAR_CLASSES is empty');
  const stops = rest.flatMap((c) => [c.from ?? 0, c.colour]);
  return [
    'case',
    ['==', year, BOUWJAAR_UNKNOWN],
    BOUWJAAR_UNKNOWN_CLASS.colour,
    ['step', year, first.colour, ...stops] as ExpressionSpecification,
  ];
}
