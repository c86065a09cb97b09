// "Mijn meldingen": the caller's reports (GET /api/my/observations), each named by its address
// (ui/placeNames.ts), with their status, "Toon op kaart", and withdrawing (DELETE) after a second
// "Ja, intrekken". A panel like the list view:
// opening moves the focus to its heading, Escape or × closes it and gives the focus back.

import type { Observation, ReportsApi } from '../api/reports';
import { formatNumber, onLangChange, t } from '../i18n';
import { h } from '../ui/element';
import { errorMessage } from '../ui/errorMessage';
import { PlaceNames } from '../ui/placeNames';
import { plural } from '../ui/words';
import type { TypeCatalogue } from './catalogue';
import { formatDate, statusAnswer, statusLabel } from './labels';
import type { SessionState } from './session';

export interface MineElements {
  readonly root: HTMLElement;
  readonly title: HTMLElement;
  readonly status: HTMLElement;
  readonly list: HTMLElement;
  readonly closeButton: HTMLButtonElement;
}

export interface MineOptions {
  readonly api: Pick<ReportsApi, 'mine' | 'withdraw'>;
  /** The names of the buildings and addresses the reports are about. */
  readonly names?: PlaceNames;
  readonly types: TypeCatalogue;
  readonly sessions: SessionState;
  readonly onShow: (observation: Observation) => void;
  readonly onWithdrawn: (observation: Observation) => void;
  readonly onClose: (opener: HTMLElement | null) => void;
}

/** Statuses from which a report can still be withdrawn. */
const OPEN_STATUSES = ['new', 'confirmed'];

export class MyReports {
  private reports: Observation[] | null = null;
  private failure: string | null = null;
  private asking: number | null = null;
  private opener: HTMLElement | null = null;
  private readonly names: PlaceNames;

  constructor(
    private readonly el: MineElements,
    private readonly options: MineOptions,
  ) {
    this.names = options.names ?? new PlaceNames();
    el.root.hidden = true;
    el.title.tabIndex = -1;
    el.closeButton.addEventListener('click', () => this.close());
    el.root.addEventListener('keydown', (e) => {
      if ((e.key === 'Escape' || e.key === 'Esc') && !e.defaultPrevented) {
        e.preventDefault();
        this.close();
      }
    });
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return !this.el.root.hidden;
  }

  async open(opener: HTMLElement | null): Promise<void> {
    if (!this.isOpen) this.opener = opener;
    // What was listed before may be out of date (a confirmation by someone else): not shown again.
    this.reports = null;
    this.el.list.replaceChildren();
    this.el.root.hidden = false;
    this.el.title.focus();
    await this.refresh();
  }

  close(): void {
    if (!this.isOpen) return;
    this.el.root.hidden = true;
    this.asking = null;
    const opener = this.opener;
    this.opener = null;
    this.options.onClose(opener);
  }

  /** Loads the list again (after a report, a confirmation or a withdrawal) when it is open. */
  async refresh(): Promise<void> {
    if (!this.isOpen) return;
    if (!this.options.sessions.canReport) {
      this.reports = [];
      this.failure = null;
      this.render();
      return;
    }
    this.el.list.setAttribute('aria-busy', 'true');
    this.el.status.textContent = t('mine.loading');
    try {
      // Type titles are nice to have; the list shows without them.
      const [reports] = await Promise.all([this.options.api.mine(), this.options.types.all().catch(() => [])]);
      // Each report is named by its address (a failed name leaves "een pand", never the id).
      await this.names.load({
        buildings: reports.flatMap((o) => (o.target.building && !o.target.address ? [o.target.building] : [])),
        addresses: reports.flatMap((o) => (o.target.address ? [o.target.address] : [])),
      });
      this.reports = [...reports].sort((a, b) => b.created_at.localeCompare(a.created_at));
      this.failure = null;
    } catch (error) {
      const message = errorMessage(error);
      this.failure = t(message.key, message.params ? { ...message.params } : {});
    }
    this.el.list.removeAttribute('aria-busy');
    this.render();
  }

  private render(): void {
    if (!this.isOpen) return;
    if (!this.options.sessions.canReport) {
      this.el.status.textContent = t('mine.signedOut');
      this.el.list.replaceChildren();
      return;
    }
    if (this.failure !== null) {
      this.el.status.textContent = t('mine.failed', { message: this.failure });
      return;
    }
    const reports = this.reports ?? [];
    this.el.status.textContent =
      reports.length === 0 ? t('mine.empty') : reports.length === 1 ? t('mine.one') : t('mine.count', { count: formatNumber(reports.length) });
    this.el.list.replaceChildren(...reports.map((o) => this.item(o)));
  }

  private item(o: Observation): HTMLElement {
    const type = this.options.types.get(o.type);
    const where =
      (o.target.address ? this.names.addressName(o.target.address) : null) ??
      (o.target.building ? (this.names.buildingName(o.target.building) ?? t('mine.whereUnknown')) : null) ??
      t('mine.wherePoint');
    const meta = [
      t('mine.meta', { status: statusLabel(o.status), answer: statusAnswer(type, o.answers, o.status_class), date: formatDate(o.created_at) }),
      o.confirmations > 0 ? plural('mine.confirmations', o.confirmations) : null,
      o.photos.length === 1 ? t('mine.photosOne') : o.photos.length > 1 ? t('mine.photos', { count: formatNumber(o.photos.length) }) : null,
      o.free_text_in_review === true ? t('report.textInReview') : null,
    ].filter((x): x is string => x !== null);
    const show = h('button', { className: 'button-secondary', i18n: 'mine.show', attrs: { type: 'button' } });
    show.addEventListener('click', () => this.options.onShow(o));
    const actions = h('div', { className: 'mine-actions' }, show);
    if (OPEN_STATUSES.includes(o.status)) actions.append(this.withdrawControls(o));
    return h(
      'li',
      { className: 'mine-item', attrs: { 'data-id': String(o.id), 'data-status': o.status, 'data-type': o.type } },
      h('p', { className: 'mine-title', text: t('mine.item', { type: this.options.types.title(o.type), where }) }),
      h('p', { className: 'mine-meta', text: meta.join(' · ') }),
      actions,
    );
  }

  private withdrawControls(o: Observation): HTMLElement {
    if (this.asking !== o.id) {
      const withdraw = h('button', { className: 'button-secondary', i18n: 'mine.withdraw', attrs: { type: 'button', 'data-action': 'withdraw' } });
      withdraw.addEventListener('click', () => {
        this.asking = o.id;
        this.render();
        this.el.list.querySelector<HTMLButtonElement>(`[data-id="${o.id}"] [data-action="withdraw-yes"]`)?.focus();
      });
      return withdraw;
    }
    const yes = h('button', { className: 'button-danger', i18n: 'mine.withdrawYes', attrs: { type: 'button', 'data-action': 'withdraw-yes' } });
    const no = h('button', { className: 'button-secondary', i18n: 'mine.withdrawNo', attrs: { type: 'button' } });
    const message = h('p', { className: 'field-error', attrs: { 'aria-live': 'assertive' } });
    message.hidden = true;
    no.addEventListener('click', () => {
      this.asking = null;
      this.render();
      this.el.list.querySelector<HTMLButtonElement>(`[data-id="${o.id}"] [data-action="withdraw"]`)?.focus();
    });
    yes.addEventListener('click', () => {
      this.options.api.withdraw(o.id).then(
        async () => {
          this.asking = null;
          this.options.onWithdrawn(o);
          await this.refresh();
          this.el.status.textContent = `${t('mine.withdrawn')} ${this.el.status.textContent ?? ''}`;
          this.el.title.focus();
        },
        (error: unknown) => {
          const m = errorMessage(error);
          message.textContent = t(m.key, m.params ? { ...m.params } : {});
          message.hidden = false;
        },
      );
    });
    return h('div', { className: 'withdraw-ask', attrs: { role: 'group' } }, h('p', { i18n: 'mine.withdrawAsk' }), yes, no, message);
  }
}
