// The offer map's count classes (work/offerMap.ts): every released count falls in exactly one
// class, classes run light to dark, and a few distinct counts each get a class of their own.
import { describe, expect, it } from 'vitest';
import { countClasses } from '../../src/work/offerMap';

describe('the offer map classes', () => {
  it('gives each of up to four distinct counts its own class, light to dark', () => {
    const c = countClasses([10, 5, 10, 20]);
    expect(c.map((x) => [x.from, x.to])).toEqual([
      [5, 5],
      [10, 10],
      [20, 20],
    ]);
    expect(new Set(c.map((x) => x.fill)).size).toBe(3);
    // One class: the darkest fill, so a lone cell stands out from the base map.
    expect(countClasses([5, 5])).toEqual([{ from: 5, to: 5, fill: '#a63603' }]);
    expect(countClasses([])).toEqual([]);
  });

  it('splits many counts into four classes that cover each count once', () => {
    const counts = [5, 10, 15, 20, 25, 30, 35, 40, 45];
    const c = countClasses(counts);
    expect(c).toHaveLength(4);
    expect(c[0]?.from).toBe(5);
    expect(c[3]?.to).toBe(45);
    for (const n of counts) expect(c.filter((x) => n >= x.from && n <= x.to), String(n)).toHaveLength(1);
    for (let i = 1; i < c.length; i++) expect(c[i]!.from).toBeGreaterThan(c[i - 1]!.to);
  });
});
