import type { Readable } from 'node:stream';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { type JobT, jobKinds } from '../../kernel/jobs.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import type { Storage } from '../../kernel/storage.js';
import * as repo from './jobs.repo.js';
import type { ListJobsQueryT } from './jobs.schemas.js';

/** The API form of a job: the result as a link, never its storage key. */
export function toJob(r: repo.JobRow): JobT {
  return {
    id: r.id,
    kind: r.kind,
    title: jobKinds.get(r.kind)?.title ?? r.kind,
    organization_id: r.organizationId,
    owner_id: r.ownerId,
    state: r.state,
    progress: r.progress,
    attempts: r.attempts,
    max_attempts: r.maxAttempts,
    error: r.error,
    params: r.params ?? {},
    result:
      r.state === 'succeeded' && r.resultFileName
        ? {
            file_name: r.resultFileName,
            content_type: r.resultContentType ?? 'application/octet-stream',
            size: Number(r.resultSize ?? 0),
            download_url: `/api/v1/jobs/${r.id}/download`,
          }
        : null,
    created_at: iso(r.createdAt)!,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
  };
}

export async function getJob(db: Db, ctx: RequestContext, id: string): Promise<JobT> {
  const row = await repo.findVisible(db, ctx.actor, id);
  if (!row) throw notFound('Job');
  return toJob(row);
}

export async function listOwnJobs(db: Db, ctx: RequestContext, q: ListJobsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listOwn(db, ctx.actor.userId, q, w);
  return page(rows.map(toJob), total, w);
}

/** The result file of a finished job the actor may see: 404 out of scope, 409 while not ready. */
export async function openResult(
  db: Db,
  storage: Storage,
  ctx: RequestContext,
  id: string,
): Promise<{ job: JobT; size: number; stream: Readable }> {
  const row = await repo.findVisible(db, ctx.actor, id);
  if (!row) throw notFound('Job');
  if (row.state !== 'succeeded' || !row.resultKey) {
    throw conflict(`The job is ${row.state}; its result is not ready`, 'job_not_ready');
  }
  const stream = await storage.get(row.resultKey);
  if (!stream) throw notFound('Job result');
  return { job: toJob(row), size: Number(row.resultSize ?? 0), stream };
}
