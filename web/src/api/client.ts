// Typed client of the wijkwerk JSON API. The types come from `schema.d.ts`, generated from
// server/openapi.json by `npm run gen:api` (never edit that file by hand). Every URL is
// root-absolute: the app is served by the same binary at `/`.

import { errorFromResponse } from './http';
import type { components, paths } from './schema';

export { ApiError } from './http';

type Schemas = components['schemas'];

export type SearchResult = Schemas['SearchResult'];
export type SearchResponse = Schemas['SearchResponse'];
export type BuildingFeature = Schemas['BuildingFeature'];
export type BuildingProperties = Schemas['BuildingProperties'];
export type BuildingFeatureCollection = Schemas['BuildingFeatureCollection'];
export type Address = Schemas['Address'];
export type AddressFeature = Schemas['AddressFeature'];
export type TileJson = Schemas['TileJson'];
export type TileLayer = Schemas['TileLayer'];
export type ErrorBody = Schemas['Error'];
export type Bbox = Schemas['Bbox'];

type SearchQuery = NonNullable<paths['/api/search']['get']['parameters']['query']>;
type ItemsQuery = NonNullable<paths['/ogc/collections/{collectionId}/items']['get']['parameters']['query']>;

/** Serialises query parameters; arrays are comma separated (OpenAPI `style: form, explode: false`). */
export function queryString(params: Record<string, string | number | readonly number[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal: signal ?? null, headers: { Accept: 'application/json, application/geo+json' } });
  if (!response.ok) throw await errorFromResponse(response, url);
  return (await response.json()) as T;
}

/** `GET /api/search`: addresses matching free text, best first. */
export function searchAddresses(query: SearchQuery, signal?: AbortSignal): Promise<SearchResponse> {
  return getJson<SearchResponse>(`/api/search${queryString(query)}`, signal);
}

/** `GET /ogc/collections/buildings/items/{identificatie}`: one building with its addresses. */
export function fetchBuilding(identificatie: string, signal?: AbortSignal): Promise<BuildingFeature> {
  return getJson<BuildingFeature>(`/ogc/collections/buildings/items/${encodeURIComponent(identificatie)}`, signal);
}

/** `GET /ogc/collections/addresses/items/{identificatie}`: one address (verblijfsobject). */
export function fetchAddress(identificatie: string, signal?: AbortSignal): Promise<AddressFeature> {
  return getJson<AddressFeature>(`/ogc/collections/addresses/items/${encodeURIComponent(identificatie)}`, signal);
}

/** `GET /ogc/collections/buildings/items?bbox=…`: one page of buildings within a box. */
export function fetchBuildingsInBbox(query: ItemsQuery, signal?: AbortSignal): Promise<BuildingFeatureCollection> {
  return getJson<BuildingFeatureCollection>(`/ogc/collections/buildings/items${queryString(query)}`, signal);
}

/** `GET /tiles/{layer}.json`: TileJSON 3.0.0. */
export function fetchTileJson(layer: TileLayer, signal?: AbortSignal): Promise<TileJson> {
  return getJson<TileJson>(`/tiles/${layer}.json`, signal);
}
