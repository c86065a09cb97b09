// Class breaks for the choropleth: quantiles (as many areas in each class) or classes of equal
// width, over the released values only. Pure functions, unit-tested (tests/unit/urgency.test.ts).

/** How many classes the map draws. */
export const CLASSES = 5;

export type ClassMethod = 'quantile' | 'fixed';

/**
 * The upper bounds of the first `CLASSES - 1` classes (the last class takes the rest), ascending.
 * `share` values run from 0 to 1 and fixed classes then split that range; other measures split
 * the range of the values.
 */
export function breaks(values: readonly number[], method: ClassMethod, share: boolean): number[] {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return [];
  if (method === 'fixed') {
    const lo = share ? 0 : (v[0] ?? 0);
    const hi = share ? 1 : (v[v.length - 1] ?? 0);
    // One value only: one class, not four bounds at the same place.
    if (hi <= lo) return [];
    const step = (hi - lo) / CLASSES;
    return Array.from({ length: CLASSES - 1 }, (_, i) => lo + step * (i + 1));
  }
  const out: number[] = [];
  for (let i = 1; i < CLASSES; i += 1) {
    const at = Math.min(v.length - 1, Math.max(0, Math.ceil((i * v.length) / CLASSES) - 1));
    const b = v[at] ?? 0;
    // A bound at the largest value would leave the last class empty.
    if (b < (v[v.length - 1] ?? 0) && (out.length === 0 || b > (out[out.length - 1] ?? -Infinity))) out.push(b);
  }
  return out;
}

/** The class (0 = least urgent … CLASSES-1 = most urgent) of `value` under `bounds`. */
export function classOf(value: number, bounds: readonly number[], higherIsMoreUrgent: boolean): number {
  let c = bounds.findIndex((b) => value <= b);
  if (c < 0) c = bounds.length;
  // Spread fewer bounds over the full colour range.
  const spread = bounds.length === 0 ? CLASSES - 1 : Math.round((c * (CLASSES - 1)) / bounds.length);
  return higherIsMoreUrgent ? spread : CLASSES - 1 - spread;
}
