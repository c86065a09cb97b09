// Words for what the reports API sends as codes: a type's title and question (the server's own
// Dutch and English), a field's title (the schema's "Dutch / English"), answer values, statuses and
// status classes (the catalogue, messages/report.ts). An unknown code shows as sent, readable.

import type { ObservationType, TypeText } from '../api/reports';
import { isMessageKey, lang, t, type Lang } from '../i18n';

/** The text of a definition in the current language. */
export function typeText(text: TypeText, language: Lang = lang()): string {
  return text[language] || text.nl;
}

/** A code as words: `more_than_20` → `more than 20`. */
export function readable(code: string): string {
  return code.replace(/_/g, ' ');
}

/**
 * A schema title written "Dutch / English" in the current language; a title without the slash is
 * the same in both, and a field without a title shows its name.
 */
export function fieldTitle(title: string | undefined, name: string, language: Lang = lang()): string {
  if (!title?.trim()) return readable(name);
  const parts = title.split(' / ');
  if (parts.length < 2) return title.trim();
  const [nl, ...rest] = parts;
  return (language === 'en' ? rest.join(' / ') : (nl ?? '')).trim() || title.trim();
}

/** The label of an answer value: the field's own word for it, else the common word, else the code. */
export function answerLabel(type: string, field: string, value: string): string {
  for (const key of [`value.${type}.${field}.${value}`, `value.${value}`]) {
    if (isMessageKey(key)) return t(key);
  }
  return readable(value);
}

/** A report's status (new, confirmed, withdrawn, …). */
export function statusLabel(status: string): string {
  const key = `status.${status}`;
  return isMessageKey(key) ? t(key) : readable(status);
}

/** A status class as the map colours it (panels_seen, dying, …). */
export function statusClassLabel(statusClass: string): string {
  const key = `statusClass.${statusClass}`;
  return isMessageKey(key) ? t(key) : readable(statusClass);
}

/** The answer that decides the status class, as words (e.g. "ja" for panels = yes). */
export function statusAnswer(type: ObservationType | undefined, answers: Readonly<Record<string, unknown>>, statusClass: string): string {
  const value = type ? answers[type.status_field] : undefined;
  return type && typeof value === 'string' ? answerLabel(type.name, type.status_field, value) : statusClassLabel(statusClass);
}

/** A date (RFC 3339) as the language writes it, day and time. */
export function formatDate(iso: string, language: Lang = lang()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}
