import { addAbortSignal } from 'node:stream';
import type { Tx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { type EnqueueJob, type JobKind, type JobQueue, type JobT, jobKinds } from '../../kernel/jobs.js';
import { type Storage, storageFor } from '../../kernel/storage.js';
import { withTx } from '../../kernel/tx.js';
import { loadUserActor } from '../auth/index.js';
import { notify } from '../notifications/index.js';
import * as repo from './jobs.repo.js';
import { toJob } from './jobs.service.js';
import { type BossQueue, openBossQueue, type SendOptions } from './jobs-boss.js';

type Deps = Omit<AppDeps, 'jobs'>;

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_SECONDS = 900;
/** Progress is written at most this often per attempt. */
const PROGRESS_EVERY_MS = 500;

/** An error message safe to show the owner: ours as written, anything else without internals. */
function publicMessage(err: unknown): string {
  if (err instanceof AppError) return err.message;
  return 'The job failed unexpectedly; it was logged';
}

/**
 * The job queue of one app on pg-boss (docs/jobs.md). Enqueue writes the job row and the queue entry in
 * one transaction. The worker (JOBS_WORKER) claims the row, runs the kind as the owner, streams the
 * result into storage, then records it and notifies the owner in one transaction that only the attempt
 * still owning the job can commit: whatever retries or duplicates happen, one result and one notification.
 */
export class PgBossJobQueue implements JobQueue {
  private readonly backend: BossQueue;
  private readonly storage: Storage;
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
  ) {
    this.backend = openBossQueue(deps.database, deps.config, log);
    this.storage = storageFor(deps.config);
  }

  async start(): Promise<void> {
    if (!this.deps.config.jobs.worker) return; // API-only process: the queue starts at the first enqueue.
    await this.backend.start();
    await this.backend.work(this.deps.config.jobs.concurrency, (jobId) => this.runAttempt(jobId));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Running attempts stop at their next read or write and go back to the queue (not counted).
    this.abort.abort();
    await this.backend.stop(this.deps.config.jobs.shutdownTimeoutMs);
  }

  async enqueue(ctx: RequestContext, input: EnqueueJob): Promise<JobT> {
    const kind = jobKinds.get(input.kind);
    if (!kind) throw new Error(`Unknown job kind "${input.kind}"`);
    await this.backend.start();
    const row = await withTx(this.deps.db, async (tx: Tx) => {
      const job = await repo.insertJob(tx, {
        organizationId: input.organizationId,
        ownerId: ctx.actor.userId,
        kind: kind.name,
        params: input.params,
        maxAttempts: kind.maxAttempts ?? DEFAULT_ATTEMPTS,
      });
      await this.backend.send(tx, job.id, this.sendOptions(job, kind));
      return job;
    });
    this.log.info({ job_id: row.id, kind: row.kind }, 'job queued');
    return toJob(row);
  }

  /**
   * One attempt of a job, called by the worker. Resolves when the queue entry is done with (succeeded,
   * failed for good, nothing left to do, or queued again as a new entry); throws to have the queue retry
   * it with backoff (a failure that counts against the job's attempts).
   */
  private async runAttempt(jobId: string): Promise<void> {
    const { db } = this.deps;
    const row = await repo.claim(db, jobId);
    if (!row) return; // finished already (a duplicate delivery), or deleted with its owner
    const attempt = row.attempts;
    const kind = jobKinds.get(row.kind);
    if (!kind) {
      // A process of another version (a rolling deploy) does not know the kind: leave it to one that does.
      await repo.failAttempt(db, row.id, attempt, 'Waiting for a worker that runs this kind', false, true);
      await this.backend.requeue(row.id, this.sendOptions(row, undefined), 5);
      return;
    }
    if (attempt > row.maxAttempts) return this.finish(row, attempt, row.error ?? 'Too many attempts');
    const actor = await loadUserActor(db, row.ownerId, `job:${row.id}`);
    if (!actor) return this.finish(row, attempt, 'The owner of the job is no longer active');
    const ctx: RequestContext = { actor, ip: null, userAgent: 'registrar-jobs', requestId: `job:${row.id}` };
    const key = `jobs/${row.id}/attempt-${attempt}`;
    try {
      const out = await this.execute(kind, row, attempt, ctx);
      const { size } = await this.storage.put(key, addAbortSignal(this.abort.signal, out.body));
      const done = await withTx(db, async (tx) => {
        const won = await repo.succeed(tx, row.id, attempt, {
          key,
          fileName: out.fileName,
          contentType: out.contentType,
          size,
        });
        if (won) {
          await notify(
            tx,
            { organizationId: row.organizationId, userIds: [row.ownerId] },
            `${kind.title} is ready`,
            `${out.fileName} is ready to download.`,
            {
              kind: 'job_succeeded',
              data: { job_id: row.id, download_url: `/api/v1/jobs/${row.id}/download` },
            },
          );
        }
        return won;
      });
      if (done) this.log.info({ job_id: row.id, attempt, size }, 'job succeeded');
      // Another attempt owns the job now: its result is the one kept.
      else await this.storage.delete(key);
    } catch (err) {
      await this.storage.delete(key).catch(() => {});
      if (this.abort.signal.aborted) {
        await repo.failAttempt(db, row.id, attempt, 'Interrupted by a restart; it resumes', false, true);
        await this.backend.requeue(
          row.id,
          this.sendOptions(row, kind),
          this.deps.config.jobs.retryDelaySeconds,
        );
        this.log.info({ job_id: row.id, attempt }, 'job interrupted by shutdown; queued again');
        return;
      }
      // A refusal of ours (scope, validation) is deterministic: retrying cannot help.
      const final = err instanceof AppError || attempt >= row.maxAttempts;
      this.log[final ? 'error' : 'warn']({ err, job_id: row.id, attempt }, 'job attempt failed');
      if (final) return this.finish(row, attempt, publicMessage(err));
      await repo.failAttempt(db, row.id, attempt, publicMessage(err), false);
      throw err;
    }
  }

  private sendOptions(row: repo.JobRow, kind: JobKind | undefined): SendOptions {
    return {
      maxAttempts: row.maxAttempts,
      timeoutSeconds: kind?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      retryDelaySeconds: this.deps.config.jobs.retryDelaySeconds,
    };
  }

  private execute(kind: JobKind, row: repo.JobRow, attempt: number, ctx: RequestContext) {
    const { db } = this.deps;
    let last = 0;
    let lastAt = 0;
    return kind.run({
      id: row.id,
      attempt,
      params: row.params,
      ctx,
      db,
      signal: this.abort.signal,
      progress: async (fraction) => {
        const percent = Math.max(0, Math.min(99, Math.floor(fraction * 100)));
        const now = Date.now();
        if (percent <= last || now - lastAt < PROGRESS_EVERY_MS) return;
        last = percent;
        lastAt = now;
        await repo.setProgress(db, row.id, attempt, percent).catch(() => {});
      },
    });
  }

  /** Fails the job for good and tells the owner, in one transaction. */
  private async finish(row: repo.JobRow, attempt: number, message: string): Promise<void> {
    await withTx(this.deps.db, async (tx) => {
      const failed = await repo.failAttempt(tx, row.id, attempt, message, true);
      if (!failed) return;
      const title = jobKinds.get(row.kind)?.title ?? row.kind;
      await notify(
        tx,
        { organizationId: row.organizationId, userIds: [row.ownerId] },
        `${title} failed`,
        message,
        { kind: 'job_failed', data: { job_id: row.id } },
      );
    });
  }
}

/** The job queue of an app (buildApp). */
export function createJobQueue(deps: Deps, log: Logger): JobQueue {
  return new PgBossJobQueue(deps, log);
}
