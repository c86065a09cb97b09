// Staff and admin routes (docs/accounts-api.md, "Staff" and "Admin"). Types written by hand from
// the contract, as in auth.ts. Where the contract gives no shape (audit events, retention rules),
// the pages show the JSON objects as they come.

import type { RoleGrant, RoleName } from './auth';
import { http, type Download, type HttpClient, type JsonObject, type JsonValue } from './http';
import { queryString } from './client';

export interface AdminUser {
  readonly id: string | number;
  readonly email: string;
  readonly display_name: string | null;
  readonly roles: readonly RoleGrant[];
  readonly disabled: boolean;
  readonly totp_enabled: boolean;
  /** Signs in with a password; a staff account without one cannot sign in yet. */
  readonly has_password: boolean;
  readonly created_at: string;
}

/** Where a password link went (`POST /api/admin/users/{id}/password-link`). */
export interface PasswordLinkSent {
  readonly sent_to: string;
  readonly expires_at: string;
}

export interface NewUser {
  readonly email: string;
  readonly display_name: string;
  readonly role: RoleName;
  readonly scope: string;
  readonly organisation?: string;
  readonly password?: string;
}

/** A CBS area for pickers (`GET /api/areas`). */
export interface Area {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

/** A drawn area; its scope is written `polygon:{id}`. */
export interface CustomArea extends JsonObject {
  readonly id: string | number;
  readonly name: string;
}

export type LetterFormat = 'csv' | 'pdf';

/**
 * The list in an answer that is either a bare array or an object holding one array (`{events:
 * […], …}`): the contract names the contents of several lists but not their wrapping.
 */
export function listIn<T extends JsonValue>(value: JsonValue | undefined, ...keys: readonly string[]): T[] {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === 'object') {
    for (const key of keys) {
      const inner = value[key];
      if (Array.isArray(inner)) return inner as T[];
    }
  }
  return [];
}

const user = (id: string | number) => `/api/admin/users/${encodeURIComponent(String(id))}`;

export function adminApi(client: HttpClient = http) {
  return {
    /** `GET /api/admin/users`. */
    users: (): Promise<AdminUser[]> => client.json('GET', '/api/admin/users'),
    /** `POST /api/admin/users`. */
    createUser: (body: NewUser): Promise<AdminUser> => client.json('POST', '/api/admin/users', body),
    /** `PUT /api/admin/users/{id}/roles`. */
    setRoles: (id: string | number, roles: readonly RoleGrant[]): Promise<AdminUser> =>
      client.json('PUT', `${user(id)}/roles`, roles),
    /** `PATCH /api/admin/users/{id}`: disabling ends the user's sessions. */
    setDisabled: (id: string | number, disabled: boolean): Promise<AdminUser> =>
      client.json('PATCH', user(id), { disabled }),
    /** `POST /api/admin/users/{id}/password-link`: mails the account a one-time link to set its password. */
    sendPasswordLink: (id: string | number): Promise<PasswordLinkSent> =>
      client.json('POST', `${user(id)}/password-link`),
    /** `GET /api/admin/custom-areas`. */
    customAreas: async (): Promise<CustomArea[]> =>
      listIn<CustomArea>(await client.json<JsonValue>('GET', '/api/admin/custom-areas'), 'areas', 'items'),
    /** `POST /api/admin/custom-areas`: a drawn area (a GeoJSON Polygon in WGS84); audited. */
    createCustomArea: (name: string, geometry: JsonObject): Promise<CustomArea> =>
      client.json('POST', '/api/admin/custom-areas', { name, geometry }),
    /** `GET /api/admin/audit`, newest first; `before` pages back. */
    audit: async (limit: number, before?: string): Promise<JsonObject[]> =>
      listIn<JsonObject>(
        await client.json<JsonValue>('GET', `/api/admin/audit${queryString({ limit, before })}`),
        'events',
        'items',
      ),
    /** `GET /api/admin/retention`: rules and last runs. */
    retention: (): Promise<JsonValue> => client.json('GET', '/api/admin/retention'),
    /** `POST /api/admin/retention/run`: what was removed (counts only). */
    runRetention: (): Promise<JsonValue> => client.json('POST', '/api/admin/retention/run'),
    /** `GET /api/areas`: CBS areas for pickers. */
    areas: async (): Promise<Area[]> =>
      listIn<Area & JsonObject>(await client.json<JsonValue>('GET', '/api/areas'), 'areas', 'items'),
    /** `POST /api/letters`: the letters (new codes) for every address in an area. */
    letters: (area: string, format: LetterFormat): Promise<Download> =>
      client.download('POST', '/api/letters', { area, format }, format === 'pdf' ? 'application/pdf' : 'text/csv'),
  };
}

export const admin = adminApi();
