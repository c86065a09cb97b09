// Who may see the reports about a building, as the map page can tell before asking: the same
// decision the server makes for `GET /api/buildings/{id}/timeline`, so that the page asks only
// when the answer is not a 403. The roles come from the session (`user.roles` with their scopes),
// the policy from the types (`audience`, which the server derives from its access policy): a
// staff role that may read each report of some type about homes, in a scope holding the building;
// or a resident who verified one of the building's addresses with a letter code.

import type { Session } from '../api/auth';
import type { BuildingProperties } from '../api/client';
import type { ObservationType } from '../api/reports';

/** The roles whose grants let them read each report about homes of some type, per the server. */
export function rolesReadingHomes(types: readonly ObservationType[]): Set<string> {
  const roles = new Set<string>();
  for (const type of types) {
    if (type.public_space || !type.audience) continue;
    for (const [role, decision] of Object.entries(type.audience.roles)) if (decision === 'allow') roles.add(role);
  }
  return roles;
}

/**
 * Whether `scope` holds the building: `all`, or the CBS gemeente, wijk or buurt it lies in. A drawn
 * area (`polygon:{id}`) cannot be decided here: the server decides (and may say no).
 */
export function scopeHolds(scope: string, building: Pick<BuildingProperties, 'buurtcode' | 'wijkcode' | 'gemeentecode'>): boolean {
  if (scope === 'all' || scope.startsWith('polygon:')) return true;
  return [building.gemeentecode, building.wijkcode, building.buurtcode].includes(scope);
}

/** May the signed-in user of `session` read the reports about `building`? */
export function mayReadBuildingReports(
  session: Session | null,
  building: Pick<BuildingProperties, 'buurtcode' | 'wijkcode' | 'gemeentecode' | 'adressen'>,
  types: readonly ObservationType[],
): boolean {
  const user = session?.user;
  if (!user) return false;
  const verified = new Set(user.verified_addresses ?? []);
  if (building.adressen.some((a) => verified.has(a.identificatie))) return true;
  const roles = rolesReadingHomes(types);
  return user.roles.some((grant) => roles.has(grant.role) && scopeHolds(grant.scope, building));
}
