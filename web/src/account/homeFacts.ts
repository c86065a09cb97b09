// "Wat is er bekend over mijn adres", in words: the address and its building as a resident knows
// them (the address, what it is used for, its size, the bouwjaar, what else is in the building, the
// buurt by name), the observations with their questions and answers as the report form asked them,
// and the objections made. The register's ids and codes are in the "details for GIS" fold.
//
// The server sends these objects with the register's field names (docs/accounts-api.md, "My
// address"); an address no longer in the data has only its id and label.

import type { JsonObject, JsonValue } from '../api/http';
import type { ObservationType } from '../api/reports';
import { t } from '../i18n';
import type { TypeCatalogue } from '../report/catalogue';
import { answerRows } from '../report/answers';
import { formatDate, statusLabel } from '../report/labels';
import { addressLabel } from '../ui/address';
import { buildingUnits } from '../ui/buildingName';
import { h } from '../ui/element';
import { formatValue } from '../ui/facts';
import { gisFold, type GisRow } from '../ui/gis';
import { addressStatusLabel, buildingStatusLabel, codeLabel, fieldLabel, formatArea, usesLabel } from '../ui/words';

const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: JsonValue | undefined): number | null => (typeof value === 'number' ? value : null);

/** A definition list of label → value lines, leaving out the lines without a value. */
function facts(lines: readonly (readonly [label: string, value: string | null])[]): HTMLDListElement {
  const dl = h('dl', { className: 'facts' });
  for (const [label, value] of lines) if (value !== null) dl.append(h('dt', { text: label }), h('dd', { text: value }));
  return dl;
}

/** The address as a resident reads it. */
export function addressFacts(address: JsonObject): HTMLDListElement {
  const street = text(address['openbare_ruimte_naam']);
  const number = num(address['huisnummer']);
  const line =
    street && number !== null
      ? addressLabel({
          openbare_ruimte_naam: street,
          huisnummer: number,
          huisletter: text(address['huisletter']),
          toevoeging: text(address['toevoeging']),
          postcode: text(address['postcode']),
          woonplaats_naam: text(address['woonplaats_naam']) ?? '',
        })
      : text(address['label']);
  const area = num(address['oppervlakte']);
  const status = text(address['status']);
  return facts([
    [t('myaddr.fact.address'), line],
    [t('myaddr.fact.use'), usesLabel(text(address['gebruiksdoel']))],
    [t('myaddr.fact.area'), area === null ? null : formatArea(area)],
    [t('myaddr.fact.status'), status === null ? null : addressStatusLabel(status)],
  ]);
}

/** The building as a resident reads it: its bouwjaar (a year, never "2.024"), what is in it, its buurt. */
export function buildingFacts(building: JsonObject): HTMLDListElement {
  const addresses = Array.isArray(building['adressen']) ? (building['adressen'] as JsonObject[]) : null;
  const status = text(building['status']);
  const year = num(building['bouwjaar']);
  return facts([
    [t('panel.bouwjaar'), year === null ? null : formatValue(year, undefined, 'bouwjaar')],
    [t('panel.units'), addresses ? buildingUnits(addresses.map((a) => ({ gebruiksdoel: text(a['gebruiksdoel']) }))) : null],
    [t('panel.gebruiksdoel'), usesLabel(text(building['gebruiksdoel']))],
    [t('panel.status'), status === null ? null : buildingStatusLabel(status)],
    [t('panel.buurt'), text(building['buurtnaam'])],
    [t('panel.wijk'), text(building['wijknaam'])],
    [t('panel.gemeente'), text(building['gemeentenaam'])],
  ]);
}

/** The ids and codes of the address and its buildings, for GIS users. */
export function homeGis(address: JsonObject, buildings: readonly JsonObject[]): HTMLDetailsElement {
  const rows: GisRow[] = [[fieldLabel('identificatie'), text(address['identificatie']) ?? '']];
  for (const b of buildings) rows.push([fieldLabel('pand_identificatie'), text(b['identificatie']) ?? '', 'identificatie']);
  for (const field of ['status', 'gebruiksdoel', 'buurtcode', 'wijkcode', 'gemeentecode']) {
    rows.push([fieldLabel(field), text(address[field]) ?? text(buildings[0]?.[field]) ?? '']);
  }
  return gisFold(rows);
}

/** The heading and facts of one observation: its type, what it is about, when, status, by whom; its answers. */
export function observationView(o: JsonObject, types: TypeCatalogue): { title: HTMLElement; body: HTMLElement[] } {
  const name = text(o['type']) ?? '';
  const type: ObservationType | undefined = types.get(name);
  const about = text(o['about']);
  const source = text(o['source']);
  const status = text(o['status']);
  const observed = text(o['observed_at']);
  const meta = [
    about ? (codeLabel('about', about) ?? about) : null,
    observed ? t('myaddr.observedOn', { date: formatDate(observed) }) : null,
    status ? statusLabel(status) : null,
    source ? t('myaddr.reportedBy', { who: codeLabel('source', source) ?? source }) : null,
  ].filter((x): x is string => x !== null);
  const answers = o['answers'];
  const rows = answerRows(type, name, answers && typeof answers === 'object' && !Array.isArray(answers) ? answers : {});
  return {
    title: h('h5', { className: 'observation-title', text: types.title(name) }),
    body: [h('p', { className: 'hint observation-meta', text: meta.join(' · ') }), facts(rows.map((r) => [r.question, r.answer]))],
  };
}

/** One objection: what it is about (the observation's type and date), its status and its reason. */
export function contestView(c: JsonObject, observations: readonly JsonObject[], types: TypeCatalogue): HTMLElement {
  const about = observations.find((o) => o['id'] === c['observation_id']);
  const what = about ? types.title(text(about['type']) ?? '') : t('myaddr.contestGone');
  const created = text(c['created_at']);
  const status = text(c['status']);
  return h(
    'div',
    { className: 'contest' },
    h('p', { className: 'contest-title', text: t('myaddr.contestAbout', { what }) }),
    h('p', {
      className: 'hint',
      text: [created ? formatDate(created) : null, status ? (codeLabel('status', status) ?? status) : null].filter(Boolean).join(' · '),
    }),
    h('p', { className: 'contest-reason', text: text(c['reason']) ?? '' }),
  );
}
