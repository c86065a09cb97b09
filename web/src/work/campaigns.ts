// The campaigns section of the work page, for those who organise the work in an area: a new
// campaign (criteria with a live count of addresses and households left out, the questions at
// the door), the campaigns with their progress, and per campaign its routes (turfs): who walks
// each, how far they are, the walk list on paper, progress per buurt and the answers as counts.

import { http } from '../api/http';
import { formatNumber, t, type MessageKey } from '../i18n';
import { campaignMap, SelectionMap } from './campaignMap';
import { h, type Child } from '../ui/element';
import { dataTable, scrollRegion } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { text, type WorkKind } from './labels';

interface Progress {
  readonly doors: number;
  readonly visited: number;
  readonly talked: number;
  readonly signed_up: number;
}

interface CampaignSummary {
  readonly id: number;
  readonly title: string;
  readonly area_name: string | null;
  readonly turfs: number;
  readonly progress: Progress;
}

interface Person {
  readonly id: number;
  readonly name: string;
}

interface Turf {
  readonly id: number;
  readonly number: number;
  readonly buurt_name: string | null;
  readonly holder: Person | null;
  readonly progress: Progress;
}

interface Question {
  readonly name: string;
  readonly title: { nl: string; en: string };
  readonly type: string;
  readonly options: string[];
}

interface CampaignDetail {
  readonly id: number;
  readonly title: string;
  readonly turfs: readonly Turf[];
  readonly buurten: readonly { name: string | null; progress: Progress }[];
  readonly answers: readonly { question: string; suppressed: boolean; counts: { value: string; count: number }[] }[];
  readonly questions: readonly Question[];
  readonly walkers: readonly Person[];
}

export interface AreaChoice {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

export class CampaignsSection {
  private readonly notice: Notice;
  private readonly body: HTMLElement;
  private list: CampaignSummary[] = [];
  private readonly open = new Set<number>();

  constructor(
    root: HTMLElement,
    private readonly kinds: () => readonly WorkKind[],
    private readonly areas: () => readonly AreaChoice[],
    private readonly scopes: readonly string[],
    private readonly exports: boolean,
  ) {
    const noticeEl = h('p', { attrs: { id: 'campaigns-notice' } });
    this.notice = new Notice(noticeEl);
    this.body = h('div');
    root.replaceChildren(h('h2', { attrs: { id: 'campaigns-title' }, i18n: 'cmp.title' }), h('p', { i18n: 'cmp.intro' }), noticeEl, this.body);
  }

  async load(): Promise<void> {
    this.list = (await http.json<{ campaigns: CampaignSummary[] }>('GET', '/api/campaigns')).campaigns;
    this.render();
  }

  rerender(): void {
    this.render();
  }

  private render(): void {
    const parts: Child[] = [];
    if (this.list.length === 0) parts.push(h('p', { text: t('cmp.none') }));
    else {
      const rows: Child[][] = this.list.map((c) => [
        this.fold(c),
        c.area_name ?? '',
        formatNumber(c.turfs),
        t('cmp.progress', { visited: formatNumber(c.progress.visited), doors: formatNumber(c.progress.doors) }),
        formatNumber(c.progress.signed_up),
      ]);
      parts.push(scrollRegion(dataTable([t('cmp.colTitle'), t('cmp.colArea'), t('cmp.colTurfs'), t('cmp.colVisited'), t('cmp.colSigned')], rows, true), t('cmp.title')));
    }
    parts.push(this.form());
    this.body.replaceChildren(...parts.filter((p): p is Node | string => p !== null && p !== undefined && p !== false));
  }

  private fold(c: CampaignSummary): HTMLDetailsElement {
    const body = h('div', { className: 'work-why' });
    const fold = h('details', { attrs: { 'data-campaign': String(c.id) } }, h('summary', { text: c.title }), body);
    const fill = async () => {
      body.replaceChildren(h('p', { text: t('work.whyLoading') }));
      try {
        body.replaceChildren(...this.detail(await http.json<CampaignDetail>('GET', `/api/campaigns/${c.id}`)));
        // The routes on a map, below the tables (MapLibre is loaded only now).
        const mapBox = h('div', { className: 'campaign-map-box', attrs: { 'data-campaign-map': String(c.id) } });
        body.append(mapBox);
        await campaignMap(mapBox, c.id, this.notice, () => this.load());
      } catch (error) {
        this.notice.error(error);
      }
    };
    fold.addEventListener('toggle', () => {
      if (fold.open) {
        this.open.add(c.id);
        void fill();
      } else this.open.delete(c.id);
    });
    if (this.open.has(c.id)) fold.open = true;
    return fold;
  }

  private detail(d: CampaignDetail): Node[] {
    const rows: Child[][] = d.turfs.map((turf) => {
      const select = h('select', { attrs: { 'aria-label': `${t('cmp.assign')}: ${t('cmp.routeNumber', { number: turf.number })}`, 'data-turf': String(turf.id) } });
      select.append(h('option', { attrs: { value: '' }, text: t('cmp.free') }), ...d.walkers.map((w) => h('option', { attrs: { value: String(w.id) }, text: w.name })));
      select.value = turf.holder ? String(turf.holder.id) : '';
      select.addEventListener('change', () => {
        void whileBusy(select, async () => {
          try {
            const holder = select.value === '' ? null : Number(select.value);
            const r = await http.json<{ holder: Person | null }>('PUT', `/api/campaigns/${d.id}/turfs/${turf.id}/holder`, { holder, expected: turf.holder?.id ?? null });
            this.notice.show('success', r.holder ? { key: 'cmp.assigned', params: { number: turf.number, name: r.holder.name } } : { key: 'cmp.freed', params: { number: turf.number } });
            await this.load();
          } catch (error) {
            this.notice.error(error);
            await this.load();
          }
        });
      });
      // A route nobody walks and nobody visited can be split in two, or merged with the next.
      const free = (x: Turf | undefined) => x !== undefined && x.holder === null && x.progress.visited === 0;
      const next = d.turfs[d.turfs.indexOf(turf) + 1];
      const reshape = (label: MessageKey, path: string, body: unknown) => {
        const b = h('button', { attrs: { type: 'button', 'aria-label': `${t(label)}: ${t('cmp.routeNumber', { number: turf.number })}` }, className: 'button-link', text: t(label) });
        b.addEventListener('click', () =>
          void whileBusy(b, async () => {
            try {
              await http.json('POST', `/api/campaigns/${d.id}/turfs/${turf.id}/${path}`, body);
              this.notice.show('success', { key: 'cmp.reshaped' });
              await this.load();
            } catch (error) {
              this.notice.error(error);
            }
          }),
        );
        return b;
      };
      const tools = h(
        'span',
        {},
        free(turf) && turf.progress.doors > 1 ? reshape('cmp.split', 'split', { after: Math.floor(turf.progress.doors / 2) }) : null,
        free(turf) && free(next) && next ? reshape('cmp.merge', 'merge', { with: next.id }) : null,
      );
      return [
        t('cmp.routeNumber', { number: turf.number }),
        turf.buurt_name ?? '',
        formatNumber(turf.progress.doors),
        select,
        t('cmp.progress', { visited: formatNumber(turf.progress.visited), doors: formatNumber(turf.progress.doors) }),
        formatNumber(turf.progress.talked),
        formatNumber(turf.progress.signed_up),
        h('a', { attrs: { href: `/api/campaigns/${d.id}/turfs/${turf.id}?format=pdf`, download: '' }, text: t('cmp.pdf') }),
        tools,
      ];
    });
    const out: Node[] = ([
      this.exports && h('p', {}, h('a', { attrs: { href: `/api/campaigns/${d.id}/export?format=csv`, download: '' }, text: t('cmp.exportRoutes') }), ' · ', h('a', { attrs: { href: `/api/campaigns/${d.id}/export?format=csv&level=address`, download: '' }, text: t('cmp.exportAddresses') }), ' · ', h('a', { attrs: { href: `/api/campaigns/${d.id}/export?format=gpkg`, download: '' }, text: t('cmp.exportGpkg') })),
      h('h3', { text: t('cmp.turfs') }),
      scrollRegion(
        dataTable([t('cmp.colTurf'), t('cmp.colBuurt'), t('cmp.colDoors'), t('cmp.colHolder'), t('cmp.colVisited'), t('cmp.colTalked'), t('cmp.colSigned'), t('cmp.colPaper'), t('cmp.colReshape')], rows, true),
        t('cmp.turfs'),
      ),
      h('h3', { text: t('cmp.perBuurt') }),
      scrollRegion(
        dataTable(
          [t('cmp.colBuurt'), t('cmp.colDoors'), t('cmp.colVisited'), t('cmp.colTalked'), t('cmp.colSigned')],
          d.buurten.map((b) => [b.name ?? '', formatNumber(b.progress.doors), formatNumber(b.progress.visited), formatNumber(b.progress.talked), formatNumber(b.progress.signed_up)]),
          true,
        ),
        t('cmp.perBuurt'),
      ),
    ] as (Node | false)[]).filter((n): n is Node => n !== false);
    if (d.answers.length > 0) {
      out.push(h('h3', { text: t('cmp.answers') }));
      out.push(
        h(
          'ul',
          {},
          ...d.answers.map((a) => {
            const q = d.questions.find((x) => x.name === a.question);
            const title = q ? text(q.title) : '';
            if (a.suppressed) return h('li', { text: `${title}: ${t('cmp.suppressed')}` });
            return h('li', { text: `${title}: ${a.counts.map((c) => `${answerWord(q, c.value)} ${formatNumber(c.count)}`).join(', ')}` });
          }),
        ),
      );
    }
    return out;
  }

  private form(): HTMLElement {
    const field = (id: string, label: MessageKey, input: HTMLElement, hint?: MessageKey) =>
      h('div', { className: 'field' }, h('label', { attrs: { for: id }, text: t(label) }), input, hint ? h('p', { className: 'hint', text: t(hint) }) : null);
    const title = h('input', { attrs: { type: 'text', id: 'cmp-title', maxlength: '120', required: '' } });
    const topic = h('textarea', { attrs: { id: 'cmp-topic', rows: '2', maxlength: '500' } });
    // Only the areas the caller organises (the server decides again).
    const mine = this.areas().filter((a) => a.kind !== 'gemeente' && inScope(a.code, this.scopes));
    const area = h('select', { attrs: { id: 'cmp-area' } }, ...mine.map((a) => h('option', { attrs: { value: a.code }, text: a.name })));
    const criteria = h('textarea', { attrs: { id: 'cmp-criteria', rows: '2', spellcheck: 'false' } });
    const kind = h('select', { attrs: { id: 'cmp-kind' } }, h('option', { attrs: { value: '' }, text: t('cmp.kindAny') }), ...this.kinds().map((k) => h('option', { attrs: { value: k.kind }, text: text(k.title) })));
    const size = h('input', { attrs: { type: 'number', id: 'cmp-size', min: '1', step: '1', value: '40', inputmode: 'numeric' } });
    const today = new Date().toISOString().slice(0, 10);
    const starts = h('input', { attrs: { type: 'date', id: 'cmp-starts', value: today } });
    const ends = h('input', { attrs: { type: 'date', id: 'cmp-ends' } });
    const preview = h('p', { attrs: { id: 'cmp-preview', 'aria-live': 'polite' } });
    const questions = h('div', { attrs: { id: 'cmp-questions' } });
    let n = 0;
    const addQuestion = () => {
      n += 1;
      const id = `cmp-q${n}`;
      const q = h('input', { attrs: { type: 'text', id, maxlength: '200', 'data-q': 'title' } });
      const kindSel = h('select', { attrs: { id: `${id}-type`, 'data-q': 'type' } }, h('option', { attrs: { value: 'yes_no' }, text: t('cmp.qYesNo') }), h('option', { attrs: { value: 'choice' }, text: t('cmp.qChoice') }));
      const opts = h('input', { attrs: { type: 'text', id: `${id}-options`, 'data-q': 'options' } });
      const sensitive = h('input', { attrs: { type: 'checkbox', id: `${id}-sensitive`, 'data-q': 'sensitive' } });
      const remove = h('button', { attrs: { type: 'button' }, className: 'button-link', text: t('cmp.removeQuestion') });
      const box = h(
        'fieldset',
        { className: 'field cmp-question' },
        h('legend', { text: t('cmp.question') }),
        field(id, 'cmp.question', q),
        field(`${id}-type`, 'cmp.qType', kindSel),
        field(`${id}-options`, 'cmp.qOptions', opts),
        h('label', { className: 'choice', attrs: { for: sensitive.id } }, sensitive, h('span', { text: t('cmp.qSensitive') })),
        remove,
      );
      remove.addEventListener('click', () => box.remove());
      questions.append(box);
      q.focus();
    };
    const addButton = h('button', { attrs: { type: 'button' }, className: 'button-secondary', text: t('cmp.addQuestion') });
    addButton.addEventListener('click', addQuestion);
    let timer: number | undefined;
    // The selection on a map, redrawn with the count (MapLibre loads with the first preview).
    const mapBox = h('div', { className: 'campaign-map', attrs: { role: 'region', 'aria-label': t('cmp.selectionMap'), 'data-selection-map': '' } });
    const selectionMap = new SelectionMap(mapBox);
    const update = () => {
      window.clearTimeout(timer);
      if (!area.value) return;
      timer = window.setTimeout(() => {
        void http
          .json<{ addresses: number; buildings: number; opted_out: number; points: [number, number][] }>('POST', '/api/campaigns/preview', { area: area.value, criteria: criteria.value, work_kind: kind.value || null })
          .then((p) => {
            preview.textContent = t('cmp.preview', { addresses: formatNumber(p.addresses), buildings: formatNumber(p.buildings), optedOut: formatNumber(p.opted_out) });
            selectionMap.show(p.points);
          })
          .catch((error: unknown) => {
            preview.textContent = error instanceof Error ? error.message : String(error);
          });
      }, 300);
    };
    for (const el of [area, criteria, kind]) el.addEventListener('input', update);
    update();
    const form = h(
      'form',
      { className: 'form', attrs: { id: 'campaign-form', novalidate: '' } },
      h('h3', { text: t('cmp.new') }),
      field('cmp-title', 'cmp.name', title),
      field('cmp-topic', 'cmp.topic', topic),
      field('cmp-area', 'cmp.area', area),
      field('cmp-criteria', 'cmp.criteria', criteria, 'cmp.criteriaHint'),
      field('cmp-kind', 'cmp.kind', kind),
      preview,
      mapBox,
      field('cmp-size', 'cmp.size', size),
      field('cmp-starts', 'cmp.starts', starts),
      field('cmp-ends', 'cmp.ends', ends),
      h('h4', { text: t('cmp.questions') }),
      questions,
      h('div', { className: 'actions' }, addButton),
      h('div', { className: 'actions' }, h('button', { attrs: { type: 'submit' }, className: 'button-primary', text: t('cmp.create') })),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void whileBusy(form, async () => {
        try {
          const qs = [...questions.querySelectorAll<HTMLFieldSetElement>('.cmp-question')].map((box, i) => {
            const get = (k: string) => box.querySelector<HTMLInputElement & HTMLSelectElement>(`[data-q="${k}"]`);
            const words = (get('options')?.value ?? '')
              .split(',')
              .map((o) => o.trim())
              .filter((o) => o !== '');
            const type = get('type')?.value ?? 'yes_no';
            const q = get('title')?.value.trim() ?? '';
            return {
              name: `q${i + 1}`,
              title: { nl: q, en: q },
              type,
              // People write the choices; the server keeps keys of a–z and 0–9 for them.
              options: type === 'choice' ? words.map((_, k) => `o${k + 1}`) : [],
              option_titles: type === 'choice' ? words.map((w) => ({ nl: w, en: w })) : [],
              sensitive: get('sensitive')?.checked ?? false,
            };
          });
          const c = await http.json<{ title: string; turfs: unknown[] }>('POST', '/api/campaigns', {
            title: title.value,
            topic: topic.value,
            area: area.value,
            criteria: criteria.value,
            work_kind: kind.value || null,
            questions: qs,
            turf_size: Number(size.value),
            starts_on: starts.value,
            ends_on: ends.value || starts.value,
          });
          this.notice.show('success', { key: 'cmp.created', params: { title: c.title, turfs: c.turfs.length } });
          await this.load();
        } catch (error) {
          this.notice.error(error);
        }
      });
    });
    return form;
  }
}

/**
 * Does CBS area `code` lie in one of `scopes` (`all`, a CBS code, or a drawn polygon, which the
 * page cannot judge and lets through)? A buurt's or wijk's code starts with the digits of the
 * wijk and gemeente it lies in.
 */
export function inScope(code: string, scopes: readonly string[]): boolean {
  return scopes.some((s) => s === 'all' || s.startsWith('polygon:') || code.slice(2).startsWith(s.slice(2)));
}

/** An answer value in words: the organiser's option title, or yes/no. */
export function answerWord(q: { type: string; options: string[]; option_titles?: { nl: string; en: string }[] } | undefined, value: string): string {
  if (!q) return '';
  if (q.type === 'yes_no') return t(value === 'yes' ? 'answer.yes' : 'answer.no');
  const i = q.options.indexOf(value);
  const titles = q.option_titles ?? [];
  return i >= 0 && titles[i] ? text(titles[i]) : '';
}
