import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { JobState } from '../../kernel/jobs.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { jobScope } from './jobs.policy.js';
import { jobs } from './jobs.table.js';

export type JobRow = typeof jobs.$inferSelect;

export async function insertJob(db: DbOrTx, values: typeof jobs.$inferInsert): Promise<JobRow> {
  const [row] = await db.insert(jobs).values(values).returning();
  return row;
}

const visible = (actor: Actor) =>
  jobScope(actor, { ownerId: jobs.ownerId, organizationId: jobs.organizationId });

/** A job the actor may see (own, or an admin's in scope); null otherwise (404). */
export async function findVisible(db: DbOrTx, actor: Actor, id: string): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), visible(actor)))
    .limit(1);
  return row ?? null;
}

/** The actor's own jobs, newest first. */
export async function listOwn(
  db: DbOrTx,
  ownerId: string,
  f: { state?: JobState; kind?: string },
  w: PageWindow,
) {
  const conds: SQL[] = [eq(jobs.ownerId, ownerId)];
  if (f.state) conds.push(eq(jobs.state, f.state));
  if (f.kind) conds.push(eq(jobs.kind, f.kind));
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(jobs)
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(jobs).where(where),
  ]);
  return { rows, total: Number(total) };
}

export async function findById(db: DbOrTx, id: string): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
  return row ?? null;
}

/**
 * Starts an attempt: a queued job, or one left running by a process that died, becomes running with one
 * more attempt. Finished jobs are never started again (null), which is what makes a result happen once.
 */
export async function claim(db: DbOrTx, id: string): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({
      state: 'running',
      attempts: sql`${jobs.attempts} + 1`,
      progress: 0,
      startedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), sql`${jobs.state} in ('queued', 'running')`))
    .returning();
  return row ?? null;
}

/** Progress of the current attempt (ignored once another attempt took over or the job finished). */
export async function setProgress(db: DbOrTx, id: string, attempt: number, percent: number) {
  await db
    .update(jobs)
    .set({ progress: percent, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)));
}

/** Records the result of attempt `attempt`; false when that attempt no longer owns the job. */
export async function succeed(
  db: DbOrTx,
  id: string,
  attempt: number,
  r: { key: string; fileName: string; contentType: string; size: number },
): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({
      state: 'succeeded',
      progress: 100,
      error: null,
      resultKey: r.key,
      resultFileName: r.fileName,
      resultContentType: r.contentType,
      resultSize: r.size,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)))
    .returning();
  return row ?? null;
}

/** The attempt failed: back to queued for a retry, or failed for good. */
export async function failAttempt(
  db: DbOrTx,
  id: string,
  attempt: number,
  error: string,
  final: boolean,
  /** An interrupted attempt (shutdown) does not count against the job's attempts. */
  uncount = false,
): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({
      state: final ? 'failed' : 'queued',
      error,
      attempts: uncount ? sql`${jobs.attempts} - 1` : sql`${jobs.attempts}`,
      finishedAt: final ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'running'), eq(jobs.attempts, attempt)))
    .returning();
  return row ?? null;
}
