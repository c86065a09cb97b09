// "Gegevens voor GIS": a collapsed fold with the ids and codes of the registers (BAG ids, CBS codes,
// the values as BAG writes them) for those who work with GIS tools. Everything else a person
// reads names things in words; ids live only here (`data-gis`, which the browser tests skip).

import { h } from './element';

/** One line: its label, its value, and a class for the value (e.g. `identificatie`). */
export type GisRow = readonly [label: string, value: string, className?: string];

/** The fold, closed, with `rows` as a definition list; rows without a value are left out. */
export function gisFold(rows: readonly GisRow[]): HTMLDetailsElement {
  const list = h('dl', { className: 'facts gis-facts' });
  for (const [label, value, className] of rows) {
    if (value === '') continue;
    list.append(h('dt', { text: label }), h('dd', className ? { className, text: value } : { text: value }));
  }
  const fold = h('details', { className: 'gis-details', attrs: { 'data-gis': '' } }, h('summary', { i18n: 'gis.title' }), list);
  // Code and ids read the same in every language; screen readers should not guess one.
  list.setAttribute('translate', 'no');
  return fold;
}
