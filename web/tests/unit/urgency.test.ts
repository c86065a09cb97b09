import { describe, expect, it } from 'vitest';
import { breaks, classOf, CLASSES } from '../../src/urgency/classes';

describe('urgency classes', () => {
  it('puts as many values in each quantile class', () => {
    const values = Array.from({ length: 10 }, (_, i) => i / 10);
    const b = breaks(values, 'quantile', true);
    expect(b).toEqual([0.1, 0.3, 0.5, 0.7]);
    const counts = new Array<number>(CLASSES).fill(0);
    for (const v of values) counts[classOf(v, b, true)] = (counts[classOf(v, b, true)] ?? 0) + 1;
    expect(counts).toEqual([2, 2, 2, 2, 2]);
  });

  it('splits a share from 0 to 1 into equal classes', () => {
    expect(breaks([0.05, 0.5], 'fixed', true).map((x) => Math.round(x * 100))).toEqual([20, 40, 60, 80]);
    expect(breaks([2, 12], 'fixed', false)).toEqual([4, 6, 8, 10]);
  });

  it('turns the colours round when lower is more urgent', () => {
    const b = [0.2, 0.4, 0.6, 0.8];
    expect(classOf(0.1, b, true)).toBe(0);
    expect(classOf(0.1, b, false)).toBe(CLASSES - 1);
    expect(classOf(0.9, b, true)).toBe(CLASSES - 1);
  });

  it('spreads fewer bounds over every colour, and has none without values', () => {
    const b = breaks([1, 1, 1, 2], 'quantile', false);
    expect(b).toEqual([1]);
    expect(classOf(1, b, true)).toBe(0);
    expect(classOf(2, b, true)).toBe(CLASSES - 1);
    expect(breaks([], 'quantile', true)).toEqual([]);
  });
});
