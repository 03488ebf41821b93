import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { defineJobKind, jobKinds } from '../src/kernel/jobs.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, type TestUser } from './helpers/factories.js';
import { makeAssessment, makeGradesWorld } from './helpers/grades.js';
import { contextFor, jobNotifications, waitForJob } from './helpers/jobs.js';

const V = '/api/v1';

function pdfText(body: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), body);
    return execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function download(app: App, token: string, id: string) {
  return app.inject({
    method: 'GET',
    url: `${V}/jobs/${id}/download`,
    headers: { authorization: `Bearer ${token}` },
  });
}

/** Test kinds through the same port modules use: one fails its first attempt, one always fails. */
jobKinds.register(
  defineJobKind<Record<string, never>>({
    name: 'test.flaky',
    title: 'Flaky test job',
    maxAttempts: 3,
    async run(job) {
      if (job.attempt === 1) throw new Error('connection reset (internal detail)');
      return {
        body: Readable.from([`ok on attempt ${job.attempt}`]),
        fileName: 'flaky.txt',
        contentType: 'text/plain',
      };
    },
  }),
);
jobKinds.register(
  defineJobKind<Record<string, never>>({
    name: 'test.broken',
    title: 'Broken test job',
    maxAttempts: 2,
    async run() {
      throw new Error('disk on fire (internal detail)');
    },
  }),
);

describe('jobs: students export and report cards as background jobs', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeGradesWorld>>;
  let roleless: TestUser;
  let staffJob: string;
  before(async () => {
    app = await buildTestApp({ JOBS_WORKER: 'true', JOBS_RETRY_DELAY_SECONDS: '1' });
    w = await makeGradesWorld(app, 4);
    roleless = await makeUser(app, w.org, null);
    // A name a spreadsheet would run as a formula: the job's file is sanitized like the direct export.
    await makeStudent(app, w.org, { firstName: '=HYPERLINK("x")', lastName: 'Zed' });
    const a = await makeAssessment(app, w.teacher.token, { class_id: w.cls.id, assessment_type: 'final' });
    await call(app, 'POST', `${V}/assessments/${a}/marks`, {
      token: w.teacher.token,
      body: { marks: w.students.map((s, i) => ({ student_id: s.id, marks: 60 + i * 10 })) },
    });
    const pub = await call(app, 'POST', `${V}/grades/publish`, {
      token: w.admin.token,
      body: { academic_session_id: w.term.id },
    });
    expectStatus(pub, 200);
  });
  after(() => app.close());

  it('runs the students export as a job: 202 + Location, progress to 100, the same CSV, one notification', async () => {
    const res = await call(app, 'POST', `${V}/students/export/jobs`, {
      token: w.admin.token,
      body: { format: 'csv' },
    });
    expectStatus(res, 202);
    const queued = res.data.data;
    assert.equal(res.headers.location, `/api/v1/jobs/${queued.id}`);
    assert.equal(queued.kind, 'students.export');
    assert.equal(queued.title, 'Students export');
    assert.equal(queued.owner_id, w.admin.id);
    assert.equal(queued.result, null);
    assert.ok(['queued', 'running', 'succeeded'].includes(queued.state));
    const done = await waitForJob(app, w.admin.token, queued.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done));
    assert.equal(done.progress, 100);
    assert.equal(done.attempts, 1);
    assert.match(done.result.file_name, /^students-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.equal(done.result.download_url, `/api/v1/jobs/${queued.id}/download`);
    assert.ok(!JSON.stringify(done).includes(`jobs/${queued.id}/attempt`), 'no storage key in the API');
    const file = await download(app, w.admin.token, queued.id);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^text\/csv/);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="students-/);
    assert.equal(Number(file.headers['content-length']), done.result.size);
    const direct = await app.inject({
      method: 'GET',
      url: `${V}/students/export`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    assert.equal(file.body, direct.body);
    assert.match(file.body, /'=HYPERLINK/);
    assert.equal(await jobNotifications(app, queued.id), 1);
    const mine = await call(app, 'GET', `${V}/notifications`, { token: w.admin.token });
    const note = mine.data.data.find((n: any) => n.kind === 'job_succeeded' && n.data.job_id === queued.id);
    assert.equal(note.data.download_url, done.result.download_url);
  });

  it('exports XLSX that parses back to the same rows', async () => {
    const res = await call(app, 'POST', `${V}/students/export/jobs`, {
      token: w.staff.token,
      body: { format: 'xlsx', student_status: 'active' },
    });
    expectStatus(res, 202);
    staffJob = res.data.data.id;
    const done = await waitForJob(app, w.staff.token, staffJob);
    assert.equal(done.state, 'succeeded');
    assert.deepEqual(done.params, { format: 'xlsx', student_status: 'active' });
    const file = await download(app, w.staff.token, staffJob);
    assert.match(String(file.headers['content-type']), /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0].actualRowCount;
    const csv = await app.inject({
      method: 'GET',
      url: `${V}/students/export?student_status=active`,
      headers: { authorization: `Bearer ${w.staff.token}` },
    });
    assert.equal(rows, csv.body.trim().split('\n').length);
  });

  it("zips a class's report cards, one PDF per student with posted grades, for its teacher", async () => {
    const res = await call(app, 'POST', `${V}/grades/report-cards/jobs`, {
      token: w.teacher.token,
      body: { academic_session_id: w.term.id, class_id: w.cls.id },
    });
    expectStatus(res, 202);
    const done = await waitForJob(app, w.teacher.token, res.data.data.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done));
    assert.equal(done.result.content_type, 'application/zip');
    const file = await download(app, w.teacher.token, done.id);
    const zip = await JSZip.loadAsync(file.rawPayload);
    const names = Object.keys(zip.files).sort();
    assert.equal(names.length, 4);
    for (const s of w.students)
      assert.ok(
        names.some((n) => n.startsWith(`${s.studentNumber}-`)),
        names.join(),
      );
    const first = w.students[0];
    const entry = names.find((n) => n.startsWith(`${first.studentNumber}-`))!;
    const text = pdfText(await zip.file(entry)!.async('nodebuffer'));
    assert.match(text, /Report Card/);
    assert.match(text, new RegExp(first.studentNumber));
    assert.match(text, /Fall 2026/);
    assert.equal(await jobNotifications(app, done.id), 1);
  });

  it("zips a school's report cards for its managers; others get 404, nothing to print 422", async () => {
    const res = await call(app, 'POST', `${V}/grades/report-cards/jobs`, {
      token: w.admin.token,
      body: { academic_session_id: w.term.id, organization_id: w.org.id },
    });
    expectStatus(res, 202);
    const done = await waitForJob(app, w.admin.token, res.data.data.id);
    const zip = await JSZip.loadAsync((await download(app, w.admin.token, done.id)).rawPayload);
    assert.equal(Object.keys(zip.files).length, 4);
    const post = (token: string, body: object) =>
      call(app, 'POST', `${V}/grades/report-cards/jobs`, {
        token,
        body: { academic_session_id: w.term.id, ...body },
      });
    expectError(await post(w.teacher.token, { organization_id: w.org.id }), 404);
    expectError(await post(w.otherTeacher.token, { class_id: w.cls.id }), 404);
    expectError(await post(w.otherAdmin.token, { class_id: w.cls.id }), 404);
    expectError(await post(w.otherAdmin.token, { organization_id: w.org.id }), 404);
    expectError(await post(w.otherTeacher.token, { class_id: w.otherCls.id }), 422, 'no_report_cards');
    expectError(
      await call(app, 'POST', `${V}/grades/report-cards/jobs`, {
        token: w.admin.token,
        body: { academic_session_id: w.otherOrgCls.id, class_id: w.cls.id },
      }),
      404,
    );
  });

  it('retries a failed attempt with backoff, then fails for good without leaking the error', async () => {
    const ctx = await contextFor(app, w.staff.token);
    const flaky = await app.deps.jobs.enqueue(ctx, {
      kind: 'test.flaky',
      organizationId: w.org.id,
      params: {},
    });
    const broken = await app.deps.jobs.enqueue(ctx, {
      kind: 'test.broken',
      organizationId: w.org.id,
      params: {},
    });
    const ok = await waitForJob(app, w.staff.token, flaky.id);
    assert.equal(ok.state, 'succeeded');
    assert.equal(ok.attempts, 2);
    assert.equal(ok.error, null);
    const file = await download(app, w.staff.token, flaky.id);
    assert.equal(file.body, 'ok on attempt 2');
    assert.equal(await jobNotifications(app, flaky.id), 1);
    const bad = await waitForJob(app, w.staff.token, broken.id);
    assert.equal(bad.state, 'failed');
    assert.equal(bad.attempts, 2);
    assert.equal(bad.result, null);
    assert.equal(bad.error, 'The job failed unexpectedly; it was logged');
    assert.equal(await jobNotifications(app, broken.id, 'job_failed'), 1);
    expectError(
      await call(app, 'GET', `${V}/jobs/${broken.id}/download`, { token: w.staff.token }),
      409,
      'job_not_ready',
    );
  });

  it('answers 400 for bad input', async () => {
    const t = w.admin.token;
    expectError(await call(app, 'POST', `${V}/students/export/jobs`, { token: t, body: { nope: 1 } }), 400);
    expectError(
      await call(app, 'POST', `${V}/students/export/jobs`, { token: t, body: { format: 'pdf' } }),
      400,
    );
    const rc = (body: object) => call(app, 'POST', `${V}/grades/report-cards/jobs`, { token: t, body });
    expectError(await rc({ class_id: w.cls.id }), 400);
    expectError(await rc({ academic_session_id: w.term.id }), 400);
    expectError(
      await rc({ academic_session_id: w.term.id, class_id: w.cls.id, organization_id: w.org.id }),
      400,
    );
    expectError(await rc({ academic_session_id: 'x', class_id: w.cls.id }), 400);
    expectError(await call(app, 'GET', `${V}/jobs/not-a-uuid`, { token: t }), 400);
    expectError(await call(app, 'GET', `${V}/jobs/not-a-uuid/download`, { token: t }), 400);
    expectError(await call(app, 'GET', `${V}/jobs`, { token: t, query: { state: 'bogus' } }), 400);
    expectError(await call(app, 'GET', `${V}/jobs`, { token: t, query: { page_size: 1000 } }), 400);
  });

  it('answers 401 without a token and 403 without the permission', async () => {
    const id = staffJob;
    for (const [m, url] of [
      ['GET', `${V}/jobs`],
      ['GET', `${V}/jobs/${id}`],
      ['GET', `${V}/jobs/${id}/download`],
      ['POST', `${V}/students/export/jobs`],
      ['POST', `${V}/grades/report-cards/jobs`],
    ] as const) {
      expectError(await call(app, m, url, m === 'POST' ? { body: {} } : {}), 401);
    }
    const student = w.students[0];
    expectError(
      await call(app, 'POST', `${V}/students/export/jobs`, { token: student.token, body: {} }),
      403,
    );
    expectError(
      await call(app, 'POST', `${V}/grades/report-cards/jobs`, {
        token: student.token,
        body: { academic_session_id: w.term.id, class_id: w.cls.id },
      }),
      403,
    );
    expectError(await call(app, 'GET', `${V}/jobs`, { token: roleless.token }), 403);
    expectError(await call(app, 'GET', `${V}/jobs/${id}`, { token: roleless.token }), 403);
    expectError(await call(app, 'GET', `${V}/jobs/${id}/download`, { token: roleless.token }), 403);
  });

  it('shows a job to its owner and admins in scope only (404 for others)', async () => {
    const id = staffJob;
    expectStatus(await call(app, 'GET', `${V}/jobs/${id}`, { token: w.staff.token }), 200);
    expectStatus(await call(app, 'GET', `${V}/jobs/${id}`, { token: w.admin.token }), 200);
    assert.equal((await download(app, w.admin.token, id)).statusCode, 200);
    for (const token of [w.teacher.token, w.otherAdmin.token, w.students[0].token]) {
      expectError(await call(app, 'GET', `${V}/jobs/${id}`, { token }), 404);
      expectError(await call(app, 'GET', `${V}/jobs/${id}/download`, { token }), 404);
    }
    expectError(
      await call(app, 'GET', `${V}/jobs/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`, {
        token: w.admin.token,
      }),
      404,
    );
  });

  it('documents the job and stream endpoints in /openapi.json', async () => {
    const paths = (await call(app, 'GET', '/openapi.json')).data.paths;
    for (const [p, m, ok] of [
      ['/api/v1/jobs', 'get', '200'],
      ['/api/v1/jobs/{id}', 'get', '200'],
      ['/api/v1/jobs/{id}/download', 'get', '200'],
      ['/api/v1/students/export/jobs', 'post', '202'],
      ['/api/v1/grades/report-cards/jobs', 'post', '202'],
      ['/api/v1/notifications/stream', 'get', '200'],
    ]) {
      const op = paths[p]?.[m];
      assert.ok(op?.summary, `${m} ${p} has a summary`);
      assert.ok(op.responses[ok]?.content, `${m} ${p} documents ${ok}`);
      assert.ok(op.responses['401'], `${m} ${p} documents 401`);
      assert.deepEqual(op.security, [{ bearerAuth: [] }]);
    }
    assert.ok(paths['/api/v1/notifications/stream'].get.responses['406']);
    assert.ok(paths['/api/v1/notifications/stream'].get.responses['200'].content['text/event-stream']);
    const job = JSON.stringify(paths['/api/v1/jobs/{id}'].get.responses['200']);
    assert.ok(!/result_key|storage/.test(job), 'no storage key in the job schema');
  });

  it('lists only my own jobs, newest first, with filters', async () => {
    const staff = await call(app, 'GET', `${V}/jobs`, { token: w.staff.token });
    expectStatus(staff, 200);
    const kinds = staff.data.data.map((j: any) => j.kind);
    assert.deepEqual(kinds, ['test.broken', 'test.flaky', 'students.export']);
    assert.ok(staff.data.data.every((j: any) => j.owner_id === w.staff.id));
    assert.equal(staff.data.meta.total, 3);
    const exports = await call(app, 'GET', `${V}/jobs`, {
      token: w.staff.token,
      query: { kind: 'students.export' },
    });
    assert.deepEqual(
      exports.data.data.map((j: any) => j.id),
      [staffJob],
    );
    const failed = await call(app, 'GET', `${V}/jobs`, { token: w.staff.token, query: { state: 'failed' } });
    assert.deepEqual(
      failed.data.data.map((j: any) => j.kind),
      ['test.broken'],
    );
    const page = await call(app, 'GET', `${V}/jobs`, {
      token: w.staff.token,
      query: { page_size: 1, page: 2 },
    });
    assert.equal(page.data.data[0].kind, 'test.flaky');
    assert.equal(page.data.meta.has_next_page, true);
    // The admin sees the staff member's jobs one by one (GET /jobs/{id}), not in their own list.
    const admin = await call(app, 'GET', `${V}/jobs`, { token: w.admin.token });
    assert.ok(admin.data.data.every((j: any) => j.owner_id === w.admin.id));
  });
});

// On a shared PostgreSQL a worker of another test process may run the job at once.
describe('jobs: the result before the job is done', { skip: isPostgres() ? 'PGlite only' : false }, () => {
  it('answers 409 job_not_ready while queued (no worker in this process)', async () => {
    const app = await buildTestApp({ JOBS_WORKER: 'false' });
    try {
      const w = await makeGradesWorld(app, 1);
      const res = await call(app, 'POST', `${V}/students/export/jobs`, { token: w.admin.token, body: {} });
      expectStatus(res, 202);
      const job = await call(app, 'GET', `${V}/jobs/${res.data.data.id}`, { token: w.admin.token });
      assert.equal(job.data.data.state, 'queued');
      assert.equal(job.data.data.progress, 0);
      expectError(
        await call(app, 'GET', `${V}/jobs/${res.data.data.id}/download`, { token: w.admin.token }),
        409,
        'job_not_ready',
      );
    } finally {
      await app.close();
    }
  });
});
