// What can be reported where: the types that fit a target.
//
//   a building                    → the types about buildings (solar_panels, roof_suitability)
//   an address in it the signed-in
//   user verified by letter code  → the own-home types (gas_readiness), one per such address
//   a spot on the map             → the types about points (greenery_distress)

import type { Address } from '../api/client';
import type { ObservationType, ReportTarget, SimilarPlace } from '../api/reports';

/** An address of a building, as the details panel lists it. */
export interface TargetAddress {
  readonly id: string;
  readonly label: string;
}

/** Where the user wants to report. */
export type Target =
  | {
      readonly kind: 'building';
      readonly building: string;
      readonly addresses: readonly TargetAddress[];
      /** The street and number of each address, to name the building (ui/buildingName.ts). */
      readonly names: readonly Pick<Address, 'openbare_ruimte_naam' | 'huisnummer' | 'huisletter' | 'toevoeging'>[];
      /** WGS84 [lon, lat] of the building, to show it on the map. */
      readonly lonlat: readonly [number, number] | null;
    }
  | {
      readonly kind: 'spot';
      readonly lonlat: readonly [number, number];
      /** "Buurt Centrum (BU…)" when the spot lies in a known area. */
      readonly area: string | null;
    };

/** One thing the user can report here. */
export interface Choice {
  readonly type: ObservationType;
  readonly target: ReportTarget;
  /** The address an own-home report is about. */
  readonly address: TargetAddress | null;
}

/** The types that fit `target`, street-visible ones first, in the server's order otherwise. */
export function choicesFor(
  target: Target,
  types: readonly ObservationType[],
  verifiedAddresses: readonly string[] = [],
): Choice[] {
  if (target.kind === 'spot') {
    const point = { type: 'Point' as const, coordinates: [target.lonlat[0], target.lonlat[1]] as const };
    return types.filter((type) => type.targets.includes('point')).map((type) => ({ type, target: { point }, address: null }));
  }
  const verified = new Set(verifiedAddresses);
  const building: Choice[] = types
    .filter((type) => type.targets.includes('building') && !type.own_home_only)
    .map((type) => ({ type, target: { building: target.building }, address: null }));
  const addresses: Choice[] = types
    .filter((type) => type.targets.includes('address'))
    .flatMap((type) =>
      target.addresses
        .filter((a) => !type.own_home_only || verified.has(a.id))
        .map((address) => ({ type, target: { address: address.id }, address })),
    );
  const order = (c: Choice) => (c.type.visible_from_street ? 0 : 1);
  return [...building, ...addresses].sort((a, b) => order(a) - order(b));
}

/**
 * Whether to ask for a similar report before a new one: street-visible types about a point in
 * public space. About a building the server does it itself (a report like an open one becomes a
 * confirmation), as only those who may see a building's reports may ask.
 */
export function asksForSimilar(choice: Choice): boolean {
  return similarPlace(choice) !== null;
}

/** Where to look for a report to confirm instead: around the point in public space. */
export function similarPlace(choice: Choice): SimilarPlace | null {
  if (!choice.type.visible_from_street) return null;
  const target = choice.target;
  if ('point' in target && choice.type.public_space) {
    const [lon, lat] = target.point.coordinates;
    return { lonlat: [lon, lat] };
  }
  return null;
}
