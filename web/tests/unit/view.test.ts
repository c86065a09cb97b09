import { describe, expect, it } from 'vitest';
import { geometryBbox, viewBbox } from '../../src/map/extent';
import { panelPadding } from '../../src/map/padding';
import { initialView, NETHERLANDS_VIEW } from '../../src/map/view';
import { addressLabel } from '../../src/ui/address';

describe('initialView', () => {
  it('fits the TileJSON bounds', () => {
    expect(initialView({ bounds: [6.1, 52.0, 6.2, 52.1], center: [6.15, 52.05, 15] })).toEqual({
      kind: 'bounds',
      bounds: [
        [6.1, 52.0],
        [6.2, 52.1],
      ],
    });
  });

  it('falls back to the centre when the bounds are the whole world or broken', () => {
    expect(initialView({ bounds: [-180, -85.05, 180, 85.05], center: [6.15, 52.05, 15] })).toEqual({
      kind: 'center',
      center: [6.15, 52.05],
      zoom: 15,
    });
    expect(initialView({ bounds: [6.2, 52.0, 6.1, 52.1], center: [6.15, 52.05] })).toMatchObject({ kind: 'center', zoom: 14 });
  });

  it('falls back to the Netherlands without anything usable', () => {
    expect(initialView(null)).toBe(NETHERLANDS_VIEW);
    expect(initialView({})).toBe(NETHERLANDS_VIEW);
  });
});

describe('extent', () => {
  it('boxes points, polygons and multipolygons', () => {
    expect(geometryBbox({ type: 'Point', coordinates: [6, 52] })).toEqual([6, 52, 6, 52]);
    expect(
      geometryBbox({
        type: 'MultiPolygon',
        coordinates: [
          [[[6, 52], [6.2, 52], [6.2, 52.1], [6, 52]]],
          [[[5.9, 51.9], [6, 51.9], [6, 52], [5.9, 51.9]]],
        ],
      }),
    ).toEqual([5.9, 51.9, 6.2, 52.1]);
    expect(geometryBbox({ type: 'Polygon', coordinates: [] })).toBeNull();
    expect(geometryBbox(null)).toBeNull();
  });

  it('clamps and rounds the view box for the bbox parameter', () => {
    const bounds = { getWest: () => -200, getSouth: () => 52.0000049, getEast: () => 6.123456, getNorth: () => 95 };
    expect(viewBbox(bounds)).toEqual([-180, 52, 6.12346, 90]);
  });
});

describe('addressLabel', () => {
  it('writes an address as the server label does', () => {
    const base = { openbare_ruimte_naam: "'s-Gravenweg", huisnummer: 12, woonplaats_naam: 'Doesburg' };
    expect(addressLabel({ ...base, huisletter: 'A', toevoeging: '2', postcode: '6981AB' })).toBe("'s-Gravenweg 12A-2, 6981AB Doesburg");
    expect(addressLabel({ ...base, huisletter: null, toevoeging: null, postcode: null })).toBe("'s-Gravenweg 12, Doesburg");
  });
});

describe('panelPadding', () => {
  const map = { top: 50, left: 0, right: 1000, bottom: 850, width: 1000, height: 800 };

  it('keeps clear of a side panel on the right and the left', () => {
    const right = { top: 60, left: 640, right: 990, bottom: 600, width: 350, height: 540 };
    const left = { top: 60, left: 10, right: 330, bottom: 600, width: 320, height: 540 };
    expect(panelPadding(map, [right])).toEqual({ top: 40, right: 400, bottom: 40, left: 40 });
    expect(panelPadding(map, [left])).toMatchObject({ left: 370 });
  });

  it('keeps above a bottom sheet', () => {
    const sheet = { top: 450, left: 0, right: 1000, bottom: 850, width: 1000, height: 400 };
    expect(panelPadding(map, [sheet])).toEqual({ top: 40, right: 40, bottom: 440, left: 40 });
  });

  it('never pads away more than 60% of the map', () => {
    const right = { top: 60, left: 300, right: 990, bottom: 600, width: 690, height: 540 };
    const left = { top: 60, left: 10, right: 600, bottom: 600, width: 590, height: 540 };
    const p = panelPadding(map, [right, left]);
    expect(p.left + p.right).toBeLessThanOrEqual(600);
  });

  it('ignores hidden panels', () => {
    expect(panelPadding(map, [{ top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0 }])).toEqual({
      top: 40,
      right: 40,
      bottom: 40,
      left: 40,
    });
  });
});
