// Catalogue keys of the API's enumerations, typed so that a missing translation fails to compile.

import type { ConsentPurpose, Purpose } from '../api/account';
import type { RoleGrant, RoleName } from '../api/auth';
import { t, type MessageKey } from '../i18n';

const ROLE_KEYS: Record<RoleName, MessageKey> = {
  resident: 'role.resident',
  volunteer: 'role.volunteer',
  communitybuilder: 'role.communitybuilder',
  wijkondernemer: 'role.wijkondernemer',
  gemeente: 'role.gemeente',
  partner: 'role.partner',
  admin: 'role.admin',
};

const PURPOSE_KEYS: Record<ConsentPurpose, MessageKey> = {
  canvassing: 'purpose.canvassing',
  contact: 'purpose.contact',
  research: 'purpose.research',
  talent: 'purpose.talent',
};

const OPT_OUT_KEYS: Record<Purpose, MessageKey> = {
  canvassing: 'optout.canvassing',
  contact: 'optout.contact',
  research: 'optout.research',
};

/** A role's name; an unknown role (a newer server) shows as sent. */
export function roleKey(role: string): MessageKey | null {
  return Object.hasOwn(ROLE_KEYS, role) ? ROLE_KEYS[role as RoleName] : null;
}

export function roleLabel(role: string): string {
  const key = roleKey(role);
  return key ? t(key) : role;
}

/** "wijkondernemer in WK199901", "beheerder overal". */
export function roleText(grant: RoleGrant): string {
  const role = roleLabel(grant.role);
  return grant.scope === 'all' ? `${role} ${t('scope.all')}` : t('role.inScope', { role, scope: grant.scope });
}

export function purposeKey(purpose: ConsentPurpose): MessageKey {
  return PURPOSE_KEYS[purpose];
}

export function purposeLabel(purpose: ConsentPurpose): string {
  return t(PURPOSE_KEYS[purpose]);
}

export function optOutKey(purpose: Purpose): MessageKey {
  return OPT_OUT_KEYS[purpose];
}
