import type { Redis } from 'ioredis';

/**
 * Failed sign-in attempts per client address in a fixed window. Only failures count: a classroom of thirty
 * behind one NAT address signing in at 8:00 is never throttled, while guessing from one address is. Shared
 * through Redis when `REDIS_URL` is set (several API processes), in process memory otherwise. The account
 * lockout (LOGIN_MAX_FAILURES) is separate and per account.
 */
export interface LoginThrottle {
  /** Seconds until the address may try again, or 0 when it may try now. */
  blockedFor(ip: string): Promise<number>;
  /** Counts one failure of the address. */
  fail(ip: string): Promise<void>;
}

const KEY = (ip: string) => `registrar:login-fail:${ip}`;
/** The memory store forgets the oldest addresses beyond this many, so a spray of addresses cannot fill it. */
const MAX_ADDRESSES = 100_000;

export function createLoginThrottle(redis: Redis | null, max: number, windowMs: number): LoginThrottle {
  if (redis) {
    return {
      async blockedFor(ip) {
        const [n, ttl] = await redis
          .multi()
          .get(KEY(ip))
          .pttl(KEY(ip))
          .exec()
          .then((r) => [r?.[0]?.[1], r?.[1]?.[1]]);
        return Number(n ?? 0) >= max ? Math.max(1, Math.ceil(Number(ttl) / 1000)) : 0;
      },
      async fail(ip) {
        // SET NX PX starts the window with the first failure; INCR counts within it.
        await redis.multi().set(KEY(ip), 0, 'PX', windowMs, 'NX').incr(KEY(ip)).exec();
      },
    };
  }
  const seen = new Map<string, { n: number; resetAt: number }>();
  const current = (ip: string) => {
    const e = seen.get(ip);
    if (e && e.resetAt <= Date.now()) {
      seen.delete(ip);
      return undefined;
    }
    return e;
  };
  return {
    async blockedFor(ip) {
      const e = current(ip);
      return e && e.n >= max ? Math.max(1, Math.ceil((e.resetAt - Date.now()) / 1000)) : 0;
    },
    async fail(ip) {
      const e = current(ip);
      if (e) e.n++;
      else {
        if (seen.size >= MAX_ADDRESSES) seen.delete(seen.keys().next().value as string);
        seen.set(ip, { n: 1, resetAt: Date.now() + windowMs });
      }
    },
  };
}
