// The `areas` tile layer (tiles/src/layers/areas.rs): CBS buurten, wijken and gemeenten as
// polygons with `kind`, `code` and `naam`, plus label points carrying the same and `label` = true.

import type { MapGeoJSONFeature } from 'maplibre-gl';
import { t, type MessageKey } from '../../i18n';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';

export const AREAS_FILL = 'areas-fill';
export const AREAS_OUTLINE = 'areas-outline';
export const AREAS_LABEL = 'areas-label';

/** Boundary colours per kind, as the style's `areas-outline` draws them (buurt dashed). */
export const AREA_OUTLINE_COLOURS = { gemeente: '#1f2d3d', wijk: '#2f4f6f', buurt: '#5b7fa3' } as const;

const KIND_KEYS: Record<string, MessageKey> = {
  buurt: 'area.kind.buurt',
  wijk: 'area.kind.wijk',
  gemeente: 'area.kind.gemeente',
};

/** The popup text for an area feature: `Buurt Centrum (BU01234567)`; null when it is not an area. */
export function areaDescription(properties: Record<string, unknown> | null | undefined): string | null {
  const kind = properties?.['kind'];
  const naam = properties?.['naam'];
  const code = properties?.['code'];
  if (typeof kind !== 'string' || typeof naam !== 'string' || typeof code !== 'string') return null;
  const kindKey = KIND_KEYS[kind];
  return t('area.popup', { kind: kindKey ? t(kindKey) : kind, naam, code });
}

function click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
  const text = areaDescription(feature.properties);
  if (text === null) return false;
  context.showPopup(text);
  return true;
}

function legend(): LegendEntry[] {
  return [
    {
      title: 'legend.buurt',
      shape: 'line',
      swatches: [
        { id: 'buurt', colour: AREA_OUTLINE_COLOURS.buurt, dashed: true, label: t('area.kind.buurt') },
        { id: 'wijk', colour: AREA_OUTLINE_COLOURS.wijk, label: t('area.kind.wijk') },
        { id: 'gemeente', colour: AREA_OUTLINE_COLOURS.gemeente, label: t('area.kind.gemeente') },
      ],
    },
  ];
}

export const areasLayer: TileLayerModule = {
  sourceLayer: 'areas',
  styleLayerIds: [AREAS_FILL, AREAS_OUTLINE, AREAS_LABEL],
  clickableLayerIds: [AREAS_FILL],
  background: true,
  click,
  legend,
};
