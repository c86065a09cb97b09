// Wires the page: the map, the details panel, the address search, the list view, the legend, the
// language switch, the link to sign in or to the account, and the report flow (report/mount.ts).
// Every way of choosing a building (map click, search, list, a report) ends in `selectBuilding`.

import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BuildingFeature, SearchResult } from './api/client';
import { reports } from './api/reports';
import { initialLang, onLangChange, setLang, t } from './i18n';
import { geometryBbox } from './map/extent';
import { attachInteraction } from './map/interaction';
import { DO_NOT_KNOCK_POINT, doNotKnockLayer } from './map/layers/doNotKnock';
import { createMap, LEGEND_LAYERS, relabelControls, TILE_LAYERS } from './map/map';
import { panelPadding, type Padding } from './map/padding';
import { showSelection } from './map/selection';
import { TypeCatalogue } from './report/catalogue';
import { takeDraft } from './report/draft';
import { buildingTarget, mountReporting, reportLayerModules } from './report/mount';
import { SessionState } from './report/session';
import { showAccountLink } from './ui/accountLink';
import { BuildingList } from './ui/buildingList';
import { mountLanguageToggle } from './ui/language';
import { mountLegend } from './ui/legend';
import { BuildingPanel } from './ui/panel';
import { AddressSearch } from './ui/search';

/** The zoom a chosen address or small building is shown at. */
const DETAIL_ZOOM = 18;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el as T;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Padding that keeps a flown-to place clear of the open panels. */
function clearOfPanels(map: MapLibreMap): Padding {
  const panels = ['details-panel', 'list-panel', 'report-sheet', 'mine-panel']
    .map((id) => document.getElementById(id))
    .filter((el): el is HTMLElement => el !== null && !el.hidden)
    .map((el) => el.getBoundingClientRect());
  return panelPadding(map.getContainer().getBoundingClientRect(), panels);
}

function flyToFeature(map: MapLibreMap, feature: BuildingFeature): void {
  const box = geometryBbox(feature.geometry);
  if (!box) return;
  map.fitBounds(
    [
      [box[0], box[1]],
      [box[2], box[3]],
    ],
    { padding: clearOfPanels(map), maxZoom: DETAIL_ZOOM, duration: prefersReducedMotion() ? 0 : 800 },
  );
}

/** The query parameter naming the building whose details are open: a link back to it. */
const PAND_PARAM = 'pand';

/**
 * Keeps the address bar on the building whose details are open (`/?pand={id}`), so that a sign-in
 * link, a reload or a shared link comes back to it; `null` when no building is open.
 */
function showInAddressBar(identificatie: string | null): void {
  const url = new URL(window.location.href);
  if (identificatie) url.searchParams.set(PAND_PARAM, identificatie);
  else url.searchParams.delete(PAND_PARAM);
  if (url.href !== window.location.href) history.replaceState(history.state, '', url);
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/** Starts the app. */
export async function start(): Promise<void> {
  setLang(initialLang(storage()));
  mountLanguageToggle(byId<HTMLButtonElement>('lang-toggle'), storage());
  // Who is signed in never holds up the map.
  const sessions = new SessionState();
  const accountLink = byId<HTMLAnchorElement>('account-link');
  sessions.onChange((session) => showAccountLink(accountLink, session));
  void sessions.load();
  const types = new TypeCatalogue(reports);
  const reportLayers = reportLayerModules(types);
  byId<HTMLInputElement>('search-input').form?.addEventListener('submit', (e) => e.preventDefault());
  const legend = byId<HTMLDetailsElement>('legend');
  if (window.matchMedia?.('(max-width: 600px)').matches) legend.open = false;
  let shownMap: MapLibreMap | undefined;
  // Only for staff whose tiles carry it (who plan visits): its legend row follows the map.
  const doNotKnock = doNotKnockLayer(() => shownMap?.getLayer(DO_NOT_KNOCK_POINT) !== undefined);
  const renderLegend = mountLegend(byId('legend-body'), [...LEGEND_LAYERS, reportLayers.points, reportLayers.counts, doNotKnock]);
  // Type titles for the report points and the legend, early; the sheet asks again if this fails.
  types.all().catch(() => undefined);

  let map: MapLibreMap;
  try {
    map = await createMap(byId('map'), [reportLayers.points, reportLayers.counts]);
  } catch (error) {
    const box = byId('app-error');
    box.textContent = t('app.loadFailed', { message: error instanceof Error ? error.message : String(error) });
    box.hidden = false;
    throw error;
  }
  shownMap = map;
  renderLegend();
  const canvas = map.getCanvas();
  onLangChange(() => {
    canvas.setAttribute('aria-label', t('map.label'));
    relabelControls(map);
  });
  canvas.setAttribute('aria-label', t('map.label'));

  let list: BuildingList | undefined;
  // Set below; the panel's buttons are only pressed after start-up.
  let selectBuilding: (identificatie: string, opener: HTMLElement | null, fly: boolean) => Promise<void> = async () => {};

  const reporting = mountReporting({
    map,
    api: reports,
    sessions,
    types,
    shownBuilding: () => panel.feature,
    selectBuilding: (id, opener) => void selectBuilding(id, opener, true),
    flyTo: (lonlat) =>
      map.flyTo({
        center: [lonlat[0], lonlat[1]],
        zoom: Math.max(map.getZoom(), DETAIL_ZOOM),
        padding: clearOfPanels(map),
        duration: prefersReducedMotion() ? 0 : 800,
      }),
    fallbackFocus: canvas,
  });

  const panel = new BuildingPanel(
    {
      root: byId('details-panel'),
      title: byId('details-title'),
      body: byId('details-body'),
      closeButton: byId<HTMLButtonElement>('details-close'),
    },
    {
      onClose: (opener, identificatie) => {
        showSelection(map, null);
        showInAddressBar(null);
        // The opener may have been re-rendered (the list follows the map): find its successor.
        const target = opener?.isConnected ? opener : (list?.buttonFor(identificatie) ?? canvas);
        target.focus();
      },
      onShowOnMap: (feature) => flyToFeature(map, feature),
      onReport: (feature, button) => reporting.sheet.open(buildingTarget(feature), button),
      extra: (feature) => reporting.timeline.section(feature),
    },
  );

  /** Highlights a building and opens its panel; `fly` also moves the map to it once loaded. */
  selectBuilding = async (identificatie: string, opener: HTMLElement | null, fly: boolean) => {
    // Another building: the sheet about the last one would mislead; its panel offers "Melden" again.
    if (reporting.sheet.isOpen) reporting.sheet.close();
    showSelection(map, identificatie);
    showInAddressBar(identificatie);
    const feature = await panel.open(identificatie, opener);
    if (feature && fly) flyToFeature(map, feature);
  };

  attachInteraction(map, {
    // Report points over everything; the counts per buurt over the areas only (their circles are big).
    layers: [
      doNotKnock,
      reportLayers.points,
      ...TILE_LAYERS.filter((l) => !l.background),
      reportLayers.counts,
      ...TILE_LAYERS.filter((l) => l.background),
    ],
    selectBuilding: (id) => void selectBuilding(id, canvas, false),
    onSpot: reporting.onSpot,
  });

  const searchInput = byId<HTMLInputElement>('search-input');
  new AddressSearch(
    { input: searchInput, listbox: byId('search-results'), status: byId('search-status') },
    {
      onSelect: (result: SearchResult) => {
        // A place, a street or a postcode: show all of it (a street of one house no closer than an
        // address).
        const box = result.bbox;
        if (result.kind !== 'address' && box && box.length === 4) {
          map.fitBounds(
            [
              [box[0] ?? 0, box[1] ?? 0],
              [box[2] ?? 0, box[3] ?? 0],
            ],
            { padding: clearOfPanels(map), maxZoom: DETAIL_ZOOM, duration: prefersReducedMotion() ? 0 : 800 },
          );
          return;
        }
        // Open the panel first, so that the flight keeps clear of it.
        if (result.pand_identificatie) {
          void selectBuilding(result.pand_identificatie, searchInput, false);
        } else {
          byId('search-status').textContent = t('search.noBuilding');
        }
        map.flyTo({
          center: [result.lon, result.lat],
          zoom: DETAIL_ZOOM,
          padding: clearOfPanels(map),
          duration: prefersReducedMotion() ? 0 : 800,
        });
      },
    },
  );

  // Back from signing in (or a shared link): the building of `?pand=`, and the report being written.
  const draft = takeDraft();
  const wanted = new URLSearchParams(window.location.search).get(PAND_PARAM);
  const building = draft?.target.kind === 'building' ? draft.target.building : wanted;
  if (building) {
    void selectBuilding(building, null, true);
  } else if (draft?.target.kind === 'spot') {
    map.jumpTo({ center: [draft.target.lonlat[0], draft.target.lonlat[1]], zoom: Math.max(map.getZoom(), DETAIL_ZOOM) });
  }
  if (draft) {
    // The session is needed to know which types fit (a verified address offers the own-home type).
    void sessions.load().then(() => reporting.sheet.restore(draft, canvas));
  }

  list = new BuildingList(
    {
      root: byId('list-panel'),
      toggle: byId<HTMLButtonElement>('list-toggle'),
      closeButton: byId<HTMLButtonElement>('list-close'),
      list: byId('list-items'),
      status: byId('list-status'),
    },
    {
      map,
      onActivate: (feature, button) => {
        void selectBuilding(feature.properties.identificatie, button, false);
        flyToFeature(map, feature);
      },
    },
  );
}
