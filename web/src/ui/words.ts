// Numbers, years, durations, plurals and the register's codes as the language writes them: the
// one place that turns what the registers and the API send into words (the words themselves are in
// the catalogue, messages/registers.ts). A code without a word shows as sent with its underscores
// as spaces — readable, and caught by the tests that walk the screens.

import { isMessageKey, lang, t, type Lang, type MessageKey } from '../i18n';

/** The locale of a language for `Intl`. */
export function locale(language: Lang = lang()): string {
  return language === 'nl' ? 'nl-NL' : 'en-GB';
}

/** A count or a measure: `1.234` in Dutch, `1,234` in English. */
export function formatCount(n: number, language: Lang = lang(), maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale(language), { maximumFractionDigits }).format(n);
}

/** A measurement with exactly `decimals` decimals as the language writes it: `1,70`. */
export function formatFixed(n: number, decimals: number, language: Lang = lang()): string {
  return new Intl.NumberFormat(locale(language), { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(n);
}

/** A share in whole percent (0–100) as the language writes it: `23%`. */
export function formatPercent(percent: number, language: Lang = lang()): string {
  return new Intl.NumberFormat(locale(language), { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100);
}

/** A year, a house number or any other number that names rather than counts: never grouped. */
export function formatPlain(n: number, language: Lang = lang()): string {
  return new Intl.NumberFormat(locale(language), { useGrouping: false, maximumFractionDigits: 0 }).format(n);
}

/** `{base}.one` or `{base}.other` for `count`, filled with the formatted count and `params`. */
export function plural(base: string, count: number, params: Record<string, string | number> = {}, language: Lang = lang()): string {
  const form = new Intl.PluralRules(locale(language)).select(count) === 'one' ? 'one' : 'other';
  const key = `${base}.${form}`;
  if (!isMessageKey(key)) return `${formatCount(count, language)}`;
  return t(key, { count: formatCount(count, language), ...params }, language);
}

/** Items as one phrase: `a, b en c` / `a, b and c`. */
export function listPhrase(items: readonly string[], language: Lang = lang(), type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(locale(language), { style: 'long', type }).format(items);
}

const UNITS: readonly [seconds: number, base: string][] = [
  [86_400, 'duration.days'],
  [3_600, 'duration.hours'],
  [60, 'duration.minutes'],
  [1, 'duration.seconds'],
];

/** A duration in the largest unit that divides it: 3600 → "1 uur", 172800 → "2 dagen". */
export function formatDuration(seconds: number, language: Lang = lang()): string {
  const [unit, base] = UNITS.find(([unit]) => seconds >= unit && seconds % unit === 0) ?? [1, 'duration.seconds'];
  return plural(base, seconds / unit, {}, language);
}

/** A code as words when the catalogue has none: `more_than_20` → `more than 20`. */
export function readable(code: string): string {
  return code.replace(/_/g, ' ');
}

/** The catalogue's word for `key`, else `fallback`. */
function word(key: string, fallback: string, language: Lang): string {
  return isMessageKey(key) ? t(key, {}, language) : fallback;
}

/** A field name of the API's JSON as a label (`woonplaats_naam` → "woonplaats"). */
export function fieldLabel(name: string, language: Lang = lang()): string {
  return word(`field.${name}`, readable(name), language);
}

/** A BAG pand status in words ("Pand in gebruik" → "in gebruik"). */
export function buildingStatusLabel(status: string, language: Lang = lang()): string {
  return word(`bag.pand.${status}`, status, language);
}

/** A BAG verblijfsobject (or ligplaats, standplaats) status in words. */
export function addressStatusLabel(status: string, language: Lang = lang()): string {
  return word(`bag.vbo.${status}`, status, language);
}

/** BAG gebruiksdoelen (comma separated, as BAG writes them) in words: "wonen en winkel". */
export function usesLabel(gebruiksdoel: string | null | undefined, language: Lang = lang()): string | null {
  const uses = (gebruiksdoel ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (uses.length === 0) return null;
  return listPhrase(
    uses.map((u) => word(`use.${u}`, readable(u), language)),
    language,
  );
}

/** A floor area: "82 m²". */
export function formatArea(m2: number, language: Lang = lang()): string {
  return t('unit.m2', { value: formatCount(m2, language) }, language);
}

/**
 * A value of a field the API sends as a code, in words: statuses (BAG, observations, contests),
 * gebruiksdoel, source, what an observation is about, audit actions, retention rules, purposes.
 * Null when `field` is not such a field or the value is unknown.
 */
export function codeLabel(field: string, value: string, language: Lang = lang()): string | null {
  const candidates: Record<string, readonly string[]> = {
    status: [`bag.pand.${value}`, `bag.vbo.${value}`, `status.${value}`, `contest.status.${value}`],
    source: [`source.${value}`],
    about: [`about.${value}`],
    action: [`audit.action.${value}`],
    kind: [`retention.kind.${value}`],
    purpose: [`purpose.${value}`],
    role: [`role.${value}`],
  };
  if (field === 'gebruiksdoel') return usesLabel(value, language);
  for (const key of candidates[field] ?? []) {
    if (isMessageKey(key)) return t(key as MessageKey, {}, language);
  }
  return null;
}
