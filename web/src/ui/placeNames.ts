// The names of the places a list refers to by id ("Mijn meldingen": a report about pand
// 1999100000000006 or address 1999010000000012): the building by its addresses
// (ui/buildingName.ts), the address by its street and number. Asked from the OGC API once per id
// and kept for the page's life; a place that cannot be found has no name (null), never its id.

import { fetchAddress, fetchBuilding, type Address, type AddressFeature, type BuildingFeature } from '../api/client';
import { streetLine } from './address';
import { buildingName } from './buildingName';

type Loader<T> = (id: string) => Promise<T>;

export class PlaceNames {
  private readonly buildings = new Map<string, Promise<readonly Address[] | null>>();
  private readonly addresses = new Map<string, Promise<Address | null>>();
  private readonly known = new Map<string, readonly Address[] | Address | null>();

  constructor(
    private readonly loadBuilding: Loader<BuildingFeature> = (id) => fetchBuilding(id),
    private readonly loadAddress: Loader<AddressFeature> = (id) => fetchAddress(id),
  ) {}

  /** Loads the names of these buildings and addresses (those not known yet). */
  async load(places: { readonly buildings: readonly string[]; readonly addresses: readonly string[] }): Promise<void> {
    await Promise.all([
      ...places.buildings.map((id) => this.building(id)),
      ...places.addresses.map((id) => this.address(id)),
    ]);
  }

  /** The name of a building already loaded, in the current language; null when unknown. */
  buildingName(id: string): string | null {
    const addresses = this.known.get(`b${id}`);
    return Array.isArray(addresses) ? buildingName(addresses) : null;
  }

  /** The street and number of an address already loaded; null when unknown. */
  addressName(id: string): string | null {
    const address = this.known.get(`a${id}`);
    return address && !Array.isArray(address) ? streetLine(address as Address) : null;
  }

  private building(id: string): Promise<readonly Address[] | null> {
    let pending = this.buildings.get(id);
    if (!pending) {
      pending = this.loadBuilding(id).then(
        (f) => f.properties.adressen,
        () => null,
      ).then((addresses) => {
        this.known.set(`b${id}`, addresses);
        return addresses;
      });
      this.buildings.set(id, pending);
    }
    return pending;
  }

  private address(id: string): Promise<Address | null> {
    let pending = this.addresses.get(id);
    if (!pending) {
      pending = this.loadAddress(id).then(
        (f) => f.properties,
        () => null,
      ).then((address) => {
        this.known.set(`a${id}`, address);
        return address;
      });
      this.addresses.set(id, pending);
    }
    return pending;
  }
}
