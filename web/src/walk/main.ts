// Entry point of the walk page (lopen.html): a volunteer's routes, and on a route the doors in
// walking order (the list is the keyboard path); at a door the outcome, the answers, whether the
// resident agrees to keeping it with the address, and a note. Everything works without a
// connection: the routes and walk lists are kept on the device when fetched, every visit goes
// into an operation log on the device first (IndexedDB, with an idempotency key) and is sent when
// there is a connection — the server applies each key once and says which doors another phone
// had already done.

import '../style.css';
import '../pages.css';
import { http } from '../api/http';
import { onLangChange, t, type MessageKey } from '../i18n';
import { byId, h } from '../ui/element';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { pageSession, startPage } from '../ui/page';
import { answerWord } from '../work/campaigns';
import { text } from '../work/labels';
import { done, load, markRefused, newKey, pending, record, save, type Visit } from './store';

interface RouteEntry {
  readonly campaign: { id: number; title: string; topic: string; ends_on: string };
  readonly turf: { id: number; number: number; buurt_name: string | null };
  readonly progress: { doors: number; visited: number };
}

interface Question {
  readonly name: string;
  readonly title: { nl: string; en: string };
  readonly type: string;
  readonly options: string[];
  readonly option_titles?: { nl: string; en: string }[];
}

interface WalkDoor {
  readonly address: string;
  readonly label: string;
  readonly bouwjaar: number | null;
  readonly energieklasse: string | null;
  readonly roof_m2: number | null;
  readonly visited: 'answered' | 'not_home' | null;
  readonly earlier: string | null;
}

interface WalkList {
  readonly campaign: { id: number; title: string; topic: string };
  readonly turf: { id: number; number: number; buurt_name: string | null };
  readonly questions: readonly Question[];
  readonly outcomes: readonly string[];
  readonly doors: readonly WalkDoor[];
}

const notice = new Notice(byId('walk-notice'));
const status = byId('walk-status');
let routes: RouteEntry[] = [];
let current: WalkList | null = null;
let syncing = false;

function outcomeWord(o: string): string {
  const key = `outcome.${o}` as MessageKey;
  const s = t(key);
  return s === key ? t('walk.unknown') : s;
}

async function showStatus(): Promise<void> {
  const waiting = await pending().catch(() => [] as Visit[]);
  if (!navigator.onLine) status.textContent = `${t('walk.offline')} ${t('walk.pending', { count: waiting.length })}`;
  else if (waiting.length > 0) status.textContent = t('walk.pending', { count: waiting.length });
  else status.textContent = '';
}

/** Sends the operation log, per route; `all` also retries visits a route refused before. */
async function sync(all = false): Promise<void> {
  if (syncing) return;
  syncing = true;
  try {
    const visits = (await pending()).filter((v) => all || !v.refused);
    const byTurf = new Map<string, Visit[]>();
    for (const v of visits) {
      const k = `${v.campaign}/${v.turf}`;
      byTurf.set(k, [...(byTurf.get(k) ?? []), v]);
    }
    for (const [route, list] of byTurf) {
      let answer: { results: { key: string; status: string }[] };
      try {
        answer = await http.json('POST', `/api/campaigns/${route.replace('/', '/turfs/')}/visits`, {
          visits: list.map((v) => ({ key: v.key, address: v.address, outcome: v.outcome, consent: v.consent, answers: v.answers, note: v.note })),
        });
      } catch (error) {
        const code = (error as { status?: number }).status;
        if (code === 403) {
          await markRefused(list);
          notice.show('error', { key: 'walk.refused' });
        } else if (navigator.onLine) {
          notice.error(error);
        }
        continue;
      }
      const finished: string[] = [];
      for (const r of answer.results) {
        const v = list.find((x) => x.key === r.key);
        if (!v) continue;
        if (r.status === 'not_holder') {
          await markRefused([v]);
          notice.show('error', { key: 'walk.refused' });
          continue;
        }
        if (r.status === 'conflict') notice.show('info', { key: 'walk.conflict', params: { address: v.label } });
        finished.push(r.key);
      }
      await done(finished);
    }
    if ((await pending()).length === 0 && visits.length > 0) notice.show('success', { key: 'walk.synced' });
  } finally {
    syncing = false;
    await showStatus();
  }
}

async function loadRoutes(): Promise<void> {
  try {
    routes = (await http.json<{ turfs: RouteEntry[] }>('GET', '/api/my/turfs')).turfs;
    await save('routes', routes);
  } catch (error) {
    const kept = await load<RouteEntry[]>('routes');
    if (kept === undefined) throw error;
    routes = kept;
  }
}

function renderRoutes(): void {
  const list = byId('turf-list');
  list.replaceChildren(
    ...(routes.length === 0
      ? [h('li', { text: t('walk.none') })]
      : routes.map((r) =>
          h(
            'li',
            { className: 'row' },
            h('span', {}, h('strong', { text: r.campaign.title }), h('br'), h('span', { className: 'hint', text: `${t('cmp.routeNumber', { number: r.turf.number })} · ${r.turf.buurt_name ?? ''} · ${t('cmp.progress', { visited: r.progress.visited, doors: r.progress.doors })}` })),
            h('a', { className: 'button-secondary', attrs: { href: `#route=${r.campaign.id}-${r.turf.id}`, 'data-route': `${r.campaign.id}-${r.turf.id}` }, text: t('walk.open') }),
          ),
        )),
  );
}

async function openRoute(campaign: number, turf: number): Promise<void> {
  const key = `walk:${campaign}-${turf}`;
  try {
    current = await http.json<WalkList>('GET', `/api/campaigns/${campaign}/turfs/${turf}`);
    await save(key, current);
    notice.show('info', { key: 'walk.saved' });
  } catch (error) {
    current = (await load<WalkList>(key)) ?? null;
    if (!current) throw error;
  }
  await renderWalk();
}

async function renderWalk(): Promise<void> {
  const w = current;
  if (!w) return;
  byId('walk-title').textContent = `${w.campaign.title} — ${t('cmp.routeNumber', { number: w.turf.number })}`;
  byId('walk-topic').textContent = w.campaign.topic;
  // Doors recorded on this device and not sent yet count as visited here too.
  const mine = new Map((await pending()).filter((v) => v.turf === w.turf.id).map((v) => [v.address, v.outcome]));
  const list = byId('door-list');
  list.replaceChildren(...w.doors.map((d, i) => door(w, d, i, mine.get(d.address))));
  byId('turfs-section').hidden = true;
  byId('walk-section').hidden = false;
}

function door(w: WalkList, d: WalkDoor, i: number, local: string | undefined): HTMLElement {
  const unknown = t('walk.unknown');
  const facts = t('walk.facts', {
    bouwjaar: d.bouwjaar === null ? unknown : String(d.bouwjaar),
    label: d.energieklasse ?? unknown,
    roof: d.roof_m2 === null ? unknown : String(d.roof_m2),
  });
  const state = local
    ? outcomeWord(local)
    : d.visited === 'answered'
      ? t('walk.visited')
      : d.visited === 'not_home'
        ? t('walk.notHome')
        : '';
  const id = `door-${i}`;
  const outcomes = h(
    'fieldset',
    { className: 'field' },
    h('legend', { text: t('walk.outcome') }),
    ...w.outcomes.map((o) => {
      const input = h('input', { attrs: { type: 'radio', name: `${id}-outcome`, value: o, id: `${id}-${o}` } });
      return h('label', { className: 'choice', attrs: { for: input.id } }, input, h('span', { text: outcomeWord(o) }));
    }),
  );
  const questions = w.questions.map((q, k) => {
    const values = q.type === 'yes_no' ? ['yes', 'no'] : q.options;
    return h(
      'fieldset',
      { className: 'field', attrs: { 'data-question': q.name } },
      h('legend', { text: text(q.title) }),
      ...values.map((v) => {
        const input = h('input', { attrs: { type: 'radio', name: `${id}-q${k}`, value: v, id: `${id}-q${k}-${v}` } });
        return h('label', { className: 'choice', attrs: { for: input.id } }, input, h('span', { text: answerWord(q, v) }));
      }),
    );
  });
  const consent = h('input', { attrs: { type: 'checkbox', id: `${id}-consent` } });
  const note = h('input', { attrs: { type: 'text', id: `${id}-note`, maxlength: '300' } });
  const form = h(
    'form',
    { className: 'form', attrs: { novalidate: '' } },
    outcomes,
    ...questions,
    h('label', { className: 'choice', attrs: { for: consent.id } }, consent, h('span', { text: t('walk.consent') })),
    h('div', { className: 'field' }, h('label', { attrs: { for: note.id }, text: t('walk.note') }), note),
    h('div', { className: 'actions' }, h('button', { attrs: { type: 'submit' }, className: 'button-primary', text: t('walk.record') })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = form.querySelector<HTMLInputElement>(`input[name="${id}-outcome"]:checked`);
    if (!chosen) {
      notice.show('error', { key: 'walk.chooseOutcome' });
      form.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    const answers: Record<string, string> = {};
    w.questions.forEach((q, k) => {
      const a = form.querySelector<HTMLInputElement>(`input[name="${id}-q${k}"]:checked`);
      if (a) answers[q.name] = a.value;
    });
    void whileBusy(form, async () => {
      await record({
        key: newKey(),
        campaign: w.campaign.id,
        turf: w.turf.id,
        address: d.address,
        label: d.label,
        outcome: chosen.value,
        consent: consent.checked,
        answers,
        note: note.value,
        at: new Date().toISOString(),
      });
      notice.show('success', { key: 'walk.recorded', params: { address: d.label, outcome: outcomeWord(chosen.value) } });
      await renderWalk();
      byId('door-list').querySelectorAll<HTMLElement>('summary')[i + 1]?.focus();
      if (navigator.onLine) void sync();
      else await showStatus();
    });
  });
  return h(
    'li',
    { attrs: { 'data-address': d.address } },
    h(
      'details',
      {},
      h('summary', {}, h('strong', { text: d.label }), state ? ` — ${state}` : '', h('br'), h('span', { className: 'hint', text: `${t('walk.door', { n: i + 1, total: w.doors.length })} · ${facts}${d.earlier ? ` · ${t('walk.earlier', { outcome: outcomeWord(d.earlier) })}` : ''}` })),
      form,
    ),
  );
}

async function route(): Promise<void> {
  const m = /^#route=(\d+)-(\d+)$/.exec(window.location.hash);
  if (m) {
    await openRoute(Number(m[1]), Number(m[2]));
    return;
  }
  current = null;
  byId('walk-section').hidden = true;
  renderRoutes();
  byId('turfs-section').hidden = false;
}

async function start(): Promise<void> {
  startPage('walk.pageTitle');
  const main = byId('main');
  if ('serviceWorker' in navigator) {
    // The page without a connection: its service worker keeps the page and its code.
    void navigator.serviceWorker.register('/lopen-sw.js', { scope: '/lopen' }).catch(() => undefined);
  }
  try {
    const session = await pageSession();
    if (!session?.user && navigator.onLine) {
      notice.show('info', { key: 'walk.notSignedIn' });
      return;
    }
    await loadRoutes();
    await route();
    window.addEventListener('hashchange', () => void route().catch((error: unknown) => notice.error(error)));
    window.addEventListener('online', () => void sync());
    window.addEventListener('offline', () => void showStatus());
    byId('walk-back').addEventListener('click', (event) => {
      event.preventDefault();
      window.location.hash = '';
    });
    byId('walk-sync').addEventListener('click', () => void sync(true));
    onLangChange(() => {
      renderRoutes();
      void renderWalk();
      void showStatus();
    });
    await showStatus();
    if (navigator.onLine) void sync();
  } catch (error) {
    notice.error(error);
  } finally {
    main.removeAttribute('aria-busy');
  }
}

void start();
