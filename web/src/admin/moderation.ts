// The moderation queue (GET /api/moderation[?area=]) for communitybuilders, wijkondernemers and
// admins: reports in their areas that were flagged, hidden automatically, or whose free text looks
// like personal data. Per report: hide or put back, resolve, reject (POST …/moderation), and merge
// into another report of the same type (POST …/merge). The server checks the scope of every action.

import { reports as reportsApi, type ModerationAction, type QueuedReport, type ReportsApi } from '../api/reports';
import { onLangChange, t, type MessageKey } from '../i18n';
import { TypeCatalogue } from '../report/catalogue';
import { formatDate, statusLabel } from '../report/labels';
import { byId, h, type Child } from '../ui/element';
import { dataTable, scrollRegion } from '../ui/facts';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { isLetterArea, normaliseScope } from './scope';

/**
 * The actions a report in a status offers: a hidden one can be put back, an open one hidden; free
 * text that looked like personal data can be released to others once a moderator read it.
 */
export function actionsFor(status: string, piiSuspected = false): ModerationAction[] {
  const release: ModerationAction[] = piiSuspected ? ['release'] : [];
  if (status === 'hidden') return [...release, 'unhide', 'resolve', 'reject'];
  if (status === 'new' || status === 'confirmed') return [...release, 'hide', 'resolve', 'reject'];
  return [];
}

const ACTION_LABEL: Record<ModerationAction, MessageKey> = {
  hide: 'admin.actHide',
  unhide: 'admin.actUnhide',
  resolve: 'admin.actResolve',
  reject: 'admin.actReject',
  release: 'admin.actRelease',
};

/** The free text of a report's answers (the `note` field the types share), if any. */
export function freeText(report: Pick<QueuedReport, 'answers'>): string {
  const note = report.answers['note'];
  return typeof note === 'string' ? note : '';
}

/** Reads a report number typed by a moderator: a positive integer, else null. */
export function reportNumber(text: string): number | null {
  const value = text.trim().replace(/^#/, '');
  return /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;
}

export class ModerationQueue {
  private queue: QueuedReport[] = [];
  private readonly container = byId('moderation-table');
  private readonly notice = new Notice(byId('moderation-notice'));
  private readonly area = byId<HTMLInputElement>('moderation-area');
  private readonly types: TypeCatalogue;

  constructor(private readonly api: Pick<ReportsApi, 'queue' | 'moderate' | 'merge' | 'types'> = reportsApi) {
    this.types = new TypeCatalogue(api);
    onLangChange(() => this.render());
  }

  mount(): void {
    const section = byId('moderation-section');
    byId<HTMLFormElement>('moderation-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void whileBusy(section, () => this.load());
    });
    section.hidden = false;
    void this.types.all().then(
      () => this.render(),
      () => undefined,
    );
    void this.load();
  }

  async load(): Promise<void> {
    const area = normaliseScope(this.area.value);
    const ok = area === '' || isLetterArea(area);
    setInvalid(this.area, !ok);
    if (!ok) {
      this.notice.show('error', { key: 'admin.letterAreaInvalid' });
      this.area.focus();
      return;
    }
    try {
      this.queue = await this.api.queue(area || undefined);
      this.notice.clear();
      this.render();
    } catch (error) {
      this.notice.error(error);
    }
  }

  private render(): void {
    // A re-render (the types arrived, another language, an action) keeps the keyboard focus on
    // the same report's control when there still is one.
    const focused = document.activeElement instanceof HTMLElement && this.container.contains(document.activeElement) ? document.activeElement : null;
    const where = focused
      ? { report: focused.closest<HTMLElement>('[data-report]')?.dataset['report'], action: focused.dataset['action'], tag: focused.tagName }
      : null;
    if (this.queue.length === 0) {
      this.container.replaceChildren(h('p', { i18n: 'admin.moderationEmpty' }));
      return;
    }
    const headers = ['admin.colReport', 'admin.colWhat', 'admin.colSignals', 'admin.colText', 'admin.colStatus', 'admin.colActions'] as const;
    const table = dataTable(
      headers.map((key) => t(key)),
      this.queue.map((report) => this.row(report)),
      true,
    );
    this.container.replaceChildren(scrollRegion(table, t('admin.moderation')));
    if (where?.report) {
      const scope = `[data-report="${where.report}"]`;
      const target = where.action
        ? this.container.querySelector<HTMLElement>(`button${scope}[data-action="${where.action}"]`)
        : this.container.querySelector<HTMLElement>(`form${scope} ${where.tag === 'INPUT' ? 'input' : 'button'}`);
      (target ?? this.container.querySelector<HTMLElement>(`button${scope}`))?.focus();
    }
  }

  private row(report: QueuedReport): Child[] {
    const signals = [
      report.flags > 0 ? t('admin.flags', { count: report.flags }) : '',
      report.pii_suspected ? t('admin.piiSuspected') : '',
    ].filter(Boolean);
    const what = [this.types.title(report.type), report.buurt ?? '', formatDate(report.observed_at)].filter(Boolean).join(' · ');
    const buttons = actionsFor(report.status, report.pii_suspected).map((action) => {
      const button = h('button', {
        className: 'button-secondary',
        text: t(ACTION_LABEL[action]),
        attrs: { type: 'button', 'aria-label': t('admin.actLabel', { action: t(ACTION_LABEL[action]), id: report.id }) },
      });
      button.dataset['report'] = String(report.id);
      button.dataset['action'] = action;
      button.addEventListener('click', () => void this.act(report, action));
      return button;
    });
    return [
      `#${report.id}`,
      what,
      signals.join('; ') || t('facts.none'),
      freeText(report) || t('facts.none'),
      statusLabel(report.status),
      h('div', { className: 'actions' }, ...buttons, this.mergeForm(report)),
    ];
  }

  private mergeForm(report: QueuedReport): HTMLFormElement {
    const input = h('input', {
      attrs: {
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        size: '8',
        'aria-label': t('admin.mergeLabel', { id: report.id }),
        placeholder: t('admin.mergeInto'),
      },
    });
    const form = h(
      'form',
      { className: 'inline-form', attrs: { novalidate: '' } },
      input,
      h('button', { className: 'button-secondary', text: t('admin.mergeSubmit'), attrs: { type: 'submit' } }),
    );
    form.dataset['report'] = String(report.id);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const into = reportNumber(input.value);
      const ok = into !== null && into !== report.id;
      setInvalid(input, !ok);
      if (!ok || into === null) {
        this.notice.show('error', { key: 'admin.mergeInvalid' });
        input.focus();
        return;
      }
      void this.merge(report, into);
    });
    return form;
  }

  private async act(report: QueuedReport, action: ModerationAction): Promise<void> {
    await whileBusy(this.container, async () => {
      try {
        const updated = await this.api.moderate(report.id, action);
        this.queue = this.queue.map((q) => (q.id === report.id ? { ...q, ...updated } : q));
        this.render();
        this.notice.show('success', { key: 'admin.moderated', params: { id: report.id, status: statusLabel(updated.status) } });
      } catch (error) {
        this.notice.error(error);
      }
    });
  }

  private async merge(report: QueuedReport, into: number): Promise<void> {
    await whileBusy(this.container, async () => {
      try {
        await this.api.merge(report.id, into);
        this.queue = this.queue.filter((q) => q.id !== report.id);
        this.render();
        this.notice.show('success', { key: 'admin.merged', params: { id: report.id, into } });
      } catch (error) {
        this.notice.error(error);
      }
    });
  }
}
