// The one way the web pages talk to the wijkwerk server: same-origin fetch with the session
// cookie, the CSRF token on every state-changing request, and `{code, description}` errors turned
// into `ApiError`. See docs/accounts-api.md, "Sessions and CSRF".
//
// The CSRF token belongs to the session: it is learnt from `GET /api/session` (asked once, on
// the first state-changing request, unless a sign-in answer already carried it) and forgotten on
// sign-out.

/** A response that was not 2xx, with the server's error body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly url: string,
    /** From `Retry-After` (429, 503): seconds to wait, or null when not given. */
    readonly retryAfterSeconds: number | null = null,
    /** A 422's `errors[]`: every failing field (a JSON pointer such as `/answers/panels`). */
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(`${description} (${status} ${code})`);
    this.name = 'ApiError';
  }
}

/** The server's error body. */
export interface ErrorBody {
  readonly code: string;
  readonly description: string;
  /** Validation errors (422) list every failing field. */
  readonly errors?: readonly FieldError[];
}

/** One failing field of a 422: `field` is a JSON pointer into the request body. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

function fieldErrorsOf(body: ErrorBody): FieldError[] {
  if (!Array.isArray(body.errors)) return [];
  return body.errors.filter(
    (e): e is FieldError => typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.message === 'string',
  );
}

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Methods that change state: these carry `X-CSRF-Token`. */
export function changesState(method: Method): boolean {
  return method !== 'GET';
}

export const CSRF_HEADER = 'X-CSRF-Token';

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).description === 'string'
  );
}

/**
 * Seconds to wait from a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Null when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // An HTTP date names its day and month; `Date.parse` alone would take "-3" for a year.
  if (!/^[A-Za-z]{3}, /.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The `ApiError` for a response that was not 2xx. */
export async function errorFromResponse(response: Response, url: string): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.code, body.description, url, retryAfter, fieldErrorsOf(body));
  }
  return new ApiError(response.status, 'HttpError', response.statusText || `HTTP ${response.status}`, url, retryAfter);
}

/** A file the server sent (letters): its bytes and the name to save it under. */
export interface Download {
  readonly blob: Blob;
  readonly filename: string | null;
}

/** The file name of a `Content-Disposition` header (`filename*=UTF-8''…` preferred), or null. */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name ? name : null;
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** What a request may add: headers (`Idempotency-Key`), or a raw body (a photo) instead of JSON. */
export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as is with its own type (`Blob.type`); replaces the JSON body. */
  readonly raw?: Blob;
}

interface SessionCsrf {
  readonly csrf?: string | null;
}

/** Same-origin JSON client; one per page (`http`), or one per test with a fake `fetch`. */
export class HttpClient {
  /** undefined: not asked yet; null: the session has none (anonymous visitor). */
  private csrf: string | null | undefined;
  private pending: Promise<string | null> | undefined;

  constructor(private readonly fetchImpl: Fetch = (input, init) => fetch(input, init)) {}

  /** Remembers the CSRF token of a session answer (`GET /api/session`, sign-in). */
  rememberSession(session: SessionCsrf): void {
    this.csrf = typeof session.csrf === 'string' && session.csrf !== '' ? session.csrf : null;
  }

  /** Forgets the CSRF token (after sign-out); the next state-changing request asks again. */
  forgetSession(): void {
    this.csrf = undefined;
  }

  /** A JSON answer (or undefined for 204). */
  async json<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, body, 'application/json', options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A request whose answer has no body worth reading (204, or 201 we do not need). */
  async send(
    method: Method,
    path: string,
    body?: unknown,
    accept = 'application/json',
    options: RequestOptions = {},
  ): Promise<Response> {
    let response = await this.attempt(method, path, body, accept, options);
    if (response.status === 403 && changesState(method)) {
      // A stale token (the session changed in another tab): learn the current one and try once more.
      const error = await errorFromResponse(response.clone(), path);
      if (error.code === 'CsrfRejected' || error.code === 'CsrfTokenInvalid') {
        this.forgetSession();
        response = await this.attempt(method, path, body, accept, options);
      }
    }
    if (!response.ok) throw await errorFromResponse(response, path);
    return response;
  }

  /** A file answer (letters as CSV or PDF). */
  async download(method: Method, path: string, body: unknown, accept: string): Promise<Download> {
    const response = await this.send(method, path, body, accept);
    return { blob: await response.blob(), filename: dispositionFilename(response.headers.get('Content-Disposition')) };
  }

  private async attempt(
    method: Method,
    path: string,
    body: unknown,
    accept: string,
    options: RequestOptions,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, ...options.headers };
    if (options.raw) headers['Content-Type'] = options.raw.type || 'application/octet-stream';
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (changesState(method)) {
      const token = await this.csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    return this.fetchImpl(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ?? (body === undefined ? null : JSON.stringify(body)),
    });
  }

  private csrfToken(): Promise<string | null> {
    if (this.csrf !== undefined) return Promise.resolve(this.csrf);
    this.pending ??= this.fetchImpl('/api/session', {
      method: 'GET',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(async (response) => {
        if (!response.ok) return null;
        const session = (await response.json()) as SessionCsrf;
        this.rememberSession(session);
        return this.csrf ?? null;
      })
      .catch(() => null)
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

/** The page's client. */
export const http = new HttpClient();
