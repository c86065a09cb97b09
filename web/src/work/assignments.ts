// The assignments section of the work page: a partner offers work (with a live count of what its
// selection holds), the wijkondernemer accepts, declines or proposes changes, the wijkbedrijf
// reports delivered units, the partner accepts or rejects them, and the statement says what is
// owed. The server decides every step again; the page shows what the answers allow.

import { http } from '../api/http';
import { formatNumber, t, type MessageKey } from '../i18n';
import { h, type Child } from '../ui/element';
import { dataTable, formatDate, formatDateTime, scrollRegion } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { targetLabel, text, type About, type WorkKind } from './labels';
import { OfferMap } from './offerMap';
import type { components } from '../api/schema';

type Preview = components['schemas']['AssignmentPreview'];

export interface Assignment {
  readonly id: number;
  readonly organisation: string;
  readonly title: string;
  readonly kind: string;
  readonly area: string;
  readonly area_name: string | null;
  readonly criteria: string;
  readonly units: number;
  readonly fee_per_unit: number;
  readonly budget: number | null;
  readonly deadline: string;
  readonly delivered_when: string;
  readonly status: string;
  readonly planned: number;
  readonly delivered: number;
  readonly accepted: number;
  readonly earned: number;
  readonly helpers_paid: boolean;
}

interface Detail extends Assignment {
  readonly events: readonly { action: string; at: string; by_you: boolean; note: string }[];
  readonly deliveries: readonly { id: number; buurt_name: string | null; at: string; status: string }[];
  readonly items: readonly { target: string; about: About; delivery: { at: string } | null }[] | null;
  readonly campaigns?: readonly {
    readonly title: string;
    readonly buurten: readonly { name: string | null; suppressed: boolean; doors?: number; visited?: number; talked?: number; signed_up?: number }[];
  }[];
}

interface StatementLine {
  readonly name?: string;
  readonly planned: number;
  readonly delivered: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly earned: number;
}

interface Statement {
  readonly per_buurt: readonly StatementLine[];
  readonly total: StatementLine;
}

export interface AreaChoice {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

/** Euro as the language writes it. */
export function euro(amount: number): string {
  return `€ ${formatNumber(Math.round(amount * 100) / 100)}`;
}

function word(prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  const s = t(key);
  return s === key ? t('work.targetUnknown') : s;
}

export class AssignmentsSection {
  private readonly notice: Notice;
  private readonly body: HTMLElement;
  private list: Assignment[] = [];
  /** The page was opened for an offer and went to the form once. */
  private arrived = false;
  private open = new Set<number>();

  constructor(
    root: HTMLElement,
    private readonly kinds: () => readonly WorkKind[],
    private readonly areas: () => readonly AreaChoice[],
    private readonly partner: boolean,
    private readonly wijkbedrijf: boolean,
  ) {
    const noticeEl = h('p', { attrs: { id: 'assignments-notice' } });
    this.notice = new Notice(noticeEl);
    this.body = h('div');
    root.replaceChildren(h('h2', { attrs: { id: 'assignments-title' }, i18n: 'asg.title' }), h('p', { i18n: 'asg.intro' }), noticeEl, this.body);
  }

  async load(): Promise<void> {
    const answer = await http.json<{ assignments: Assignment[] }>('GET', '/api/assignments');
    this.list = answer.assignments;
    await this.render();
  }

  private async render(): Promise<void> {
    const parts: Child[] = [];
    if (this.wijkbedrijf) parts.push(await this.income());
    if (this.list.length === 0) parts.push(h('p', { text: t('asg.none') }));
    else {
      const rows: Child[][] = this.list.map((a) => [
        this.fold(a),
        a.organisation,
        a.area_name ?? t('work.targetUnknown'),
        word('asg.st', a.status),
        t('asg.units', { delivered: a.delivered, units: a.units }),
        euro(a.earned),
      ]);
      parts.push(scrollRegion(dataTable([t('asg.colTitle'), t('asg.colPartner'), t('asg.colArea'), t('asg.colStatus'), t('asg.colUnits'), t('asg.colEarned')], rows, true), t('asg.title')));
    }
    if (this.partner) parts.push(this.offerForm());
    this.body.replaceChildren(...parts.filter((p): p is Node | string => p !== null && p !== undefined && p !== false));
    // Arriving for an offer (from the urgency map): the form is drawn only now, so go to it here.
    if (this.partner && window.location.hash === '#offer-form' && !this.arrived) {
      this.arrived = true;
      document.getElementById('offer-form')?.scrollIntoView();
      document.getElementById('offer-title')?.focus();
    }
  }

  /** Draws the section again in the current language. */
  rerender(): void {
    void this.render();
  }

  private async income(): Promise<HTMLElement> {
    try {
      const i = await http.json<{ earned: number; awaiting_decision: number; still_to_deliver: number }>('GET', '/api/assignments/income');
      return h('p', { attrs: { id: 'assignments-income' } }, h('strong', { text: `${t('asg.income')}: ` }), t('asg.incomeLine', { earned: euro(i.earned), waiting: euro(i.awaiting_decision), still: euro(i.still_to_deliver) }));
    } catch {
      return h('p');
    }
  }

  private fold(a: Assignment): HTMLDetailsElement {
    const body = h('div', { className: 'work-why' });
    const fold = h('details', { attrs: { 'data-assignment': String(a.id) } }, h('summary', { text: a.title }), body);
    const fill = async () => {
      body.replaceChildren(h('p', { text: t('work.whyLoading') }));
      try {
        const d = await http.json<Detail>('GET', `/api/assignments/${a.id}`);
        body.replaceChildren(...(await this.detail(d)));
      } catch (error) {
        body.replaceChildren(h('p', { text: t('asg.failed', { message: error instanceof Error ? error.message : String(error) }) }));
      }
    };
    fold.addEventListener('toggle', () => {
      if (fold.open) {
        this.open.add(a.id);
        void fill();
      } else this.open.delete(a.id);
    });
    if (this.open.has(a.id)) {
      fold.open = true;
    }
    return fold;
  }

  private async detail(d: Detail): Promise<Node[]> {
    const kind = this.kinds().find((k) => k.kind === d.kind);
    const terms: [string, string][] = [
      [t('asg.kind'), kind ? text(kind.title) : t('work.targetUnknown')],
      [t('asg.criteria'), d.criteria || t('asg.criteriaAll')],
      [t('asg.unitsWanted'), String(d.units)],
      [t('asg.fee'), euro(d.fee_per_unit)],
      [t('asg.budget'), d.budget === null ? t('asg.budgetNone') : euro(d.budget)],
      [t('asg.deadline'), formatDate(d.deadline)],
      [t('asg.deliveredWhen'), d.delivered_when],
    ];
    const out: Node[] = [
      h('h3', { text: t('asg.terms') }),
      h('dl', { className: 'facts' }, ...terms.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
      h('h3', { text: t('asg.history') }),
      h(
        'ul',
        {},
        ...d.events.map((e) => {
          const date = formatDateTime(e.at) ?? e.at;
          const line = t(e.by_you ? 'asg.eventByYou' : 'asg.event', { date, action: word('asg.ev', e.action) });
          return h('li', { text: e.note ? t('asg.eventNote', { line, note: e.note }) : line });
        }),
      ),
    ];
    const note = h('textarea', { attrs: { rows: '2', maxlength: '500' } });
    const button = (label: MessageKey, action: () => Promise<void>) => {
      const b = h('button', { attrs: { type: 'button' }, className: 'button-secondary', text: t(label) });
      b.addEventListener('click', () => void whileBusy(b, () => action().catch((error: unknown) => this.notice.error(error))));
      return b;
    };
    const done = async (status: string) => {
      this.notice.show('success', { key: 'asg.answered', params: { status: word('asg.st', status) } });
      await this.load();
    };
    if (this.wijkbedrijf && d.status === 'offered') {
      note.id = `asg-note-${d.id}`;
      out.push(
        h('div', { className: 'field' }, h('label', { attrs: { for: note.id }, text: t('asg.note') }), note),
        h(
          'div',
          { className: 'actions' },
          button('asg.accept', async () => done((await http.json<Assignment>('POST', `/api/assignments/${d.id}/answer`, { answer: 'accept', note: note.value })).status)),
          button('asg.propose', async () => {
            if (!note.value.trim()) {
              this.notice.show('error', { key: 'asg.proposeNeedsNote' });
              note.focus();
              return;
            }
            await done((await http.json<Assignment>('POST', `/api/assignments/${d.id}/answer`, { answer: 'propose_changes', note: note.value })).status);
          }),
          button('asg.decline', async () => done((await http.json<Assignment>('POST', `/api/assignments/${d.id}/answer`, { answer: 'decline', note: note.value })).status)),
        ),
      );
    }
    if (this.wijkbedrijf && d.status === 'accepted') {
      // Whether residents who help are paid from the fee: the wijkondernemer's decision.
      const state = t(d.helpers_paid ? 'asg.helpersPaid' : 'asg.helpersVolunteer');
      out.push(
        h('p', { attrs: { 'data-helpers': String(d.id) } }, h('strong', { text: `${t('asg.helpers')}: ` }), state, ' '),
        h(
          'div',
          { className: 'actions' },
          button(d.helpers_paid ? 'asg.helpersUnpay' : 'asg.helpersPay', async () => {
            const r = await http.json<{ paid: boolean }>('PUT', `/api/assignments/${d.id}/helpers`, { paid: !d.helpers_paid });
            this.notice.show('success', { key: 'asg.helpersSaved', params: { state: t(r.paid ? 'asg.helpersPaid' : 'asg.helpersVolunteer') } });
            await this.load();
          }),
        ),
      );
    }
    if (this.partner && (d.status === 'offered' || d.status === 'changes_proposed')) {
      const fee = h('input', { attrs: { type: 'number', min: '0', step: '0.01', value: String(d.fee_per_unit), id: `asg-fee-${d.id}` } });
      note.id = `asg-renote-${d.id}`;
      out.push(
        h('div', { className: 'field' }, h('label', { attrs: { for: fee.id }, text: t('asg.fee') }), fee),
        h('div', { className: 'field' }, h('label', { attrs: { for: note.id }, text: t('asg.note') }), note),
        h(
          'div',
          { className: 'actions' },
          button('asg.reoffer', async () => {
            const body = { title: d.title, kind: d.kind, area: d.area, criteria: d.criteria, units: d.units, fee_per_unit: Number(fee.value), budget: d.budget, deadline: d.deadline, delivered_when: d.delivered_when, note: note.value };
            await done((await http.json<Assignment>('PUT', `/api/assignments/${d.id}`, body)).status);
          }),
          button('asg.withdraw', async () => done((await http.json<Assignment>('POST', `/api/assignments/${d.id}/withdraw`)).status)),
        ),
      );
    }
    if (d.items && d.items.length > 0) {
      out.push(h('h3', { text: t('asg.planned') }));
      out.push(
        h(
          'ul',
          { className: 'work-planned' },
          ...d.items.map((it) => {
            const where = targetLabel(it.about);
            if (it.delivery) return h('li', { text: `${where} — ${t('asg.delivered', { date: formatDateTime(it.delivery.at) ?? it.delivery.at })}` });
            const b = button('asg.deliver', async () => {
              await http.json('POST', `/api/assignments/${d.id}/deliveries`, { target: it.target, evidence: 'visit' });
              await this.load();
            });
            b.setAttribute('aria-label', `${t('asg.deliver')}: ${where}`);
            return h('li', {}, `${where} `, d.status === 'accepted' ? b : null);
          }),
        ),
      );
    }
    // The door-to-door campaigns run for it: counts per buurt (the partner sees these too).
    for (const c of d.campaigns ?? []) {
      const rows: Child[][] = c.buurten.map((b) =>
        b.suppressed
          ? [b.name ?? t('work.targetUnknown'), t('work.suppressed'), '', '', '']
          : [b.name ?? t('work.targetUnknown'), formatNumber(b.doors ?? 0), formatNumber(b.visited ?? 0), formatNumber(b.talked ?? 0), formatNumber(b.signed_up ?? 0)],
      );
      out.push(
        h('h3', { text: t('asg.campaign', { title: c.title }) }),
        scrollRegion(dataTable([t('cmp.colBuurt'), t('cmp.colDoors'), t('cmp.colVisited'), t('cmp.colTalked'), t('cmp.colSigned')], rows, true), c.title),
      );
    }
    if (d.deliveries.length > 0) {
      out.push(h('h3', { text: t('asg.deliveries') }));
      out.push(
        h(
          'ul',
          { className: 'work-deliveries' },
          ...d.deliveries.map((x) => {
            const line = t('asg.delivery', { buurt: x.buurt_name ?? t('work.targetUnknown'), date: formatDateTime(x.at) ?? x.at, status: word('asg.dst', x.status) });
            if (!this.partner || x.status !== 'delivered') return h('li', { text: line });
            const decide = (decision: string) => async () => {
              await http.json('POST', `/api/assignments/${d.id}/deliveries/${x.id}/decision`, { decision });
              await this.load();
            };
            return h('li', {}, `${line} `, button('asg.acceptUnit', decide('accept')), ' ', button('asg.rejectUnit', decide('reject')));
          }),
        ),
      );
    }
    if (d.status === 'accepted' || d.status === 'completed') {
      try {
        const s = await http.json<Statement>('GET', `/api/assignments/${d.id}/statement`);
        const row = (l: StatementLine, name: string): Child[] => [name, String(l.planned), String(l.delivered), String(l.accepted), String(l.rejected), euro(l.earned)];
        const rows = [...s.per_buurt.map((l) => row(l, l.name ?? t('work.targetUnknown'))), row(s.total, t('asg.total'))];
        out.push(
          h('h3', { text: t('asg.statement') }),
          scrollRegion(dataTable([t('asg.colBuurt'), t('asg.colPlanned'), t('asg.colDelivered'), t('asg.colAccepted'), t('asg.colRejected'), t('asg.colAmount')], rows, true), t('asg.statement')),
          h(
            'p',
            { className: 'actions' },
            h('a', { attrs: { href: `/api/assignments/${d.id}/statement?format=csv`, download: '' }, text: t('asg.statementCsv') }),
            ' ',
            h('a', { attrs: { href: `/api/assignments/${d.id}/statement?format=pdf`, download: '' }, text: t('asg.statementPdf') }),
          ),
        );
      } catch {
        // The communitybuilder sees the assignment but not its statement.
      }
    }
    return out;
  }

  private offerForm(): HTMLElement {
    const title = h('input', { attrs: { type: 'text', required: '', maxlength: '120', id: 'offer-title' } });
    const kind = h('select', { attrs: { id: 'offer-kind' } }, ...this.kinds().map((k) => h('option', { attrs: { value: k.kind }, text: text(k.title) })));
    const area = h('select', { attrs: { id: 'offer-area' } }, ...this.areas().filter((a) => a.kind !== 'gemeente').map((a) => h('option', { attrs: { value: a.code }, text: a.name })));
    // Arriving from a cell of the urgency map (`?area=…#offer-form`): the offer is for that area.
    const wanted = new URLSearchParams(window.location.search).get('area');
    if (wanted && [...area.options].some((o) => o.value === wanted)) area.value = wanted;
    const criteria = h('textarea', { attrs: { rows: '2', id: 'offer-criteria', spellcheck: 'false' } });
    const units = h('input', { attrs: { type: 'number', min: '1', step: '1', value: '10', id: 'offer-units' } });
    const fee = h('input', { attrs: { type: 'number', min: '0', step: '0.01', value: '100', id: 'offer-fee' } });
    const budget = h('input', { attrs: { type: 'number', min: '0', step: '0.01', id: 'offer-budget' } });
    const deadline = h('input', { attrs: { type: 'date', required: '', id: 'offer-deadline' } });
    const deliveredWhen = h('input', { attrs: { type: 'text', required: '', maxlength: '500', id: 'offer-delivered' } });
    const preview = h('p', { attrs: { id: 'offer-preview', 'aria-live': 'polite' } });
    const field = (id: string, label: MessageKey, input: HTMLElement, hint?: MessageKey) =>
      h('div', { className: 'field' }, h('label', { attrs: { for: id }, text: t(label) }), input, hint ? h('p', { className: 'hint', text: t(hint) }) : null);
    let timer: number | undefined;
    // The selection on a map under the count (MapLibre loads with the first answer): points for
    // those who may see the work items, k-anonymous cells for a partner — the server decides.
    const mapBox = h('div', { className: 'offer-map-box' });
    const selectionMap = new OfferMap(mapBox);
    let asked = 0;
    const update = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const mine = ++asked;
        const about = { kind: kind.value, area: area.value, criteria: criteria.value };
        void http
          .json<Preview>('POST', '/api/assignments/preview', about)
          .then((p) => {
            // An answer to an earlier edit that arrives late is not drawn over a newer one.
            if (mine !== asked) return;
            const targets = p.targets === null ? '–' : formatNumber(p.targets);
            if (p.exact) preview.textContent = t('asg.previewExact', { targets, open: formatNumber(p.open ?? 0), optedOut: formatNumber(p.opted_out ?? 0) });
            else {
              const w = p.area_work;
              const work = !w || w.suppressed ? t('asg.previewSuppressed') : t('asg.previewAbout', { count: formatNumber(w.items ?? 0) });
              preview.textContent = t('asg.previewPartner', { targets, work });
            }
            selectionMap.show(p.map, about);
          })
          .catch((error: unknown) => {
            if (mine !== asked) return;
            preview.textContent = t('asg.failed', { message: error instanceof Error ? error.message : String(error) });
          });
      }, 300);
    };
    for (const el of [kind, area, criteria]) el.addEventListener('input', update);
    update();
    const form = h(
      'form',
      { className: 'form', attrs: { id: 'offer-form', novalidate: '' } },
      h('h3', { text: t('asg.offerTitle') }),
      field('offer-title', 'asg.titleField', title),
      field('offer-kind', 'asg.kind', kind),
      field('offer-area', 'asg.areaField', area),
      field('offer-criteria', 'asg.criteria', criteria, 'asg.criteriaHint'),
      preview,
      mapBox,
      field('offer-units', 'asg.unitsWanted', units),
      field('offer-fee', 'asg.fee', fee),
      field('offer-budget', 'asg.budget', budget),
      field('offer-deadline', 'asg.deadline', deadline),
      field('offer-delivered', 'asg.deliveredWhen', deliveredWhen),
      h('div', { className: 'actions' }, h('button', { attrs: { type: 'submit' }, className: 'button-primary', text: t('asg.offer') })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void whileBusy(form, async () => {
        try {
          const body = {
            title: title.value,
            kind: kind.value,
            area: area.value,
            criteria: criteria.value,
            units: Number(units.value),
            fee_per_unit: Number(fee.value),
            budget: budget.value === '' ? null : Number(budget.value),
            deadline: deadline.value,
            delivered_when: deliveredWhen.value,
          };
          const a = await http.json<Assignment>('POST', '/api/assignments', body);
          this.notice.show('success', { key: 'asg.offered', params: { title: a.title } });
          await this.load();
        } catch (error) {
          this.notice.error(error);
        }
      });
    });
    return form;
  }
}
