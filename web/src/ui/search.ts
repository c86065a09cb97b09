// Address search: a combobox (text input) with a listbox of results from `/api/search`.
// Arrow keys move through the results, Enter opens one, Escape closes the list; a live region says
// how many results there are. The keyboard model is `listboxKey` (listbox.ts).

import { searchAddresses, type SearchResponse, type SearchResult } from '../api/client';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n';
import { listboxKey } from './listbox';

/** A result as people read it: an address as it is written, a place with what kind it is, a street or
 * a postcode with how many addresses it holds. */
export function resultLabel(r: SearchResult): string {
  if (r.kind === 'address') return r.label;
  if (r.kind === 'street' || r.kind === 'postcode') {
    const count = r.addresses ?? 0;
    const key = r.kind === 'street' ? (count === 1 ? 'search.streetOne' : 'search.street') : count === 1 ? 'search.postcodeOne' : 'search.postcode';
    return t(key, { name: r.label, count: formatNumber(count) });
  }
  return t('search.place', { name: r.label, kind: t(`area.kind.${r.kind}`) });
}

export interface SearchElements {
  readonly input: HTMLInputElement;
  readonly listbox: HTMLElement;
  /** A polite live region for result counts and errors. */
  readonly status: HTMLElement;
}

export interface SearchOptions {
  /** Called with the chosen result. */
  readonly onSelect: (result: SearchResult) => void;
  /** The search call; the API by default, a stub in tests. */
  readonly search?: (q: string, signal: AbortSignal) => Promise<SearchResponse>;
  readonly debounceMs?: number;
  readonly limit?: number;
  /** Shortest query sent to the server. */
  readonly minLength?: number;
}

type Status = { key: MessageKey; params?: Record<string, string | number> } | null;

export class AddressSearch {
  private results: SearchResult[] = [];
  private active = -1;
  /** The query the shown results answer. */
  private resultsFor = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private selectWhenLoaded = false;
  private status: Status = null;
  private readonly search: (q: string, signal: AbortSignal) => Promise<SearchResponse>;

  constructor(
    private readonly el: SearchElements,
    private readonly options: SearchOptions,
  ) {
    const limit = options.limit ?? 10;
    this.search = options.search ?? ((q, signal) => searchAddresses({ q, limit }, signal));
    const { input, listbox } = el;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.autocomplete = 'off';
    listbox.setAttribute('role', 'listbox');
    listbox.hidden = true;

    input.addEventListener('input', () => this.scheduleSearch());
    input.addEventListener('keydown', (e) => this.onKeyDown(e));
    input.addEventListener('blur', () => {
      // Let a click on an option land before the list goes.
      setTimeout(() => {
        if (!this.el.listbox.contains(document.activeElement)) this.close();
      }, 150);
    });
    // Keep the focus in the input while an option is clicked.
    listbox.addEventListener('mousedown', (e) => e.preventDefault());
    listbox.addEventListener('click', (e) => {
      const option = (e.target as Element | null)?.closest<HTMLElement>('[role="option"]');
      const index = option ? Number(option.dataset['index']) : NaN;
      if (Number.isInteger(index)) this.choose(index);
    });
    onLangChange(() => this.renderStatus());
  }

  /** The results shown now (for tests). */
  get shownResults(): readonly SearchResult[] {
    return this.results;
  }

  private query(): string {
    return this.el.input.value.trim();
  }

  private scheduleSearch(): void {
    clearTimeout(this.timer);
    this.selectWhenLoaded = false;
    const q = this.query();
    if (q.length < (this.options.minLength ?? 2)) {
      this.controller?.abort();
      this.setResults([], '');
      this.setStatus(null);
      return;
    }
    this.timer = setTimeout(() => void this.runSearch(q), this.options.debounceMs ?? 200);
  }

  private async runSearch(q: string): Promise<void> {
    clearTimeout(this.timer);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setStatus({ key: 'search.searching' });
    try {
      const response = await this.search(q, controller.signal);
      if (controller.signal.aborted) return;
      this.setResults(response.results, q);
      const count = response.results.length;
      this.setStatus(
        count === 0 ? { key: 'search.none', params: { q } } : count === 1 ? { key: 'search.one' } : { key: 'search.count', params: { count } },
      );
      if (this.selectWhenLoaded && count > 0) this.choose(0);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.setResults([], '');
      this.setStatus({ key: 'search.failed', params: { message: error instanceof Error ? error.message : String(error) } });
    } finally {
      this.selectWhenLoaded = false;
    }
  }

  private onKeyDown(e: KeyboardEvent): void {
    const open = !this.el.listbox.hidden;
    const action = listboxKey(e.key, this.active, open ? this.results.length : 0);
    switch (action.kind) {
      case 'move':
        e.preventDefault();
        this.highlight(action.index);
        break;
      case 'select':
        e.preventDefault();
        this.choose(action.index);
        break;
      case 'close':
        if (open) {
          // Handled here: the details panel must not close on the same Escape.
          e.preventDefault();
          e.stopPropagation();
          this.close();
        } else if (this.el.input.value !== '') {
          e.preventDefault();
          e.stopPropagation();
          this.el.input.value = '';
          this.scheduleSearch();
        }
        break;
      case 'none':
        if (e.key === 'Enter') {
          // Enter before the results for this text are in: search now and take the first.
          const q = this.query();
          if (q.length >= (this.options.minLength ?? 2) && q !== this.resultsFor) {
            e.preventDefault();
            this.selectWhenLoaded = true;
            void this.runSearch(q);
          }
        } else if ((e.key === 'ArrowDown' || e.key === 'Down') && this.results.length > 0 && !open) {
          e.preventDefault();
          this.open();
          this.highlight(0);
        }
        break;
    }
  }

  private setResults(results: SearchResult[], q: string): void {
    this.results = results;
    this.resultsFor = q;
    this.active = -1;
    const { listbox, input } = this.el;
    listbox.replaceChildren(
      ...results.map((r, i) => {
        const li = document.createElement('li');
        li.id = `${listbox.id}-option-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset['index'] = String(i);
        li.className = 'search-option';
        li.textContent = resultLabel(r);
        return li;
      }),
    );
    input.removeAttribute('aria-activedescendant');
    if (results.length > 0) this.open();
    else this.close();
  }

  private highlight(index: number): void {
    const options = this.el.listbox.querySelectorAll<HTMLElement>('[role="option"]');
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === index)));
    const option = options[index];
    if (!option) return;
    this.active = index;
    this.el.input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView?.({ block: 'nearest' });
  }

  private choose(index: number): void {
    const result = this.results[index];
    if (!result) return;
    this.el.input.value = resultLabel(result);
    this.resultsFor = resultLabel(result).trim();
    this.close();
    this.options.onSelect(result);
  }

  private open(): void {
    this.el.listbox.hidden = false;
    this.el.input.setAttribute('aria-expanded', 'true');
  }

  /** Hides the results list (the results stay for ArrowDown to reopen). */
  close(): void {
    this.el.listbox.hidden = true;
    this.el.input.setAttribute('aria-expanded', 'false');
    this.el.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  private setStatus(status: Status): void {
    this.status = status;
    this.renderStatus();
  }

  private renderStatus(): void {
    this.el.status.textContent = this.status ? t(this.status.key, this.status.params) : '';
  }
}
