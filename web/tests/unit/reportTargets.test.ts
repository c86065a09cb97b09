import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/http';
import type { ObservationType } from '../../src/api/reports';
import { setLang } from '../../src/i18n';
import { countsDescription } from '../../src/map/layers/reportCounts';
import { listsLayer, reportDescription, statusColourExpression, withGeneration } from '../../src/map/layers/reports';
import { answerLabel, fieldTitle, statusClassLabel, statusLabel } from '../../src/report/labels';
import { BUSY_ATTEMPTS, MAX_PHOTO_BYTES, photoErrorMessage, photoProblem, uploadWhenFree } from '../../src/report/photos';
import { asksForSimilar, choicesFor, similarPlace, type Target } from '../../src/report/targets';

function type(name: string, patch: Partial<ObservationType>): ObservationType {
  return {
    name,
    version: 1,
    title: { nl: name, en: name },
    question: { nl: '?', en: '?' },
    targets: ['building'],
    public_space: false,
    own_home_only: false,
    visible_from_street: true,
    status_field: 'x',
    status_classes: {},
    schema: { type: 'object', properties: {} },
    ...patch,
  };
}

// In the server's order (alphabetical).
const TYPES = [
  type('gas_readiness', { targets: ['address'], own_home_only: true, visible_from_street: false }),
  type('greenery_distress', { targets: ['point', 'tree'], public_space: true }),
  type('roof_suitability', {}),
  type('solar_panels', {}),
];

const BUILDING: Target = {
  kind: 'building',
  building: '1999100000000001',
  addresses: [
    { id: '1999010000000001', label: 'Dorpsstraat 1' },
    { id: '1999010000000002', label: 'Dorpsstraat 1A' },
  ],
  names: [
    { openbare_ruimte_naam: 'Dorpsstraat', huisnummer: 1, huisletter: null, toevoeging: null },
    { openbare_ruimte_naam: 'Dorpsstraat', huisnummer: 1, huisletter: 'A', toevoeging: null },
  ],
  lonlat: [5.85, 51.95],
};

describe('what can be reported where', () => {
  it('offers the building types for a building, not the own-home type to others', () => {
    const choices = choicesFor(BUILDING, TYPES, []);
    expect(choices.map((c) => c.type.name)).toEqual(['roof_suitability', 'solar_panels']);
    expect(choices[0]?.target).toEqual({ building: '1999100000000001' });
  });

  it('offers gas_readiness only for the address the user verified', () => {
    const choices = choicesFor(BUILDING, TYPES, ['1999010000000002', '1999010000000999']);
    expect(choices.map((c) => c.type.name)).toEqual(['roof_suitability', 'solar_panels', 'gas_readiness']);
    const gas = choices.at(-1);
    expect(gas?.target).toEqual({ address: '1999010000000002' });
    expect(gas?.address?.label).toBe('Dorpsstraat 1A');
  });

  it('offers the public-space types for a spot, with the spot as a GeoJSON point', () => {
    const choices = choicesFor({ kind: 'spot', lonlat: [5.851, 51.948], area: null }, TYPES, ['1999010000000002']);
    expect(choices.map((c) => c.type.name)).toEqual(['greenery_distress']);
    expect(choices[0]?.target).toEqual({ point: { type: 'Point', coordinates: [5.851, 51.948] } });
  });

  it('asks for a similar report only for street-visible types about a public spot (the server turns a repeat about a building into a confirmation)', () => {
    const [roof] = choicesFor(BUILDING, TYPES, []);
    expect(roof && asksForSimilar(roof)).toBe(false);
    expect(roof && similarPlace(roof)).toBeNull();
    const gas = choicesFor(BUILDING, TYPES, ['1999010000000001']).at(-1);
    expect(gas && asksForSimilar(gas)).toBe(false);
    const [green] = choicesFor({ kind: 'spot', lonlat: [5, 52], area: null }, TYPES);
    expect(green && similarPlace(green)).toEqual({ lonlat: [5, 52] });
  });
});

describe('words for codes', () => {
  afterEach(() => setLang('nl'));

  it('splits schema titles into Dutch and English', () => {
    expect(fieldTitle('Hoe erg / How bad', 'severity')).toBe('Hoe erg');
    expect(fieldTitle('Hoe erg / How bad', 'severity', 'en')).toBe('How bad');
    expect(fieldTitle('Alleen Nederlands', 'x', 'en')).toBe('Alleen Nederlands');
    expect(fieldTitle(undefined, 'tree_id')).toBe('tree id');
  });

  it('labels values per field where they differ, and unknown values as sent', () => {
    expect(answerLabel('roof_suitability', 'shade', 'none')).toBe('geen schaduw');
    expect(answerLabel('gas_readiness', 'insulation', 'none')).toBe('nog niets');
    expect(answerLabel('solar_panels', 'panels', 'cant_tell')).toBe('kan ik niet zien');
    expect(answerLabel('new_type', 'field', 'some_new_value')).toBe('some new value');
    setLang('en');
    expect(answerLabel('solar_panels', 'panels', 'cant_tell')).toBe('can’t tell');
    expect(statusLabel('withdrawn')).toBe('withdrawn');
    expect(statusClassLabel('dying')).toBe('dying');
    setLang('nl');
    expect(statusLabel('withdrawn')).toBe('ingetrokken');
    expect(statusClassLabel('panels_seen')).toBe('panelen gezien');
  });
});

describe('photos', () => {
  it('refuses other types and files over 10 MB before sending', () => {
    expect(photoProblem({ type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(photoProblem({ type: 'image/png', size: MAX_PHOTO_BYTES })).toBeNull();
    expect(photoProblem({ type: 'image/heic', size: 1000 })).toEqual({ key: 'report.photoWrongType' });
    expect(photoProblem({ type: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 })).toEqual({ key: 'report.photoTooLarge' });
  });

  it('says what 413, 415 and a fourth photo mean', () => {
    const err = (status: number, fields: { field: string; message: string }[] = []) =>
      new ApiError(status, 'X', 'x', '/api/observations/1/photos', null, fields);
    expect(photoErrorMessage(err(413))).toEqual({ key: 'report.photoTooLarge' });
    expect(photoErrorMessage(err(415))).toEqual({ key: 'report.photoWrongType' });
    expect(photoErrorMessage(err(422, [{ field: '/photos', message: 'at most 3' }]))).toMatchObject({ key: 'report.photoTooMany' });
    expect(photoErrorMessage(err(422))).toEqual({ key: 'report.photoUnreadable' });
    expect(photoErrorMessage(err(503))).toEqual({ key: 'report.photoBusy' });
    expect(photoErrorMessage(new TypeError('Failed to fetch'))).toEqual({ key: 'error.network' });
  });

  it('sends a photo again after Retry-After while the server is busy, three times in all', async () => {
    const busy = (after: number | null) => new ApiError(503, 'Busy', 'busy', '/api/observations/1/photos', after);
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    let calls = 0;
    const eventually = () => (++calls < 3 ? Promise.reject(busy(calls === 1 ? 2 : null)) : Promise.resolve('stored'));
    await expect(uploadWhenFree(eventually, sleep)).resolves.toBe('stored');
    expect(waits).toEqual([2000, 1000]);
    calls = 0;
    waits.length = 0;
    await expect(uploadWhenFree(() => (++calls, Promise.reject(busy(1))), sleep)).rejects.toMatchObject({ status: 503 });
    expect(calls).toBe(BUSY_ATTEMPTS);
    calls = 0;
    await expect(uploadWhenFree(() => (++calls, Promise.reject(new ApiError(422, 'Unprocessable', 'x', '/p'))), sleep)).rejects.toMatchObject({ status: 422 });
    expect(calls).toBe(1);
  });
});

describe('the report layers', () => {
  it('give tile URLs a new generation without touching the template', () => {
    const url = 'http://127.0.0.1:8080/tiles/all/{z}/{x}/{y}.mvt';
    expect(withGeneration(url, 1)).toBe('http://127.0.0.1:8080/tiles/all/{z}/{x}/{y}.mvt?v=1');
    expect(withGeneration(withGeneration(url, 1), 2)).toBe(`${url}?v=2`);
    expect(withGeneration(`${url}?key=a`, 3)).toBe(`${url}?key=a&v=3`);
    expect(withGeneration(`${url}?v=3&key=a`, 4)).toBe(`${url}?key=a&v=4`);
  });

  it('colour by status class with a default', () => {
    const expr = statusColourExpression() as unknown[];
    expect(expr[0]).toBe('match');
    expect(expr).toContain('dying');
    expect(typeof expr.at(-1)).toBe('string');
  });

  it('are drawn only when the caller\'s TileJSON lists them', () => {
    const tileJson = { vector_layers: [{ id: 'buildings', fields: {} }, { id: 'public_space', fields: {} }] };
    expect(listsLayer(tileJson, 'public_space')).toBe(true);
    expect(listsLayer(tileJson, 'observations')).toBe(false);
    expect(listsLayer(null, 'public_space')).toBe(false);
  });

  it('list the counts per buurt, largest first', () => {
    const title = (name: string) => ({ solar_panels: 'Zonnepanelen', roof_suitability: 'Dak' })[name] ?? name;
    const text = countsDescription(
      [
        { properties: { buurtcode: 'BU19990000', type: 'roof_suitability', records: 5, addresses: 5 } },
        { properties: { buurtcode: 'BU19990000', type: 'solar_panels', records: 12, addresses: 9 } },
      ],
      title,
    );
    expect(text).toBe('Buurt BU19990000: Zonnepanelen 12× (9 adressen); Dak 5× (5 adressen)');
    expect(countsDescription([{ properties: {} }], title)).toBeNull();
  });

  it('describe a point by type and status class', () => {
    const text = reportDescription({ type: 'greenery_distress', status_class: 'dying', confirmations: 2 }, () => 'Groen in nood', statusClassLabel);
    expect(text).toBe('Groen in nood: stervend (bevestigd door 2 mensen)');
    expect(reportDescription({ status_class: 'dying' }, String, String)).toBeNull();
    const pand = reportDescription({ type: 'solar_panels', status_class: 'panels_seen', confirmations: 0, reports: 3 }, () => 'Zonnepanelen', () => 'gezien');
    expect(pand).toBe('Zonnepanelen: gezien · 3 open meldingen over dit pand');
  });
});
