// "Wie ziet deze melding?": the privacy note on every report form, written from what the server
// says about the type (`audience` of /api/observation-types, derived from its access policy in
// domain::access), never by hand per type:
//
//   public space     everyone sees it on the map (without the reporter's name or e-mail address)
//   about a home     the reporter; the residents who verified the building or the address it is
//                    about; the staff roles that may read each report, in their own area; admins;
//                    everyone else — the gemeente included — only counts per buurt
//
// A type from a server without `audience` gets no note rather than a guess.

import { ROLE_NAMES, type RoleName } from '../api/auth';
import type { ObservationType } from '../api/reports';
import { isMessageKey, lang, t, type Lang } from '../i18n';
import { roleLabel } from '../ui/labels';
import { listPhrase } from '../ui/words';

/** Staff roles whose scope is always everywhere (domain::access::Grant: an admin holds `all`). */
const EVERYWHERE = new Set(['admin']);

function roleWord(role: string, language: Lang): string {
  const key = `privacy.role.${role}`;
  return isMessageKey(key) ? t(key, {}, language) : roleLabel(role);
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** The sentences of the note for `type`, in `language`; null when the server does not say. */
export function privacySentences(type: Pick<ObservationType, 'audience'>, language: Lang = lang()): string[] | null {
  const audience = type.audience;
  if (!audience) return null;
  if (audience.public === 'allow') return [t('privacy.public', {}, language)];

  const readers = [t('privacy.you', {}, language)];
  if (audience.residents.includes('building')) readers.push(t('privacy.residents.building', {}, language));
  else if (audience.residents.includes('address')) readers.push(t('privacy.residents.address', {}, language));
  // Least to most privileged, as the policy lists them (the server sends them alphabetically).
  const rank = (role: string) => (ROLE_NAMES.includes(role as RoleName) ? ROLE_NAMES.indexOf(role as RoleName) : ROLE_NAMES.length);
  const roles = Object.entries(audience.roles).sort(([a], [b]) => rank(a) - rank(b));
  const inArea = roles.filter(([role, d]) => d === 'allow' && !EVERYWHERE.has(role) && role !== 'resident').map(([role]) => roleWord(role, language));
  if (inArea.length > 0) readers.push(t('privacy.inArea', { roles: listPhrase(inArea, language) }, language));
  if (roles.some(([role, d]) => d === 'allow' && EVERYWHERE.has(role))) readers.push(t('privacy.admins', {}, language));
  const sentences = [t('privacy.readers', { list: listPhrase(readers, language) }, language)];

  if (audience.public === 'aggregate') {
    const counted = roles.filter(([role, d]) => d === 'aggregate' && role !== 'resident').map(([role]) => roleWord(role, language));
    sentences.push(
      counted.length > 0
        ? t('privacy.counts', { who: capitalise(listPhrase([...counted, t('privacy.everyoneElse', {}, language)], language)) }, language)
        : t('privacy.countsOthers', {}, language),
    );
  } else {
    sentences.push(t('privacy.nobodyElse', {}, language));
  }
  return sentences;
}
