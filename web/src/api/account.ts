// The signed-in user's own account and addresses (docs/accounts-api.md, "Account" and
// "My address"). Types written by hand from the contract, as in auth.ts.

import type { User, VerifiedAddress } from './auth';
import { http, type HttpClient, type JsonObject } from './http';

/** Purposes a resident can consent to or opt out of (domain `Purpose::OPT_OUTABLE`). */
export type Purpose = 'canvassing' | 'contact' | 'research';

export const PURPOSES: readonly Purpose[] = ['canvassing', 'contact', 'research'];

/** Purposes an account can consent to (domain `Purpose::CONSENTABLE`): those of the address
 * register, and `talent` (matching the account's offer of time and talent to work). */
export type ConsentPurpose = Purpose | 'talent';

export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['canvassing', 'contact', 'research', 'talent'];

export interface SessionInfo {
  readonly id: string | number;
  readonly created_at: string;
  readonly last_seen_at: string;
  readonly current: boolean;
}

/** One entry of the consent ledger: the latest per purpose is what holds. */
export interface ConsentEntry {
  readonly purpose: ConsentPurpose;
  readonly given: boolean;
  /** Null in `GET /api/account` for a purpose never decided on. */
  readonly at: string | null;
}

export interface Account {
  readonly user: User;
  readonly sessions: readonly SessionInfo[];
  readonly consents: readonly ConsentEntry[];
}

/** What proves, besides the session, that the account's owner sets up an authenticator. */
export interface TotpProof {
  readonly password?: string;
  /** The current code of the enabled authenticator. */
  readonly code?: string;
}

export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauth_uri: string;
}

/** Something observed about an address; the contract names only the id a contest refers to. */
export interface Observation extends JsonObject {
  readonly id: string | number;
}

/** `GET /api/my/addresses/{id}`. The register facts are shown as the server sends them. */
export interface MyAddressDetail {
  readonly address: JsonObject;
  /** The contract names one `building`; the server sends `buildings` (an address can lie in several). */
  readonly building?: JsonObject | null;
  readonly buildings?: readonly JsonObject[];
  readonly observations: readonly Observation[];
  readonly opt_outs: readonly Purpose[];
  readonly contests: readonly JsonObject[];
}

const path = (id: string | number) => `/api/my/addresses/${encodeURIComponent(String(id))}`;

export function accountApi(client: HttpClient = http) {
  return {
    /** `GET /api/account`. */
    account: (): Promise<Account> => client.json('GET', '/api/account'),
    /** `POST /api/account/consents`. */
    setConsent: (purpose: ConsentPurpose, given: boolean): Promise<ConsentEntry> =>
      client.json('POST', '/api/account/consents', { purpose, given }),
    /** `GET /api/account/consents/history`: every ledger entry. */
    consentHistory: (): Promise<ConsentEntry[]> => client.json('GET', '/api/account/consents/history'),
    /**
     * `POST /api/account/totp`: a pending secret until confirmed. Not with the session alone: the
     * password (staff), or the current code when an authenticator is on.
     */
    startTotp: (proof: TotpProof): Promise<TotpEnrolment> => client.json('POST', '/api/account/totp', proof),
    /** `POST /api/account/totp/confirm`. */
    confirmTotp: async (code: string): Promise<void> => {
      await client.send('POST', '/api/account/totp/confirm', { code });
    },
    /** `POST /api/account/password` (staff). */
    changePassword: async (current: string, next: string): Promise<void> => {
      await client.send('POST', '/api/account/password', { current, new: next });
    },

    /** `POST /api/my/addresses`: the code from the letter. */
    claimAddress: (code: string): Promise<VerifiedAddress> => client.json('POST', '/api/my/addresses', { code }),
    /** `GET /api/my/addresses`. */
    myAddresses: (): Promise<VerifiedAddress[]> => client.json('GET', '/api/my/addresses'),
    /** `GET /api/my/addresses/{id}`. */
    myAddress: (id: string | number): Promise<MyAddressDetail> => client.json('GET', path(id)),
    /** `PUT` (opted out) or `DELETE` (not) `/api/my/addresses/{id}/opt-outs/{purpose}`. */
    setOptOut: async (id: string | number, purpose: Purpose, optedOut: boolean): Promise<void> => {
      await client.send(optedOut ? 'PUT' : 'DELETE', `${path(id)}/opt-outs/${purpose}`);
    },
    /** `POST /api/my/addresses/{id}/contests`. */
    contest: async (id: string | number, observationId: string | number, reason: string): Promise<void> => {
      await client.send('POST', `${path(id)}/contests`, { observation_id: observationId, reason });
    },
  };
}

export const account = accountApi();

/** A decided consent: one with a time. */
export interface ConsentDecision extends ConsentEntry {
  readonly at: string;
}

/**
 * What holds now per purpose: the latest decided entry (by `at`; on a tie the later in the list);
 * null when never decided (not given).
 */
export function currentConsents(entries: readonly ConsentEntry[]): Record<ConsentPurpose, ConsentDecision | null> {
  const current: Record<ConsentPurpose, ConsentDecision | null> = { canvassing: null, contact: null, research: null, talent: null };
  for (const entry of entries) {
    if (!Object.hasOwn(current, entry.purpose) || entry.at === null) continue;
    const at = Date.parse(entry.at);
    if (Number.isNaN(at)) continue;
    const held = current[entry.purpose];
    if (held === null || at >= Date.parse(held.at)) current[entry.purpose] = { ...entry, at: entry.at };
  }
  return current;
}

/** The buildings of an address detail, whichever way the server wrote them. */
export function buildingsOf(detail: MyAddressDetail): JsonObject[] {
  if (detail.buildings) return [...detail.buildings];
  return detail.building ? [detail.building] : [];
}
