// The details panel of one building (BAG pand): its facts and its addresses, from
// `/ogc/collections/buildings/items/{identificatie}`. The building is named by its addresses
// (ui/buildingName.ts) and its facts are in words; the BAG id and the register's codes are in the
// collapsed "details for GIS" fold at the end. Opening moves the focus to the panel's heading;
// Escape or the close button closes it and gives the focus back to what opened it.

import { ApiError, fetchBuilding, type Address, type BuildingFeature } from '../api/client';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n';
import { formatBouwjaar, bouwjaarClass } from '../map/bouwjaar';
import { addressLabel, streetLine } from './address';
import { buildingName, buildingUnits } from './buildingName';
import { gisFold, type GisRow } from './gis';
import { addressStatusLabel, buildingStatusLabel, fieldLabel, formatArea, formatCount, usesLabel } from './words';

export interface PanelElements {
  readonly root: HTMLElement;
  readonly title: HTMLElement;
  readonly body: HTMLElement;
  readonly closeButton: HTMLButtonElement;
}

export interface PanelOptions {
  /** Called after the panel closed, with the element that opened it (to give the focus back). */
  readonly onClose: (opener: HTMLElement | null, identificatie: string) => void;
  /** "Show on map" for the loaded building. */
  readonly onShowOnMap: (feature: BuildingFeature) => void;
  readonly fetch?: (identificatie: string, signal: AbortSignal) => Promise<BuildingFeature>;
  /** "Melden over dit pand": when given, the loaded building gets the button, first. */
  readonly onReport?: (feature: BuildingFeature, button: HTMLButtonElement) => void;
  /** A section after the addresses (the reports timeline), or null; asked on every render. */
  readonly extra?: (feature: BuildingFeature) => HTMLElement | null;
}

type State =
  | { kind: 'closed' }
  | { kind: 'loading'; id: string }
  | { kind: 'loaded'; id: string; feature: BuildingFeature }
  | { kind: 'not-found'; id: string }
  | { kind: 'failed'; id: string; message: string };

export class BuildingPanel {
  private state: State = { kind: 'closed' };
  private opener: HTMLElement | null = null;
  private controller: AbortController | undefined;
  private readonly fetch: (identificatie: string, signal: AbortSignal) => Promise<BuildingFeature>;

  constructor(
    private readonly el: PanelElements,
    private readonly options: PanelOptions,
  ) {
    this.fetch = options.fetch ?? fetchBuilding;
    el.root.hidden = true;
    el.title.tabIndex = -1;
    el.closeButton.addEventListener('click', () => this.close());
    document.addEventListener('keydown', (e) => {
      if ((e.key === 'Escape' || e.key === 'Esc') && !e.defaultPrevented && this.isOpen) {
        e.preventDefault();
        this.close();
      }
    });
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return this.state.kind !== 'closed';
  }

  /** The building shown once loaded, else null. */
  get feature(): BuildingFeature | null {
    return this.state.kind === 'loaded' ? this.state.feature : null;
  }

  /** The identificatie shown, or null when closed. */
  get identificatie(): string | null {
    return this.state.kind === 'closed' ? null : this.state.id;
  }

  /** Opens the panel for a building; resolves with the feature once loaded (null if it failed). */
  async open(identificatie: string, opener: HTMLElement | null): Promise<BuildingFeature | null> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    // Keep the first opener while the user moves from building to building inside the panel flow.
    if (!this.isOpen) this.opener = opener;
    this.state = { kind: 'loading', id: identificatie };
    this.render();
    this.el.root.hidden = false;
    this.el.title.focus();
    try {
      const feature = await this.fetch(identificatie, controller.signal);
      if (controller.signal.aborted) return null;
      this.state = { kind: 'loaded', id: identificatie, feature };
      this.render();
      return feature;
    } catch (error) {
      if (controller.signal.aborted) return null;
      this.state =
        error instanceof ApiError && error.status === 404
          ? { kind: 'not-found', id: identificatie }
          : { kind: 'failed', id: identificatie, message: error instanceof Error ? error.message : String(error) };
      this.render();
      return null;
    }
  }

  /** Closes the panel and hands the focus back. */
  close(): void {
    if (this.state.kind === 'closed') return;
    const id = this.state.id;
    this.controller?.abort();
    this.state = { kind: 'closed' };
    this.el.root.hidden = true;
    this.el.body.replaceChildren();
    const opener = this.opener;
    this.opener = null;
    this.options.onClose(opener, id);
  }

  private render(): void {
    const s = this.state;
    if (s.kind === 'closed') return;
    // A building is named by its addresses; until they are in, by what it is.
    this.el.title.textContent = s.kind === 'loaded' ? buildingName(s.feature.properties.adressen) : t('panel.titleLoading');
    this.el.body.setAttribute('aria-busy', String(s.kind === 'loading'));
    switch (s.kind) {
      case 'loading':
        this.el.body.replaceChildren(paragraph(t('panel.loading'), 'panel-message'));
        break;
      case 'not-found':
        this.el.body.replaceChildren(paragraph(t('panel.notFound'), 'panel-message'), gisFold([[fieldLabel('identificatie'), s.id, 'identificatie']]));
        break;
      case 'failed':
        this.el.body.replaceChildren(paragraph(t('panel.failed', { message: s.message }), 'panel-message panel-error'));
        break;
      case 'loaded':
        this.el.body.replaceChildren(...this.details(s.feature));
        break;
    }
  }

  private details(feature: BuildingFeature): Node[] {
    const p = feature.properties;
    const none = t('panel.none');

    const facts = document.createElement('dl');
    facts.className = 'facts';
    const fact = (key: MessageKey, value: string, extra?: (dd: HTMLElement) => void) => {
      const dt = document.createElement('dt');
      dt.textContent = t(key);
      const dd = document.createElement('dd');
      dd.textContent = value;
      extra?.(dd);
      facts.append(dt, dd);
    };
    fact('panel.units', buildingUnits(p.adressen));
    fact('panel.bouwjaar', formatBouwjaar(p.bouwjaar, t('bouwjaar.unknown')), (dd) => {
      const swatch = document.createElement('span');
      swatch.className = 'swatch swatch-fill';
      swatch.style.setProperty('--swatch', bouwjaarClass(p.bouwjaar).colour);
      swatch.setAttribute('aria-hidden', 'true');
      dd.prepend(swatch);
    });
    fact('panel.gebruiksdoel', usesLabel(p.gebruiksdoel) ?? none);
    fact('panel.status', buildingStatusLabel(p.status));
    fact('panel.buurt', p.buurtnaam ?? none);
    fact('panel.wijk', p.wijknaam ?? none);
    fact('panel.gemeente', p.gemeentenaam ?? none);
    if (p.b3_dak_type !== null) {
      const m2 = (v: number | null) => (v === null ? none : formatNumber(Math.round(v)));
      fact('panel.dak', t('panel.dakValue', { type: roofTypeLabel(p.b3_dak_type), flat: m2(p.b3_opp_dak_plat), sloped: m2(p.b3_opp_dak_schuin) }));
      fact('panel.dakZon', `${m2(p.opp_dak_geschikt_zon)} m²`);
    }
    const labels = energyLabels(p.adressen.map((a) => a.energieklasse));
    if (labels) fact('panel.energielabels', labels);

    const heading = document.createElement('h3');
    heading.textContent = t('panel.adressenCount', { count: formatCount(p.adressen.length) });
    const addresses: Node =
      p.adressen.length === 0 ? paragraph(t('panel.noAddresses'), 'panel-message') : addressList(p.adressen);

    const showOnMap = document.createElement('button');
    showOnMap.type = 'button';
    showOnMap.className = 'button-secondary';
    showOnMap.textContent = t('panel.zoomTo');
    showOnMap.addEventListener('click', () => this.options.onShowOnMap(feature));

    const nodes: Node[] = [facts, showOnMap, heading, addresses];
    const onReport = this.options.onReport;
    if (onReport) {
      const report = document.createElement('button');
      report.type = 'button';
      report.id = 'details-report';
      report.className = 'button-primary button-report';
      report.textContent = t('report.fromPanel');
      report.addEventListener('click', () => onReport(feature, report));
      nodes.unshift(report);
    }
    const extra = this.options.extra?.(feature);
    if (extra) nodes.push(extra);
    nodes.push(buildingGis(feature));
    return nodes;
  }
}

/** The register's own fields and ids of a building and its addresses, for GIS users. */
function buildingGis(feature: BuildingFeature): HTMLElement {
  const p = feature.properties;
  const rows: GisRow[] = [
    [fieldLabel('identificatie'), p.identificatie, 'identificatie'],
    [fieldLabel('status'), p.status],
    [fieldLabel('gebruiksdoel'), p.gebruiksdoel ?? ''],
    [fieldLabel('aantal_verblijfsobjecten'), String(p.aantal_verblijfsobjecten)],
    [fieldLabel('buurtcode'), p.buurtcode ?? ''],
    [fieldLabel('wijkcode'), p.wijkcode ?? ''],
    [fieldLabel('gemeentecode'), p.gemeentecode ?? ''],
    ...p.adressen.map((a): GisRow => [streetLine(a), a.identificatie]),
  ];
  return gisFold(rows);
}

/** The energy classes of a building's addresses, best first with their counts ("A (2), C (1)"); empty without any. */
export function energyLabels(classes: readonly (string | null)[]): string {
  const order = ['A+++++', 'A++++', 'A+++', 'A++', 'A+', 'A', 'B', 'C', 'D', 'E', 'F', 'G'];
  const counts = new Map<string, number>();
  for (const c of classes) if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
  return order
    .filter((c) => counts.has(c))
    .map((c) => `${c} (${formatNumber(counts.get(c) ?? 0)})`)
    .join(', ');}

function paragraph(text: string, className: string): HTMLElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

function addressList(addresses: readonly Address[]): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'addresses';
  for (const a of addresses) {
    const li = document.createElement('li');
    li.className = 'address';
    li.dataset['identificatie'] = a.identificatie;
    const label = document.createElement('span');
    label.className = 'address-label';
    label.textContent = addressLabel(a);
    const meta = document.createElement('span');
    meta.className = 'address-meta';
    const parts = [usesLabel(a.gebruiksdoel)];
    if (a.oppervlakte !== null) parts.push(formatArea(a.oppervlakte));
    parts.push(addressStatusLabel(a.status));
    meta.textContent = parts.filter((x): x is string => Boolean(x)).join(' · ');
    li.append(label, meta);
    ul.append(li);
  }
  return ul;
}

const ROOF_TYPES: Readonly<Record<string, MessageKey>> = {
  slanted: 'roofType.slanted',
  'multiple horizontal': 'roofType.multipleHorizontal',
  'single horizontal': 'roofType.singleHorizontal',
  horizontal: 'roofType.horizontal',
  'no points': 'roofType.unknown',
  'could not detect': 'roofType.unknown',
};

/** 3DBAG's roof type in words. */
export function roofTypeLabel(type: string): string {
  return t(ROOF_TYPES[type] ?? 'roofType.unknown');
}
