import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { defineJobKind, jobKinds } from '../src/kernel/jobs.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { login, makeUser, makeWorld } from './helpers/factories.js';
import { contextFor, jobNotifications, waitForJob, waitForState } from './helpers/jobs.js';

const V = '/api/v1';

/**
 * A kind whose first attempt never ends by itself (it runs until the process shuts down) and whose next
 * attempts finish at once: an attempt interrupted by a restart, then resumed by the next process.
 */
let holdFirstAttempt = true;
const attemptsSeen: number[] = [];
const interruptible = defineJobKind<Record<string, never>>({
  name: 'test.interruptible',
  title: 'Interruptible test job',
  maxAttempts: 2,
  async run(job) {
    attemptsSeen.push(job.attempt);
    if (holdFirstAttempt) {
      return { body: new Readable({ read() {} }), fileName: 'never.txt', contentType: 'text/plain' };
    }
    return {
      body: Readable.from([`done by attempt ${job.attempt}\n`]),
      fileName: 'done.txt',
      contentType: 'text/plain',
    };
  },
});
jobKinds.register(interruptible);

interface Setup {
  /** Starts one API instance on the shared database (and files). */
  start(worker: boolean): Promise<App>;
  filesDir(app: App): string;
  cleanup(): void;
}

function pgliteDataDir(): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'registrar-jobs-'));
  const secret = randomBytes(32).toString('hex');
  return {
    start: (worker) =>
      buildTestApp(
        { JWT_SECRET: secret, JOBS_WORKER: String(worker), JOBS_RETRY_DELAY_SECONDS: '1' },
        { dataDir: dir, filesDir: join(dir, 'files') },
      ),
    filesDir: () => join(dir, 'files'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgres(): Setup {
  const secret = randomBytes(32).toString('hex');
  // Every process on the database shares the default files directory (as API processes must).
  return {
    start: (worker) =>
      buildTestApp({ JWT_SECRET: secret, JOBS_WORKER: String(worker), JOBS_RETRY_DELAY_SECONDS: '1' }),
    filesDir: (app) => app.deps.config.filesDir,
    cleanup: () => {},
  };
}

function restartSuite(name: string, make: () => Setup, skip: string | false) {
  describe(`jobs: a job survives an API restart (${name})`, { skip }, () => {
    let setup: Setup;
    const open: App[] = [];
    const start = async (worker: boolean) => {
      const app = await setup.start(worker);
      open.push(app);
      return app;
    };
    const stop = async (app: App) => {
      await app.close();
      open.splice(open.indexOf(app), 1);
    };
    after(async () => {
      for (const app of open) await app.close();
      setup?.cleanup();
    });

    it('is queued by one instance, closed, and produced once by the next', async () => {
      setup = make();
      const a = await start(false);
      const w = await makeWorld(a);
      for (let i = 0; i < 3; i++) await makeStudent(a, w.org, { firstName: `Restart${i}` });
      const res = await call(a, 'POST', `${V}/students/export/jobs`, { token: w.admin.token, body: {} });
      expectStatus(res, 202);
      const id = res.data.data.id;
      await stop(a);

      const b = await start(true);
      const { token } = await login(b, w.admin.username, w.admin.password);
      const done = await waitForJob(b, token, id);
      assert.equal(done.state, 'succeeded', JSON.stringify(done));
      assert.equal(done.attempts, 1);
      assert.equal(await jobNotifications(b, id), 1);
      assert.deepEqual(readdirSync(join(setup.filesDir(b), 'jobs', id)), ['attempt-1']);
      const file = await b.inject({
        method: 'GET',
        url: `${V}/jobs/${id}/download`,
        headers: { authorization: `Bearer ${token}` },
      });
      const direct = await b.inject({
        method: 'GET',
        url: `${V}/students/export`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(file.body, direct.body);
      assert.match(file.body, /Restart2/);
      await stop(b);
    });

    it('fails for good, without a retry, when the owner lost the permission before it ran', async () => {
      setup ??= make();
      const a = await start(false);
      const w = await makeWorld(a);
      const staff = await makeUser(a, w.org, 'staff');
      const res = await call(a, 'POST', `${V}/students/export/jobs`, { token: staff.token, body: {} });
      expectStatus(res, 202);
      const id = res.data.data.id;
      await a.deps.db.execute(sql`delete from role_assignments where user_id = ${staff.id}`);
      await stop(a);

      const b = await start(true);
      const row = await waitForState(b, id, 'failed');
      assert.equal(row.attempts, 1, 'a refusal is not retried');
      const job = await call(b, 'GET', `${V}/jobs/${id}`, {
        token: (await login(b, w.admin.username, w.admin.password)).token,
      });
      assert.equal(job.data.data.state, 'failed');
      assert.match(job.data.data.error, /permission/);
      assert.equal(job.data.data.result, null);
      assert.equal(await jobNotifications(b, id, 'job_failed'), 1);
      assert.equal(await jobNotifications(b, id), 0);
      assert.ok(
        !existsSync(join(setup.filesDir(b), 'jobs', id)) ||
          readdirSync(join(setup.filesDir(b), 'jobs', id)).length === 0,
      );
      await stop(b);
    });

    it('is interrupted by a shutdown mid-run and resumed by the next instance, once', async () => {
      setup ??= make();
      holdFirstAttempt = true;
      attemptsSeen.length = 0;
      const a = await start(true);
      const w = await makeWorld(a);
      const owner = await makeUser(a, w.org, 'staff');
      const job = await a.deps.jobs.enqueue(await contextFor(a, owner.token), {
        kind: 'test.interruptible',
        organizationId: w.org.id,
        params: {},
      });
      await waitForState(a, job.id, 'running');
      await stop(a); // graceful: the attempt is aborted and handed back, not counted
      holdFirstAttempt = false;

      const b = await start(true);
      const back = await waitForState(b, job.id, 'succeeded');
      assert.equal(back.attempts, 1, 'the interrupted attempt does not count');
      assert.ok(attemptsSeen.length >= 2, `attempts seen: ${attemptsSeen.join()}`);
      assert.equal(await jobNotifications(b, job.id), 1);
      const dir = join(setup.filesDir(b), 'jobs', job.id);
      assert.ok(existsSync(dir));
      assert.equal(readdirSync(dir).length, 1, 'one result file');
      const { token } = await login(b, owner.username, owner.password);
      const file = await b.inject({
        method: 'GET',
        url: `${V}/jobs/${job.id}/download`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.match(file.body, /^done by attempt 1\n$/);
      await stop(b);
    });
  });
}

restartSuite(
  'same PGlite DATA_DIR',
  pgliteDataDir,
  isPostgres() ? 'PGlite only (DATABASE_URL is set)' : false,
);
restartSuite('same PostgreSQL database', postgres, isPostgres() ? false : 'needs DATABASE_URL');
