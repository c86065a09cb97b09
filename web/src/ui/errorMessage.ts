// What to tell the user when a request failed: the server's `{code, description}` (and the
// status, and Retry-After) mapped to a sentence in the catalogue. Pure, so it is unit tested.

import { ApiError } from '../api/http';
import type { MessageKey } from '../i18n';

/** A catalogue message with its parameters, rendered when shown (and again on a language switch). */
export interface Message {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface ErrorContext {
  /** A TOTP code was sent with the request, so `TotpRequired` means it was wrong. */
  readonly totpGiven?: boolean;
}

/** The message for a failed request (an `ApiError`, or a network failure). */
export function errorMessage(error: unknown, context: ErrorContext = {}): Message {
  if (!(error instanceof ApiError)) {
    // fetch rejects with a TypeError when the server cannot be reached.
    return { key: 'error.network' };
  }
  switch (error.code) {
    case 'InvalidToken':
      return { key: 'error.invalidToken' };
    case 'InvalidCredentials':
      return { key: 'error.invalidCredentials' };
    case 'TotpRequired':
      return { key: context.totpGiven ? 'error.totpWrong' : 'error.totpRequired' };
    case 'InvalidCode':
      return { key: 'error.invalidCode' };
    case 'CsrfRejected':
      return { key: 'error.csrf' };
  }
  if (error.status === 429) return tooMany(error.retryAfterSeconds);
  if (error.status === 401) return { key: 'error.notSignedIn' };
  if (error.status === 403) return { key: 'error.forbidden' };
  if (error.status === 404) return { key: 'error.notFound' };
  if (error.status === 409) return { key: 'error.conflict', params: { description: error.description } };
  if (error.status === 400 || error.status === 422) return { key: 'error.invalid', params: { description: error.description } };
  if (error.status >= 500) return { key: 'error.server' };
  return { key: 'error.other', params: { description: error.description } };
}

/** "Try again in …": seconds up to a minute and a half, minutes (rounded up) beyond. */
export function tooMany(retryAfterSeconds: number | null): Message {
  if (retryAfterSeconds === null) return { key: 'error.tooMany' };
  if (retryAfterSeconds < 90) return { key: 'error.tooManySeconds', params: { seconds: Math.max(2, Math.ceil(retryAfterSeconds)) } };
  return { key: 'error.tooManyMinutes', params: { minutes: Math.ceil(retryAfterSeconds / 60) } };
}

/** Whether the request failed because the caller is not signed in. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** Whether the request failed because the caller lacks the role. */
export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code !== 'CsrfRejected';
}
