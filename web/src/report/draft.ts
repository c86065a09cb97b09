// A report being written when its writer has to sign in first: what it is about, its type and
// the answers given so far, kept in sessionStorage (this tab only, gone when it closes) while the
// browser visits the sign-in page, and taken back once by the map when it returns. The way back
// is `/?pand={id}` for a building (ui/returnTo.ts), so the building opens even without the draft.

import type { JsonObject } from '../api/http';
import type { Target } from './targets';

const KEY = 'wijkwerk.reportDraft';
/** A draft older than this is not restored: its writer has moved on. */
const MAX_AGE_MS = 2 * 60 * 60 * 1000;

export interface ReportDraft {
  readonly target: Target;
  /** The type chosen. */
  readonly type: string;
  /** The address of an own-home report, if it is one. */
  readonly address: string | null;
  /** The answers given so far. */
  readonly answers: JsonObject;
  /** When it was saved (ms since the epoch). */
  readonly savedAt: number;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function session(): Store | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Keeps `draft` for the way back. */
export function saveDraft(draft: Omit<ReportDraft, 'savedAt'>, storage: Store | undefined = session(), now = Date.now()): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ ...draft, savedAt: now }));
  } catch {
    // Storage full or blocked: the way back still opens the building.
  }
}

/** The kept draft, removed as it is taken; null when there is none, or it is too old or unreadable. */
export function takeDraft(storage: Store | undefined = session(), now = Date.now()): ReportDraft | null {
  let text: string | null = null;
  try {
    text = storage?.getItem(KEY) ?? null;
    storage?.removeItem(KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  try {
    const draft = JSON.parse(text) as ReportDraft;
    const fresh = typeof draft.savedAt === 'number' && now - draft.savedAt >= 0 && now - draft.savedAt < MAX_AGE_MS;
    const valid = typeof draft.type === 'string' && typeof draft.answers === 'object' && draft.answers !== null && typeof draft.target?.kind === 'string';
    return fresh && valid ? draft : null;
  } catch {
    return null;
  }
}

/** Where the map page shows what `target` is about: the building's own link, or the map. */
export function returnPath(target: Target): string {
  return target.kind === 'building' ? `/?${new URLSearchParams({ pand: target.building })}` : '/';
}
