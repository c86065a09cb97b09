// The audit log in words: who acted and what on (`user:12`, `address:0363…`, `cli`), and the
// details the server writes in its own short form ("password", "3 events", "csv of solar_panels:
// 3 rows, 0 left out by opt-outs", "volunteer@WK199901", "merge into observation:12"). Each known
// form has its words in the catalogue (messages/registers.ts); one this page does not know is
// shown as sent.

import { lang, t, type Lang, type MessageKey } from '../i18n';
import { roleKey } from './labels';
import { formatCount, formatPlain, readable } from './words';

/** Names the audit log reads its codes with: observation types by title, areas by name. */
export interface AuditNames {
  readonly typeTitle: (name: string, language: Lang) => string | undefined;
  readonly areaName: (scope: string) => string | undefined;
}

let names: AuditNames = { typeTitle: () => undefined, areaName: () => undefined };

/** The names to read codes with (the page loads the types and areas, then calls this). */
export function useAuditNames(n: AuditNames): void {
  names = n;
}

/** An area code or scope by its name, else as written. */
function areaOf(code: string): string {
  return names.areaName(code) ?? code;
}

const REF_KINDS = ['user', 'device', 'address', 'observation', 'observations', 'type', 'letters', 'area', 'polygon', 'ogc'] as const;

/** An actor or target of an audit event in words; null when it is no known form. */
export function auditRef(value: string, language: Lang = lang()): string | null {
  if (value === 'cli') return t('audit.ref.cli', {}, language);
  if (value === 'system') return t('audit.ref.system', {}, language);
  const anonymous = /^anonymous@(.+)$/.exec(value);
  if (anonymous) return t('audit.ref.anonymous', { id: anonymous[1] ?? '' }, language);
  const m = /^([a-z]+):(.+)$/.exec(value);
  const kind = REF_KINDS.find((k) => k === m?.[1]);
  if (!m || !kind) return null;
  const id = m[2] ?? '';
  // Areas by their names: "meldingen in Kerkebuurt", a drawn area by the name it was given.
  const named =
    kind === 'observations' || kind === 'area' || kind === 'letters'
      ? areaOf(id)
      : kind === 'polygon'
        ? (names.areaName(`polygon:${id}`) ?? id)
        : kind === 'type'
          ? (names.typeTitle(id, language) ?? id)
          : id;
  return t(`audit.ref.${kind}` as MessageKey, { id: named }, language);
}

/** "volunteer@WK199901,admin@all" in words: "vrijwilliger in WK199901, beheerder overal". */
function grants(text: string, language: Lang): string | null {
  const parts = text.split(',').map((g) => /^([a-z]+)@(\S+)$/.exec(g));
  if (parts.length === 0 || parts.some((p) => !p || !roleKey(p[1] ?? ''))) return null;
  return parts
    .map((p) => {
      const role = t(roleKey(p?.[1] ?? '') as MessageKey, {}, language);
      const scope = p?.[2] ?? '';
      return scope === 'all' ? `${role} ${t('scope.all', {}, language)}` : t('role.inScope', { role, scope: areaOf(scope) }, language);
    })
    .join(', ');
}

const SIMPLE: Readonly<Record<string, MessageKey>> = {
  password: 'audit.detail.password',
  email: 'audit.detail.email',
  totp: 'audit.detail.totp',
  'email code': 'audit.detail.emailCode',
  'email code for a staff account': 'audit.detail.emailCodeStaff',
  'replaces the previous authenticator': 'audit.detail.totpReplaced',
  canvassing: 'purpose.canvassing',
  contact: 'purpose.contact',
  research: 'purpose.research',
  // Moderation.
  hide: 'audit.detail.hide',
  unhide: 'audit.detail.unhide',
  resolve: 'audit.detail.resolve',
  reject: 'audit.detail.reject',
  release: 'audit.detail.release',
};

/** The detail of an audit event in words; null when it is no known form. */
export function auditDetail(detail: string, language: Lang = lang()): string | null {
  const simple = SIMPLE[detail];
  if (simple) return t(simple, {}, language);
  const n = (s: string | undefined) => formatCount(Number(s), language);
  let m = /^(\d+) (events|sessions|accounts)$/.exec(detail);
  if (m) return t(`audit.detail.${m[2]}` as MessageKey, { count: n(m[1]) }, language);
  m = /^version (\d+)$/.exec(detail);
  if (m) return t('audit.detail.version', { n: formatPlain(Number(m[1]), language) }, language);
  m = /^(\d+) of (\d+)$/.exec(detail);
  if (m) return t('audit.detail.ofTotal', { n: n(m[1]), total: n(m[2]) }, language);
  m = /^(\d+) letters, (\w+)$/.exec(detail);
  if (m) return t('audit.detail.letters', { count: n(m[1]), format: (m[2] ?? '').toUpperCase() }, language);
  m = /^(\w+) of ([\w-]+): (\d+) rows, (\d+) left out by opt-outs(?:, contact details in (\d+) rows)?$/.exec(detail);
  if (m) {
    const text = t('audit.detail.export', { format: (m[1] ?? '').toUpperCase(), type: names.typeTitle(m[2] ?? '', language) ?? readable(m[2] ?? ''), rows: n(m[3]), optedOut: n(m[4]) }, language);
    return m[5] === undefined ? text : `${text}, ${t('audit.detail.exportContact', { count: n(m[5]) }, language)}`;
  }
  m = /^(merge|split) into (\S+)$/.exec(detail);
  if (m) return t(`audit.detail.${m[1]}` as MessageKey, { into: auditRef(m[2] ?? '', language) ?? m[2] ?? '' }, language);
  m = /^(\d+) (canvassing|contact|research)$/.exec(detail);
  if (m) return `${n(m[1])} · ${t(SIMPLE[m[2] ?? ''] ?? 'purpose.contact', {}, language)}`;
  // A contest names the address it is about as its detail.
  return auditRef(detail, language) ?? grants(detail, language);
}
