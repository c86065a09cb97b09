import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n';
import { kindTitle, sizeLabel, statusLabel, STATUSES, targetLabel } from '../../src/work/labels';

const KINDS = [{ kind: 'solar', title: { nl: 'Zonnepanelen op een geschikt dak', en: 'Solar panels on a suitable roof' }, unit: { nl: 'daken', en: 'roofs' } }];

describe('work labels', () => {
  afterEach(() => setLang('nl'));

  it('names a target by its address, never by an id', () => {
    expect(targetLabel({ kind: 'verblijfsobject', address: 'Kerkstraat 1', addresses: 1 })).toBe('Kerkstraat 1');
    expect(targetLabel({ kind: 'pand', address: 'Kerkstraat 1', addresses: 4 })).toBe('Kerkstraat 1 (+3 adressen)');
    expect(targetLabel({ kind: 'public_space', near: 'Dorpsplein 3', addresses: 0 })).toBe('openbare ruimte bij Dorpsplein 3');
    expect(targetLabel({ kind: 'pand', address: null, addresses: 0 })).toBe('adres onbekend');
    setLang('en');
    expect(targetLabel({ kind: 'public_space', near: null, addresses: 0 })).toBe('public space');
  });

  it('says every status and kind in words, in both languages', () => {
    expect(STATUSES.map(statusLabel)).toEqual(['open', 'gepland', 'bezig', 'gedaan', 'niet gewenst', 'niet van toepassing']);
    expect(kindTitle(KINDS, 'solar')).toBe('Zonnepanelen op een geschikt dak');
    expect(kindTitle(KINDS, 'unheard_of')).not.toContain('unheard_of');
    setLang('en');
    expect(statusLabel('in_progress')).toBe('in progress');
    expect(kindTitle(KINDS, 'solar')).toBe('Solar panels on a suitable roof');
  });

  it('writes sizes with the unit and Dutch decimals', () => {
    expect(sizeLabel(1.25, 'kWp')).toBe('1,3 kWp');
    setLang('en');
    expect(sizeLabel(1.25, 'kWp')).toBe('1.3 kWp');
  });
});
