// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchResponse, SearchResult } from '../../src/api/client';
import { AddressSearch, resultLabel } from '../../src/ui/search';
import { setLang } from '../../src/i18n';

const result = (n: number): SearchResult => ({
  kind: 'address',
  bbox: null,
  identificatie: `02210100000000${String(n).padStart(2, '0')}`,
  label: `Dorpsstraat ${n}, 6981AA Doesburg`,
  addresses: null,
  pand_identificatie: `02211000000000${String(n).padStart(2, '0')}`,
  lon: 6.13 + n / 1000,
  lat: 52.01,
});

function setup(results: SearchResult[]) {
  document.body.innerHTML =
    '<input id="q"><ul id="results"></ul><p id="status"></p><button id="elsewhere"></button>';
  const input = document.getElementById('q') as HTMLInputElement;
  const listbox = document.getElementById('results') as HTMLElement;
  const status = document.getElementById('status') as HTMLElement;
  const search = vi.fn(async (): Promise<SearchResponse> => ({ results }));
  const onSelect = vi.fn();
  new AddressSearch({ input, listbox, status }, { onSelect, search, debounceMs: 0 });
  return { input, listbox, status, search, onSelect };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

function press(input: HTMLInputElement, key: string) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  input.dispatchEvent(event);
  return event;
}

describe('AddressSearch', () => {
  beforeEach(() => {
    document.documentElement.lang = 'nl';
  });

  it('is a combobox that controls a listbox', () => {
    const { input, listbox } = setup([]);
    expect(input.getAttribute('role')).toBe('combobox');
    expect(input.getAttribute('aria-controls')).toBe('results');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(listbox.getAttribute('role')).toBe('listbox');
  });

  it('shows results as options and announces their number', async () => {
    const { input, listbox, status, search } = setup([result(1), result(2), result(3)]);
    type(input, 'Dorps');
    await flush();
    expect(search).toHaveBeenCalledWith('Dorps', expect.any(AbortSignal));
    const options = listbox.querySelectorAll('[role="option"]');
    expect(options).toHaveLength(3);
    expect(listbox.hidden).toBe(false);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(status.textContent).toContain('3 resultaten');
  });

  it('moves with the arrow keys and selects with Enter', async () => {
    const { input, listbox, onSelect } = setup([result(1), result(2), result(3)]);
    type(input, 'Dorps');
    await flush();
    press(input, 'ArrowDown');
    press(input, 'ArrowDown');
    const active = input.getAttribute('aria-activedescendant');
    expect(active).toBe(listbox.querySelectorAll('[role="option"]')[1]?.id);
    expect(document.getElementById(active ?? '')?.getAttribute('aria-selected')).toBe('true');
    press(input, 'ArrowUp');
    press(input, 'ArrowUp');
    expect(input.getAttribute('aria-activedescendant')).toBe(listbox.querySelectorAll('[role="option"]')[2]?.id);
    const enter = press(input, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(onSelect).toHaveBeenCalledWith(result(3));
    expect(input.value).toBe(result(3).label);
    expect(listbox.hidden).toBe(true);
    expect(input.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes on Escape without letting the Escape reach the page', async () => {
    const { input, listbox } = setup([result(1)]);
    const pageSaw = vi.fn();
    document.addEventListener('keydown', pageSaw);
    type(input, 'Dorps');
    await flush();
    press(input, 'Escape');
    expect(listbox.hidden).toBe(true);
    expect(pageSaw).not.toHaveBeenCalled();
    document.removeEventListener('keydown', pageSaw);
  });

  it('takes the first result when Enter comes before the results', async () => {
    const { input, onSelect } = setup([result(4), result(5)]);
    input.value = 'Dorpsstraat 4';
    press(input, 'Enter');
    await flush();
    expect(onSelect).toHaveBeenCalledWith(result(4));
  });

  it('says so when nothing matches, and does not search for one letter', async () => {
    const { input, status, search } = setup([]);
    type(input, 'D');
    await flush();
    expect(search).not.toHaveBeenCalled();
    type(input, 'Nergensstraat');
    await flush();
    expect(status.textContent).toContain('Nergensstraat');
  });

  it('selects an option by click', async () => {
    const { input, listbox, onSelect } = setup([result(1), result(2)]);
    type(input, 'Dorps');
    await flush();
    (listbox.querySelectorAll('[role="option"]')[1] as HTMLElement).click();
    expect(onSelect).toHaveBeenCalledWith(result(2));
  });
});

describe('places in the results', () => {
  it('says what kind of place a result is, in the language', () => {
    const place: SearchResult = { kind: 'buurt', bbox: [6.1, 52.0, 6.2, 52.1], identificatie: 'BU19990101', label: 'De Horst', addresses: null, pand_identificatie: null, lon: 6.15, lat: 52.05 };
    expect(resultLabel(place)).toBe('De Horst (Buurt)');
    expect(resultLabel(result(1))).toBe('Dorpsstraat 1, 6981AA Doesburg');
    setLang('en');
    expect(resultLabel({ ...place, kind: 'wijk' })).toBe('De Horst (Wijk)');
    setLang('nl');
  });

  it('says a street or a postcode is one, with how many addresses it holds', () => {
    const street: SearchResult = { kind: 'street', bbox: [6.1, 52.0, 6.2, 52.1], identificatie: 'Zeilmakershof, Wijkdorp', label: 'Zeilmakershof, Wijkdorp', addresses: 1200, pand_identificatie: null, lon: 6.15, lat: 52.05 };
    expect(resultLabel(street)).toBe('Zeilmakershof, Wijkdorp (straat, 1.200 adressen)');
    expect(resultLabel({ ...street, addresses: 1 })).toBe('Zeilmakershof, Wijkdorp (straat, 1 adres)');
    const postcode: SearchResult = { ...street, kind: 'postcode', identificatie: '1999AB', label: '1999 AB, Wijkdorp', addresses: 14 };
    expect(resultLabel(postcode)).toBe('1999 AB, Wijkdorp (postcode, 14 adressen)');
    setLang('en');
    expect(resultLabel(postcode)).toBe('1999 AB, Wijkdorp (postcode, 14 addresses)');
    expect(resultLabel(street)).toBe('Zeilmakershof, Wijkdorp (street, 1,200 addresses)');
    setLang('nl');
  });
});
