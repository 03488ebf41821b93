import type { Redis } from 'ioredis';

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
