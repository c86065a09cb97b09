// Who may see a building's reports, decided before asking (report/access.ts).
import { describe, expect, it } from 'vitest';
import type { RoleGrant, Session } from '../../src/api/auth';
import type { ObservationType } from '../../src/api/reports';
import { mayReadBuildingReports, rolesReadingHomes } from '../../src/report/access';

const homes = { volunteer: 'allow', communitybuilder: 'allow', wijkondernemer: 'allow', gemeente: 'aggregate', admin: 'allow' } as const;
const TYPES = [
  { name: 'solar_panels', public_space: false, audience: { public: 'aggregate', roles: homes, residents: ['building'] } },
  { name: 'greenery_distress', public_space: true, audience: { public: 'allow', roles: { gemeente: 'allow' }, residents: [] } },
] as unknown as ObservationType[];

const BUILDING = {
  buurtcode: 'BU19990100',
  wijkcode: 'WK199901',
  gemeentecode: 'GM1999',
  adressen: [{ identificatie: '1999010000000001' }, { identificatie: '1999010000000002' }],
} as Parameters<typeof mayReadBuildingReports>[1];

const session = (roles: RoleGrant[], verified: string[] = []): Session => ({
  signed_in: true,
  csrf: 'c',
  device: false,
  user: { id: 1, email: 'x@y.test', display_name: null, roles, totp_enabled: false, verified_addresses: verified },
});

describe('who may see the reports about a building', () => {
  it('takes the roles from the types, not from public-space ones', () => {
    expect([...rolesReadingHomes(TYPES)].sort()).toEqual(['admin', 'communitybuilder', 'volunteer', 'wijkondernemer']);
  });

  it('staff in an area that holds the building, admins, and its verified residents', () => {
    expect(mayReadBuildingReports(session([{ role: 'wijkondernemer', scope: 'WK199901' }]), BUILDING, TYPES)).toBe(true);
    expect(mayReadBuildingReports(session([{ role: 'volunteer', scope: 'BU19990100' }]), BUILDING, TYPES)).toBe(true);
    expect(mayReadBuildingReports(session([{ role: 'admin', scope: 'all' }]), BUILDING, TYPES)).toBe(true);
    expect(mayReadBuildingReports(session([{ role: 'resident', scope: 'all' }], ['1999010000000002']), BUILDING, TYPES)).toBe(true);
  });

  it('nobody else: no 403 to be had', () => {
    expect(mayReadBuildingReports(null, BUILDING, TYPES)).toBe(false);
    expect(mayReadBuildingReports({ signed_in: false, csrf: 'c', device: true, user: null }, BUILDING, TYPES)).toBe(false);
    expect(mayReadBuildingReports(session([{ role: 'resident', scope: 'all' }]), BUILDING, TYPES)).toBe(false);
    expect(mayReadBuildingReports(session([{ role: 'resident', scope: 'all' }], ['1999010000000009']), BUILDING, TYPES)).toBe(false);
    expect(mayReadBuildingReports(session([{ role: 'gemeente', scope: 'GM1999' }]), BUILDING, TYPES)).toBe(false);
    expect(mayReadBuildingReports(session([{ role: 'wijkondernemer', scope: 'WK199902' }]), BUILDING, TYPES)).toBe(false);
  });

  it('leaves a drawn area to the server', () => {
    expect(mayReadBuildingReports(session([{ role: 'volunteer', scope: 'polygon:3' }]), BUILDING, TYPES)).toBe(true);
  });
});
