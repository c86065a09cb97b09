// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import html from '../../index.html?raw';
import { initialLang, LANGS, MESSAGES, setLang, t, translateTree, type MessageKey } from '../../src/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  it('has the same keys in Dutch and English', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.nl).sort());
  });

  it('has no empty message', () => {
    for (const lang of LANGS) {
      for (const [key, value] of Object.entries(MESSAGES[lang])) {
        expect(value.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(MESSAGES.nl) as MessageKey[]) {
      expect(placeholders(MESSAGES.en[key]), key).toEqual(placeholders(MESSAGES.nl[key]));
    }
  });

  it('keeps the data names Dutch in English', () => {
    expect(MESSAGES.en['panel.bouwjaar']).toContain('bouwjaar');
    expect(MESSAGES.en['panel.buurt']).toContain('buurt');
  });

  it('names every key index.html uses', () => {
    const keys = [...html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(Object.keys(MESSAGES.nl), key).toContain(key);
  });
});

describe('t', () => {
  afterEach(() => setLang('nl'));

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('panel.adressenCount', { count: 3 })).toBe('Adressen (3)');
    expect(t('panel.adressenCount')).toBe('Adressen ({count})');
  });

  it('follows the current language', () => {
    setLang('en');
    expect(t('bouwjaar.unknown')).toBe('unknown');
    setLang('nl');
    expect(t('bouwjaar.unknown')).toBe('onbekend');
  });
});

describe('language switching', () => {
  afterEach(() => setLang('nl'));

  it('starts in Dutch unless English was chosen before', () => {
    expect(initialLang(undefined)).toBe('nl');
    expect(initialLang({ getItem: () => 'en' })).toBe('en');
    expect(initialLang({ getItem: () => 'fr' })).toBe('nl');
    expect(
      initialLang({
        getItem: () => {
          throw new Error('blocked');
        },
      }),
    ).toBe('nl');
  });

  it('updates <html lang>, the marked-up strings and the stored choice', () => {
    document.body.innerHTML =
      '<button data-i18n="list.toggle"></button><input data-i18n-placeholder="search.placeholder" data-i18n-aria-label="search.label">';
    const stored = new Map<string, string>();
    setLang('en', { setItem: (k, v) => void stored.set(k, v) });
    expect(document.documentElement.lang).toBe('en');
    expect(document.querySelector('button')?.textContent).toBe('List');
    expect(document.querySelector('input')?.getAttribute('placeholder')).toBe(MESSAGES.en['search.placeholder']);
    expect(document.querySelector('input')?.getAttribute('aria-label')).toBe(MESSAGES.en['search.label']);
    expect([...stored.values()]).toEqual(['en']);
    translateTree(document.body);
    setLang('nl');
    expect(document.querySelector('button')?.textContent).toBe('Lijst');
  });
});
