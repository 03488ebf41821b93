import { Redis } from 'ioredis';

/** A Redis client when REDIS_URL is set; fails fast instead of queueing commands while Redis is down. */
export function openRedis(url: string | null): Redis | null {
  if (!url) return null;
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 5000,
    lazyConnect: false,
  });
}
