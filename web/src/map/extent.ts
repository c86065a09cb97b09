// Bounding boxes of GeoJSON geometries and of the map view, in WGS84 lon/lat.

import type { Bbox } from '../api/client';

type Coordinates = number | Coordinates[];

interface GeometryLike {
  readonly type: string;
  readonly coordinates?: unknown;
}

function visit(coords: unknown, box: [number, number, number, number]): void {
  if (!Array.isArray(coords)) return;
  if (coords.length >= 2 && typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const [x, y] = coords as [number, number];
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
    return;
  }
  for (const c of coords as Coordinates[]) visit(c, box);
}

/** `[west, south, east, north]` of a Point, Polygon, MultiPolygon, …; null when it has no coordinates. */
export function geometryBbox(geometry: GeometryLike | null | undefined): [number, number, number, number] | null {
  if (!geometry) return null;
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  visit(geometry.coordinates, box);
  return Number.isFinite(box[0]) ? box : null;
}

/** The view's box clamped to valid WGS84 and rounded to ~1 m, for the `bbox` query parameter. */
export function viewBbox(bounds: { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number }): Bbox {
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return [
    round(Math.max(-180, bounds.getWest())),
    round(Math.max(-90, bounds.getSouth())),
    round(Math.min(180, bounds.getEast())),
    round(Math.min(90, bounds.getNorth())),
  ];
}
