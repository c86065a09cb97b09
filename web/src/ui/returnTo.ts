// Coming back after signing in. Every way to the sign-in page carries where the person was
// (`/aanmelden.html?terug=/…`); the sign-in page goes back there instead of to the account page.
// Only paths on this site are followed (never `//host` or `https://…`: no open redirect), and
// never the sign-in page itself.

/** The query parameter that names where to go back to. */
export const RETURN_PARAM = 'terug';

/** Where the sign-in page keeps the way back for the mailed link opened in the same tab. */
const STORAGE_KEY = 'wijkwerk.terug';

const SIGN_IN_PATH = /^\/aanmelden(\.html)?$/;

/** `value` as a path on this site to go back to, or null when it is none (or points elsewhere). */
export function safeReturn(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\s]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'https://wijkwerk.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'https://wijkwerk.invalid' || SIGN_IN_PATH.test(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to `returnTo` (a path on this site) afterwards. */
export function signInUrl(returnTo: string | null): string {
  const back = safeReturn(returnTo);
  return back ? `/aanmelden.html?${new URLSearchParams({ [RETURN_PARAM]: back })}` : '/aanmelden.html';
}

/** Where the browser is now, as a path to come back to. */
export function here(location: Pick<Location, 'pathname' | 'search' | 'hash'> = window.location): string {
  return `${location.pathname}${location.search}${location.hash}`;
}

function session(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * The way back the sign-in page was given (`?terug=`), remembered for this tab so that the mailed
 * link, opened here after the code was asked for, comes back too. Null: to the account page.
 */
export function returnFromQuery(search: string, storage = session()): string | null {
  const given = safeReturn(new URLSearchParams(search).get(RETURN_PARAM));
  try {
    if (given) storage?.setItem(STORAGE_KEY, given);
    return given ?? safeReturn(storage?.getItem(STORAGE_KEY));
  } catch {
    return given;
  }
}

/** Forgets the remembered way back (after using it). */
export function forgetReturn(storage = session()): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing to forget.
  }
}
