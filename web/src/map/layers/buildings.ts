// The `buildings` tile layer (tiles/src/layers/buildings.rs): BAG panden from z14, aggregated
// blocks at z10–13. Feature id = BAG identificatie as an integer; from z14 the 16-digit
// `identificatie` is a property too.

import type { MapGeoJSONFeature } from 'maplibre-gl';
import { t } from '../../i18n';
import {
  BOUWJAAR_LEGEND,
  bouwjaarClassLabel,
} from '../bouwjaar';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';

/** Style layer ids drawing the buildings layer. */
export const BUILDINGS_FILL = 'buildings-fill';
export const BUILDINGS_OUTLINE = 'buildings-outline';
export const BUILDINGS_BLOCKS = 'buildings-blocks';

/** The zoom from which tiles carry single buildings instead of blocks. */
export const BUILDINGS_DETAIL_MINZOOM = 15;

/** The zoom a click on a block zooms to, where single buildings are drawn. */
const BLOCK_CLICK_ZOOM = 16;

/**
 * A BAG identificatie as the API writes it (16 digits with leading zeros), from the tile's integer
 * feature id or a string. Returns null for anything that is not a BAG id.
 */
export function padBagId(value: unknown): string | null {
  let digits: string;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value <= 0) return null;
    digits = String(value);
  } else if (typeof value === 'string' && /^[0-9]{1,16}$/.test(value)) {
    digits = value;
  } else {
    return null;
  }
  return digits.length > 16 ? null : digits.padStart(16, '0');
}

/** The BAG identificatie of a building tile feature: its property when present, else its id. */
export function buildingIdOf(feature: { id?: unknown; properties?: Record<string, unknown> | null }): string | null {
  return padBagId(feature.properties?.['identificatie']) ?? padBagId(feature.id);
}

function legend(): LegendEntry[] {
  const unknown = t('bouwjaar.unknown');
  return [
    {
      title: 'legend.bouwjaar',
      shape: 'fill',
      swatches: BOUWJAAR_LEGEND.map((c) => ({ id: c.id, colour: c.colour, label: bouwjaarClassLabel(c, unknown) })),
    },
  ];
}

function click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
  if (feature.layer.id === BUILDINGS_BLOCKS) {
    // A block stands for many buildings: zoom to where they are drawn one by one.
    const zoom = Math.max(context.map.getZoom() + 2, BLOCK_CLICK_ZOOM);
    context.map.easeTo({ center: context.lngLat, zoom });
    return true;
  }
  const id = buildingIdOf(feature);
  if (id === null) return false;
  context.selectBuilding(id);
  return true;
}

export const buildingsLayer: TileLayerModule = {
  sourceLayer: 'buildings',
  styleLayerIds: [BUILDINGS_BLOCKS, BUILDINGS_FILL, BUILDINGS_OUTLINE],
  clickableLayerIds: [BUILDINGS_FILL, BUILDINGS_BLOCKS],
  click,
  legend,
};
