// The outline of an area an admin draws (POST /api/admin/custom-areas): points in WGS84 lon/lat,
// clicked on the map or typed/pasted (one "lengtegraad, breedtegraad" a line, or GeoJSON), checked
// before they are sent so that a mistake gets a sentence from the catalogue, never the server's
// English. Pure, so it is unit tested.

import type { MessageKey } from '../i18n';

export type LonLat = readonly [number, number];

/** What is wrong with an outline, as a catalogue message. */
export interface DrawProblem {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

export type Parsed = { readonly points: LonLat[] } | { readonly problem: DrawProblem };

/** The longest name the server takes. */
export const NAME_MAX = 120;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function same(a: LonLat, b: LonLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** The points without repeats in a row and without the closing point. */
export function openRing(points: readonly LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || !same(last, p)) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && same(first, last)) out.pop();
  return out;
}

function checkRange(lon: number, lat: number, line: number): DrawProblem | null {
  // Metres (RD New, Web Mercator) instead of degrees: the most likely paste from GIS software.
  if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) return { key: 'admin.drawMetres', params: { line } };
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return { key: 'admin.drawOutOfRange', params: { line } };
  return null;
}

/** One line of text as a point: "5.12, 52.09", "5.12 52.09" or with decimal commas "5,12 52,09". */
function parseLine(text: string): LonLat | null {
  const line = text.trim();
  const dutch = /^([-+]?\d+,\d+)\s+([-+]?\d+,\d+)$/.exec(line);
  const parts = dutch ? [dutch[1]!.replace(',', '.'), dutch[2]!.replace(',', '.')] : line.split(/\s*[,;\s]\s*/);
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) return null;
  return [Number(parts[0]), Number(parts[1])];
}

function fromJson(value: unknown): Parsed {
  if (!value || typeof value !== 'object') return { problem: { key: 'admin.drawNotPolygon' } };
  const o = value as { type?: unknown; geometry?: unknown; features?: unknown; coordinates?: unknown };
  if (o.type === 'FeatureCollection') {
    const features = Array.isArray(o.features) ? o.features : [];
    if (features.length !== 1) return { problem: { key: 'admin.drawOnePolygon' } };
    return fromJson(features[0]);
  }
  if (o.type === 'Feature') return fromJson(o.geometry);
  let ring: unknown;
  if (o.type === 'Polygon' && Array.isArray(o.coordinates)) {
    if (o.coordinates.length !== 1) return { problem: { key: 'admin.drawNoHoles' } };
    ring = o.coordinates[0];
  } else if (o.type === 'MultiPolygon' && Array.isArray(o.coordinates)) {
    if (o.coordinates.length !== 1) return { problem: { key: 'admin.drawOnePolygon' } };
    const polygon: unknown = o.coordinates[0];
    if (!Array.isArray(polygon) || polygon.length !== 1) return { problem: { key: 'admin.drawNoHoles' } };
    ring = polygon[0];
  } else {
    return { problem: { key: 'admin.drawNotPolygon' } };
  }
  if (!Array.isArray(ring)) return { problem: { key: 'admin.drawNotPolygon' } };
  const points: LonLat[] = [];
  for (const [i, position] of ring.entries()) {
    if (!Array.isArray(position) || position.length < 2 || typeof position[0] !== 'number' || typeof position[1] !== 'number') {
      return { problem: { key: 'admin.drawBadPosition', params: { n: i + 1 } } };
    }
    const problem = checkRange(position[0], position[1], i + 1);
    if (problem) return { problem: { key: 'admin.drawBadPositionRange', params: { n: i + 1 } } };
    points.push([position[0], position[1]]);
  }
  return { points: openRing(points) };
}

/**
 * The points of typed or pasted text: GeoJSON (a Polygon, a MultiPolygon of one polygon, or a
 * Feature or FeatureCollection of one), or one point a line, longitude first.
 */
export function parseCoordinates(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: { key: 'admin.drawEmpty' } };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return fromJson(JSON.parse(trimmed));
    } catch {
      return { problem: { key: 'admin.drawJsonInvalid' } };
    }
  }
  const points: LonLat[] = [];
  const lines = trimmed.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const point = parseLine(raw);
    if (!point) return { problem: { key: 'admin.drawBadLine', params: { line: i + 1 } } };
    const problem = checkRange(point[0], point[1], i + 1);
    if (problem) return { problem };
    points.push(point);
  }
  return { points: openRing(points) };
}

function cross(o: LonLat, a: LonLat, b: LonLat): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Whether segments ab and cd share a point (touching included). */
function intersects(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (p: LonLat, q: LonLat, r: LonLat) =>
    Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (d1 === 0 && on(c, d, a)) || (d2 === 0 && on(c, d, b)) || (d3 === 0 && on(a, b, c)) || (d4 === 0 && on(a, b, d));
}

/** Twice the signed area (positive: counter-clockwise). */
function signedArea(points: readonly LonLat[]): number {
  let sum = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length]!;
    sum += p[0] * q[1] - q[0] * p[1];
  });
  return sum;
}

/** What keeps `points` (an open ring) from being an area, or null when it is one. */
export function ringProblem(points: readonly LonLat[]): DrawProblem | null {
  const ring = openRing(points);
  if (ring.length < 3) return { key: 'admin.drawTooFew', params: { count: ring.length } };
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Neighbouring edges share a corner; that is no crossing.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (intersects(ring[i]!, ring[(i + 1) % n]!, ring[j]!, ring[(j + 1) % n]!)) return { key: 'admin.drawCrosses' };
    }
  }
  if (Math.abs(signedArea(ring)) < 1e-12) return { key: 'admin.drawFlat' };
  return null;
}

/** A GeoJSON Polygon of an open ring: closed, counter-clockwise (RFC 7946). */
export function toPolygon(points: readonly LonLat[]): { type: 'Polygon'; coordinates: [number, number][][] } {
  const ring = openRing(points).map((p): [number, number] => [p[0], p[1]]);
  if (signedArea(ring) < 0) ring.reverse();
  const first = ring[0];
  return { type: 'Polygon', coordinates: [first ? [...ring, [first[0], first[1]]] : ring] };
}

/** The points as text, one "lengtegraad, breedtegraad" a line (what parseCoordinates reads). */
export function formatPoints(points: readonly LonLat[]): string {
  return points.map((p) => `${p[0].toFixed(6)}, ${p[1].toFixed(6)}`).join('\n');
}

/** What is wrong with a name, or null. */
export function nameProblem(name: string): DrawProblem | null {
  const trimmed = name.trim();
  if (trimmed === '') return { key: 'form.required' };
  if ([...trimmed].length > NAME_MAX) return { key: 'admin.drawNameTooLong', params: { max: NAME_MAX } };
  return null;
}
