// The first view of the map, fitted to the data the server holds (TileJSON `bounds`, else `center`).

import type { TileJson } from '../api/client';

/** Where the map starts. */
export type InitialView =
  | { readonly kind: 'bounds'; readonly bounds: [[number, number], [number, number]] }
  | { readonly kind: 'center'; readonly center: [number, number]; readonly zoom: number };

/** The Netherlands, for when the server gives nothing usable. */
export const NETHERLANDS_VIEW: InitialView = { kind: 'center', center: [5.29, 52.13], zoom: 7 };

const WORLD_SPAN_DEGREES = 300;

function finite(values: readonly unknown[]): values is number[] {
  return values.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/**
 * The initial view for a TileJSON. Bounds win when they are a real box smaller than the world
 * (a server with no data may answer the whole world); then `center` (`[lon, lat, zoom]`).
 */
export function initialView(tileJson: Pick<TileJson, 'bounds' | 'center'> | null | undefined): InitialView {
  const b = tileJson?.bounds;
  if (b && b.length === 4 && finite(b)) {
    const [west, south, east, north] = b as [number, number, number, number];
    const real = west >= -180 && east <= 180 && south >= -90 && north <= 90 && west <= east && south <= north;
    if (real && east - west < WORLD_SPAN_DEGREES) {
      return { kind: 'bounds', bounds: [[west, south], [east, north]] };
    }
  }
  const c = tileJson?.center;
  if (c && c.length >= 2 && finite(c)) {
    const [lon, lat, zoom] = c as [number, number, number?];
    if (Math.abs(lon) <= 180 && Math.abs(lat) <= 90) {
      return { kind: 'center', center: [lon, lat], zoom: zoom ?? 14 };
    }
  }
  return NETHERLANDS_VIEW;
}
