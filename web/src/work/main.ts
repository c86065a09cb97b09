// Entry point of the work page (werk.html). Everyone sees the totals per buurt (k-anonymous where
// the items are not theirs to see); wijkondernemers, communitybuilders and admins in scope see the
// work by address and can move it along (open → planned → in progress → done). The server checks
// every request again; the page only decides what to show.

import '../style.css';
import '../pages.css';
import { http } from '../api/http';
import { onLangChange, t } from '../i18n';
import { byId, h, type Child } from '../ui/element';
import { isForbidden, isUnauthenticated } from '../ui/errorMessage';
import { dataTable, scrollRegion } from '../ui/facts';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { kindTitle, kindUnit, sizeLabel, statusLabel, STATUSES, targetLabel, text, type About, type WorkKind, type WorkStatus } from './labels';

interface Item {
  readonly kind: string;
  readonly target: string;
  readonly about: About;
  readonly status: WorkStatus;
  readonly size: number;
  readonly rule_holds: boolean;
}

interface ItemsAnswer {
  readonly total: number;
  readonly items: readonly Item[];
}

interface SummaryRow {
  readonly area: string;
  readonly name: string | null;
  readonly kind: string;
  readonly exact: boolean;
  readonly items?: number;
  readonly suppressed?: boolean;
  readonly open_size?: number;
  readonly by_status?: Readonly<Record<string, number>>;
}

const LIMIT = 200;

let kinds: WorkKind[] = [];
let lastTotals: readonly SummaryRow[] = [];
let lastItems: ItemsAnswer | null = null;
let listAllowed = true;

function filters(): URLSearchParams {
  const q = new URLSearchParams();
  const kind = byId<HTMLSelectElement>('work-kind').value;
  const status = byId<HTMLSelectElement>('work-status').value;
  const area = byId<HTMLInputElement>('work-area').value.trim().toUpperCase();
  if (kind) q.set('kind', kind);
  if (status) q.set('status', status);
  if (area) q.set('area', area);
  return q;
}

function fillSelects(): void {
  const kindSelect = byId<HTMLSelectElement>('work-kind');
  const chosenKind = kindSelect.value;
  kindSelect.replaceChildren(h('option', { attrs: { value: '' }, text: t('work.kindAll') }), ...kinds.map((k) => h('option', { attrs: { value: k.kind }, text: text(k.title) })));
  kindSelect.value = chosenKind;
  const statusSelect = byId<HTMLSelectElement>('work-status');
  const chosen = statusSelect.value;
  statusSelect.replaceChildren(h('option', { attrs: { value: '' }, text: t('work.statusAll') }), ...STATUSES.map((s) => h('option', { attrs: { value: s }, text: statusLabel(s) })));
  statusSelect.value = chosen;
}

function renderTotals(rows: readonly SummaryRow[]): void {
  const box = byId('work-totals');
  if (rows.length === 0) {
    box.replaceChildren(h('p', { text: t('work.totalsNone') }));
    return;
  }
  const body: Child[][] = rows.map((r) => {
    const where = r.name ?? r.area;
    if (r.suppressed) return [where, kindTitle(kinds, r.kind), t('work.suppressed'), '', '', ''];
    const done = r.by_status?.['done'] ?? 0;
    const closed = done + (r.by_status?.['not_wanted'] ?? 0) + (r.by_status?.['not_applicable'] ?? 0);
    const items = r.items ?? 0;
    return [
      where,
      kindTitle(kinds, r.kind),
      r.exact ? String(items) : t('work.rounded', { count: items }),
      r.exact ? String(items - closed) : '',
      r.exact ? String(done) : '',
      r.exact && r.open_size !== undefined ? sizeLabel(r.open_size, kindUnit(kinds, r.kind)) : '',
    ];
  });
  const table = dataTable([t('work.colArea'), t('work.colKind'), t('work.colItems'), t('work.colOpen'), t('work.colDone'), t('work.colSize')], body, true);
  box.replaceChildren(scrollRegion(table, t('work.totals')));
}

function statusControl(item: Item, saved: Notice): HTMLSelectElement {
  const what = kindTitle(kinds, item.kind);
  const where = targetLabel(item.about);
  const select = h('select', { attrs: { 'aria-label': t('work.statusOf', { what, where }) } }, ...STATUSES.map((s) => h('option', { attrs: { value: s }, text: statusLabel(s) })));
  select.value = item.status;
  select.addEventListener('change', () => {
    const status = select.value;
    void whileBusy(select, async () => {
      try {
        await http.json('POST', `/api/work/items/${encodeURIComponent(item.kind)}/${item.target}/status`, { status });
        saved.show('success', { key: 'work.saved', params: { what, where, status: statusLabel(status) } });
      } catch (error) {
        select.value = item.status;
        saved.error(error);
      }
    });
  });
  return select;
}

function renderItems(answer: ItemsAnswer): void {
  const saved = new Notice(byId('work-saved'));
  const count = byId('work-count');
  if (answer.total === 0) count.textContent = t('work.none');
  else if (answer.total > answer.items.length) count.textContent = t('work.countShown', { shown: answer.items.length, count: answer.total });
  else count.textContent = answer.total === 1 ? t('work.countOne') : t('work.count', { count: answer.total });
  if (answer.items.length === 0) {
    byId('work-list').replaceChildren();
    return;
  }
  const rows: Child[][] = answer.items.map((item) => [
    targetLabel(item.about),
    kindTitle(kinds, item.kind),
    sizeLabel(item.size, kindUnit(kinds, item.kind)),
    h('span', {}, statusControl(item, saved), item.rule_holds ? null : h('span', { className: 'hint', text: ` ${t('work.ruleGone')}` })),
  ]);
  const table = dataTable([t('work.colAddress'), t('work.colKind'), t('work.colSize'), t('work.colStatus')], rows, true);
  byId('work-list').replaceChildren(scrollRegion(table, t('work.list')));
}

async function load(notice: Notice): Promise<void> {
  const q = filters();
  const summary = new URLSearchParams({ level: 'buurt' });
  const area = q.get('area');
  if (area) summary.set('area', area);
  const totals = await http.json<{ areas: SummaryRow[] }>('GET', `/api/work/summary?${summary.toString()}`);
  lastTotals = totals.areas.filter((r) => !q.get('kind') || r.kind === q.get('kind'));
  renderTotals(lastTotals);
  if (!listAllowed) return;
  q.set('limit', String(LIMIT));
  try {
    lastItems = await http.json<ItemsAnswer>('GET', `/api/work/items?${q.toString()}`);
    byId('list-section').hidden = false;
    renderItems(lastItems);
  } catch (error) {
    if (isForbidden(error) || isUnauthenticated(error)) {
      listAllowed = false;
      byId('list-section').hidden = true;
      notice.show('info', { key: isUnauthenticated(error) ? 'work.notSignedIn' : 'work.noAccess' });
      return;
    }
    throw error;
  }
}

async function start(): Promise<void> {
  startPage('work.pageTitle');
  const main = byId('main');
  const notice = new Notice(byId('work-notice'));
  try {
    await pageSession();
    const answer = await http.json<{ kinds: WorkKind[] }>('GET', '/api/work/kinds');
    kinds = answer.kinds;
    fillSelects();
    const form = byId<HTMLFormElement>('work-filter');
    const areaInput = byId<HTMLInputElement>('work-area');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const area = areaInput.value.trim();
      const ok = area === '' || /^(BU\d{8}|WK\d{6}|GM\d{4})$/i.test(area);
      setInvalid(areaInput, !ok);
      if (!ok) {
        notice.show('error', { key: 'work.areaInvalid' });
        areaInput.focus();
        return;
      }
      notice.clear();
      void whileBusy(form, () => load(notice).catch((error: unknown) => notice.error(error)));
    });
    onLangChange(() => {
      fillSelects();
      renderTotals(lastTotals);
      if (lastItems && listAllowed) renderItems(lastItems);
    });
    await load(notice);
  } catch (error) {
    notice.error(error);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
