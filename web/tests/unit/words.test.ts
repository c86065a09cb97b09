// Numbers, years, durations and codes in words (ui/words.ts), buildings by their addresses
// (ui/buildingName.ts), and JSON values by their field (ui/facts.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../../src/i18n';
import { buildingName, buildingUnits } from '../../src/ui/buildingName';
import { auditDetail, auditRef, useAuditNames } from '../../src/ui/auditWords';
import { fieldLabel, formatValue } from '../../src/ui/facts';
import { codeLabel, formatCount, formatDuration, formatPlain, plural, usesLabel } from '../../src/ui/words';

const a = (openbare_ruimte_naam: string, huisnummer: number, huisletter: string | null = null, toevoeging: string | null = null, gebruiksdoel = 'woonfunctie') => ({
  openbare_ruimte_naam,
  huisnummer,
  huisletter,
  toevoeging,
  gebruiksdoel,
});

describe('numbers', () => {
  afterEach(() => setLang('nl'));

  it('groups counts the way the language does, never years or house numbers', () => {
    expect(formatCount(12345, 'nl')).toBe('12.345');
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatPlain(2024, 'nl')).toBe('2024');
    expect(formatPlain(2024, 'en')).toBe('2024');
    expect(formatValue(2024, 'nl', 'bouwjaar')).toBe('2024');
    expect(formatValue(9999, 'nl', 'bouwjaar')).toBe('onbekend');
    expect(formatValue(1200, 'nl', 'huisnummer')).toBe('1200');
    expect(formatValue(1200, 'nl', 'removed')).toBe('1.200');
  });

  it('writes durations and plurals in words', () => {
    expect(formatDuration(3600, 'nl')).toBe('1 uur');
    expect(formatDuration(2 * 86_400, 'nl')).toBe('2 dagen');
    expect(formatDuration(90, 'en')).toBe('90 seconds');
    expect(formatDuration(60, 'en')).toBe('1 minute');
    expect(plural('units.home', 1, {}, 'nl')).toBe('1 woning');
    expect(plural('units.home', 12, {}, 'nl')).toBe('12 woningen');
    expect(plural('units.home', 1200, {}, 'en')).toBe('1,200 homes');
  });

  it('turns retention rules into words, "every seconds 3.600" no more', () => {
    expect(formatValue(3600, 'nl', 'every_seconds')).toBe('elke 1 uur');
    expect(formatValue(730, 'nl', 'keep_days')).toBe('730 dagen bewaren');
    expect(formatValue(null, 'en', 'keep_days')).toBe('kept forever');
    expect(formatValue('closed_reports', 'nl', 'kind')).toBe('afgesloten meldingen');
    expect(fieldLabel('keep_days', 'nl')).toBe('bewaren');
  });
});

describe('codes', () => {
  it('has words for BAG statuses, uses, sources, audit actions and statuses', () => {
    expect(codeLabel('status', 'Pand in gebruik', 'nl')).toBe('in gebruik');
    expect(codeLabel('status', 'Verblijfsobject in gebruik', 'en')).toBe('in use');
    expect(codeLabel('status', 'new', 'nl')).toBe('nieuw');
    expect(codeLabel('status', 'upheld', 'nl')).toBe('toegekend');
    expect(codeLabel('source', 'resident', 'nl')).toBe('een bewoner');
    expect(codeLabel('about', 'building', 'nl')).toBe('het hele pand');
    expect(codeLabel('action', 'read_opt_out_register', 'nl')).toBe('niet-aanbellen-lijst bekeken');
    expect(codeLabel('status', 'something_new', 'nl')).toBeNull();
    expect(usesLabel('woonfunctie,winkelfunctie', 'nl')).toBe('wonen en winkel');
    expect(usesLabel('woonfunctie,winkelfunctie,kantoorfunctie', 'en')).toBe('living, shop and office');
    expect(usesLabel(null, 'nl')).toBeNull();
  });

  it('shows an object of answers with labels and words, not "answers cooking: gas"', () => {
    const text = formatValue({ status: 'new', source: 'resident', about: 'address' }, 'nl');
    expect(text).toBe('status: nieuw; gemeld door: een bewoner; over: dit adres');
  });
});

describe('a building is named by its addresses', () => {
  it('one address, a block, flats behind one number, more streets, none', () => {
    expect(buildingName([a('Kerkstraat', 12, 'A')], 'nl')).toBe('Kerkstraat 12A');
    expect(buildingName([a('Kerkstraat', 1), a('Kerkstraat', 3), a('Kerkstraat', 11)], 'nl')).toBe('Kerkstraat 1–11');
    expect(buildingName([a('Molenweg', 19, null, 'hs'), a('Molenweg', 19, null, '1'), a('Molenweg', 19, null, '2')], 'nl')).toBe('Molenweg 19');
    expect(buildingName([a('Molenweg', 19, null, '1'), a('Molenweg', 21, null, '1'), a('Plein', 2)], 'nl')).toBe('Molenweg 19–21 en 1 ander adres');
    expect(buildingName([a('Molenweg', 1999), a('Molenweg', 2001)], 'en')).toBe('Molenweg 1999–2001');
    expect(buildingName([], 'nl')).toBe('Pand zonder adres');
    expect(buildingName([], 'en')).toBe('Building without an address');
  });

  it('says what is in it in words, not "aantal verblijfsobjecten"', () => {
    const flats = Array.from({ length: 12 }, (_, i) => a('Molenweg', 19 + (i % 4) * 2, null, String(i)));
    expect(buildingUnits(flats, 'nl')).toBe('12 woningen');
    expect(buildingUnits([a('Markt', 1), a('Markt', 1, 'A', null, 'winkelfunctie')], 'nl')).toBe('1 woning en 1 winkel');
    expect(buildingUnits([a('Markt', 1, null, null, 'industriefunctie')], 'en')).toBe('1 other space');
    expect(buildingUnits([], 'nl')).toBe('geen adressen');
  });
});

describe('the audit log in words', () => {
  it('names who and what by kind, not "user:1" or "address:…"', () => {
    expect(auditRef('user:1', 'nl')).toBe('gebruiker 1');
    expect(auditRef('address:1999010000000145', 'nl')).toBe('adres 1999010000000145');
    expect(auditRef('cli', 'en')).toBe('the command line on the server');
    expect(auditRef('anonymous@127.0.0.1', 'nl')).toBe('niet aangemeld (127.0.0.1)');
    expect(auditRef('something', 'nl')).toBeNull();
    expect(formatValue('user:7', 'nl', 'actor')).toBe('gebruiker 7');
  });

  it('says the details in the language of the page', () => {
    expect(auditDetail('password', 'nl')).toBe('met wachtwoord');
    expect(auditDetail('12 events', 'nl')).toBe('12 gebeurtenissen');
    expect(auditDetail('3 of 1200', 'nl')).toBe('3 van 1.200');
    expect(auditDetail('40 letters, pdf', 'nl')).toBe('40 brieven, PDF');
    expect(auditDetail('volunteer@WK199901,admin@all', 'nl')).toBe('vrijwilliger in WK199901, beheerder overal');
    expect(auditDetail('csv of solar_panels: 3 rows, 1 left out by opt-outs, contact details in 2 rows', 'nl')).toBe(
      'CSV van solar panels: 3 rijen, 1 weggelaten door bezwaar, contactgegevens in 2 rijen',
    );
    expect(auditDetail('address:1999010000000145', 'nl')).toBe('adres 1999010000000145');
    expect(auditDetail('hide', 'nl')).toBe('verborgen');
    expect(auditDetail('merge into observation:12', 'nl')).toBe('samengevoegd met melding 12');
    expect(auditDetail('split into observation:13', 'en')).toBe('split, new: report 13');
    expect(auditDetail('something else', 'nl')).toBeNull();
    expect(formatValue('password', 'nl', 'detail')).toBe('met wachtwoord');
  });

  it('names observation types by their titles and areas by their names, once the page knows them', () => {
    useAuditNames({
      typeTitle: (name, language) => (name === 'solar_panels' ? (language === 'en' ? 'Solar panels' : 'Zonnepanelen') : undefined),
      areaName: (code) => ({ BU19990300: 'Kerkebuurt', WK199901: 'Centrum', 'polygon:3': 'Rond het plein' })[code],
    });
    try {
      expect(auditRef('observations:BU19990300', 'nl')).toBe('meldingen in Kerkebuurt');
      expect(auditRef('polygon:3', 'nl')).toBe('getekend gebied Rond het plein');
      expect(auditDetail('csv of solar_panels: 3 rows, 1 left out by opt-outs', 'nl')).toBe('CSV van Zonnepanelen: 3 rijen, 1 weggelaten door bezwaar');
      expect(auditDetail('csv of solar_panels: 3 rows, 1 left out by opt-outs', 'en')).toBe('CSV of Solar panels: 3 rows, 1 left out by opt-outs');
      expect(auditDetail('volunteer@WK199901,admin@all', 'nl')).toBe('vrijwilliger in Centrum, beheerder overal');
      // A code nobody named stays as written.
      expect(auditRef('observations:BU19999999', 'nl')).toBe('meldingen in BU19999999');
    } finally {
      useAuditNames({ typeTitle: () => undefined, areaName: () => undefined });
    }
  });
});
