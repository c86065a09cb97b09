// Scopes of roles and letters: `all`, a CBS code (`GM1999`, `WK199901`, `BU19990102`) or
// `polygon:{id}` (docs/accounts-api.md). The server decides; this catches typing errors early and
// offers the known areas as suggestions.

import type { Area, CustomArea } from '../api/admin';
import { t } from '../i18n';
import { h } from '../ui/element';

const CBS_CODE = /^(GM\d{4}|WK\d{6}|BU\d{8})$/;
const SCOPE = /^(all|GM\d{4}|WK\d{6}|BU\d{8}|polygon:\d+)$/;

/** A scope as typed, tidied: trimmed, CBS codes upper case. */
export function normaliseScope(value: string): string {
  const trimmed = value.trim();
  return /^(gm|wk|bu)\d+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}

/** Whether `scope` is written as the API expects. */
export function isScope(scope: string): boolean {
  return SCOPE.test(scope);
}

/** Whether `area` can get letters: a CBS code (the server takes no drawn areas there). */
export function isLetterArea(area: string): boolean {
  return CBS_CODE.test(area);
}

/** The scope of a drawn area. */
export function customAreaScope(area: CustomArea): string {
  return `polygon:${area.id}`;
}

/** A CBS area as a suggestion: its name and, in words, its kind. */
function areaOptionText(area: Area): string {
  const kind = area.kind === 'gemeente' || area.kind === 'wijk' || area.kind === 'buurt' ? t(`area.kind.${area.kind}`) : '';
  return kind ? t('search.place', { name: area.name, kind }) : area.name;
}

/** Fills a `<datalist>` with the areas (and `all` when `withAll`). */
export function fillAreaOptions(
  list: HTMLDataListElement,
  areas: readonly Area[],
  custom: readonly CustomArea[],
  withAll: boolean,
): void {
  list.replaceChildren(
    ...(withAll ? [h('option', { attrs: { value: 'all' } })] : []),
    ...areas.map((a) => h('option', { text: areaOptionText(a), attrs: { value: a.code } })),
    ...custom.map((c) => h('option', { text: c.name, attrs: { value: customAreaScope(c) } })),
  );
}
