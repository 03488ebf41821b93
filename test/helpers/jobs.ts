import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { RequestContext } from '../../src/kernel/auth/actor.js';
import { type App, call } from './app.js';

/** Polls GET /jobs/{id} until the job has finished (succeeded or failed); returns it. */
export async function waitForJob(app: App, token: string, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(app, 'GET', `/api/v1/jobs/${id}`, { token });
    assert.equal(res.statusCode, 200, res.body);
    const job = res.data.data;
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Polls until the job row is in `state` (read in the database, whatever the API says). */
export async function waitForState(app: App, id: string, state: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.deps.db.execute(sql`select state, attempts from jobs where id = ${id}`);
    const row = (res as unknown as { rows: Array<{ state: string; attempts: number }> }).rows[0];
    if (row?.state === state) return row;
    if (Date.now() > deadline)
      throw new Error(`job ${id} is ${row?.state}, not ${state}, after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** How many notifications mention the job (one `job_succeeded` per job, whatever the restarts). */
export async function jobNotifications(app: App, jobId: string, kind = 'job_succeeded') {
  const res = await app.deps.db.execute(sql`
    select count(*)::int as n from user_notifications un join notifications n on n.id = un.notification_id
     where n.kind = ${kind} and n.data->>'job_id' = ${jobId}`);
  return Number((res as unknown as { rows: Array<{ n: number }> }).rows[0].n);
}

/** A request context for a signed-in user, as the routes build it (to queue a job kind directly). */
export async function contextFor(app: App, token: string): Promise<RequestContext> {
  const claims = await app.deps.tokens.verifyAccess(token);
  assert.ok(claims);
  const { loadActor } = await import('../../src/modules/auth/index.js');
  const loaded = await loadActor(app.deps.db, claims);
  assert.ok(loaded);
  return { actor: loaded.actor, ip: null, userAgent: 'test', requestId: 'test' };
}
