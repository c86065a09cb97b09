// Keyboard model of the search results (WAI-ARIA combobox with a listbox popup): a pure function
// from a key press to what the widget does, so it is tested without a DOM.

/** What a key press in the search box does to the results list. */
export type ListboxAction =
  | { readonly kind: 'move'; readonly index: number }
  | { readonly kind: 'select'; readonly index: number }
  | { readonly kind: 'close' }
  | { readonly kind: 'none' };

/**
 * The action for `key` with `active` the highlighted option (-1 for none) among `count` options.
 * Arrows wrap around; Enter picks the highlighted option, or the first when none is highlighted;
 * Escape closes. Every other key (text editing, Home/End in the text) is left to the input.
 */
export function listboxKey(key: string, active: number, count: number): ListboxAction {
  switch (key) {
    case 'ArrowDown':
    case 'Down':
      if (count === 0) return { kind: 'none' };
      return { kind: 'move', index: active < 0 || active >= count - 1 ? 0 : active + 1 };
    case 'ArrowUp':
    case 'Up':
      if (count === 0) return { kind: 'none' };
      return { kind: 'move', index: active <= 0 || active >= count ? count - 1 : active - 1 };
    case 'Enter':
      if (count === 0) return { kind: 'none' };
      return { kind: 'select', index: active >= 0 && active < count ? active : 0 };
    case 'Escape':
    case 'Esc':
      return { kind: 'close' };
    default:
      return { kind: 'none' };
  }
}
