import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { ActorCache } from './auth/actor-cache.js';
import type { RevocationStore } from './auth/revocation.js';
import type { TokenService } from './auth/tokens.js';
import type { JobQueue } from './jobs.js';
import type { Mailer } from './mail/mailer.js';
import type { PubSub } from './pubsub.js';

/**
 * Everything a module needs, created once per app by `buildApp` and reachable as `app.deps`. It lives in
 * the kernel so that services can name it without importing the app (which imports every module).
 */
export interface AppDeps {
  config: Config;
  database: Database;
  db: Database['db'];
  redis: Redis | null;
  tokens: TokenService;
  revocations: RevocationStore;
  /** The verified actors of recent sessions, evicted on every change of what they may do. */
  actors: ActorCache;
  mailer: Mailer;
  /** Messages between API processes (Redis pub/sub or LISTEN/NOTIFY). */
  pubsub: PubSub;
  /** The background job queue (provided by the jobs module). */
  jobs: JobQueue;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}
