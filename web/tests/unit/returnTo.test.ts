// Coming back after signing in (ui/returnTo.ts) with the report being written (report/draft.ts).
import { describe, expect, it } from 'vitest';
import { returnPath, saveDraft, takeDraft } from '../../src/report/draft';
import type { Target } from '../../src/report/targets';
import { here, returnFromQuery, safeReturn, signInUrl } from '../../src/ui/returnTo';

function memory(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

const BUILDING: Target = { kind: 'building', building: '1999100000000006', addresses: [], names: [], lonlat: [5.85, 51.95] };

describe('the way back', () => {
  it('follows only paths on this site, never the sign-in page itself', () => {
    expect(safeReturn('/?pand=1999100000000006')).toBe('/?pand=1999100000000006');
    expect(safeReturn('/beheer.html')).toBe('/beheer.html');
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'beheer.html', '/aanmelden.html?terug=/', '/aanmelden', '', null, '/a b']) {
      expect(safeReturn(bad), String(bad)).toBeNull();
    }
  });

  it('builds the sign-in link that comes back', () => {
    expect(signInUrl('/?pand=1999100000000006')).toBe('/aanmelden.html?terug=%2F%3Fpand%3D1999100000000006');
    expect(signInUrl('https://evil.example/')).toBe('/aanmelden.html');
    expect(here({ pathname: '/', search: '?pand=1', hash: '' })).toBe('/?pand=1');
  });

  it('remembers the way back in this tab, for the mailed link', () => {
    const storage = memory();
    expect(returnFromQuery('?terug=%2Fbeheer.html', storage)).toBe('/beheer.html');
    expect(returnFromQuery('', storage)).toBe('/beheer.html');
    expect(returnFromQuery('?terug=https%3A%2F%2Fevil.example', memory())).toBeNull();
  });
});

describe('the report being written', () => {
  it('is kept once, with its answers, and not when it is old or broken', () => {
    const storage = memory();
    saveDraft({ target: BUILDING, type: 'solar_panels', address: null, answers: { panels: 'yes', count: '5-10' } }, storage, 1000);
    const draft = takeDraft(storage, 2000);
    expect(draft?.type).toBe('solar_panels');
    expect(draft?.answers).toEqual({ panels: 'yes', count: '5-10' });
    expect(takeDraft(storage, 2000)).toBeNull();
    saveDraft({ target: BUILDING, type: 'solar_panels', address: null, answers: {} }, storage, 1000);
    expect(takeDraft(storage, 1000 + 3 * 60 * 60 * 1000)).toBeNull();
    storage.setItem('wijkwerk.reportDraft', '{not json');
    expect(takeDraft(storage)).toBeNull();
  });

  it('comes back to the building it is about', () => {
    expect(returnPath(BUILDING)).toBe('/?pand=1999100000000006');
    expect(returnPath({ kind: 'spot', lonlat: [5, 52], area: null })).toBe('/');
  });
});
