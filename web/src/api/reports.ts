// Resident reports (docs/reports-api.md; server/src/routes/reports.rs for the exact shapes).
//
// The types are written by hand from the contract until server/openapi.json describes these
// routes; then they become aliases of `components['schemas'][…]` like those in client.ts.

import { http, type HttpClient, type JsonObject, type JsonValue } from './http';

/** What a report of a type can be about. */
export type TargetKind = 'building' | 'address' | 'point' | 'tree';

/** Dutch and English text of a type definition. */
export interface TypeText {
  readonly nl: string;
  readonly en: string;
}

/** The part of JSON Schema (2020-12) the report form understands; anything else is passed over. */
export interface AnswerSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly JsonValue[];
  readonly items?: AnswerSchema;
  readonly title?: string;
  readonly description?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly uniqueItems?: boolean;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, AnswerSchema>>;
}

/** What the access policy lets one kind of reader do with a type's reports on the map. */
export type AudienceDecision = 'allow' | 'aggregate' | 'deny';

/**
 * Who may read the reports of a type, as the server's access policy decides it (purpose `map`):
 * everyone (`public`), each staff role within its own area (`roles`; admins hold every area), and
 * the residents who verified the address a report is about (`address`) or an address in the
 * building it is about (`building`). The reporter always sees their own reports.
 */
export interface Audience {
  readonly public: AudienceDecision;
  readonly roles: Readonly<Record<string, AudienceDecision>>;
  readonly residents: readonly TargetKind[];
}

/** `GET /api/observation-types` (one entry). */
export interface ObservationType {
  readonly name: string;
  readonly version: number;
  readonly title: TypeText;
  readonly question: TypeText;
  readonly targets: readonly TargetKind[];
  readonly public_space: boolean;
  readonly own_home_only: boolean;
  readonly visible_from_street: boolean;
  readonly status_field: string;
  readonly status_classes: Readonly<Record<string, string>>;
  readonly schema: AnswerSchema;
  /** Who may read its reports (absent from servers older than the field). */
  readonly audience?: Audience;
}

/** A GeoJSON point, WGS84 [lon, lat]. */
export interface PointGeometry {
  readonly type: 'Point';
  readonly coordinates: readonly [number, number];
}

/** The `target` of a new report: exactly one of these shapes. */
export type ReportTarget =
  | { readonly building: string }
  | { readonly address: string }
  | { readonly point: PointGeometry }
  | { readonly tree: string; readonly point: PointGeometry };

/** Where `similar` looks: a pand, or around a point in public space. */
export type SimilarPlace = { readonly building: string } | { readonly lonlat: readonly [number, number] };

/** `POST /api/observations` body. */
export interface NewReport {
  readonly type: string;
  readonly target: ReportTarget;
  readonly answers: JsonObject;
  readonly observed_at?: string;
}

/** A report as the server returns it (reporter identity is never included). */
export interface Observation {
  readonly id: number;
  readonly type: string;
  readonly type_version: number;
  readonly target: {
    readonly building: string | null;
    readonly address: string | null;
    readonly tree: string | null;
    readonly point: PointGeometry;
  };
  readonly buurt: string | null;
  readonly observed_at: string;
  readonly created_at: string;
  readonly source: string;
  /** new, confirmed, resolved, rejected, withdrawn, merged, hidden */
  readonly status: string;
  readonly status_class: string;
  readonly answers: JsonObject;
  readonly confirmations: number;
  /** URLs of the photos (`/api/photos/{id}.jpg`). */
  readonly photos: readonly string[];
  readonly mine: boolean;
  /** Free text that looked like personal data waits for a moderator. */
  readonly free_text_in_review?: boolean;
  /** Free-text answers left out for this reader until a moderator releases them. */
  readonly withheld?: readonly string[];
}

/**
 * What `POST /api/observations` did: stored a new report, or — when an open report of another
 * reporter about the same building already says the same — counted it as a confirmation of that
 * report.
 */
export type CreateOutcome =
  | (Observation & { readonly outcome: 'created' })
  | {
      readonly outcome: 'confirmed';
      readonly id: number;
      readonly type: string;
      readonly status_class: string;
      readonly confirmations: number;
    };

/** An entry of `GET /api/moderation`: the report, its abuse flags and the personal-data check. */
export interface QueuedReport extends Observation {
  readonly flags: number;
  readonly pii_suspected: boolean;
}

/** What a moderator can do to a report (`POST /api/observations/{id}/moderation`). */
export type ModerationAction = 'hide' | 'unhide' | 'resolve' | 'reject' | 'release';

/** `GET /api/observations/similar`: an open report of the same type on the same building. */
export interface SimilarReport {
  readonly id: number;
  readonly status_class: string;
  readonly confirmations: number;
  readonly observed_at: string;
}

/** `GET /api/buildings/{id}/timeline` (the server wraps the contract's list in an object). */
export interface Timeline {
  readonly building: string;
  readonly entries: readonly (Observation & { readonly weight: number })[];
}

export interface Confirmation {
  readonly id: number;
  readonly confirmations: number;
}

export interface StoredPhoto {
  readonly id: number;
  readonly url: string;
  readonly width: number;
  readonly height: number;
}

/** The API of this file over one HTTP client (the page's, or a test's). */
export function reportsApi(client: HttpClient = http) {
  return {
    /** `GET /api/observation-types`: the current version of every type. */
    types: (): Promise<ObservationType[]> => client.json('GET', '/api/observation-types'),
    /**
     * `GET /api/observations/similar?type=&building=` or `&lon=&lat=` (the nearest open report
     * within 10 m of a public-space point); street-visible types only; needs a session. About a
     * building only for those who may see its reports (else 403): residents just report.
     */
    similar: async (type: string, where: SimilarPlace): Promise<SimilarReport | null> => {
      const q = new URLSearchParams(
        'building' in where
          ? { type, building: where.building }
          : { type, lon: String(where.lonlat[0]), lat: String(where.lonlat[1]) },
      );
      const answer = await client.json<{ existing: SimilarReport | null }>('GET', `/api/observations/similar?${q}`);
      return answer.existing;
    },
    /**
     * `POST /api/observations` with `Idempotency-Key`: 201 for a new report, 200 with the same
     * body when the server has seen the key (a retry whose first answer was lost).
     */
    create: (report: NewReport, idempotencyKey: string): Promise<CreateOutcome> =>
      client.json('POST', '/api/observations', report, { headers: { 'Idempotency-Key': idempotencyKey } }),
    /** `POST /api/observations/{id}/confirmations`. */
    confirm: (id: number): Promise<Confirmation> => client.json('POST', `/api/observations/${id}/confirmations`),
    /** `POST /api/observations/{id}/photos`: the raw JPEG or PNG bytes. */
    addPhoto: (id: number, photo: Blob): Promise<StoredPhoto> =>
      client.json('POST', `/api/observations/${id}/photos`, undefined, { raw: photo }),
    /** `GET /api/my/observations`. */
    mine: (): Promise<Observation[]> => client.json('GET', '/api/my/observations'),
    /** `DELETE /api/observations/{id}`: withdraw one's own report. */
    withdraw: async (id: number): Promise<void> => {
      await client.send('DELETE', `/api/observations/${id}`);
    },
    /** `GET /api/moderation[?area=]`: the queue of the caller's areas (communitybuilder, wijkondernemer, admin). */
    queue: (area?: string): Promise<QueuedReport[]> =>
      client.json('GET', area ? `/api/moderation?${new URLSearchParams({ area })}` : '/api/moderation'),
    /** `POST /api/observations/{id}/moderation`: the report with its new status. */
    moderate: (id: number, action: ModerationAction): Promise<Observation> =>
      client.json('POST', `/api/observations/${id}/moderation`, { action }),
    /** `POST /api/observations/{id}/merge`: `id` becomes a confirmation of `into`; returns `into`. */
    merge: (id: number, into: number): Promise<Observation> =>
      client.json('POST', `/api/observations/${id}/merge`, { into }),
    /** `GET /api/buildings/{id}/timeline`: staff in scope, admins, verified residents (else 403). */
    timeline: (building: string): Promise<Timeline> =>
      client.json('GET', `/api/buildings/${encodeURIComponent(building)}/timeline`),
  };
}

export type ReportsApi = ReturnType<typeof reportsApi>;

export const reports = reportsApi();
