import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { migratedSnapshot } from './snapshot.js';

export type { App };

/**
 * A fresh app per test file: in-memory PGlite by default, or the PostgreSQL of DATABASE_URL (tests then
 * isolate themselves by creating their own organizations, never by truncating). Each in-memory PGlite is
 * its own database, started from the cached migrated snapshot (helpers/snapshot.ts) rather than empty.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  overrides: Partial<Config> = {},
  options: Omit<BuildOptions, 'pgliteLoadDataDir'> = {},
): Promise<App> {
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: ':memory:',
      JWT_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_MAX: '100000',
      RATE_LIMIT_AUTH_MAX: '100000',
      // Thousands of throw-away accounts: cheap argon2id (test only; test/passwords.test.ts checks the default).
      PASSWORD_HASHING: 'fast',
      // Compile each route's schemas when a test first calls it (test/schemas-compile.test.ts checks all).
      SCHEMA_COMPILATION: 'lazy',
      // Some tests (10,000-record bulk marking) run long on a loaded CI machine; production keeps 30 s.
      DATABASE_STATEMENT_TIMEOUT_MS: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...env,
    },
    { dataDir: null, ...overrides },
  );
  const inMemory = !config.databaseUrl && config.dataDir === null;
  return buildApp(config, { ...options, pgliteLoadDataDir: inMemory ? await migratedSnapshot() : undefined });
}

export const isPostgres = () => Boolean(process.env.DATABASE_URL);

/**
 * Two API processes of one deployment (same database, same JWT secret, `env` beside it, e.g. a Redis URL),
 * for tests that a change seen by one is enforced by the other.
 */
export async function buildTwoInstances(env: Record<string, string> = {}): Promise<[App, App]> {
  const shared = { JWT_SECRET: randomBytes(32).toString('hex'), ...env };
  const a = await buildTestApp(shared);
  return [a, await buildTestApp(shared)];
}

/** A unique suffix so parallel or repeated runs against one PostgreSQL never collide on unique columns. */
export function uniq(prefix = ''): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

export interface Req {
  token?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
}

/** `app.inject` with JSON and a bearer token; returns the response with `json` parsed. */
export async function call(
  app: App,
  method: InjectOptions['method'],
  url: string,
  req: Req = {},
): Promise<LightMyRequestResponse & { body: string; data: any }> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = String(v);
  const res = await app.inject({
    method,
    url,
    query,
    headers: {
      ...(req.token ? { authorization: `Bearer ${req.token}` } : {}),
      ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...req.headers,
    },
    payload: req.body === undefined ? undefined : JSON.stringify(req.body),
  });
  let data: any = null;
  try {
    data = res.body ? JSON.parse(res.body) : null;
  } catch {
    data = null;
  }
  return Object.assign(res, { data });
}
