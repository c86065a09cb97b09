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

/** The name of a scope (a CBS area's, a drawn area's), when known. */
export type ScopeNamer = (scope: string) => string | undefined;

/**
 * "wijkondernemer in De Horst", "beheerder overal": the scope by its name. A drawn area whose name
 * is not known is "een eigen gebied"; a CBS code without a name (an area not in the data) is
 * shown as written.
 */
export function roleText(grant: RoleGrant, scopeName?: ScopeNamer): string {
  const role = roleLabel(grant.role);
  if (grant.scope === 'all') return `${role} ${t('scope.all')}`;
  const name = scopeName?.(grant.scope) ?? (grant.scope.startsWith('polygon:') ? t('scope.drawn') : grant.scope);
  return t('role.inScope', { role, scope: name });
}

/** Names scopes from the CBS areas (`code`, `name`) and drawn areas (`id`, `name`). */
export function scopeNamer(
  areas: readonly { readonly code: string; readonly name: string }[],
  drawn: readonly { readonly id: string | number; readonly name: string }[] = [],
): ScopeNamer {
  const names = new Map<string, string>();
  for (const a of areas) names.set(a.code, a.name);
  for (const d of drawn) names.set(`polygon:${d.id}`, d.name);
  return (scope) => names.get(scope);
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
