// The reports about one building in its details panel (GET /api/buildings/{id}/timeline): the open
// ones first (new, confirmed), newest first, each with its weight (freshness × confirmations) as a
// meter; the closed ones in a fold. Only staff in scope, admins and residents who verified an
// address in the building may see them, so the page asks only those (report/access.ts): a visitor,
// a device, a resident without a letter code for this building or the gemeente never cause a 403.

import type { BuildingFeature } from '../api/client';
import { ApiError } from '../api/http';
import type { Observation, ReportsApi, Timeline } from '../api/reports';
import { onLangChange, t } from '../i18n';
import { streetLine } from '../ui/address';
import { h } from '../ui/element';
import { errorMessage } from '../ui/errorMessage';
import { formatCount, plural } from '../ui/words';
import { mayReadBuildingReports } from './access';
import type { TypeCatalogue } from './catalogue';
import { formatDate, statusAnswer, statusLabel } from './labels';
import type { SessionState } from './session';

type Entry = Timeline['entries'][number];

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; timeline: Timeline }
  | { kind: 'hidden' }
  | { kind: 'failed'; message: string };

/** Statuses of a report someone can still act on. */
const OPEN = new Set(['new', 'confirmed']);

export class BuildingTimeline {
  private feature: BuildingFeature | null = null;
  private state: State = { kind: 'hidden' };
  private readonly element: HTMLElement;
  private ticket = 0;

  constructor(
    private readonly api: Pick<ReportsApi, 'timeline'>,
    private readonly types: TypeCatalogue,
    private readonly sessions: SessionState,
  ) {
    this.element = h('section', { className: 'timeline', attrs: { id: 'building-timeline', 'aria-live': 'polite' } });
    this.element.hidden = true;
    onLangChange(() => this.render());
    // Signing in or out changes who may see the reports.
    sessions.onChange(() => this.refresh());
  }

  /**
   * The section for `feature` (loading it when it is another building); hidden for those who may
   * not see the reports, who are never asked (the session may come in later: it is asked again).
   */
  section(feature: BuildingFeature): HTMLElement {
    if (feature.properties.identificatie !== this.feature?.properties.identificatie) void this.load(feature);
    return this.element;
  }

  /** Loads the shown building again (after a report about it). */
  refresh(): void {
    if (this.feature !== null) void this.load(this.feature);
  }

  private async load(feature: BuildingFeature): Promise<void> {
    this.feature = feature;
    const ticket = ++this.ticket;
    if (!this.sessions.current?.user) {
      this.state = { kind: 'hidden' };
      this.render();
      return;
    }
    this.state = { kind: 'loading' };
    this.render();
    const types = await this.types.all().catch(() => []);
    if (ticket !== this.ticket) return;
    if (!mayReadBuildingReports(this.sessions.current, feature.properties, types)) {
      this.state = { kind: 'hidden' };
      this.render();
      return;
    }
    try {
      const timeline = await this.api.timeline(feature.properties.identificatie);
      if (ticket !== this.ticket) return;
      this.state = { kind: 'loaded', timeline };
    } catch (error) {
      if (ticket !== this.ticket) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        this.state = { kind: 'hidden' };
      } else {
        const m = errorMessage(error);
        this.state = { kind: 'failed', message: t(m.key, m.params ? { ...m.params } : {}) };
      }
    }
    this.render();
  }

  private render(): void {
    const s = this.state;
    // Loading stays invisible: a flash of "loading" would tell nothing.
    this.element.hidden = s.kind === 'hidden' || s.kind === 'loading';
    switch (s.kind) {
      case 'hidden':
      case 'loading':
        this.element.replaceChildren();
        return;
      case 'failed':
        this.element.replaceChildren(
          h('h3', { i18n: 'timeline.title' }),
          h('p', { className: 'panel-message panel-error', text: t('timeline.failed', { message: s.message }) }),
        );
        return;
      case 'loaded':
        break;
    }
    const entries = [...s.timeline.entries].sort((a, b) => b.observed_at.localeCompare(a.observed_at));
    const open = entries.filter((e) => OPEN.has(e.status));
    const closed = entries.filter((e) => !OPEN.has(e.status));
    const top = Math.max(...entries.map((e) => e.weight), 1);
    const nodes: Node[] = [h('h3', { text: t('timeline.openTitle', { count: formatCount(open.length) }) })];
    nodes.push(
      open.length === 0
        ? h('p', { className: 'panel-message', i18n: 'timeline.noneOpen' })
        : h('ol', { className: 'timeline-list' }, ...open.map((e) => this.entry(e, top))),
    );
    if (closed.length > 0) {
      nodes.push(
        h(
          'details',
          { className: 'timeline-closed' },
          h('summary', { text: t('timeline.closedTitle', { count: formatCount(closed.length) }) }),
          h('ol', { className: 'timeline-list' }, ...closed.map((e) => this.entry(e, top))),
        ),
      );
    }
    this.element.replaceChildren(...nodes);
  }

  /** Where a report about one home in the building is: its address (the building's own list). */
  private addressOf(o: Observation): string | null {
    const id = o.target.address;
    const address = id ? this.feature?.properties.adressen.find((a) => a.identificatie === id) : undefined;
    return address ? streetLine(address) : null;
  }

  private entry(e: Entry, top: number): HTMLElement {
    const type = this.types.get(e.type);
    const address = this.addressOf(e);
    const meta = [formatDate(e.observed_at), statusLabel(e.status)];
    if (e.confirmations > 0) meta.push(plural('timeline.confirmed', e.confirmations));
    return h(
      'li',
      { className: 'timeline-entry', attrs: { 'data-id': String(e.id) } },
      h('p', { className: 'timeline-title', text: t('timeline.entry', { type: this.types.title(e.type), answer: statusAnswer(type, e.answers, e.status_class) }) }),
      address ? h('p', { className: 'timeline-about', text: t('timeline.about', { address }) }) : null,
      h('p', { className: 'timeline-meta', text: meta.join(' · ') }),
      h('meter', { attrs: { min: '0', max: String(top), value: String(e.weight), 'aria-hidden': 'true' } }),
    );
  }
}
