// Sending a report at most once. Every create carries an `Idempotency-Key`; the server stores the
// key with the report and answers a repeat with the same report (200 instead of 201). So a
// request whose answer was lost (the phone lost its signal on the way back) is simply sent again
// with the same key: it is retried by itself a few times, and when the user presses "Versturen"
// again after that (perhaps after correcting an answer the server refused), it is still the same
// submission and keeps its key. Only a 2xx ends it, or the user leaving the form (`reset`); the
// next one gets a new key. Keeping the key after a refusal is safe: a key the server never stored
// is free, and one it stored (by an attempt whose answer was lost) must not be stored twice.

import { ApiError } from '../api/http';

/** The waits between attempts; the number of attempts is one more. */
export interface RetryPolicy {
  readonly delaysMs: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = { delaysMs: [600, 2000, 5000] };

/**
 * Whether a failure leaves it open if the server got the request: the network failed (fetch
 * rejects with a TypeError), or a gateway in between gave up (502, 503, 504).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 502 || error.status === 503 || error.status === 504;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  return error instanceof TypeError;
}

/** A new key: a random UUID (v4), also where `crypto.randomUUID` is missing (plain http). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface SubmissionOptions {
  readonly newKey?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly policy?: RetryPolicy;
}

/** One report being submitted, with its key; see the file comment. */
export class IdempotentSubmission {
  private key: string | null = null;
  private readonly newKey: () => string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly policy: RetryPolicy;

  constructor(options: SubmissionOptions = {}) {
    this.newKey = options.newKey ?? newIdempotencyKey;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.policy = options.policy ?? DEFAULT_RETRY;
  }

  /** The key in use, or null when no submission is open. */
  get pendingKey(): string | null {
    return this.key;
  }

  /**
   * Calls `send` with the submission's key, again after each transient failure while the policy
   * allows; `onRetry` hears of each retry (1, 2, …). Resolves with the first success (which ends
   * the submission); rejects with the first lasting error, or the last transient one. The key
   * stays for the user's next try either way.
   */
  async submit<T>(send: (key: string) => Promise<T>, onRetry?: (attempt: number) => void): Promise<T> {
    this.key ??= this.newKey();
    const key = this.key;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await send(key);
        this.key = null;
        return result;
      } catch (error) {
        if (!isTransient(error)) throw error;
        const delay = this.policy.delaysMs[attempt];
        if (delay === undefined) throw error;
        onRetry?.(attempt + 1);
        await this.sleep(delay);
      }
    }
  }

  /** Ends the submission without sending (the user left the form); the next one gets a new key. */
  reset(): void {
    this.key = null;
  }
}
