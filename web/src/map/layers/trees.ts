// The `trees` tile layer (tiles/src/layers/trees.rs): trees of the municipal tree registers as
// points from z15, with `id` (the register's own number), `species` and `planting_year`.

import type { MapGeoJSONFeature } from 'maplibre-gl';
import { t } from '../../i18n';
import type { ClickContext, LegendEntry, TileLayerModule } from '../layer';

export const TREES_POINT = 'trees-point';

/** How the style's `trees-point` draws a tree: a green dot with a darker ring. */
export const TREE_POINT_COLOUR = '#4f9a3a';
export const TREE_POINT_STROKE = '#2d5a22';

/** The popup text of a tree feature: `Boom 1080: Carpinus betulus, geplant in 1954`; null when it is not one. */
export function treeDescription(properties: Record<string, unknown> | null | undefined): string | null {
  const id = properties?.['id'];
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  const number = String(id);
  const species = properties?.['species'];
  let text = typeof species === 'string' && species !== '' ? t('tree.popupSpecies', { number, species }) : t('tree.popup', { number });
  const year = properties?.['planting_year'];
  if (typeof year === 'number' && Number.isInteger(year)) text += `, ${t('tree.planted', { year: String(year) })}`;
  return text;
}

function click(feature: MapGeoJSONFeature, context: ClickContext): boolean {
  const text = treeDescription(feature.properties);
  if (text === null) return false;
  context.showPopup(text);
  return true;
}

function legend(): LegendEntry[] {
  return [
    {
      title: 'legend.trees',
      shape: 'point',
      swatches: [{ id: 'tree', colour: TREE_POINT_COLOUR, stroke: TREE_POINT_STROKE, label: t('legend.tree') }],
    },
  ];
}

export const treesLayer: TileLayerModule = {
  sourceLayer: 'trees',
  styleLayerIds: [TREES_POINT],
  clickableLayerIds: [TREES_POINT],
  click,
  legend,
};
