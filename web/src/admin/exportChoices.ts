// What the exports form offers (GET /api/exports/observations.{csv,geojson,gpkg}?area=&type=&contact=):
// the CBS areas inside the caller's export scopes, by name (a name that occurs twice gets its wijk
// or gemeente), and the request a choice makes. Pure, so it is unit tested.

import type { Area } from '../api/admin';

export type ExportFormat = 'csv' | 'geojson' | 'gpkg';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'geojson', 'gpkg'];

/** What the server answers with, per format. */
export const EXPORT_ACCEPT: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv',
  geojson: 'application/geo+json',
  gpkg: 'application/geopackage+sqlite3',
};

const KIND_RANK: Readonly<Record<string, number>> = { gemeente: 0, wijk: 1, buurt: 2 };
const PREFIX: Readonly<Record<string, string>> = { GM: 'gemeente', WK: 'wijk', BU: 'buurt' };

function parts(code: string): { kind: string; digits: string } | null {
  const m = /^(GM|WK|BU)(\d+)$/.exec(code);
  return m ? { kind: PREFIX[m[1]!]!, digits: m[2]! } : null;
}

/** Whether CBS area `code` lies inside `scope` (`all`, or a CBS code); drawn areas hold no CBS area whole. */
export function withinScope(code: string, scope: string): boolean {
  if (scope === 'all') return true;
  const a = parts(code);
  const s = parts(scope);
  if (!a || !s) return false;
  return KIND_RANK[a.kind]! >= KIND_RANK[s.kind]! && a.digits.startsWith(s.digits);
}

/** The code of the area `code` lies in (a buurt's wijk, a wijk's gemeente), or null. */
export function parentCode(code: string): string | null {
  const p = parts(code);
  if (!p) return null;
  if (p.kind === 'buurt') return `WK${p.digits.slice(0, 6)}`;
  if (p.kind === 'wijk') return `GM${p.digits.slice(0, 4)}`;
  return null;
}

export interface AreaChoice {
  readonly code: string;
  readonly kind: 'gemeente' | 'wijk' | 'buurt';
  readonly name: string;
  /** The name of the area it lies in, when its own name is not unique among its kind. */
  readonly parent: string | null;
}

/** The areas inside any of `scopes`, grouped by kind (gemeenten, wijken, buurten), by name. */
export function areaChoices(areas: readonly Area[], scopes: readonly string[]): AreaChoice[] {
  const names = new Map(areas.map((a) => [a.code, a.name]));
  const inScope = areas.filter((a) => a.kind in KIND_RANK && scopes.some((s) => withinScope(a.code, s)));
  const count = new Map<string, number>();
  for (const a of inScope) count.set(`${a.kind}\u0000${a.name}`, (count.get(`${a.kind}\u0000${a.name}`) ?? 0) + 1);
  return inScope
    .map((a): AreaChoice => {
      const twice = (count.get(`${a.kind}\u0000${a.name}`) ?? 0) > 1;
      const parent = parentCode(a.code);
      return { code: a.code, kind: a.kind as AreaChoice['kind'], name: a.name, parent: twice && parent ? (names.get(parent) ?? null) : null };
    })
    .sort((x, y) => KIND_RANK[x.kind]! - KIND_RANK[y.kind]! || x.name.localeCompare(y.name, 'nl') || (x.parent ?? '').localeCompare(y.parent ?? '', 'nl'));
}

/** The request of an export. */
export function exportPath(choice: { area: string; type: string; format: ExportFormat; contact: boolean }): string {
  const q = new URLSearchParams({ area: choice.area, type: choice.type });
  if (choice.contact) q.set('contact', 'true');
  return `/api/exports/observations.${choice.format}?${q.toString()}`;
}
