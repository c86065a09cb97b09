// The list view: the buildings in the current map view as buttons, the keyboard and screen-reader
// path to everything the map shows. It follows the map while open
// (`/ogc/collections/buildings/items?bbox=…&limit=50`).

import type { Map as MapLibreMap } from 'maplibre-gl';
import { fetchBuildingsInBbox, type BuildingFeature, type BuildingFeatureCollection } from '../api/client';
import { onLangChange, t, type MessageKey } from '../i18n';
import { formatBouwjaar } from '../map/bouwjaar';
import { viewBbox } from '../map/extent';
import { buildingName, buildingUnits } from './buildingName';

/** How many buildings the list shows at most. */
export const LIST_LIMIT = 50;

export interface ListElements {
  readonly root: HTMLElement;
  readonly toggle: HTMLButtonElement;
  readonly closeButton: HTMLButtonElement;
  readonly list: HTMLElement;
  /** A polite live region for the count. */
  readonly status: HTMLElement;
}

export interface ListOptions {
  readonly map: MapLibreMap;
  /** A building button was activated (click, Enter or Space). */
  readonly onActivate: (feature: BuildingFeature, button: HTMLButtonElement) => void;
  readonly fetch?: (bbox: [number, number, number, number], limit: number, signal: AbortSignal) => Promise<BuildingFeatureCollection>;
  readonly debounceMs?: number;
}

type Status = { key: MessageKey; params?: Record<string, string | number> };

/** The button text of a building: its name (ui/buildingName.ts), what is in it, and its bouwjaar. */
export function buildingListLabel(feature: BuildingFeature): string {
  const p = feature.properties;
  return t('list.item', {
    label: buildingName(p.adressen),
    units: buildingUnits(p.adressen),
    bouwjaar: formatBouwjaar(p.bouwjaar, t('bouwjaar.unknown')),
  });
}

export class BuildingList {
  private features: BuildingFeature[] = [];
  private status: Status = { key: 'list.loading' };
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly fetch: NonNullable<ListOptions['fetch']>;

  constructor(
    private readonly el: ListElements,
    private readonly options: ListOptions,
  ) {
    this.fetch = options.fetch ?? ((bbox, limit, signal) => fetchBuildingsInBbox({ bbox, limit }, signal));
    el.root.hidden = true;
    el.toggle.setAttribute('aria-expanded', 'false');
    el.toggle.setAttribute('aria-controls', el.root.id);
    el.list.setAttribute('role', 'list');
    el.toggle.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    el.closeButton.addEventListener('click', () => {
      this.close();
      el.toggle.focus();
    });
    el.list.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest<HTMLButtonElement>('button[data-index]');
      const feature = button ? this.features[Number(button.dataset['index'])] : undefined;
      if (button && feature) this.options.onActivate(feature, button);
    });
    options.map.on('moveend', () => {
      if (!this.isOpen) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.refresh(), options.debounceMs ?? 250);
    });
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return !this.el.root.hidden;
  }

  open(): void {
    this.el.root.hidden = false;
    this.el.toggle.setAttribute('aria-expanded', 'true');
    void this.refresh();
  }

  close(): void {
    this.el.root.hidden = true;
    this.el.toggle.setAttribute('aria-expanded', 'false');
    this.controller?.abort();
  }

  /** The button of a building, if the list shows it. */
  buttonFor(identificatie: string): HTMLButtonElement | null {
    return this.el.list.querySelector<HTMLButtonElement>(`button[data-identificatie="${CSS.escape(identificatie)}"]`);
  }

  /** Reloads the buildings in view. */
  async refresh(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setStatus({ key: 'list.loading' });
    try {
      const bbox = viewBbox(this.options.map.getBounds()) as [number, number, number, number];
      const page = await this.fetch(bbox, LIST_LIMIT, controller.signal);
      if (controller.signal.aborted) return;
      this.setFeatures(page.features);
      const n = page.features.length;
      const more = (page.numberMatched ?? n) > n || page.links.some((l) => l.rel === 'next');
      this.setStatus(
        n === 0 ? { key: 'list.empty' } : { key: more ? 'list.countCapped' : 'list.count', params: { count: n } },
      );
    } catch (error) {
      if (controller.signal.aborted) return;
      this.setFeatures([]);
      this.setStatus({ key: 'list.failed', params: { message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private setFeatures(features: BuildingFeature[]): void {
    const same =
      features.length === this.features.length && features.every((f, i) => f.id === this.features[i]?.id);
    this.features = features;
    // The same buildings in the same order: keep the buttons, and with them the keyboard focus.
    if (!same || this.el.list.childElementCount !== features.length) this.render();
  }

  private setStatus(status: Status): void {
    this.status = status;
    this.el.status.textContent = t(status.key, status.params);
  }

  private render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.['identificatie'];
    this.el.list.replaceChildren(
      ...this.features.map((f, i) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'list-item';
        button.dataset['index'] = String(i);
        button.dataset['identificatie'] = f.properties.identificatie;
        button.textContent = buildingListLabel(f);
        li.append(button);
        return li;
      }),
    );
    this.el.status.textContent = t(this.status.key, this.status.params);
    if (focusedId) this.buttonFor(focusedId)?.focus();
  }
}
