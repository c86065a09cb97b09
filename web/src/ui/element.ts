// Building DOM elements in code without innerHTML (so no markup injection from data) and without
// style attributes (the Content-Security-Policy allows no inline styles).
//
// An element given an `i18n` key carries `data-i18n`, so `setLang` re-translates it with the rest
// of the page; strings with parameters are set by their owner, which re-renders on a switch.

import { t, type MessageKey } from '../i18n';

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  readonly className?: string;
  /** Plain text content. */
  readonly text?: string;
  /** Text from the catalogue, kept in the current language. */
  readonly i18n?: MessageKey;
  /** Attributes (never `style`). */
  readonly attrs?: Readonly<Record<string, string>>;
}

/** A new `<tag>` with `options` and `children`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (options.className) el.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (name.toLowerCase() === 'style') throw new Error('inline styles are refused by the CSP');
    el.setAttribute(name, value);
  }
  if (options.i18n) {
    el.dataset['i18n'] = options.i18n;
    el.textContent = t(options.i18n);
  } else if (options.text !== undefined) {
    el.textContent = options.text;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** The element with `id`, which the page's HTML must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
}

/**
 * A labelled form field: `<div class="field"><label/><input/>[<p class="hint"/>]</div>`. The hint
 * and the field's own message are tied to the input with `aria-describedby`.
 */
export function field(
  id: string,
  label: MessageKey,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: MessageKey,
): HTMLDivElement {
  input.id = id;
  const wrapper = h('div', { className: 'field' }, h('label', { i18n: label, attrs: { for: id } }), input);
  if (hint) {
    const hintId = `${id}-hint`;
    wrapper.append(h('p', { className: 'hint', i18n: hint, attrs: { id: hintId } }));
    input.setAttribute('aria-describedby', hintId);
  }
  return wrapper;
}

/** Sets an element's text from the catalogue and keeps it in the current language. */
export function setI18n(el: HTMLElement, key: MessageKey): void {
  el.dataset['i18n'] = key;
  el.textContent = t(key);
}
