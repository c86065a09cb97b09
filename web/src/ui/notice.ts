// A message region of a form or section: polite for progress and success, assertive for errors,
// kept in the current language. The element is in the page from the start (empty), as live
// regions must be for screen readers to follow them.

import { onLangChange, t } from '../i18n';
import { h } from './element';
import { errorMessage, type ErrorContext, type Message } from './errorMessage';
import { here, signInUrl } from './returnTo';

export type NoticeKind = 'info' | 'success' | 'error';

export class Notice {
  private message: Message | null = null;
  private extra: readonly Node[] = [];

  constructor(private readonly el: HTMLElement) {
    el.setAttribute('aria-live', 'polite');
    el.setAttribute('aria-atomic', 'true');
    el.classList.add('notice');
    el.hidden = true;
    onLangChange(() => this.render());
  }

  /** Shows `message`; `extra` nodes (a link, say) follow the text. */
  show(kind: NoticeKind, message: Message, ...extra: Node[]): void {
    this.el.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
    this.el.classList.remove('notice-info', 'notice-success', 'notice-error');
    this.el.classList.add(`notice-${kind}`);
    this.el.dataset['kind'] = kind;
    this.message = message;
    this.extra = extra;
    this.render();
  }

  /**
   * Shows what went wrong with a request. "Not (or no longer) signed in" comes with a link to sign
   * in that comes back to this page (ui/returnTo.ts).
   */
  error(error: unknown, context?: ErrorContext): void {
    const message = errorMessage(error, context);
    // Wrong credentials are a 401 too, but say something else; and not on the sign-in page itself.
    const signIn = message.key === 'error.notSignedIn' && !/^\/aanmelden/.test(window.location.pathname);
    this.show('error', message, ...(signIn ? [h('a', { i18n: 'nav.signIn', attrs: { href: signInUrl(here()) } })] : []));
  }

  clear(): void {
    this.message = null;
    this.extra = [];
    this.el.replaceChildren();
    this.el.hidden = true;
    delete this.el.dataset['kind'];
  }

  private render(): void {
    if (!this.message) return;
    const text = t(this.message.key, this.message.params ? { ...this.message.params } : {});
    this.el.replaceChildren(text, ...this.extra.flatMap((node) => [' ', node]));
    this.el.hidden = false;
  }
}
