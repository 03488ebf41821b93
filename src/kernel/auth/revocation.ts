import type { Redis } from 'ioredis';
import type { PubSub } from '../pubsub.js';

/**
 * Shared denylist of revoked sessions for access tokens that are still unexpired. With Redis, every API
 * process sees a logout at once without a database read; without Redis the database session row (checked on
 * every request) is the shared truth and this store does nothing.
 */
export interface RevocationStore {
  revokeSession(sessionId: string, ttlSeconds: number): Promise<void>;
  /** null = this store cannot tell (fall back to the database). */
  isSessionRevoked(sessionId: string): Promise<boolean | null>;
}

export class RedisRevocationStore implements RevocationStore {
  constructor(private readonly redis: Redis) {}
  async revokeSession(sessionId: string, ttlSeconds: number) {
    await this.redis.set(`registrar:revoked:sid:${sessionId}`, '1', 'EX', Math.max(1, ttlSeconds));
  }
  async isSessionRevoked(sessionId: string) {
    return (await this.redis.exists(`registrar:revoked:sid:${sessionId}`)) === 1;
  }
}

export class NoopRevocationStore implements RevocationStore {
  async revokeSession() {}
  async isSessionRevoked() {
    return null;
  }
}

/** The pub/sub channel on which every revoked session id is announced (live streams close on it). */
export const SESSION_REVOKED_CHANNEL = 'session_revoked';

/**
 * Announces each revocation to every API process (kernel/pubsub.ts), on top of the store it wraps, so
 * long-lived connections (the notification stream) of a revoked session close at once. Every revocation
 * path (logout, session revoke, deactivation, password reset, refresh-token reuse) goes through
 * `revokeSession` after its commit.
 */
export class BroadcastingRevocationStore implements RevocationStore {
  /** Revocations announced by this process, waiting to hear their own announcement back. */
  private readonly echoes = new Map<string, () => void>();

  constructor(
    private readonly inner: RevocationStore,
    private readonly pubsub: PubSub,
    /** Called at once in this process (the actor cache forgets the session before the next request). */
    private readonly onRevoked: (sessionId: string) => void = () => {},
  ) {}

  /**
   * Hears this process's own announcements (buildApp, once). Without Redis no denylist refuses a revoked
   * session's cached actor in the other processes: there `revokeSession` returns once the database has
   * delivered the announcement back to this process (so to every listener), at most `ECHO_WAIT_MS` later.
   */
  async listen(): Promise<void> {
    if (this.pubsub.kind === 'redis') return;
    await this.pubsub.subscribe(SESSION_REVOKED_CHANNEL, (sid) => {
      this.echoes.get(sid)?.();
      this.echoes.delete(sid);
    });
  }

  async revokeSession(sessionId: string, ttlSeconds: number) {
    this.onRevoked(sessionId);
    await this.inner.revokeSession(sessionId, ttlSeconds);
    const echoed =
      this.pubsub.kind === 'redis'
        ? null
        : new Promise<void>((resolve) => {
            const t = setTimeout(resolve, ECHO_WAIT_MS);
            this.echoes.set(sessionId, () => {
              clearTimeout(t);
              resolve();
            });
          });
    // The database row is already the truth; a lost announcement only delays the close to the next check.
    await this.pubsub.publish(SESSION_REVOKED_CHANNEL, sessionId).catch(() => {});
    if (echoed) {
      await echoed;
      // The other listeners got the same notification at the same moment; give them a beat to read it.
      await new Promise((r) => setTimeout(r, ECHO_GRACE_MS));
    }
    this.echoes.delete(sessionId);
  }
  isSessionRevoked(sessionId: string) {
    return this.inner.isSessionRevoked(sessionId);
  }
}

/** How long a revocation waits at most to hear its own announcement (LISTEN/NOTIFY, PGlite). */
export const ECHO_WAIT_MS = 1000;
const ECHO_GRACE_MS = 20;
