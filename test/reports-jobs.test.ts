import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { REPORTS } from '../src/modules/reports/reports-catalog.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { jobNotifications, waitForJob } from './helpers/jobs.js';
import { makeReportsWorld, type ReportsWorld } from './helpers/reports.js';

const V = '/api/v1';

describe('reports as background jobs (POST /reports/{report}/jobs)', () => {
  let app: App;
  let w: ReportsWorld;
  before(async () => {
    app = await buildTestApp({ JOBS_WORKER: 'true', JOBS_RETRY_DELAY_SECONDS: '1' });
    w = await makeReportsWorld(app, 7);
  });
  after(() => app.close());

  const get = (token: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('every report offers a job route, documented in /openapi.json', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const def of REPORTS) {
      const op = spec.paths[`${V}/reports/${def.path}/jobs`]?.post;
      assert.ok(op, def.path);
      assert.ok(op.responses['202'], def.path);
      assert.ok(op.requestBody, def.path);
    }
  });

  for (const [path, format] of [
    ['fee-collection', 'csv'],
    ['student-performance', 'xlsx'],
  ] as const) {
    it(`${path} as ${format}: 202, progress to 100, a notification, and the file of the GET`, async () => {
      const res = await call(app, 'POST', `${V}/reports/${path}/jobs`, {
        token: w.admin.token,
        body: { format, organization_id: w.district.id },
      });
      expectStatus(res, 202);
      const job = res.data.data;
      assert.equal(res.headers.location, `${V}/jobs/${job.id}`);
      assert.equal(job.kind, 'reports.export');
      assert.deepEqual(
        { report: job.params.report, format: job.params.format, org: job.params.organization_id },
        { report: path, format, org: w.district.id },
      );
      const done = await waitForJob(app, w.admin.token, job.id);
      assert.equal(done.state, 'succeeded', done.error);
      assert.equal(done.progress, 100);
      assert.match(done.result.file_name, new RegExp(`^${path}-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
      assert.equal(done.result.download_url, `${V}/jobs/${job.id}/download`);
      assert.equal(await jobNotifications(app, job.id), 1);

      const file = await get(w.admin.token, done.result.download_url);
      expectStatus(file, 200);
      const direct = await get(
        w.admin.token,
        `${V}/reports/${path}?format=${format}&organization_id=${w.district.id}`,
      );
      expectStatus(direct, 200);
      if (format === 'csv') {
        const rows = parse(file.body, { columns: true }) as unknown[];
        assert.ok(rows.length > 0, 'the report has rows');
        assert.deepEqual(rows, parse(direct.body, { columns: true }));
      } else {
        const read = async (buf: Buffer) => {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(buf as unknown as ArrayBuffer);
          const out: unknown[] = [];
          wb.worksheets[0].eachRow((r) => {
            out.push(r.values);
          });
          return out;
        };
        const rows = await read(file.rawPayload);
        assert.ok(rows.length > 1, 'header and rows');
        assert.deepEqual(rows, await read(direct.rawPayload));
      }
      // Only the owner (or an admin of the job's organization) follows the job.
      expectError(await call(app, 'GET', `${V}/jobs/${job.id}`, { token: w.otherAdmin.token }), 404);
    });
  }

  it('scopes the job to its owner: 404 out of scope, 400 on bad input, 403 without the permission', async () => {
    expectError(
      await call(app, 'POST', `${V}/reports/fee-collection/jobs`, {
        token: w.principal.token,
        body: { organization_id: w.schoolB.id },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', `${V}/reports/attendance/jobs`, {
        token: w.admin.token,
        body: { format: 'pdf' },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', `${V}/reports/attendance/jobs`, {
        token: w.admin.token,
        body: { page: 2 },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', `${V}/reports/attendance/jobs`, {
        token: w.admin.token,
        body: { from: '2026-05-01', to: '2026-04-01' },
      }),
      400,
    );
    expectError(
      await call(app, 'POST', `${V}/reports/fee-collection/jobs`, { token: w.student.token, body: {} }),
      403,
    );
    expectError(await call(app, 'POST', `${V}/reports/fee-collection/jobs`, { body: {} }), 401);

    // The principal's own school: the file holds only that school's rows (csv by default).
    const mine = await call(app, 'POST', `${V}/reports/student-performance/jobs`, {
      token: w.principal.token,
      body: {},
    });
    expectStatus(mine, 202);
    assert.equal(mine.data.data.params.format, 'csv');
    const done = await waitForJob(app, w.principal.token, mine.data.data.id);
    assert.equal(done.state, 'succeeded', done.error);
    const file = await get(w.principal.token, done.result.download_url);
    const rows = parse(file.body, { columns: true }) as Array<Record<string, string>>;
    const direct = parse((await get(w.principal.token, `${V}/reports/student-performance?format=csv`)).body, {
      columns: true,
    });
    assert.deepEqual(rows, direct);
    const all = parse((await get(w.admin.token, `${V}/reports/student-performance?format=csv`)).body, {
      columns: true,
    }) as unknown[];
    assert.ok(rows.length < all.length, `the principal's ${rows.length} rows are fewer than the district's`);
  });
});
