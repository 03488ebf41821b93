import type { PGlite, Transaction } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import type { Config } from '../../config.js';
import type { Database, DbOrTx } from '../../db/client.js';

/** The one pg-boss queue: every kind shares it (the job row names the kind), each job its own retry budget. */
export const QUEUE = 'registrar-jobs';
/** pg-boss keeps its tables in their own schema, created and migrated by pg-boss at start. */
const SCHEMA = 'pgboss';

interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What pg-boss needs from a database it does not connect to itself. */
interface ExecuteSql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** PGlite's query/exec, common to the instance and to a transaction on it. */
type PgliteQueryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

/**
 * pg-boss on a PGlite handle. A statement with parameters goes through `query`; without, it may be a
 * multi-statement block (pg-boss's migrations, its `BEGIN … COMMIT` locks), which only `exec` runs. Each
 * call waits for any transaction the app holds on the single connection (PGlite serializes them).
 */
function pgliteExecutor(q: PgliteQueryable): ExecuteSql {
  return {
    async executeSql(text, values) {
      if (values?.length) return q.query(text, values);
      const results = await q.exec(text);
      return { rows: results.flatMap((r) => r.rows) };
    },
  };
}

/** The driver client under a Drizzle transaction handle (a pg PoolClient, or a PGlite transaction). */
interface DrizzleInternals {
  session?: { client?: unknown };
}

/** A transaction of the app as a pg-boss database, so the queue entry commits with the job row. */
function txExecutor(tx: DbOrTx): ExecuteSql {
  const client = (tx as unknown as DrizzleInternals).session?.client as
    | { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }
    | PgliteQueryable
    | undefined;
  if (!client) throw new Error('No driver client under the transaction');
  if ('exec' in client) return pgliteExecutor(client);
  return { executeSql: (text, values) => client.query(text, values) };
}

export interface SendOptions {
  maxAttempts: number;
  timeoutSeconds: number;
  retryDelaySeconds: number;
}

/** The queue backend the job queue uses: pg-boss started once, one worker loop per concurrent job. */
export interface BossQueue {
  start(): Promise<void>;
  send(tx: DbOrTx, jobId: string, o: SendOptions): Promise<void>;
  /**
   * Queues the job again, as a new queue entry starting after `delaySeconds`: for an attempt that did not
   * really run (interrupted by a shutdown, or a kind this process does not know), so it spends none of
   * the queue's retries.
   */
  requeue(jobId: string, o: SendOptions, delaySeconds: number): Promise<void>;
  work(concurrency: number, run: (jobId: string) => Promise<void>): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

/** The queue's retry policy for a job: its attempts (retries back off exponentially) and its timeout. */
const retries = (o: SendOptions) => ({
  // maxAttempts + 1 deliveries: one spare over the job row's own attempt budget, which is what decides.
  retryLimit: o.maxAttempts,
  retryDelay: o.retryDelaySeconds,
  retryBackoff: true,
  expireInSeconds: o.timeoutSeconds,
});

export function openBossQueue(database: Database, config: Config, log: Logger): BossQueue {
  const worker = config.jobs.worker;
  const common = {
    schema: SCHEMA,
    // Maintenance and monitoring run on worker processes only.
    supervise: worker,
    schedule: false,
  };
  const boss = database.pglite
    ? new PgBoss({ ...common, db: pgliteExecutor(database.pglite) })
    : new PgBoss({ ...common, connectionString: config.databaseUrl ?? undefined, max: 3 });
  boss.on('error', (err: unknown) => log.error({ err }, 'job queue error'));
  let started: Promise<void> | null = null;
  let running = false;

  return {
    start() {
      started ??= (async () => {
        await boss.start();
        running = true;
        if (!(await boss.getQueue(QUEUE))) await boss.createQueue(QUEUE);
      })().catch((err: unknown) => {
        started = null;
        throw err;
      });
      return started;
    },
    async send(tx, jobId, o) {
      await boss.send(QUEUE, { jobId }, { ...retries(o), id: jobId, db: txExecutor(tx) });
    },
    async requeue(jobId, o, delaySeconds) {
      await boss.send(QUEUE, { jobId }, { ...retries(o), startAfter: delaySeconds });
    },
    async work(concurrency, run) {
      for (let i = 0; i < concurrency; i++) {
        await boss.work<{ jobId: string }>(
          QUEUE,
          { batchSize: 1, pollingIntervalSeconds: 1 },
          async (jobs) => {
            for (const job of jobs) await run(job.data.jobId);
          },
        );
      }
    },
    async stop(timeoutMs) {
      if (!started) return;
      await started.catch(() => {});
      if (!running) return;
      running = false;
      await boss.stop({ graceful: true, timeout: timeoutMs, close: true, wait: true });
    },
  };
}
