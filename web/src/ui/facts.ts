// Showing JSON objects the contract does not spell out field by field (audit events, retention
// rules, and what the account pages show of the registers): each field's label and each value in
// words from the catalogue (ui/words.ts), numbers and dates with Intl. Years and numbers that name
// rather than count are never grouped ("bouwjaar 2024", not "2.024").

import type { JsonObject, JsonValue } from '../api/http';
import { lang, t, type Lang } from '../i18n';
import { BOUWJAAR_UNKNOWN } from '../map/bouwjaar';
import { auditDetail, auditRef } from './auditWords';
import { h, type Child } from './element';
import { codeLabel, fieldLabel as fieldWord, formatArea, formatCount, formatDuration, formatPlain, locale } from './words';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date-time in the language's way (`26 nov 2026 23:20`), or null when `value` is none. */
export function formatDateTime(value: string, language: Lang = lang()): string | null {
  if (!ISO_DATE_TIME.test(value)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat(locale(language), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

/** A calendar date `YYYY-MM-DD` in the language's way (`30 jun 2027`); left as sent otherwise. */
export function formatDate(value: string, language: Lang = lang()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A date-time string for display; left as sent when it is not ISO 8601. */
export function showDateTime(value: string, language: Lang = lang()): string {
  return formatDateTime(value, language) ?? value;
}

/** Fields whose numbers name something (a year, a house number, an id): never grouped. */
const PLAIN_NUMBERS = new Set(['bouwjaar', 'huisnummer', 'id', 'observation_id', 'reporter', 'year']);

/** A number of field `field` in words: years plain, areas in m², durations in their unit. */
function formatNumberOf(field: string | undefined, n: number, language: Lang): string {
  switch (field) {
    case 'bouwjaar':
      return n === BOUWJAAR_UNKNOWN ? t('bouwjaar.unknown', {}, language) : formatPlain(n, language);
    case 'oppervlakte':
      return formatArea(n, language);
    case 'keep_days':
      return t('retention.keep', { duration: formatDuration(n * 86_400, language) }, language);
    case 'every_seconds':
      return t('retention.every', { duration: formatDuration(n, language) }, language);
    default:
      return field !== undefined && PLAIN_NUMBERS.has(field) ? formatPlain(n, language) : formatCount(n, language);
  }
}

/** One JSON value as text; `field` names the field it is the value of, for the right words. */
export function formatValue(value: JsonValue | undefined, language: Lang = lang(), field?: string): string {
  if (field === 'keep_days' && value === null) return t('retention.keepForever', {}, language);
  if (value === null || value === undefined || value === '') return t('facts.none', {}, language);
  if (typeof value === 'boolean') return t(value ? 'facts.yes' : 'facts.no', {}, language);
  if (typeof value === 'number') return formatNumberOf(field, value, language);
  if (typeof value === 'string') {
    const words =
      field === 'actor' || field === 'target'
        ? auditRef(value, language)
        : field === 'detail'
          ? auditDetail(value, language)
          : field !== undefined
            ? codeLabel(field, value, language)
            : null;
    return words ?? showDateTime(value, language);
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? t('facts.none', {}, language) : value.map((v) => formatValue(v, language, field)).join(', ');
  }
  const parts = Object.entries(value).map(([k, v]) => `${fieldLabel(k, language)}: ${formatValue(v, language, k)}`);
  return parts.length === 0 ? t('facts.none', {}, language) : parts.join('; ');
}

/** A field name as a label, from the catalogue (`woonplaats_naam` → `woonplaats`). */
export function fieldLabel(name: string, language: Lang = lang()): string {
  return fieldWord(name, language);
}

/** A definition list of an object's fields (skipping `omit`). */
export function factsList(object: JsonObject, omit: readonly string[] = []): HTMLDListElement {
  const dl = h('dl', { className: 'facts' });
  for (const [name, value] of Object.entries(object)) {
    if (omit.includes(name)) continue;
    dl.append(h('dt', { text: fieldLabel(name) }), h('dd', { text: formatValue(value, lang(), name) }));
  }
  return dl;
}

/**
 * Fields that read best first, in this order (the server's JSON objects come with their keys
 * sorted alphabetically, which puts `action` before `at` and `id` in the middle).
 */
const LEADING_FIELDS = ['id', 'at', 'created_at', 'observed_at', 'kind', 'type', 'actor', 'action', 'purpose', 'target', 'status'];

/** The columns of a table of objects: the leading fields present, then the rest as they appear. */
export function columnsOf(rows: readonly JsonObject[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  const leading = LEADING_FIELDS.filter((name) => seen.has(name));
  return [...leading, ...[...seen].filter((name) => !leading.includes(name))];
}

/**
 * A data table. Below 600 px pages.css shows each row as a card of "label: value" lines (from
 * `data-label`); the explicit roles keep it a table for screen readers when `display` changes.
 */
export function dataTable(headers: readonly string[], rows: ReadonlyArray<readonly Child[]>, rowHeader = false): HTMLTableElement {
  return h(
    'table',
    { className: 'data-table', attrs: { role: 'table' } },
    h(
      'thead',
      { attrs: { role: 'rowgroup' } },
      h('tr', { attrs: { role: 'row' } }, ...headers.map((text) => h('th', { text, attrs: { scope: 'col', role: 'columnheader' } }))),
    ),
    h(
      'tbody',
      { attrs: { role: 'rowgroup' } },
      ...rows.map((cells) =>
        h(
          'tr',
          { attrs: { role: 'row' } },
          ...cells.map((content, i) => {
            const label = headers[i] ?? '';
            return rowHeader && i === 0
              ? h('th', { attrs: { scope: 'row', role: 'rowheader', 'data-label': label } }, content)
              : h('td', { attrs: { role: 'cell', 'data-label': label } }, content);
          }),
        ),
      ),
    ),
  );
}

/** A table of objects in a horizontally scrolling, keyboard-reachable region. */
export function recordsTable(rows: readonly JsonObject[], label: string): HTMLElement {
  const columns = columnsOf(rows);
  const table = dataTable(
    columns.map((c) => fieldLabel(c)),
    rows.map((row) => columns.map((c) => formatValue(row[c], lang(), c))),
  );
  return scrollRegion(table, label);
}

/** Wraps a wide table so that it scrolls by itself (and by keyboard) on a narrow screen. */
export function scrollRegion(table: HTMLTableElement, label: string): HTMLElement {
  return h('div', { className: 'table-scroll', attrs: { role: 'region', 'aria-label': label, tabindex: '0' } }, table);
}
