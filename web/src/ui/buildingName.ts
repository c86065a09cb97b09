// How a building (BAG pand) is named to a person: by its addresses, never by its BAG id.
//
//   one address                        Kerkstraat 12A
//   several numbers in one street      Kerkstraat 1–11
//   several homes behind one number    Molenweg 19 (the flats 19-1, 19-2 …)
//   more streets                       Kerkstraat 1–11 en 3 andere adressen
//   no address                         Pand zonder adres
//
// What is in it is counted by what its addresses are for: "12 woningen", "1 woning en 1 winkel".

import type { Address } from '../api/client';
import { lang, t, type Lang } from '../i18n';
import { streetLine } from './address';
import { formatPlain, listPhrase, plural } from './words';

type Named = Pick<Address, 'openbare_ruimte_naam' | 'huisnummer' | 'huisletter' | 'toevoeging'>;

/** The name of a building with `addresses` (in BAG's address order). */
export function buildingName(addresses: readonly Named[], language: Lang = lang()): string {
  const first = addresses[0];
  if (!first) return t('building.name.noAddress', {}, language);
  const street = first.openbare_ruimte_naam;
  const inStreet = addresses.filter((a) => a.openbare_ruimte_naam === street);
  const numbers = [...new Set(inStreet.map((a) => a.huisnummer))].sort((a, b) => a - b);
  let name: string;
  if (inStreet.length === 1) name = streetLine(first);
  else if (numbers.length === 1) name = `${street} ${formatPlain(first.huisnummer, language)}`;
  else name = `${street} ${formatPlain(numbers[0] ?? first.huisnummer, language)}–${formatPlain(numbers.at(-1) ?? first.huisnummer, language)}`;
  const others = addresses.length - inStreet.length;
  return others === 0 ? name : plural('building.name.more', others, { first: name }, language);
}

type Unit = 'home' | 'shop' | 'office' | 'other';

/** What an address is, by its gebruiksdoelen: a home if anyone lives there, else the first use. */
function unitOf(gebruiksdoel: string | null | undefined): Unit {
  const uses = (gebruiksdoel ?? '').split(',').map((u) => u.trim());
  if (uses.includes('woonfunctie')) return 'home';
  if (uses.includes('winkelfunctie')) return 'shop';
  if (uses.includes('kantoorfunctie')) return 'office';
  return 'other';
}

/** What is in a building, in words: "12 woningen", "1 woning en 1 winkel", "geen adressen". */
export function buildingUnits(addresses: readonly Pick<Address, 'gebruiksdoel'>[], language: Lang = lang()): string {
  if (addresses.length === 0) return t('units.none', {}, language);
  const counts = new Map<Unit, number>();
  for (const a of addresses) {
    const unit = unitOf(a.gebruiksdoel);
    counts.set(unit, (counts.get(unit) ?? 0) + 1);
  }
  const order: Unit[] = ['home', 'shop', 'office', 'other'];
  return listPhrase(
    order.filter((u) => counts.has(u)).map((u) => plural(`units.${u}`, counts.get(u) ?? 0, {}, language)),
    language,
  );
}
