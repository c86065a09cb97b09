// Sessions and sign-in (docs/accounts-api.md, "Sessions and CSRF").
//
// The types are written by hand from the contract until server/openapi.json describes these
// routes; then they become aliases of `components['schemas'][…]` like those in client.ts.

import { http, type HttpClient, type JsonObject } from './http';

/** Roles of domain/src/access.rs `Role`. */
export type RoleName = 'resident' | 'volunteer' | 'communitybuilder' | 'wijkondernemer' | 'gemeente' | 'partner' | 'admin';

export const ROLE_NAMES: readonly RoleName[] = [
  'resident',
  'volunteer',
  'communitybuilder',
  'wijkondernemer',
  'gemeente',
  'partner',
  'admin',
];

/** A role in a scope: `all`, a CBS code (`GM1999`, `WK199901`, `BU19990102`) or `polygon:{id}`. */
export interface RoleGrant {
  readonly role: RoleName;
  readonly scope: string;
}

/** An address the user proved to live at with a letter code. */
export interface VerifiedAddress {
  readonly address_id: string;
  readonly label: string;
}

export interface User {
  readonly id: string | number;
  readonly email: string;
  readonly display_name: string | null;
  readonly roles: readonly RoleGrant[];
  readonly totp_enabled: boolean;
  /** Ids of the addresses proven with a letter code (labels come from GET /api/my/addresses). */
  readonly verified_addresses?: readonly string[];
}

/**
 * `GET /api/session` and every sign-in answer. A device reporter's session has `device: true`,
 * `user: null` and (in the server as written) `signed_in: false`.
 */
export interface Session {
  readonly signed_in: boolean;
  readonly csrf: string | null;
  readonly user: User | null;
  readonly device: boolean | JsonObject | null;
}

/** Whether `session` is a pseudonymous device reporter's (no account). */
export function isDeviceSession(session: Session | null | undefined): boolean {
  return Boolean(session && !session.user && session.device);
}

/** `{token}` from a mailed link, or `{email, code}` typed in. */
export type EmailProof = { readonly token: string } | { readonly email: string; readonly code: string };

export interface PasswordSignIn {
  readonly email: string;
  readonly password: string;
  readonly totp?: string;
}

/** The API of this file over one HTTP client (the page's, or a test's). */
export function authApi(client: HttpClient = http) {
  const signedIn = (session: Session): Session => {
    client.rememberSession(session);
    return session;
  };
  return {
    /** `GET /api/session`. */
    session: async (): Promise<Session> => signedIn(await client.json<Session>('GET', '/api/session')),
    /** `POST /api/auth/email`: mails a code and a link (always 202, no enumeration). */
    requestEmail: (email: string): Promise<{ sent: boolean }> => client.json('POST', '/api/auth/email', { email }),
    /** `POST /api/auth/email/verify`. */
    verifyEmail: async (proof: EmailProof): Promise<Session> =>
      signedIn(await client.json<Session>('POST', '/api/auth/email/verify', proof)),
    /** `POST /api/auth/password`. */
    password: async (body: PasswordSignIn): Promise<Session> =>
      signedIn(await client.json<Session>('POST', '/api/auth/password', body)),
    /** `POST /api/auth/password-link`: sets the password with a mailed link; does not sign in. */
    setPasswordWithLink: (token: string, password: string): Promise<void> =>
      client.json<void>('POST', '/api/auth/password-link', { token, password }),
    /** `POST /api/auth/device`: a pseudonymous reporter on this device. */
    device: async (): Promise<Session> => signedIn(await client.json<Session>('POST', '/api/auth/device')),
    /** `POST /api/auth/logout`. */
    logout: async (): Promise<void> => {
      await client.send('POST', '/api/auth/logout');
      client.forgetSession();
    },
    /** `POST /api/auth/logout-all`: ends every session of the account, this one included. */
    logoutAll: async (): Promise<void> => {
      await client.send('POST', '/api/auth/logout-all');
      client.forgetSession();
    },
  };
}

export const auth = authApi();

/** Whether the user has `role` (in any scope). */
export function hasRole(user: User | null | undefined, ...roles: readonly RoleName[]): boolean {
  return user?.roles.some((grant) => roles.includes(grant.role)) ?? false;
}

/** Staff sign in with a password and may protect it with TOTP: every role but resident. */
export function isStaff(user: User | null | undefined): boolean {
  return user?.roles.some((grant) => grant.role !== 'resident') ?? false;
}

/** The name to show for a user: the display name, else the e-mail address. */
export function userName(user: User): string {
  return user.display_name?.trim() || user.email;
}
