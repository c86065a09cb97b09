import { describe, expect, it } from 'vitest';
import { breaks, classOf, CLASSES } from '../../src/urgency/classes';
import { contextText } from '../../src/urgency/context';

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
    expect(breaks([0.141, 0.141], 'fixed', false)).toEqual([]);
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

describe('the CBS figures beside an area', () => {
  const full = { inwoners: 2345, huishoudens: 1020, percentage_65_plus: 23, bevolkingsdichtheid: 1349 };

  it('reads inhabitants, households, the share of 65+ and the density in the language', () => {
    expect(contextText(full, 'nl')).toBe(
      'Volgens het CBS: 2.345 inwoners en 1.020 huishoudens. Aandeel 65 jaar en ouder: 23%. Bevolkingsdichtheid: 1.349 inwoners per km².',
    );
    expect(contextText(full, 'en')).toBe(
      'According to CBS: 2,345 inhabitants and 1,020 households. Aged 65 and over: 23%. Population density: 1,349 inhabitants per km².',
    );
  });

  it('says a figure CBS withheld is unknown, and 0 is a figure', () => {
    const some = { inwoners: 40, huishoudens: null, percentage_65_plus: null, bevolkingsdichtheid: 0 };
    expect(contextText(some, 'nl')).toBe(
      'Volgens het CBS: 40 inwoners en onbekend huishoudens. Aandeel 65 jaar en ouder: onbekend. Bevolkingsdichtheid: 0 inwoners per km².',
    );
    expect(contextText({ ...some, bevolkingsdichtheid: null }, 'en')).toContain('Population density: unknown.');
  });
});
