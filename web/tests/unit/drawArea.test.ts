import { describe, expect, it } from 'vitest';
import { formatPoints, nameProblem, openRing, parseCoordinates, ringProblem, toPolygon } from '../../src/admin/drawArea';
import { areaChoices, exportPath, parentCode, withinScope } from '../../src/admin/exportChoices';
import { t } from '../../src/i18n';

const SQUARE: [number, number][] = [
  [5.1, 52.0],
  [5.2, 52.0],
  [5.2, 52.1],
  [5.1, 52.1],
];

describe('the corners of a drawn area', () => {
  it('reads one corner a line, with commas, spaces or decimal commas, and drops the closing point', () => {
    expect(parseCoordinates('5.1, 52.0\n5.2 52.0\n\n5,2 52,1\n5.1;52.1\n5.1, 52.0')).toEqual({ points: SQUARE });
  });

  it('reads a GeoJSON Polygon, a MultiPolygon of one, a Feature and a FeatureCollection of one', () => {
    const polygon = { type: 'Polygon', coordinates: [[...SQUARE, SQUARE[0]]] };
    for (const value of [
      polygon,
      { type: 'MultiPolygon', coordinates: [polygon.coordinates] },
      { type: 'Feature', properties: {}, geometry: polygon },
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: polygon }] },
    ]) {
      expect(parseCoordinates(JSON.stringify(value))).toEqual({ points: SQUARE });
    }
  });

  it('says what is wrong, in words of the catalogue', () => {
    const key = (text: string) => {
      const parsed = parseCoordinates(text);
      return 'problem' in parsed ? parsed.problem : null;
    };
    expect(key('')).toEqual({ key: 'admin.drawEmpty' });
    expect(key('5.1, 52.0\nhier\n')).toEqual({ key: 'admin.drawBadLine', params: { line: 2 } });
    expect(key('5.1, 52.0\n5.1 52.0 3')).toEqual({ key: 'admin.drawBadLine', params: { line: 2 } });
    expect(key('155000, 463000')).toEqual({ key: 'admin.drawMetres', params: { line: 1 } });
    expect(key('5.1, 95')).toEqual({ key: 'admin.drawOutOfRange', params: { line: 1 } });
    expect(key('{"type": "Polygon"')).toEqual({ key: 'admin.drawJsonInvalid' });
    expect(key('{"type": "Point", "coordinates": [5, 52]}')).toEqual({ key: 'admin.drawNotPolygon' });
    expect(key('{"type": "Polygon", "coordinates": [[[5,52],[6,52],[6,53],[5,52]], [[5.1,52.1],[5.2,52.1],[5.2,52.2],[5.1,52.1]]]}')).toEqual({ key: 'admin.drawNoHoles' });
    expect(key('{"type": "FeatureCollection", "features": []}')).toEqual({ key: 'admin.drawOnePolygon' });
    expect(key('{"type": "Polygon", "coordinates": [[[5,52],[6,"x"],[6,53],[5,52]]]}')).toEqual({ key: 'admin.drawBadPosition', params: { n: 2 } });
    for (const problem of [key(''), key('5.1, 95'), key('x')]) {
      expect(t(problem!.key, { ...problem!.params })).not.toMatch(/admin\.|\{/);
    }
  });

  it('needs three corners that enclose an area without crossing', () => {
    expect(ringProblem(SQUARE)).toBeNull();
    expect(ringProblem(SQUARE.slice(0, 2))).toEqual({ key: 'admin.drawTooFew', params: { count: 2 } });
    expect(ringProblem([[5, 52], [5.1, 52.1], [5.2, 52.2]])).toEqual({ key: 'admin.drawFlat' });
    // A bow tie: the second and fourth edges cross.
    expect(ringProblem([SQUARE[0]!, SQUARE[1]!, SQUARE[3]!, SQUARE[2]!])).toEqual({ key: 'admin.drawCrosses' });
  });

  it('sends a closed, counter-clockwise ring, and writes the corners back as the text reads them', () => {
    const clockwise = [...SQUARE].reverse();
    const polygon = toPolygon(clockwise);
    expect(polygon.type).toBe('Polygon');
    const ring = polygon.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    let twiceArea = 0;
    for (let i = 0; i < 4; i++) twiceArea += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    expect(twiceArea).toBeGreaterThan(0);
    expect(parseCoordinates(formatPoints(SQUARE))).toEqual({ points: SQUARE });
    expect(openRing([...SQUARE, SQUARE[0]!])).toEqual(SQUARE);
  });

  it('needs a name of at most 120 characters', () => {
    expect(nameProblem('  ')).toEqual({ key: 'form.required' });
    expect(nameProblem('Rond de kerk')).toBeNull();
    expect(nameProblem('x'.repeat(121))).toEqual({ key: 'admin.drawNameTooLong', params: { max: 120 } });
  });
});

describe('what the exports form offers', () => {
  const areas = [
    { code: 'GM1999', name: 'Wijkdorp', kind: 'gemeente' },
    { code: 'WK199901', name: 'Centrum', kind: 'wijk' },
    { code: 'WK199902', name: 'Noord', kind: 'wijk' },
    { code: 'BU19990100', name: 'Kern', kind: 'buurt' },
    { code: 'BU19990200', name: 'Kern', kind: 'buurt' },
    { code: 'BU19990201', name: 'Haven', kind: 'buurt' },
  ];

  it('knows which areas lie in a scope', () => {
    expect(withinScope('BU19990100', 'all')).toBe(true);
    expect(withinScope('BU19990100', 'WK199901')).toBe(true);
    expect(withinScope('BU19990200', 'WK199901')).toBe(false);
    expect(withinScope('WK199901', 'BU19990100')).toBe(false);
    expect(withinScope('WK199901', 'GM1999')).toBe(true);
    expect(withinScope('BU19990100', 'polygon:3')).toBe(false);
    expect(parentCode('BU19990100')).toBe('WK199901');
    expect(parentCode('WK199901')).toBe('GM1999');
    expect(parentCode('GM1999')).toBeNull();
  });

  it('offers the areas in scope by name, a name that occurs twice with the area it lies in', () => {
    expect(areaChoices(areas, ['WK199901']).map((c) => c.code)).toEqual(['WK199901', 'BU19990100']);
    const all = areaChoices(areas, ['all']);
    expect(all.map((c) => c.code)).toEqual(['GM1999', 'WK199901', 'WK199902', 'BU19990201', 'BU19990100', 'BU19990200']);
    expect(all.find((c) => c.code === 'BU19990200')?.parent).toBe('Noord');
    expect(all.find((c) => c.code === 'BU19990201')?.parent).toBeNull();
    expect(areaChoices(areas, ['polygon:3'])).toEqual([]);
  });

  it('asks the server for the chosen area, type and format', () => {
    expect(exportPath({ area: 'WK199901', type: 'solar_panels', format: 'gpkg', contact: false })).toBe(
      '/api/exports/observations.gpkg?area=WK199901&type=solar_panels',
    );
    expect(exportPath({ area: 'BU19990100', type: 'roof', format: 'csv', contact: true })).toBe(
      '/api/exports/observations.csv?area=BU19990100&type=roof&contact=true',
    );
  });
});
