// The NL/EN switch. The button names the other language in that language (with its `lang`), as
// a speaker of it would look for it.

import { lang, onLangChange, setLang, t, type Lang } from '../i18n';

const OTHER: Record<Lang, Lang> = { nl: 'en', en: 'nl' };

/** Wires the language button; `storage` remembers the choice. */
export function mountLanguageToggle(button: HTMLButtonElement, storage: Storage | undefined): void {
  const render = () => {
    const other = OTHER[lang()];
    button.textContent = t('lang.toggle');
    button.lang = other;
    button.setAttribute('aria-label', t('lang.toggleLabel'));
  };
  button.addEventListener('click', () => setLang(OTHER[lang()], storage));
  onLangChange(render);
  render();
}
