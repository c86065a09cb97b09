// Entry point of the work page (werk.html). Everyone sees the totals per buurt (k-anonymous where
// the items are not theirs to see); wijkondernemers, communitybuilders and admins in scope see the
// work by address and can move it along (open → planned → in progress → done). The server checks
// every request again; the page only decides what to show.

import '../style.css';
import '../pages.css';
import { http } from '../api/http';
import { onLangChange, t, type MessageKey } from '../i18n';
import { byId, h, type Child } from '../ui/element';
import { isForbidden, isUnauthenticated } from '../ui/errorMessage';
import { dataTable, scrollRegion } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { reports } from '../api/reports';
import { TypeCatalogue } from '../report/catalogue';
import { AssignmentsSection } from './assignments';
import { CampaignsSection } from './campaigns';
import { TalentSection } from './talent';
import { factLabel, factValue, historyLine, type Fact, type HistoryEntry, type Namer } from './evidence';
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

interface Detail {
  readonly evidence: { readonly facts: readonly Fact[]; readonly observations: readonly number[] } | null;
  readonly history: readonly HistoryEntry[];
}

interface AreaOption {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

const LIMIT = 200;
const types = new TypeCatalogue(reports);
let areas: AreaOption[] = [];
const namer: Namer = {
  typeTitle: (type) => types.title(type),
  areaName: (code) => areas.find((a) => a.code === code)?.name,
};

let kinds: WorkKind[] = [];
let lastTotals: readonly SummaryRow[] = [];
let lastItems: ItemsAnswer | null = null;
let listAllowed = true;
let assignments: AssignmentsSection | null = null;
let talent: TalentSection | null = null;
let campaigns: CampaignsSection | null = null;

function filters(): URLSearchParams {
  const q = new URLSearchParams();
  const kind = byId<HTMLSelectElement>('work-kind').value;
  const status = byId<HTMLSelectElement>('work-status').value;
  const area = byId<HTMLSelectElement>('work-area').value;
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
  const areaSelect = byId<HTMLSelectElement>('work-area');
  const chosenArea = areaSelect.value;
  const group = (kind: string, label: MessageKey) => {
    const options = areas
      .filter((a) => a.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
      .map((a) => h('option', { attrs: { value: a.code }, text: a.name }));
    return options.length > 0 ? h('optgroup', { attrs: { label: t(label) } }, ...options) : null;
  };
  const groups = [group('wijk', 'work.areaWijken'), group('buurt', 'work.areaBuurten')].filter((g) => g !== null);
  areaSelect.replaceChildren(h('option', { attrs: { value: '' }, text: t('work.areaAll') }), ...groups);
  areaSelect.value = chosenArea;
}

/** The fold under an address: why the work is there and what happened to it, asked when opened. */
function whyFold(item: Item): HTMLDetailsElement {
  const body = h('div', { className: 'work-why' });
  const fold = h('details', {}, h('summary', { text: targetLabel(item.about) }), body);
  let asked = false;
  fold.addEventListener('toggle', () => {
    if (!fold.open || asked) return;
    asked = true;
    body.replaceChildren(h('p', { text: t('work.whyLoading') }));
    void (async () => {
      try {
        await types.all().catch(() => []);
        const d = await http.json<Detail>('GET', `/api/work/items/${encodeURIComponent(item.kind)}/${item.target}`);
        const facts = d.evidence?.facts ?? [];
        const seen = d.evidence?.observations.length ?? 0;
        const parts: Child[] = [
          h('h3', { text: t('work.why') }),
          h('p', { text: t('work.whyRule', { title: kindTitle(kinds, item.kind) }) }),
          facts.length > 0 ? h('p', { text: t('work.whyFacts') }) : null,
          facts.length > 0 ? h('dl', { className: 'facts' }, ...facts.flatMap(([field, value]) => [h('dt', { text: factLabel(field, namer) }), h('dd', { text: factValue(field, value, namer) })])) : null,
          seen > 0 ? h('p', { text: seen === 1 ? t('work.whyReportsOne') : t('work.whyReports', { count: seen }) }) : null,
          h('h3', { text: t('work.history') }),
          d.history.length === 0 ? h('p', { text: t('work.historyEmpty') }) : h('ul', {}, ...d.history.map((e) => h('li', { text: historyLine(e) }))),
        ];
        body.replaceChildren(...parts.filter((p): p is Node => p instanceof Node));
      } catch (error) {
        asked = false;
        body.replaceChildren(h('p', { text: t('work.loadFailed', { message: error instanceof Error ? error.message : String(error) }) }));
      }
    })();
  });
  return fold;
}

function renderTotals(rows: readonly SummaryRow[]): void {
  const box = byId('work-totals');
  if (rows.length === 0) {
    box.replaceChildren(h('p', { text: t('work.totalsNone') }));
    return;
  }
  const body: Child[][] = rows.map((r) => {
    const where = r.name ?? namer.areaName(r.area) ?? t('work.targetUnknown');
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
    whyFold(item),
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
    const session = await pageSession();
    const [answer, areaList] = await Promise.all([
      http.json<{ kinds: WorkKind[]; list_roles: string[]; assignment_roles: string[]; talent_roles: string[]; campaign_roles: string[]; campaign_export_roles: string[] }>('GET', '/api/work/kinds'),
      http.json<AreaOption[]>('GET', '/api/areas').catch(() => [] as AreaOption[]),
    ]);
    kinds = answer.kinds;
    areas = areaList;
    // Ask for the list only when the policy lets one of the caller's roles see it (no 403 to
    // show in the console); the server decides again, per area.
    listAllowed = session?.user?.roles.some((g) => answer.list_roles.includes(g.role)) ?? false;
    const roles = session?.user?.roles.map((g) => g.role) ?? [];
    const partner = roles.includes('partner');
    if (!listAllowed && !partner) notice.show('info', { key: session?.user ? 'work.noAccess' : 'work.notSignedIn' });
    if (roles.some((r) => answer.assignment_roles.includes(r))) {
      const root = byId('assignments-section');
      root.hidden = false;
      assignments = new AssignmentsSection(root, () => kinds, () => areas, partner, roles.includes('wijkondernemer') || roles.includes('admin'));
      void assignments.load().catch((error: unknown) => notice.error(error));
    }
    // Residents' offers: for the roles the policy lets match them (those who organise the work).
    if (roles.some((r) => answer.talent_roles.includes(r))) {
      const root = byId('talent-section');
      root.hidden = false;
      talent = new TalentSection(root, () => kinds);
      void talent.load().catch((error: unknown) => notice.error(error));
    }
    // Campaigns door to door: for the roles the policy lets plan them.
    if (roles.some((r) => answer.campaign_roles.includes(r))) {
      const root = byId('campaigns-section');
      root.hidden = false;
      const scopes = (session?.user?.roles ?? []).filter((g) => answer.campaign_roles.includes(g.role)).map((g) => g.scope);
      const exports = roles.some((r) => answer.campaign_export_roles.includes(r));
      campaigns = new CampaignsSection(root, () => kinds, () => areas, scopes, exports);
      void campaigns.load().catch((error: unknown) => notice.error(error));
    }
    fillSelects();
    // Arriving from the urgency page with an area: show that area's work.
    const wanted = new URLSearchParams(window.location.search).get('area');
    if (wanted && areas.some((a) => a.code === wanted)) byId<HTMLSelectElement>('work-area').value = wanted;
    const form = byId<HTMLFormElement>('work-filter');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      notice.clear();
      void whileBusy(form, () => load(notice).catch((error: unknown) => notice.error(error)));
    });
    onLangChange(() => {
      fillSelects();
      renderTotals(lastTotals);
      if (lastItems && listAllowed) renderItems(lastItems);
      assignments?.rerender();
      talent?.rerender();
      campaigns?.rerender();
    });
    await load(notice);
  } catch (error) {
    notice.error(error);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
