// Who reports, as the map page knows it: the session from GET /api/session, and the device
// session the report flow may start (POST /api/auth/device, "Anoniem melden op dit apparaat").
// The header's account link and the report flow listen to it.

import { auth as defaultAuth, isDeviceSession, type Session } from '../api/auth';
import { ApiError } from '../api/http';

type AuthApi = Pick<typeof defaultAuth, 'session' | 'device'>;

export class SessionState {
  private session: Session | null = null;
  private readonly listeners = new Set<(session: Session | null) => void>();

  constructor(private readonly auth: AuthApi = defaultAuth) {}

  /** The session as last heard (null: none, or the server could not say). */
  get current(): Session | null {
    return this.session;
  }

  /** Whether the user may report: signed in, or a device session. */
  get canReport(): boolean {
    return Boolean(this.session?.user) || isDeviceSession(this.session);
  }

  /** The addresses the signed-in user verified with a letter code. */
  get verifiedAddresses(): readonly string[] {
    return this.session?.user?.verified_addresses ?? [];
  }

  /** Asks the server; a failure counts as no session (the map must not care). */
  async load(): Promise<Session | null> {
    try {
      this.set(await this.auth.session());
    } catch {
      this.set(null);
    }
    return this.session;
  }

  /** Starts a device session; a browser that has a session already (409) just uses it. */
  async startDevice(): Promise<Session | null> {
    try {
      this.set(await this.auth.device());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      await this.load();
    }
    return this.session;
  }

  /** Calls `listener` now and after every change. */
  onChange(listener: (session: Session | null) => void): void {
    this.listeners.add(listener);
    listener(this.session);
  }

  private set(session: Session | null): void {
    this.session = session;
    for (const listener of this.listeners) listener(session);
  }
}
