// How an address reads: as BAG users write it, `Dorpsstraat 12A-2, 1234AB Plaats`.

import type { Address } from '../api/client';

type AddressParts = Pick<Address, 'openbare_ruimte_naam' | 'huisnummer' | 'huisletter' | 'toevoeging'>;

/** Street, number, letter and addition: `Dorpsstraat 12A-2`. */
export function streetLine(a: AddressParts): string {
  let s = `${a.openbare_ruimte_naam} ${a.huisnummer}`;
  if (a.huisletter) s += a.huisletter;
  if (a.toevoeging) s += `-${a.toevoeging}`;
  return s;
}

/** The whole address on one line, the same as the server's search `label`. */
export function addressLabel(a: AddressParts & Pick<Address, 'postcode' | 'woonplaats_naam'>): string {
  const place = a.postcode ? `${a.postcode} ${a.woonplaats_naam}` : a.woonplaats_naam;
  return `${streetLine(a)}, ${place}`;
}
