// The reports about one building in its details panel (GET /api/buildings/{id}/timeline), newest
// first, each with its weight (freshness × confirmations) as a meter. Only staff in scope, admins
// and residents who verified an address in the building may see it: the section is asked for
// signed-in accounts only (a device or a visitor never may) and stays hidden on 401 or 403.

import { ApiError } from '../api/http';
import type { ReportsApi, Timeline } from '../api/reports';
import { formatNumber, onLangChange, t } from '../i18n';
import { h } from '../ui/element';
import { errorMessage } from '../ui/errorMessage';
import type { TypeCatalogue } from './catalogue';
import { formatDate, statusAnswer, statusLabel } from './labels';
import type { SessionState } from './session';

type State =
  | { kind: 'loading' }
  | { kind: 'loaded'; timeline: Timeline }
  | { kind: 'hidden' }
  | { kind: 'failed'; message: string };

export class BuildingTimeline {
  private building: string | null = null;
  private state: State = { kind: 'hidden' };
  private readonly element: HTMLElement;
  private controller = 0;

  constructor(
    private readonly api: Pick<ReportsApi, 'timeline'>,
    private readonly types: TypeCatalogue,
    private readonly sessions: SessionState,
  ) {
    this.element = h('section', { className: 'timeline', attrs: { id: 'building-timeline', 'aria-live': 'polite' } });
    this.element.hidden = true;
    onLangChange(() => this.render());
  }

  /** The section for `building` (loading it when it is another building), or null for visitors. */
  section(building: string): HTMLElement | null {
    if (!this.sessions.current?.user) return null;
    if (building !== this.building) void this.load(building);
    return this.element;
  }

  /** Loads the shown building again (after a report about it). */
  refresh(): void {
    if (this.building !== null && this.sessions.current?.user) void this.load(this.building);
  }

  private async load(building: string): Promise<void> {
    this.building = building;
    const ticket = ++this.controller;
    this.state = { kind: 'loading' };
    this.render();
    try {
      const [timeline] = await Promise.all([this.api.timeline(building), this.types.all().catch(() => [])]);
      if (ticket !== this.controller) return;
      this.state = { kind: 'loaded', timeline };
    } catch (error) {
      if (ticket !== this.controller) return;
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
    // Loading stays invisible: most accounts are not allowed, and a flash of "loading" would tell them nothing.
    this.element.hidden = s.kind === 'hidden' || s.kind === 'loading';
    const heading = h('h3', { i18n: 'timeline.title' });
    switch (s.kind) {
      case 'hidden':
      case 'loading':
        this.element.replaceChildren();
        return;
      case 'failed':
        this.element.replaceChildren(heading, h('p', { className: 'panel-message panel-error', text: t('timeline.failed', { message: s.message }) }));
        return;
      case 'loaded':
        break;
    }
    const entries = [...s.timeline.entries].sort((a, b) => b.observed_at.localeCompare(a.observed_at));
    if (entries.length === 0) {
      this.element.replaceChildren(heading, h('p', { className: 'panel-message', i18n: 'timeline.empty' }));
      return;
    }
    const top = Math.max(...entries.map((e) => e.weight), 1);
    const items = entries.map((e) => {
      const type = this.types.get(e.type);
      const weight = new Intl.NumberFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 2 }).format(e.weight);
      const meter = h('meter', { attrs: { min: '0', max: String(top), value: String(e.weight), 'aria-hidden': 'true' } });
      return h(
        'li',
        { className: 'timeline-entry', attrs: { 'data-id': String(e.id) } },
        h('p', { className: 'timeline-title', text: t('timeline.entry', { type: this.types.title(e.type), answer: statusAnswer(type, e.answers, e.status_class) }) }),
        h('p', {
          className: 'timeline-meta',
          text: t('timeline.meta', { date: formatDate(e.observed_at), status: statusLabel(e.status), count: formatNumber(e.confirmations), weight }),
        }),
        meter,
      );
    });
    this.element.replaceChildren(heading, h('ol', { className: 'timeline-list' }, ...items));
  }
}
