// The `addresses` tile layer (tiles/src/layers/addresses.rs): BAG verblijfsobjecten as points from
// z16, with `identificatie`, `label` and `pand_identificatie` (the building(s) they lie in).

import type { MapGeoJSONFeature } from 'maplibre-gl';
import { t } from '../../i18n';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';
import { padBagId } from './buildings';

export const ADDRESSES_POINT = 'addresses-point';

/** How the style's `addresses-point` draws an address: a white dot with a dark ring. */
export const ADDRESS_POINT_COLOUR = '#ffffff';
export const ADDRESS_POINT_STROKE = '#333333';

/** The building an address feature lies in: the first of `pand_identificatie` (a comma list). */
export function addressBuildingId(properties: Record<string, unknown> | null | undefined): string | null {
  const value = properties?.['pand_identificatie'];
  const first = typeof value === 'string' ? value.split(',')[0]?.trim() : value;
  return padBagId(first);
}

function click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
  // An address opens the building it lies in; one outside any building falls through to the area.
  const pand = addressBuildingId(feature.properties);
  if (pand === null) return false;
  context.selectBuilding(pand);
  return true;
}

function legend(): LegendEntry[] {
  return [
    {
      title: 'legend.address',
      shape: 'point',
      swatches: [{ id: 'address', colour: ADDRESS_POINT_COLOUR, stroke: ADDRESS_POINT_STROKE, label: t('legend.address') }],
    },
  ];
}

export const addressesLayer: TileLayerModule = {
  sourceLayer: 'addresses',
  styleLayerIds: [ADDRESSES_POINT],
  clickableLayerIds: [ADDRESSES_POINT],
  click,
  legend,
};
