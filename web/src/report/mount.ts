// The report flow on the map page, wired to the map: the "Melden" sheet, "Mijn meldingen", the
// timeline in the details panel, the floating buttons, the spot marker, the "Bedankt" message,
// and the map refresh after a report (refreshReportTiles).
//
// Ways in: "Melden over dit pand" in the details panel (after a tap, the search or the list);
// a tap on a spot outside the buildings → "Hier melden" in the popup; the floating "Melden"
// button (the building in the details panel, else the map centre: the keyboard path to a spot).

import * as maplibregl from 'maplibre-gl';
import type { LngLat, Map as MapLibreMap, MapGeoJSONFeature } from 'maplibre-gl';
import type { BuildingFeature } from '../api/client';
import type { Confirmation, Observation, ReportsApi } from '../api/reports';
import { onLangChange, t, type MessageKey } from '../i18n';
import { geometryBbox } from '../map/extent';
import type { ShowPopup } from '../map/interaction';
import { AREAS_FILL, areaDescription } from '../map/layers/areas';
import { reportCountsLayer } from '../map/layers/reportCounts';
import { refreshReportTiles, reportsLayer } from '../map/layers/reports';
import type { TileLayerModule } from '../map/layer';
import { addressLabel } from '../ui/address';
import { byId, h } from '../ui/element';
import type { Message } from '../ui/errorMessage';
import { TypeCatalogue } from './catalogue';
import { statusClassLabel } from './labels';
import { MyReports } from './mine';
import type { SessionState } from './session';
import { ReportSheet } from './sheet';
import type { Target } from './targets';
import { BuildingTimeline } from './timeline';

/** How long the "Bedankt" message stays unless the user is in it. */
const TOAST_MS = 12_000;
const AREA_ORDER = ['buurt', 'wijk', 'gemeente'];

/** The building of the details panel as a report target. */
export function buildingTarget(feature: BuildingFeature): Target {
  const box = geometryBbox(feature.geometry);
  return {
    kind: 'building',
    building: feature.properties.identificatie,
    addresses: feature.properties.adressen.map((a) => ({ id: a.identificatie, label: addressLabel(a) })),
    names: feature.properties.adressen.map(({ openbare_ruimte_naam, huisnummer, huisletter, toevoeging }) => ({ openbare_ruimte_naam, huisnummer, huisletter, toevoeging })),
    lonlat: box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null,
  };
}

/** A spot as a report target, named after the smallest area it lies in. */
export function spotTarget(lngLat: { lng: number; lat: number }, hits: readonly MapGeoJSONFeature[]): Target {
  const areas = hits
    .filter((f) => f.layer.id === AREAS_FILL && typeof f.properties?.['kind'] === 'string')
    .sort((a, b) => AREA_ORDER.indexOf(String(a.properties['kind'])) - AREA_ORDER.indexOf(String(b.properties['kind'])));
  return { kind: 'spot', lonlat: [lngLat.lng, lngLat.lat], area: areas[0] ? areaDescription(areas[0].properties) : null };
}

export interface ReportingOptions {
  readonly map: MapLibreMap;
  readonly api: ReportsApi;
  readonly sessions: SessionState;
  readonly types: TypeCatalogue;
  /** The building in the details panel, if any. */
  readonly shownBuilding: () => BuildingFeature | null;
  readonly selectBuilding: (identificatie: string, opener: HTMLElement | null) => void;
  readonly flyTo: (lonlat: readonly [number, number]) => void;
  /** Where the focus goes when a panel closes and its opener is gone. */
  readonly fallbackFocus: HTMLElement;
}

export interface Reporting {
  readonly sheet: ReportSheet;
  readonly mine: MyReports;
  readonly timeline: BuildingTimeline;
  /** For the click dispatch: a tap on a spot. */
  readonly onSpot: (lngLat: LngLat, hits: readonly MapGeoJSONFeature[], showPopup: ShowPopup) => boolean;
}

/** The report layers as layer modules (clicks and legend): the points, and the counts per buurt. */
export function reportLayerModules(types: TypeCatalogue): { points: TileLayerModule; counts: TileLayerModule } {
  const typeTitle = (name: string) => types.title(name);
  return { points: reportsLayer({ typeTitle, classLabel: statusClassLabel }), counts: reportCountsLayer(typeTitle) };
}

class Toast {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private key: MessageKey | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly text: HTMLElement,
  ) {
    byId<HTMLButtonElement>('report-toast-close').addEventListener('click', () => this.hide());
    onLangChange(() => {
      if (this.key) text.textContent = t(this.key);
    });
  }

  show(key: MessageKey): void {
    this.key = key;
    this.text.textContent = t(key);
    this.root.hidden = false;
    clearTimeout(this.timer);
    const hideLater = () => {
      this.timer = setTimeout(() => (this.root.contains(document.activeElement) ? hideLater() : this.hide()), TOAST_MS);
    };
    hideLater();
  }

  hide(): void {
    clearTimeout(this.timer);
    this.root.hidden = true;
    this.key = null;
  }
}

/** Wires the report flow into the map page. */
export function mountReporting(options: ReportingOptions): Reporting {
  const { map, api, sessions, types } = options;
  const toast = new Toast(byId('report-toast'), byId('report-toast-text'));
  const mineButton = byId<HTMLButtonElement>('mine-open');
  const reportButton = byId<HTMLButtonElement>('report-open');
  const focusBack = (opener: HTMLElement | null) => (opener?.isConnected ? opener : options.fallbackFocus).focus();

  const markerElement = h('div', { className: 'spot-marker', attrs: { 'aria-hidden': 'true' } }, h('span', { className: 'spot-pin' }));
  const marker = new maplibregl.Marker({ element: markerElement, anchor: 'bottom' });
  const timeline = new BuildingTimeline(api, types, sessions);

  const centreSpot = (): Target => {
    const centre = map.getCenter();
    const hits = map.getLayer(AREAS_FILL) ? map.queryRenderedFeatures(map.project(centre), { layers: [AREAS_FILL] }) : [];
    return spotTarget(centre, hits);
  };

  const refreshMap = () => {
    refreshReportTiles(map);
    timeline.refresh();
  };

  const mine = new MyReports(
    { root: byId('mine-panel'), title: byId('mine-title'), status: byId('mine-status'), list: byId('mine-list'), closeButton: byId<HTMLButtonElement>('mine-close') },
    {
      api,
      types,
      sessions,
      onShow: (o: Observation) => {
        mine.close();
        if (o.target.building) options.selectBuilding(o.target.building, mineButton);
        options.flyTo(o.target.point.coordinates);
      },
      onWithdrawn: () => refreshMap(),
      onClose: focusBack,
    },
  );

  const showMine = (opener: HTMLElement) => {
    toast.hide();
    void mine.open(opener);
  };

  const sheet = new ReportSheet(
    { root: byId('report-sheet'), title: byId('report-title'), target: byId('report-target'), body: byId('report-body'), closeButton: byId<HTMLButtonElement>('report-close') },
    {
      api,
      types,
      sessions,
      onReported: (observation: Observation, photoProblems: readonly Message[]) => {
        refreshMap();
        void mine.refresh();
        const onMap = types.get(observation.type)?.public_space ?? false;
        toast.show(onMap ? 'report.thanks' : 'report.thanksPrivate');
        if (photoProblems.length > 0) toast.show('report.savedPhotoProblems');
      },
      onConfirmed: (_confirmation: Confirmation, photosDropped?: boolean) => {
        refreshMap();
        void mine.refresh();
        toast.show('report.thanksConfirm');
        if (photosDropped === true) toast.show('report.photosNotKeptConfirm');
      },
      onShowMine: (opener) => {
        sheet.close();
        showMine(opener.isConnected ? opener : mineButton);
      },
      centreSpot: () => centreSpot(),
      onTarget: (target) => {
        if (target?.kind === 'spot') marker.setLngLat([target.lonlat[0], target.lonlat[1]]).addTo(map);
        else marker.remove();
      },
      onClose: focusBack,
    },
  );

  reportButton.addEventListener('click', () => {
    toast.hide();
    const shown = options.shownBuilding();
    sheet.open(shown ? buildingTarget(shown) : centreSpot(), reportButton);
  });
  mineButton.addEventListener('click', () => showMine(mineButton));
  byId<HTMLButtonElement>('report-toast-mine').addEventListener('click', () => showMine(mineButton));
  sessions.onChange(() => {
    mineButton.hidden = !sessions.canReport;
  });

  const onSpot = (lngLat: LngLat, hits: readonly MapGeoJSONFeature[], showPopup: ShowPopup): boolean => {
    const target = spotTarget(lngLat, hits);
    if (sheet.current?.kind === 'spot' && target.kind === 'spot') {
      sheet.moveSpot(target);
      return true;
    }
    const here = h('button', { className: 'button-primary', i18n: 'report.here', attrs: { type: 'button', id: 'spot-report' } });
    const content = h('div', { className: 'popup-spot' }, target.kind === 'spot' && target.area ? h('p', { className: 'popup-text', text: target.area }) : null, here);
    const closePopup = showPopup(content);
    here.addEventListener('click', () => {
      closePopup();
      sheet.open(target, map.getCanvas());
    });
    return true;
  };

  return { sheet, mine, timeline, onSpot };
}
