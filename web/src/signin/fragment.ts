// The sign-in link in the e-mail is `/aanmelden.html#token=…`, a password link
// `/aanmelden.html#wachtwoord=…`. The token is in the fragment so it never reaches a server log or a
// Referer header; the page reads it, removes it from the address bar and the history
// (replaceState), and only then sends it.

/** Longest token accepted; anything longer is not one of ours. */
const MAX_TOKEN_LENGTH = 512;

/**
 * The token in a location hash (`#token=…`, or `#wachtwoord=…` with `name` `'wachtwoord'`,
 * possibly with other `&`-separated fields), or null.
 */
export function parseFragmentToken(hash: string, name: 'token' | 'wachtwoord' = 'token'): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return null;
  let token: string | null;
  try {
    token = new URLSearchParams(fragment).get(name);
  } catch {
    return null;
  }
  token = token?.trim() ?? null;
  if (!token || token.length > MAX_TOKEN_LENGTH || /[\s<>"']/.test(token)) return null;
  return token;
}

/** The URL of `location` without its fragment, to put in place with `history.replaceState`. */
export function withoutFragment(location: Pick<Location, 'pathname' | 'search'>): string {
  return `${location.pathname}${location.search}`;
}

/** Whether `query` (a location search) says the user just signed out (`?afgemeld`). */
export function justSignedOut(query: string): boolean {
  return new URLSearchParams(query).has('afgemeld');
}
