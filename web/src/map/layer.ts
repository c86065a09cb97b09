// What each module under map/layers/ provides: one module per tile layer of the server
// (tiles/src/layers/<layer>.rs), holding that layer's style-layer ids, its click behaviour and its
// legend. The server's style owns the paint; the web code owns interaction and explanation.

import type { LngLat, Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { MessageKey } from '../i18n';

/** How a legend entry is drawn. */
export type LegendShape = 'fill' | 'line' | 'point' | 'block';

/** One swatch of a legend entry. */
export interface LegendSwatch {
  readonly colour: string;
  /** Outline of a point or fill swatch. */
  readonly stroke?: string;
  /** A dashed line. */
  readonly dashed?: boolean;
  /** Visible text beside the swatch; already translated. */
  readonly label: string;
  /** Stable id for CSS and tests. */
  readonly id: string;
}

/** One row of the legend. */
export interface LegendEntry {
  readonly title: MessageKey;
  readonly shape: LegendShape;
  readonly swatches: readonly LegendSwatch[];
}

/** What a layer's click handler may do. */
export interface ClickContext {
  readonly map: MapLibreMap;
  readonly lngLat: LngLat;
  /** Opens a building's details panel (and highlights it). */
  selectBuilding(identificatie: string): void;
  /** Shows a short text in a popup at the click. */
  showPopup(text: string): void;
}

/** A tile layer as the web map knows it. */
export interface TileLayerModule {
  /** The MVT layer name: a `vector_layers` id in `/tiles/all.json`. */
  readonly sourceLayer: string;
  /** The layers of `/style.json` that draw it. */
  readonly styleLayerIds: readonly string[];
  /** Of those, the ones that react to clicks (and get a pointer cursor). */
  readonly clickableLayerIds: readonly string[];
  /**
   * A layer under everything (the areas): a click that hits only its features is a click on a
   * spot of the map, which the map may use first (to report there).
   */
  readonly background?: boolean;
  /** Handles a click on one of its features; returns false to let a lower layer have it. */
  click(feature: MapGeoJSONFeature, context: ClickContext): boolean;
  /** The legend rows; called again after a language switch. */
  legend(): LegendEntry[];
}
