import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { RequestContext } from '../src/kernel/auth/actor.js';
import { sanitizeCell } from '../src/kernel/spreadsheet.js';
import { loadUserActor } from '../src/modules/auth/index.js';
import { BALANCE_COLUMNS, financeReportFile } from '../src/modules/finance/finance-reports.service.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { deskPay, enrollWithHooks, key, makeFinanceWorld } from './helpers/finance.js';

type Row = Record<string, string | number | null>;

/** The JSON values as a file carries them: user text starting with = + - @ made formula-safe. */
const plainNumber = /^-?\d+(\.\d+)?$/;
const asFile = (rows: Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === 'string' && !plainNumber.test(v) ? sanitizeCell(v) : v,
      ]),
    ),
  );
const asCsv = (rows: Row[]) =>
  asFile(rows).map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)])),
  );

describe('pending dues and defaulters as CSV / XLSX', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let other: Awaited<ReturnType<typeof makeFinanceWorld>>;
  const names: string[] = [];
  before(async () => {
    app = await buildTestApp();
    w = await makeFinanceWorld(app);
    other = await makeFinanceWorld(app);
    await enrollWithHooks(app, other.student.id, other.cls);
    // Five students charged 500.00 by the class: two paid part of it, one has a late fine due in the past
    // (a defaulter), one has a name a spreadsheet would run as a formula.
    const firsts = ['=HYPERLINK("x")', 'Ana', 'Ben', 'Cleo', 'Dev'];
    for (const [i, first] of firsts.entries()) {
      const s = await makeStudent(app, w.org, { firstName: first, lastName: `Dues${i}` });
      names.push(s.id);
      await enrollWithHooks(app, s.id, w.cls);
      if (i === 1 || i === 2)
        expectStatus(await deskPay(app, w.staff.token, s.id, `${100 * i}.00`, key()), 201);
      if (i === 0 || i === 3) {
        const fine = await call(app, 'POST', '/api/v1/finance/adjustments', {
          token: w.staff.token,
          body: {
            student_id: s.id,
            entry_type: 'late_fine',
            amount: `${15 + i}.00`,
            reason: 'Late',
            due_date: '2026-01-01',
          },
        });
        expectStatus(fine, 201);
      }
    }
  });
  after(() => app.close());

  const json = async (path: string, query: Record<string, unknown>) => {
    const r = await call(app, 'GET', `/api/v1/fee-payments/${path}`, {
      token: w.staff.token,
      query: { page_size: 100, ...query },
    });
    expectStatus(r, 200);
    return r.data.data as Row[];
  };
  const file = (path: string, query: Record<string, string>) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/fee-payments/${path}?${new URLSearchParams(query)}`,
      headers: { authorization: `Bearer ${w.staff.token}` },
    });
  const xlsxRows = async (payload: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(payload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Array<Record<string, unknown>> = [];
    ws.eachRow((row, i) => {
      if (i === 1) return;
      rows.push(Object.fromEntries(headers.map((h, j) => [h, row.getCell(j + 1).value ?? null])));
    });
    return { headers, rows };
  };

  for (const [path, query, fileName] of [
    ['pending', {}, 'pending-dues'],
    ['pending', { payment_status: 'partial' }, 'pending-dues'],
    ['defaulters', {}, 'defaulters'],
    ['defaulters', { min_days_overdue: '1' }, 'defaulters'],
  ] as const) {
    it(`${path} ${JSON.stringify(query)}: CSV and XLSX parse back to the rows of the JSON list`, async () => {
      const rows = await json(path, query);
      const ours = rows.filter((r) => names.includes(String(r.student_id)));
      if (path === 'defaulters') assert.equal(ours.length, 2, 'the two students with a past-due fine');
      else if ('payment_status' in query) assert.equal(ours.length, 2, 'the two who paid part');
      else assert.equal(ours.length, 5);
      assert.ok(rows.every((r) => r.organization_id === w.org.id));
      assert.deepEqual(Object.keys(rows[0]), [...BALANCE_COLUMNS]);

      const csv = await file(path, { ...query, format: 'csv' });
      expectStatus(csv, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(
        String(csv.headers['content-disposition']),
        new RegExp(`attachment; filename="${fileName}-.*\\.csv"`),
      );
      assert.deepEqual(parse(csv.body, { columns: true }), asCsv(rows));
      // The formula-looking name is plain text in the file.
      if (path === 'pending' && !('payment_status' in query))
        assert.match(csv.body, /'=HYPERLINK\(""x""\) Dues0/);

      const xlsx = await file(path, { ...query, format: 'xlsx' });
      expectStatus(xlsx, 200);
      const got = await xlsxRows(xlsx.rawPayload);
      assert.deepEqual(got.headers, [...BALANCE_COLUMNS]);
      assert.deepEqual(got.rows, asFile(rows));
    });
  }

  it('should read the file in batches of students and keep the JSON order', async () => {
    const rows = await json('pending', { class_id: w.cls.id });
    assert.equal(rows.length, 5);
    // Largest balance first: the fined students, then the unpaid, then who paid part.
    const balances = rows.map((r) => Number(r.balance));
    assert.deepEqual(
      balances,
      [...balances].sort((a, b) => b - a),
    );
    assert.deepEqual(balances, [518, 515, 500, 400, 300]);
    const actor = await loadUserActor(app.deps.db, w.staff.id, 'test');
    assert.ok(actor);
    const ctx: RequestContext = { actor, ip: null, userAgent: null, requestId: 'test' };
    const stream = financeReportFile(app.deps.db, ctx, 'pending', { class_id: w.cls.id }, 'csv', 2);
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    assert.deepEqual(parse(text, { columns: true }), asCsv(rows));
    const viaHttp = await file('pending', { class_id: w.cls.id, format: 'csv' });
    assert.equal(viaHttp.body, text);
  });

  it('should answer 404 out of scope, 400 on a bad format, 403 without the desk permission', async () => {
    for (const path of ['pending', 'defaulters']) {
      for (const format of ['json', 'csv', 'xlsx']) {
        const org = await call(app, 'GET', `/api/v1/fee-payments/${path}`, {
          token: w.staff.token,
          query: { organization_id: other.org.id, format },
        });
        expectError(org, 404, 'not_found');
        const cls = await call(app, 'GET', `/api/v1/fee-payments/${path}`, {
          token: w.staff.token,
          query: { class_id: other.cls.id, format },
        });
        expectError(cls, 404, 'not_found');
      }
      const mine = await file(path, { organization_id: w.org.id, class_id: w.cls.id, format: 'csv' });
      expectStatus(mine, 200);
      assert.equal((parse(mine.body, { columns: true }) as unknown[]).length, path === 'pending' ? 5 : 2);
      expectError(
        await call(app, 'GET', `/api/v1/fee-payments/${path}`, {
          token: w.staff.token,
          query: { format: 'pdf' },
        }),
        400,
        'validation_failed',
      );
      expectError(
        await call(app, 'GET', `/api/v1/fee-payments/${path}`, {
          token: w.student.token,
          query: { format: 'csv' },
        }),
        403,
      );
      // The other school's desk sees none of these students in its file.
      const theirs = await app.inject({
        method: 'GET',
        url: `/api/v1/fee-payments/${path}?format=csv`,
        headers: { authorization: `Bearer ${other.staff.token}` },
      });
      const parsed = parse(theirs.body, { columns: true }) as Array<Record<string, string>>;
      assert.ok(parsed.every((r) => r.organization_id === other.org.id));
      assert.ok(!parsed.some((r) => names.includes(r.student_id)));
    }
  });
});
