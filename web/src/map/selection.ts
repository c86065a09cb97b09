// The outline around the chosen building. It is the one layer the web map adds to the server's
// style: a selection is client state, not data.

import type { Map as MapLibreMap } from 'maplibre-gl';
import { AREAS_LABEL } from './layers/areas';
import { ADDRESSES_POINT } from './layers/addresses';
import { BUILDINGS_DETAIL_MINZOOM } from './layers/buildings';

export const BUILDINGS_SELECTED = 'buildings-selected';
export const SELECTED_COLOUR = '#00b3ff';

const SOURCE_ID = 'wijkwerk';
const NOTHING = -1;

function filterFor(identificatie: string | null): ['==', ['id'], number] {
  const id = identificatie === null ? NOTHING : Number(identificatie);
  return ['==', ['id'], Number.isSafeInteger(id) ? id : NOTHING];
}

/** Adds the selection layer beneath the labels; does nothing without the `wijkwerk` source. */
export function addSelectionLayer(map: MapLibreMap, identificatie: string | null = null): void {
  if (!map.getSource(SOURCE_ID) || map.getLayer(BUILDINGS_SELECTED)) return;
  const beneath = [ADDRESSES_POINT, AREAS_LABEL].find((id) => map.getLayer(id));
  map.addLayer(
    {
      id: BUILDINGS_SELECTED,
      type: 'line',
      source: SOURCE_ID,
      'source-layer': 'buildings',
      minzoom: BUILDINGS_DETAIL_MINZOOM,
      filter: filterFor(identificatie),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': SELECTED_COLOUR, 'line-width': 4 },
    },
    beneath,
  );
}

/** Outlines the building with this BAG identificatie, or nothing for null. */
export function showSelection(map: MapLibreMap, identificatie: string | null): void {
  if (map.getLayer(BUILDINGS_SELECTED)) map.setFilter(BUILDINGS_SELECTED, filterFor(identificatie));
}
