// Start-up shared by the account pages (aanmelden, account, beheer): language, language switch,
// document title, and who is signed in.

import { auth, type Session } from '../api/auth';
import { initialLang, onLangChange, setLang, t, type MessageKey } from '../i18n';
import { showAccountLink } from './accountLink';
import { byId } from './element';
import { mountLanguageToggle } from './language';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** Sets the language and the title and wires the header; the caller then asks for the session. */
export function startPage(title: MessageKey): void {
  setLang(initialLang(storage()));
  mountLanguageToggle(byId<HTMLButtonElement>('lang-toggle'), storage());
  const setTitle = () => {
    document.title = t(title);
  };
  setTitle();
  onLangChange(setTitle);
}

/** The session (null when the server cannot say), shown in the header's account link. */
export async function pageSession(): Promise<Session | null> {
  let session: Session | null = null;
  try {
    session = await auth.session();
  } catch {
    session = null;
  }
  showAccountLink(byId<HTMLAnchorElement>('account-link'), session);
  return session;
}
