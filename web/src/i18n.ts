// Every string the UI shows, Dutch first and English second: the one message catalogue. Data
// names stay Dutch in both languages (pand, bouwjaar, buurt): they are the register's own words
// and what users search for. Nothing a person reads is a key or a code: values the API sends as
// codes get their words here too (messages/registers.ts, ui/words.ts).
//
// Static markup names its strings with `data-i18n` (text), `data-i18n-aria-label`,
// `data-i18n-placeholder` and `data-i18n-title`; code calls `t(key, params)`.
//
// The map's strings are below; the report flow and the account pages keep theirs in
// messages/*.ts, merged here.

import { ACCOUNT_EN, ACCOUNT_NL } from './messages/account';
import { ADMIN_EN, ADMIN_NL } from './messages/admin';
import { ASSIGNMENTS_EN, ASSIGNMENTS_NL } from './messages/assignments';
import { CAMPAIGNS_EN, CAMPAIGNS_NL } from './messages/campaigns';
import { COMMON_EN, COMMON_NL } from './messages/common';
import { ENRICHMENT_EN, ENRICHMENT_NL } from './messages/enrichment';
import { REGISTERS_EN, REGISTERS_NL } from './messages/registers';
import { REPORT_EN, REPORT_NL } from './messages/report';
import { SIGNIN_EN, SIGNIN_NL } from './messages/signin';
import { TALENT_EN, TALENT_NL } from './messages/talent';
import { URGENCY_EN, URGENCY_NL } from './messages/urgency';
import { WORK_EN, WORK_NL } from './messages/work';

export type Lang = 'nl' | 'en';

export const LANGS: readonly Lang[] = ['nl', 'en'];

const mapNl = {
  'app.title': 'wijkwerk',
  'app.tagline': 'Panden en buurten op de kaart',
  'app.skipToSearch': 'Naar zoeken',
  'app.loadFailed': 'De kaart kon niet laden: {message}',

  'lang.toggle': 'English',
  'lang.toggleLabel': 'Switch to English',

  'map.label': 'Kaart van panden en buurten',
  'map.zoomIn': 'Inzoomen',
  'map.zoomOut': 'Uitzoomen',
  'map.resetBearing': 'Noorden boven',
  'map.attribution': 'Bronnen van de kaart tonen of verbergen',

  'search.label': 'Zoek een adres, straat, postcode of buurt',
  'search.placeholder': 'Straat en huisnummer, of postcode',
  'search.resultsLabel': 'Zoekresultaten',
  'search.searching': 'Zoeken…',
  'search.count': '{count} resultaten. Pijltjestoetsen om te kiezen, Enter om te openen.',
  'search.one': '1 resultaat. Pijltjestoetsen om te kiezen, Enter om te openen.',
  'search.none': 'Geen adressen gevonden voor “{q}”.',
  'search.failed': 'Zoeken mislukt: {message}',
  'search.noBuilding': 'Dit adres ligt niet in een pand.',
  'search.place': '{name} ({kind})',
  'search.street': '{name} (straat, {count} adressen)',
  'search.streetOne': '{name} (straat, 1 adres)',
  'search.postcode': '{name} (postcode, {count} adressen)',
  'search.postcodeOne': '{name} (postcode, 1 adres)',

  'list.toggle': 'Lijst',
  'list.toggleLabel': 'Lijst van panden in beeld',
  'list.title': 'Panden in beeld',
  'list.loading': 'Panden laden…',
  'list.count': '{count} panden in beeld.',
  'list.countCapped': 'De eerste {count} panden in beeld; zoom in voor de rest.',
  'list.empty': 'Geen panden in beeld. Zoom of schuif de kaart.',
  'list.failed': 'Lijst laden mislukt: {message}',
  'list.item': '{label}, {units}, bouwjaar {bouwjaar}',
  'list.close': 'Lijst sluiten',

  'panel.titleLoading': 'Pand',
  'panel.close': 'Sluiten',
  'panel.loading': 'Gegevens laden…',
  'panel.notFound': 'Dit pand is niet gevonden.',
  'panel.failed': 'Gegevens laden mislukt: {message}',
  'panel.units': 'in dit pand',
  'panel.bouwjaar': 'bouwjaar',
  'panel.status': 'status',
  'panel.gebruiksdoel': 'gebruik',
  'panel.buurt': 'buurt',
  'panel.wijk': 'wijk',
  'panel.gemeente': 'gemeente',
  'panel.adressenCount': 'Adressen ({count})',
  'panel.noAddresses': 'Geen adressen in dit pand.',
  'panel.none': '—',
  'panel.zoomTo': 'Toon op kaart',
  'gis.title': 'Gegevens voor GIS',

  'bouwjaar.unknown': 'onbekend',

  'legend.title': 'Legenda',
  'legend.bouwjaar': 'Pand, naar bouwjaar',
  'legend.buurt': 'Grenzen',
  'legend.address': 'Adres',
  'legend.selected': 'Gekozen pand',

  'area.popup': '{kind} {naam}',
  'area.kind.buurt': 'Buurt',
  'area.kind.wijk': 'Wijk',
  'area.kind.gemeente': 'Gemeente',
} as const;

const nl = { ...mapNl, ...COMMON_NL, ...REGISTERS_NL, ...REPORT_NL, ...SIGNIN_NL, ...ACCOUNT_NL, ...ADMIN_NL, ...ENRICHMENT_NL, ...WORK_NL, ...ASSIGNMENTS_NL, ...TALENT_NL, ...CAMPAIGNS_NL, ...URGENCY_NL };

/** A key of the message catalogue. */
export type MessageKey = keyof typeof nl;

const mapEn: Record<keyof typeof mapNl, string> = {
  'app.title': 'wijkwerk',
  'app.tagline': 'Buildings and neighbourhoods on the map',
  'app.skipToSearch': 'Skip to search',
  'app.loadFailed': 'The map could not load: {message}',

  'lang.toggle': 'Nederlands',
  'lang.toggleLabel': 'Schakel naar Nederlands',

  'map.label': 'Map of buildings and neighbourhoods',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.resetBearing': 'Reset bearing to north',
  'map.attribution': 'Show or hide the map’s sources',

  'search.label': 'Search an address, street, postcode or neighbourhood',
  'search.placeholder': 'Street and number, or postcode',
  'search.resultsLabel': 'Search results',
  'search.searching': 'Searching…',
  'search.count': '{count} results. Use the arrow keys to choose, Enter to open.',
  'search.one': '1 result. Use the arrow keys to choose, Enter to open.',
  'search.none': 'No addresses found for “{q}”.',
  'search.failed': 'Search failed: {message}',
  'search.noBuilding': 'This address is not inside a building (pand).',
  'search.place': '{name} ({kind})',
  'search.street': '{name} (street, {count} addresses)',
  'search.streetOne': '{name} (street, 1 address)',
  'search.postcode': '{name} (postcode, {count} addresses)',
  'search.postcodeOne': '{name} (postcode, 1 address)',

  'list.toggle': 'List',
  'list.toggleLabel': 'List of buildings in view',
  'list.title': 'Buildings (panden) in view',
  'list.loading': 'Loading buildings…',
  'list.count': '{count} buildings in view.',
  'list.countCapped': 'The first {count} buildings in view; zoom in for the rest.',
  'list.empty': 'No buildings in view. Zoom or pan the map.',
  'list.failed': 'Loading the list failed: {message}',
  'list.item': '{label}, {units}, bouwjaar {bouwjaar}',
  'list.close': 'Close list',

  'panel.titleLoading': 'Building',
  'panel.close': 'Close',
  'panel.loading': 'Loading details…',
  'panel.notFound': 'This building was not found.',
  'panel.failed': 'Loading details failed: {message}',
  'panel.units': 'in this building',
  'panel.bouwjaar': 'bouwjaar (year built)',
  'panel.status': 'status',
  'panel.gebruiksdoel': 'use',
  'panel.buurt': 'buurt (neighbourhood)',
  'panel.wijk': 'wijk (district)',
  'panel.gemeente': 'municipality',
  'panel.adressenCount': 'Addresses ({count})',
  'panel.noAddresses': 'No addresses in this building.',
  'panel.none': '—',
  'panel.zoomTo': 'Show on map',
  'gis.title': 'Details for GIS',

  'bouwjaar.unknown': 'unknown',

  'legend.title': 'Legend',
  'legend.bouwjaar': 'Pand (building), by bouwjaar',
  'legend.buurt': 'Boundaries',
  'legend.address': 'Address',
  'legend.selected': 'Chosen building',

  'area.popup': '{kind} {naam}',
  'area.kind.buurt': 'Buurt',
  'area.kind.wijk': 'Wijk',
  'area.kind.gemeente': 'Gemeente',
};

const en: Record<MessageKey, string> = { ...mapEn, ...COMMON_EN, ...REGISTERS_EN, ...REPORT_EN, ...SIGNIN_EN, ...ACCOUNT_EN, ...ADMIN_EN, ...ENRICHMENT_EN, ...WORK_EN, ...ASSIGNMENTS_EN, ...TALENT_EN, ...CAMPAIGNS_EN, ...URGENCY_EN };

/** The catalogue per language; exported for the completeness test. */
export const MESSAGES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { nl, en };

const STORAGE_KEY = 'wijkwerk.lang';

let current: Lang = 'nl';
const listeners = new Set<(lang: Lang) => void>();

/** The language in use. */
export function lang(): Lang {
  return current;
}

/** Whether `value` names a supported language. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * The message for `key` in the current language, with `{name}` placeholders filled from `params`.
 * A placeholder without a parameter is left as written, so a missing value shows rather than hides.
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}, language: Lang = current): string {
  const template = MESSAGES[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Formats a count the way the language writes numbers. */
export function formatNumber(n: number, language: Lang = current): string {
  return new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB').format(n);
}

/** The language to start in: the stored choice, else Dutch. */
export function initialLang(storage: Pick<Storage, 'getItem'> | undefined): Lang {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : 'nl';
  } catch {
    // Storage may be blocked (private mode, sandboxed frames): Dutch it is.
    return 'nl';
  }
}

/** Switches the language, remembers it, updates `<html lang>` and tells every listener. */
export function setLang(next: Lang, storage?: Pick<Storage, 'setItem'>): void {
  current = next;
  try {
    storage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembering the choice is harmless.
  }
  if (typeof document !== 'undefined') {
    document.documentElement.lang = next;
    translateTree(document.body);
  }
  for (const listener of listeners) listener(next);
}

/** Calls `listener` after every language switch; returns the function that unsubscribes it. */
export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const ATTRIBUTE_BINDINGS: ReadonlyArray<[dataAttribute: string, target: string]> = [
  ['data-i18n-aria-label', 'aria-label'],
  ['data-i18n-placeholder', 'placeholder'],
  ['data-i18n-title', 'title'],
];

function asKey(value: string | null): MessageKey | undefined {
  return value !== null && Object.hasOwn(nl, value) ? (value as MessageKey) : undefined;
}

/** Whether `key` is in the catalogue (for keys built from data, such as answer values). */
export function isMessageKey(key: string): key is MessageKey {
  return asKey(key) !== undefined;
}

/** Fills every element under `root` that names its strings with `data-i18n*` attributes. */
export function translateTree(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = asKey(el.getAttribute('data-i18n'));
    if (key) el.textContent = t(key);
  }
  for (const [dataAttribute, target] of ATTRIBUTE_BINDINGS) {
    for (const el of root.querySelectorAll<HTMLElement>(`[${dataAttribute}]`)) {
      const key = asKey(el.getAttribute(dataAttribute));
      if (key) el.setAttribute(target, t(key));
    }
  }
}
