// Tabs (WAI-ARIA tabs pattern, automatic activation): arrow keys, Home and End move between the
// tabs of a tablist and show their panels; only the chosen tab is in the Tab order.

/** The index a key press moves to among `count` tabs from `index`, or null when the key is not ours. */
export function tabKey(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'Right':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'Left':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

export interface Tabs {
  /** Shows the tab with this id (and its panel). */
  select(tabId: string, focus?: boolean): void;
}

/** Wires the `[role=tab]` buttons of `tablist`; each names its panel with `aria-controls`. */
export function mountTabs(tablist: HTMLElement, onSelect?: (tabId: string) => void): Tabs {
  const tabs = [...tablist.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const selectIndex = (index: number, focus: boolean) => {
    tabs.forEach((tab, i) => {
      const selected = i === index;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    });
    const tab = tabs[index];
    if (!tab) return;
    if (focus) tab.focus();
    onSelect?.(tab.id);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectIndex(i, false));
    tab.addEventListener('keydown', (e) => {
      const next = tabKey(e.key, i, tabs.length);
      if (next === null) return;
      e.preventDefault();
      selectIndex(next, true);
    });
  });
  const initial = tabs.findIndex((tab) => tab.getAttribute('aria-selected') === 'true');
  selectIndex(initial < 0 ? 0 : initial, false);
  return {
    select: (tabId, focus = false) => {
      const index = tabs.findIndex((tab) => tab.id === tabId);
      if (index >= 0) selectIndex(index, focus);
    },
  };
}
