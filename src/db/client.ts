import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';

/**
 * The application database handle: the same Drizzle API over PGlite or node-postgres. It is typed without
 * the schema (modules use the query builder and `sql`, not the relational `db.query` API), so the kernel
 * does not depend on every module's tables.
 */
export type Db = NodePgDatabase;
/** A transaction handle; repository functions accept `Db | Tx` so they run inside or outside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Round-trip check used by /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Pool (postgres) or PGlite instance, for migrations and streaming exports. */
  pool: pg.Pool | null;
  pglite: PGlite | null;
}

// Postgres returns bigint (int8) and numeric as strings by default; keep numeric as string (money), parse
// counts (int8) as numbers since they never exceed 2^53 here.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: {
  databaseUrl: string | null;
  dataDir: string | null;
  poolMax?: number;
  /** statement_timeout for every pooled connection (PostgreSQL only); 0 or undefined = none. */
  statementTimeoutMs?: number;
  /** Named prepared statements in `executePrepared` (PostgreSQL only; default on). */
  preparedStatements?: boolean;
  /** Diagnostics: called with every SQL statement the app issues (used by the benchmark to replay it). */
  logQuery?: (query: string, params: unknown[]) => void;
  /**
   * PGlite only (ignored for PostgreSQL): start from this data-directory tarball, as made by PGlite's
   * `dumpDataDir()`, instead of an empty cluster. The tests use an already-migrated snapshot.
   */
  loadDataDir?: Blob;
}): Promise<Database> {
  const logger = opts.logQuery ? { logQuery: opts.logQuery } : undefined;
  preparedStatements = opts.preparedStatements ?? true;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolMax ?? 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      // A runaway query must not hold a pooled connection forever; it fails (57014 → 503) instead.
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    });
    // An idle client error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { logger });
    return {
      db,
      kind: 'postgres',
      pool,
      pglite: null,
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  // One process at a time on an embedded data directory: a second opener would corrupt or lose data.
  const unlock = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  // pg_trgm backs the trigram indexes used by name/email searches.
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir: opts.dataDir ?? undefined,
      extensions: { pg_trgm },
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    await client.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  const db = drizzlePglite(client, { logger }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    pool: null,
    pglite: client,
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * The name a hot read's prepared query runs under (`kernel/prepared.ts`): the name itself, or '' (an
 * unnamed statement, parsed on every run) when DATABASE_PREPARED_STATEMENTS=false.
 */
export function statementName(name: string): string {
  return preparedStatements ? name : '';
}

const statementNames = new Map<string, string>();
/** Process-wide switch (DATABASE_PREPARED_STATEMENTS), set by openDatabase. */
let preparedStatements = true;

/**
 * Runs a raw SQL statement like `db.execute`, but on PostgreSQL as a NAMED prepared statement, so each
 * pooled connection parses and plans it once and then reuses the plan (PostgreSQL's plan cache: custom
 * plans for the first five runs, then the generic plan when it is no worse). For big, hot statements
 * whose planning costs as much as their execution (bulk attendance marking). PGlite, and anything that is
 * not a node-postgres pool or client underneath, falls back to `db.execute`, as does everything when
 * DATABASE_PREPARED_STATEMENTS=false (behind a pooler that cannot keep named statements, such as PgBouncer
 * before 1.21 in transaction mode). The statement goes to the same query logger as every other.
 */
export async function executePrepared<Row extends Record<string, unknown> = Record<string, unknown>>(
  db: DbOrTx,
  query: SQL,
): Promise<{ rows: Row[] }> {
  // Drizzle's session and dialect are internal: reached through a narrow structural view.
  const internals = db as unknown as DrizzleInternals;
  const session = internals.session;
  const client = session?.client;
  const dialect = internals.dialect;
  if (
    !preparedStatements ||
    !(client instanceof pg.Pool || client instanceof pg.Client) ||
    !dialect?.sqlToQuery
  ) {
    return (await db.execute(query)) as unknown as { rows: Row[] };
  }
  const q = dialect.sqlToQuery(query);
  let name = statementNames.get(q.sql);
  if (!name) {
    name = `r_${createHash('sha1').update(q.sql).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 1000) statementNames.set(q.sql, name);
  }
  session?.logger?.logQuery?.(q.sql, q.params);
  return client.query<Row>({ name, text: q.sql, values: q.params });
}

interface DrizzleInternals {
  session?: { client?: unknown; logger?: { logQuery?: (sql: string, params: unknown[]) => void } };
  dialect?: { sqlToQuery?: (query: SQL) => { sql: string; params: unknown[] } };
}
