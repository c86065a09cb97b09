import { expression, latest, type StylePropertySpecification } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import {
  BOUWJAAR_CLASSES,
  BOUWJAAR_LEGEND,
  BOUWJAAR_UNKNOWN_CLASS,
  bouwjaarClass,
  bouwjaarClassLabel,
  bouwjaarColorExpression,
  formatBouwjaar,
} from '../../src/map/bouwjaar';

describe('bouwjaarClass', () => {
  it.each([
    [1600, 'before-1920'],
    [1919, 'before-1920'],
    [1920, '1920-1945'],
    [1945, '1920-1945'],
    [1946, '1946-1970'],
    [1970, '1946-1970'],
    [1971, '1971-1990'],
    [1990, '1971-1990'],
    [1991, '1991-2010'],
    [2010, '1991-2010'],
    [2011, 'from-2011'],
    [2026, 'from-2011'],
  ])('puts %i in %s', (year, id) => {
    expect(bouwjaarClass(year).id).toBe(id);
  });

  it('treats 9999, missing and non-years as unknown', () => {
    for (const value of [9999, null, undefined, Number.NaN, 0, -5, 1950.5]) {
      expect(bouwjaarClass(value)).toBe(BOUWJAAR_UNKNOWN_CLASS);
    }
  });

  it('has classes that follow each other without gaps', () => {
    for (let i = 1; i < BOUWJAAR_CLASSES.length; i++) {
      expect(BOUWJAAR_CLASSES[i]?.from).toBe((BOUWJAAR_CLASSES[i - 1]?.to ?? NaN) + 1);
    }
    expect(BOUWJAAR_CLASSES[0]?.from).toBeNull();
    expect(BOUWJAAR_CLASSES.at(-1)?.to).toBeNull();
  });

  it('gives every legend class its own #rrggbb colour', () => {
    const colours = BOUWJAAR_LEGEND.map((c) => c.colour);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(colours).size).toBe(colours.length);
    expect(BOUWJAAR_LEGEND).toHaveLength(7);
  });
});

describe('labels', () => {
  it('writes the classes as the legend shows them', () => {
    expect(BOUWJAAR_LEGEND.map((c) => bouwjaarClassLabel(c, 'onbekend'))).toEqual([
      '< 1920',
      '1920–1945',
      '1946–1970',
      '1971–1990',
      '1991–2010',
      '≥ 2011',
      'onbekend',
    ]);
  });

  it('shows 9999 as the unknown word', () => {
    expect(formatBouwjaar(9999, 'onbekend')).toBe('onbekend');
    expect(formatBouwjaar(1932, 'onbekend')).toBe('1932');
  });
});

describe('bouwjaarColorExpression', () => {
  const compiled = expression.createExpression(
    bouwjaarColorExpression(),
    'fill-color',
    latest.paint_fill['fill-color'] as StylePropertySpecification,
  );

  it('is a valid MapLibre expression', () => {
    expect(compiled.result).toBe('success');
  });

  const rgba = (hex: string) => {
    const n = Number.parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},1)`;
  };

  it('colours every year as bouwjaarClass does', () => {
    if (compiled.result !== 'success') throw new Error('invalid expression');
    const colourOf = (bouwjaar: number | undefined) =>
      String(
        compiled.value.evaluate({ zoom: 16 }, { type: 3, properties: bouwjaar === undefined ? {} : { bouwjaar }, geometry: [] } as never),
      );
    for (const year of [1500, 1919, 1920, 1945, 1946, 1970, 1971, 1990, 1991, 2010, 2011, 2030, 9999]) {
      expect(colourOf(year), String(year)).toBe(rgba(bouwjaarClass(year).colour));
    }
    expect(colourOf(undefined)).toBe(rgba(BOUWJAAR_UNKNOWN_CLASS.colour));
  });
});
