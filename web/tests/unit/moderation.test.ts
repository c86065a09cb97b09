import { describe, expect, it } from 'vitest';
import { actionsFor, freeText, reportNumber } from '../../src/admin/moderation';

describe('the moderation queue', () => {
  it('offers to hide open reports and to put hidden ones back; closed ones have no actions', () => {
    expect(actionsFor('new')).toEqual(['hide', 'resolve', 'reject']);
    expect(actionsFor('confirmed')).toEqual(['hide', 'resolve', 'reject']);
    expect(actionsFor('hidden')).toEqual(['unhide', 'resolve', 'reject']);
    for (const closed of ['resolved', 'rejected', 'withdrawn', 'merged']) expect(actionsFor(closed)).toEqual([]);
    expect(actionsFor('new', true)).toEqual(['release', 'hide', 'resolve', 'reject']);
    expect(actionsFor('hidden', true)).toEqual(['release', 'unhide', 'resolve', 'reject']);
    expect(actionsFor('withdrawn', true)).toEqual([]);
  });

  it('shows the free text a moderator has to judge', () => {
    expect(freeText({ answers: { note: 'bel 06-12345678', panels: 'yes' } })).toBe('bel 06-12345678');
    expect(freeText({ answers: { panels: 'yes' } })).toBe('');
    expect(freeText({ answers: { note: 3 } })).toBe('');
  });

  it('reads a report number as typed', () => {
    expect(reportNumber(' 42 ')).toBe(42);
    expect(reportNumber('#7')).toBe(7);
    for (const bad of ['', '0', '-3', '4.5', 'abc', '12345678901234567']) expect(reportNumber(bad)).toBeNull();
  });
});
