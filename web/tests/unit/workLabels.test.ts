import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n';
import { factLabel, factValue, historyLine } from '../../src/work/evidence';
import { kindTitle, sizeLabel, statusLabel, STATUSES, targetLabel } from '../../src/work/labels';

const KINDS = [{ kind: 'solar', title: { nl: 'Zonnepanelen op een geschikt dak', en: 'Solar panels on a suitable roof' }, unit: { nl: 'daken', en: 'roofs' } }];

describe('work labels', () => {
  afterEach(() => setLang('nl'));

  it('names a target by its address, never by an id', () => {
    expect(targetLabel({ kind: 'verblijfsobject', address: 'Kerkstraat 1', addresses: 1 })).toBe('Kerkstraat 1');
    expect(targetLabel({ kind: 'pand', address: 'Kerkstraat 1', addresses: 4 })).toBe('Kerkstraat 1 (+3 adressen)');
    expect(targetLabel({ kind: 'public_space', near: 'Dorpsplein 3', addresses: 0 })).toBe('openbare ruimte bij Dorpsplein 3');
    expect(targetLabel({ kind: 'pand', address: null, addresses: 0 })).toBe('adres onbekend');
    expect(targetLabel({ kind: 'tree', tree: '1080', species: 'Tilia europaea', near: 'Dorpsplein 3', addresses: 0 })).toBe('Boom 1080 (Tilia europaea) bij Dorpsplein 3');
    expect(targetLabel({ kind: 'tree', tree: '7', species: null, near: null, addresses: 0 })).toBe('Boom 7');
    setLang('en');
    expect(targetLabel({ kind: 'public_space', near: null, addresses: 0 })).toBe('public space');
    expect(targetLabel({ kind: 'tree', tree: '1080', species: null, near: 'Dorpsplein 3', addresses: 0 })).toBe('Tree 1080 near Dorpsplein 3');
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

describe('work evidence', () => {
  afterEach(() => setLang('nl'));
  const namer = {
    typeTitle: (type: string) => (type === 'solar_panels' ? 'Zonnepanelen' : type),
    areaName: (code: string) => (code === 'BU19990101' ? 'De Horst' : undefined),
  };
  // Every field the shipped rules and the rule language can name (docs/work.md).
  const FIELDS = ['bouwjaar', 'aantal_verblijfsobjecten', 'pand_status', 'postcode', 'straat', 'oppervlakte', 'buurtcode', 'wijkcode', 'gemeentecode', 'b3_dak_type', 'b3_opp_dak_plat', 'b3_opp_dak_schuin', 'opp_dak_geschikt_zon', 'b3_h_maaiveld', 'b3_h_dak_70p', 'energieklasse', 'energieindex', 'boomnummer', 'boomsoort', 'plantjaar', 'leeftijd', 'woonfunctie', 'overige gebruiksfunctie'];

  it('names every field in words, never as sent', () => {
    for (const lang of ['nl', 'en'] as const) {
      setLang(lang);
      for (const field of FIELDS) {
        const label = factLabel(field, namer);
        expect(label, field).not.toMatch(/_|work\.|use\./);
      }
    }
    setLang('nl');
    expect(factLabel('opp_dak_geschikt_zon', namer)).toBe('dak geschikt voor zonnepanelen (m²)');
    expect(factLabel('woonfunctie', namer)).toBe('gebruik: wonen');
    expect(factLabel('solar_panels.status_class', namer)).toBe('Zonnepanelen: laatste melding');
    expect(factLabel('solar_panels.nearby_30d', namer)).toBe('Zonnepanelen: meldingen binnen 25 m, laatste 30 dagen');
  });

  it('says values in words: classes, roof shapes, areas, missing, yes and no', () => {
    expect(factValue('solar_panels.status_class', 'none', namer)).toBe('geen melding');
    expect(factValue('solar_panels.status_class', 'no_panels', namer)).toBe('geen panelen');
    expect(factValue('b3_dak_type', 'multiple horizontal', namer)).toBe('meerdere platte daken');
    expect(factValue('b3_dak_type', 'no points', namer)).toBe('dakvorm onbekend');
    expect(factValue('buurtcode', 'BU19990101', namer)).toBe('De Horst');
    expect(factValue('buurtcode', 'BU99999999', namer)).toBe('onbekend');
    expect(factValue('opp_dak_geschikt_zon', 42.25, namer)).toBe('42,3');
    expect(factValue('bouwjaar', null, namer)).toBe('onbekend');
    // Years never get a thousands separator.
    expect(factValue('bouwjaar', 1960, namer)).toBe('1960');
    expect(factValue('plantjaar', 1961, namer)).toBe('1961');
    expect(factValue('leeftijd', 1200, namer)).toBe('1.200');
    expect(factLabel('greenery_distress.reports_30d', namer)).toBe('greenery_distress: meldingen over de boom, laatste 30 dagen');
    expect(factValue('woonfunctie', true, namer)).toBe('ja');
    expect(factValue('energieklasse', 'E', namer)).toBe('E');
    expect(historyLine({ status: 'planned', at: '2026-05-01T10:00:00Z', by_you: true })).toMatch(/gepland \(door jou\)$/);
  });
});
