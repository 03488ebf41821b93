// The app first: it loads the modules in composition order (the academic helper imports tables directly).
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { count, eq } from 'drizzle-orm';
import { students } from '../src/modules/students/students.table.js';
import { type App, buildTestApp, call, isPostgres, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';
import { waitForJob } from './helpers/jobs.js';
import { makeRegister, personnelCsv, upload } from './helpers/personnel.js';

/** Issue 14: commits of large files run as a job (`imports.commit`); small ones stay in the request. */
describe('large import commits run as a background job', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let school: Awaited<ReturnType<typeof makeChildOrg>>;
  let principal: { token: string };
  before(async () => {
    // A threshold of 100 rows keeps the test small; the default is 5,000. Batches of 100 rows make the
    // 2,500-row commit below write in 25 steps, so its progress is seen however fast the database is.
    app = await buildTestApp({
      JOBS_WORKER: 'true',
      JOBS_RETRY_DELAY_SECONDS: '1',
      IMPORT_SYNC_COMMIT_ROWS: '100',
      IMPORT_COMMIT_BATCH_ROWS: '100',
    });
    w = await makeWorld(app, 'district');
    school = await makeChildOrg(app, w.org, 'school');
    principal = await makeUser(app, school, 'principal');
  });
  after(() => app.close());

  const csv = (n: number, p: string) =>
    [
      'student_number,first_name,last_name',
      ...Array.from({ length: n }, (_, i) => `${p}-${i},F${i},L${i}`),
    ].join('\n');
  const dryRun = (content: string) =>
    upload(
      app,
      '/api/v1/imports',
      principal.token,
      { target: 'students', organization_id: school.id },
      { name: 's.csv', content },
    );
  const live = async () =>
    (await app.deps.db.select({ n: count() }).from(students).where(eq(students.organizationId, school.id)))[0]
      .n;

  test('at most the threshold: committed in the request (200, no job)', async () => {
    const d = (await dryRun(csv(100, uniq('A')))).data.data;
    const res = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: principal.token,
      body: { mode: 'valid_only' },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.state, 'committed');
    assert.equal(res.data.data.job_id, null);
  });

  test('above it: 202 with the job, committing, then committed with rows_written; a second commit is 409', async () => {
    const before = await live();
    const n = 2_500;
    const d = (await dryRun(csv(n, uniq('B')))).data.data;
    const res = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: principal.token,
      body: { mode: 'valid_only' },
    });
    expectStatus(res, 202);
    const jobId = res.data.data.job_id;
    assert.ok(jobId);
    assert.equal(res.headers.location, `/api/v1/jobs/${jobId}`);
    assert.equal(res.data.data.state, 'committing');
    expectError(
      await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
        token: principal.token,
        body: { mode: 'valid_only' },
      }),
      409,
      'import_not_committable',
    );
    // Progress while it runs (PostgreSQL: reads are not held up by the commit's transaction).
    const seen: number[] = [];
    let state = 'committing';
    while (state === 'committing') {
      const g = await call(app, 'GET', `/api/v1/imports/${d.id}`, { token: principal.token });
      expectStatus(g, 200);
      state = g.data.data.state;
      if (state === 'committing') seen.push(g.data.data.progress.rows_written);
      await sleep(5);
    }
    assert.equal(state, 'committed');
    if (isPostgres()) {
      assert.ok(
        seen.some((x) => x > 0 && x < n),
        `progress seen while committing: ${seen.join(',')}`,
      );
    }
    const job = await waitForJob(app, principal.token, jobId);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.kind, 'imports.commit');
    const done = await call(app, 'GET', `/api/v1/imports/${d.id}`, { token: principal.token });
    assert.equal(done.data.data.progress.rows_written, n);
    assert.deepEqual(done.data.data.summary.result, { created: n, updated: 0, deactivated: 0 });
    assert.equal((await live()) - before, n);
  });

  test('POST /personnel/upload keeps committing in the request (seed 003 answers its counts)', async () => {
    const reg = await makeRegister(app, w.admin.token, w.org.id);
    const res = await upload(
      app,
      '/api/v1/personnel/upload',
      w.admin.token,
      { register_id: reg.id },
      { name: 'p.csv', content: personnelCsv(150, uniq('P')) },
    );
    expectStatus(res, 200);
    assert.equal(res.data.data.state, 'committed');
    assert.equal(res.data.data.inserted, 150);
  });

  test('refusals answer in the request: all-or-nothing with errors is 422 and queues nothing', async () => {
    const d = (await dryRun(`${csv(150, uniq('C'))}\nX-1,,\n`)).data.data;
    assert.equal(d.summary.error, 1);
    const res = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: principal.token,
      body: { mode: 'all_or_nothing' },
    });
    expectError(res, 422, 'import_has_errors');
    const g = await call(app, 'GET', `/api/v1/imports/${d.id}`, { token: principal.token });
    assert.equal(g.data.data.state, 'rejected');
    assert.equal(g.data.data.job_id, null);
  });
});
