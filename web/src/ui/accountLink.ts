// The header link to the account: "Aanmelden" (to the sign-in page) for visitors, the user's name
// (to the account page) once signed in. On the map and on every account page.

import { auth, isDeviceSession, userName, type Session } from '../api/auth';
import { onLangChange, t } from '../i18n';
import { here, signInUrl } from './returnTo';

export const SIGN_IN_PAGE = '/aanmelden.html';
export const ACCOUNT_PAGE = '/account.html';

/** Shows `session` in `link`; re-rendered on a language switch. */
export function showAccountLink(link: HTMLAnchorElement, session: Session | null): void {
  const render = () => {
    const user = session?.signed_in ? session.user : null;
    if (user) {
      delete link.dataset['i18n'];
      link.href = ACCOUNT_PAGE;
      link.textContent = userName(user);
      link.title = t('nav.accountOf', { name: userName(user) });
    } else if (isDeviceSession(session)) {
      link.dataset['i18n'] = 'nav.device';
      link.href = ACCOUNT_PAGE;
      link.textContent = t('nav.device');
      link.removeAttribute('title');
    } else {
      link.dataset['i18n'] = 'nav.signIn';
      // Back to this page afterwards (the map keeps the open building in its address).
      link.href = signInUrl(here());
      link.textContent = t('nav.signIn');
      link.removeAttribute('title');
    }
  };
  render();
  if (link.dataset['returns'] === undefined) {
    link.dataset['returns'] = '';
    // The page's address may have changed since (another building opened): take it as followed.
    link.addEventListener('click', () => {
      if (link.dataset['state'] === 'signed-out') link.href = signInUrl(here());
    });
  }
  link.dataset['state'] = session?.user ? 'signed-in' : isDeviceSession(session) ? 'device' : 'signed-out';
  onLangChange(render);
}

/** Asks the server who is signed in and shows it; a failure leaves "Aanmelden" (the map must not care). */
export async function mountAccountLink(link: HTMLAnchorElement): Promise<Session | null> {
  try {
    const session = await auth.session();
    showAccountLink(link, session);
    return session;
  } catch {
    showAccountLink(link, null);
    return null;
  }
}
