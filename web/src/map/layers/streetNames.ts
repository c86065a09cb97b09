// The `street_names` tile layer (tiles/src/layers/street_names.rs): one line per stretch of a
// street along its addresses, from z15, with `name`, `woonplaats` and `addresses`. The style's
// `street-names` writes the name along the line; it has no click and no legend row (a name
// explains itself).

import type { LegendEntry, TileLayerModule } from '../layer';

export const STREET_NAMES = 'street-names';

export const streetNamesLayer: TileLayerModule = {
  sourceLayer: 'street_names',
  styleLayerIds: [STREET_NAMES],
  clickableLayerIds: [],
  click: () => false,
  legend: (): LegendEntry[] => [],
};
