import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/kernel/auth/actor.js';
import { type Cell, sanitizeCell } from '../src/kernel/spreadsheet.js';
import { REPORTS } from '../src/modules/reports/reports-catalog.js';
import { reportCells, toCells } from '../src/modules/reports/reports-engine.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { daysAgo, makeReportsWorld, type ReportsWorld } from './helpers/reports.js';

const SEED = Number(process.env.REPORTS_SEED ?? Date.now() % 2 ** 31);

/** round(a / b, 2) as PostgreSQL rounds numerics (half away from zero), from integers: no float drift. */
function round2(a: number, b: number): number | null {
  if (b === 0) return null;
  return Math.floor((2 * 100 * a + b) / (2 * b)) / 100;
}
/** round(100 × part / whole, 2): a rate in percent. */
const pctOf = (part: number, whole: number) => round2(100 * part, whole);
const cents = (x: number) => Math.round(x * 100);
const money = (minor: number) => (minor / 100).toFixed(2);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Seed 004's seven reports. */
const SEED_004_REPORTS = [
  'student-performance',
  'attendance',
  'fee-collection',
  'exam-results',
  'library-stats',
  'hostel-occupancy',
  'department-wise',
];

let app: App;
let w: ReportsWorld;
let inDistrict: (orgId: string) => boolean;

async function report(path: string, token: string, query: Record<string, string | number> = {}) {
  const res = await call(app, 'GET', `/api/v1/reports/${path}`, {
    token,
    query: { page_size: 100, ...query },
  });
  expectStatus(res, 200);
  return res.data as {
    data: Array<Record<string, unknown>>;
    meta: { total: number; totals: Array<Record<string, unknown>> };
  };
}

describe(`reports (seed ${SEED})`, () => {
  before(async () => {
    app = await buildTestApp();
    w = await makeReportsWorld(app, SEED);
    inDistrict = (id) => id === w.schoolA.id || id === w.schoolB.id;
  });
  after(async () => {
    await app?.close();
  });

  it('student-performance: totals equal the posted grades, for each scope', async () => {
    const expected = (keep: (g: ReportsWorld['grades'][number]) => boolean) => {
      const gs = w.grades.filter((g) => g.posted && keep(g));
      const passed = gs.filter((g) => g.passing).length;
      return {
        students: new Set(gs.map((g) => g.studentId)).size,
        courses_graded: gs.length,
        courses_passed: passed,
        average_percent: round2(sum(gs.map((g) => cents(g.percent))), 100 * gs.length),
        gpa: round2(3 * passed, gs.length),
        credits_earned: 3 * passed,
      };
    };
    const teacherClass = w.classes.find((c) => c.teacherId === w.teacher.id)!.id;
    for (const [token, keep] of [
      [w.admin.token, (g: { organizationId: string }) => inDistrict(g.organizationId)],
      [w.principal.token, (g: { organizationId: string }) => g.organizationId === w.schoolA.id],
      [w.teacher.token, (g: { classId: string }) => g.classId === teacherClass],
    ] as const) {
      const r = await report('student-performance', token);
      assert.deepEqual(r.meta.totals, [expected(keep as (g: ReportsWorld['grades'][number]) => boolean)]);
      assert.equal(r.meta.total, r.meta.totals[0].students);
      assert.equal(sum(r.data.map((x) => Number(x.courses_graded))), r.meta.totals[0].courses_graded);
    }
    const byDept = await report('student-performance', w.admin.token, { department_id: w.departments[1].id });
    assert.deepEqual(byDept.meta.totals, [
      expected((g) => w.students.find((s) => s.id === g.studentId)!.departmentId === w.departments[1].id),
    ]);
  });

  it('attendance: totals equal the records, from the tallies and from a date range', async () => {
    const expected = (
      keep: (r: ReportsWorld['records'][number]) => boolean,
      sessionKeep: (s: { classId: string; date: string }) => boolean,
    ) => {
      const rs = w.records.filter((r) => inDistrict(r.organizationId) && keep(r));
      const n = (s: string) => rs.filter((r) => r.status === s).length;
      const ss = w.sessions.filter(
        (s) => w.classes.some((c) => c.id === s.classId && inDistrict(c.organizationId)) && sessionKeep(s),
      );
      return {
        classes: new Set(ss.map((s) => s.classId)).size,
        sessions: ss.length,
        present: n('present'),
        absent: n('absent'),
        late: n('late'),
        excused: n('excused'),
        attendance_rate: pctOf(n('present') + n('late'), n('present') + n('late') + n('absent')),
      };
    };
    const all = await report('attendance', w.admin.token);
    assert.deepEqual(all.meta.totals, [
      expected(
        () => true,
        () => true,
      ),
    ]);
    const from = daysAgo(120);
    const to = daysAgo(30);
    const inRange = (d: string) => d >= from && d <= to;
    const ranged = await report('attendance', w.admin.token, { date_from: from, date_to: to });
    const exp = expected(
      (r) => inRange(r.date),
      (s) => inRange(s.date),
    );
    assert.deepEqual(ranged.meta.totals, [exp]);
    assert.equal(sum(ranged.data.map((x) => Number(x.present))), exp.present);
  });

  it('fee-collection: ledger payments − refunds in range, totals equal the rows and the ledger', async () => {
    for (const range of [{}, { date_from: daysAgo(200), date_to: daysAgo(40) }] as Array<
      Record<string, string>
    >) {
      const keep = (d: string) =>
        (!range.date_from || d >= range.date_from) && (!range.date_to || d <= range.date_to);
      const es = w.ledger.filter((e) => inDistrict(e.organizationId) && keep(e.date));
      const paid = sum(es.filter((e) => e.type === 'payment').map((e) => e.minor));
      const refunded = sum(es.filter((e) => e.type === 'refund').map((e) => e.minor));
      const r = await report('fee-collection', w.admin.token, range);
      assert.deepEqual(r.meta.totals, [
        {
          currency: 'USD',
          payments: es.filter((e) => e.type === 'payment').length,
          refunds: es.filter((e) => e.type === 'refund').length,
          collected: money(paid),
          refunded: money(refunded),
          net: money(paid - refunded),
        },
      ]);
      assert.equal(money(sum(r.data.map((x) => cents(Number(x.net))))), money(paid - refunded));
      for (const row of r.data) assert.ok(inDistrict(String(row.organization_id)));
    }
  });

  it('exam-results: totals equal the marks of the exams (quizzes only when asked)', async () => {
    for (const type of ['exam', 'quiz']) {
      const ms = w.marks.filter(
        (m) => m.type === type && w.classes.some((c) => c.id === m.classId && inDistrict(c.organizationId)),
      );
      const scored = ms.filter((m) => m.state === 'scored');
      const pcts = scored.map((m) => (100 * (m.marks as number)) / m.max);
      const r = await report(
        'exam-results',
        w.admin.token,
        type === 'quiz' ? { assessment_type: 'quiz' } : {},
      );
      assert.deepEqual(r.meta.totals, [
        {
          assessments: new Set(ms.map((m) => m.assessmentId)).size,
          marks_entered: ms.length,
          scored: scored.length,
          absent: ms.filter((m) => m.state === 'absent').length,
          passed: pcts.filter((p) => p >= 40).length,
          average_percent: round2(sum(pcts.map(cents)), 100 * pcts.length),
          highest_percent: pcts.length ? Math.max(...pcts) : null,
          lowest_percent: pcts.length ? Math.min(...pcts) : null,
        },
      ]);
    }
  });

  it('library-stats: totals equal the books, copies, loans and fines', async () => {
    const today = daysAgo(0);
    const of = <T extends { organizationId: string }>(xs: T[]) =>
      xs.filter((x) => inDistrict(x.organizationId));
    const loans = of(w.loans);
    const r = await report('library-stats', w.admin.token);
    assert.deepEqual(r.meta.totals, [
      {
        organizations: 2,
        currency: 'USD',
        titles: of(w.books).length,
        copies: of(w.copies).length,
        copies_available: of(w.copies).filter((c) => c.state === 'available').length,
        loans_open: loans.filter((l) => !l.returned).length,
        loans_overdue: loans.filter((l) => !l.returned && l.due < today).length,
        loans_issued: loans.length,
        loans_returned: loans.filter((l) => l.returned).length,
        fines_outstanding: money(sum(of(w.fines).map((f) => f.minor))),
      },
    ]);
  });

  it('hostel-occupancy: totals equal the rooms and active allocations', async () => {
    const rooms = w.rooms.filter((x) => inDistrict(x.organizationId));
    const beds = sum(rooms.map((x) => x.capacity));
    const occupied = w.allocations.filter((a) => a.active && inDistrict(a.organizationId)).length;
    const r = await report('hostel-occupancy', w.principal.token);
    const mine = w.rooms.filter((x) => x.organizationId === w.schoolA.id);
    const myOcc = w.allocations.filter((a) => a.active && a.organizationId === w.schoolA.id).length;
    assert.equal(r.meta.totals[0].beds, sum(mine.map((x) => x.capacity)));
    assert.equal(r.meta.totals[0].occupied, myOcc);
    const all = await report('hostel-occupancy', w.admin.token);
    assert.deepEqual(all.meta.totals, [
      {
        hostels: 2,
        rooms: rooms.length,
        beds,
        occupied,
        available: beds - occupied,
        occupancy_rate: pctOf(occupied, beds),
      },
    ]);
  });

  it('department-wise: totals equal the students, faculty, programs, courses and enrollments', async () => {
    const of = <T extends { organizationId: string }>(xs: T[]) =>
      xs.filter((x) => inDistrict(x.organizationId));
    const r = await report('department-wise', w.admin.token);
    assert.deepEqual(r.meta.totals, [
      {
        departments: 2,
        students: of(w.students).length,
        faculty: of(w.faculty).filter((f) => f.departmentId).length,
        programs: of(w.programs).length,
        courses: of(w.courses).length,
        active_enrollments: of(w.enrollments).length,
      },
    ]);
  });

  for (const path of SEED_004_REPORTS.concat('attendance-compliance')) {
    it(`${path}: CSV and XLSX parse back to the rows of the JSON form`, async () => {
      const query: Record<string, string> =
        path === 'attendance-compliance' ? { date_from: daysAgo(30), date_to: daysAgo(1) } : {};
      const json = await report(path, w.admin.token, query);
      assert.ok(json.data.length > 0, 'the report has rows');
      // The JSON values as a file carries them: text starting with = + - @ made formula-safe (amounts are
      // decimal numbers the report writes itself, never formulas).
      const plainNumber = /^-?\d+(\.\d+)?$/;
      const asFile = json.data.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === 'string' && !plainNumber.test(v) ? sanitizeCell(v) : v,
          ]),
        ),
      );
      const csv = await call(app, 'GET', `/api/v1/reports/${path}`, {
        token: w.admin.token,
        query: { ...query, format: 'csv' },
      });
      expectStatus(csv, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(
        String(csv.headers['content-disposition']),
        new RegExp(`attachment; filename="${path}-.*\\.csv"`),
      );
      const parsed = parse(csv.body, { columns: true }) as Array<Record<string, string>>;
      assert.deepEqual(
        parsed,
        asFile.map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)])),
        ),
      );

      const xlsx = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/${path}?${new URLSearchParams({ ...query, format: 'xlsx' })}`,
        headers: { authorization: `Bearer ${w.admin.token}` },
      });
      expectStatus(xlsx, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      const headers = (ws.getRow(1).values as unknown[]).slice(1);
      assert.deepEqual(headers, Object.keys(json.data[0]));
      const rows: Array<Record<string, unknown>> = [];
      ws.eachRow((row, i) => {
        if (i === 1) return;
        rows.push(Object.fromEntries(headers.map((h, j) => [String(h), row.getCell(j + 1).value ?? null])));
      });
      assert.deepEqual(rows, asFile);
    });
  }

  it('should check the filters (400), the token (401), the permission (403) and the scope (404)', async () => {
    for (const path of ['student-performance', 'attendance', 'exam-results', 'attendance-compliance']) {
      expectError(await call(app, 'GET', `/api/v1/reports/${path}`, {}), 401);
      expectError(await call(app, 'GET', `/api/v1/reports/${path}`, { token: w.student.token }), 403);
      expectError(
        await call(app, 'GET', `/api/v1/reports/${path}`, { token: w.admin.token, query: { bogus: 1 } }),
        400,
      );
      expectError(
        await call(app, 'GET', `/api/v1/reports/${path}`, {
          token: w.principal.token,
          query: { organization_id: w.schoolB.id },
        }),
        404,
      );
      expectError(
        await call(app, 'GET', `/api/v1/reports/${path}`, {
          token: w.admin.token,
          query: { organization_id: 'nope' },
        }),
        400,
      );
    }
    for (const path of ['fee-collection', 'library-stats', 'hostel-occupancy', 'department-wise']) {
      expectError(await call(app, 'GET', `/api/v1/reports/${path}`, {}), 401);
      expectError(await call(app, 'GET', `/api/v1/reports/${path}`, { token: w.teacher.token }), 403);
      expectError(
        await call(app, 'GET', `/api/v1/reports/${path}`, { token: w.admin.token, query: { format: 'pdf' } }),
        400,
      );
      expectError(
        await call(app, 'GET', `/api/v1/reports/${path}`, {
          token: w.otherAdmin.token,
          query: { organization_id: w.schoolA.id },
        }),
        404,
      );
    }
    const otherTeachersClass = w.classes.find(
      (c) => c.organizationId === w.schoolA.id && c.teacherId !== w.teacher.id,
    )!;
    expectError(
      await call(app, 'GET', '/api/v1/reports/attendance', {
        token: w.teacher.token,
        query: { class_id: otherTeachersClass.id },
      }),
      404,
    );
    expectError(
      await call(app, 'GET', '/api/v1/reports/attendance', {
        token: w.admin.token,
        query: { date_from: daysAgo(1), date_to: daysAgo(5) },
      }),
      400,
    );
  });

  it('an auditor reads every report of its district, as its admin does, and changes nothing', async () => {
    for (const path of SEED_004_REPORTS) {
      const [asAuditor, asAdmin] = [await report(path, w.auditor.token), await report(path, w.admin.token)];
      assert.deepEqual(asAuditor, asAdmin, path);
    }
    expectError(
      await call(app, 'GET', '/api/v1/reports/fee-collection', {
        token: w.auditor.token,
        query: { organization_id: w.otherSchool.id },
      }),
      404,
    );
    const write = await call(app, 'POST', '/api/v1/departments', {
      token: w.auditor.token,
      body: { organization_id: w.schoolA.id, code: 'AUD', name: 'Audit' },
    });
    expectError(write, 403);
    expectError(await call(app, 'GET', '/api/v1/students', { token: w.auditor.token }), 403);
  });

  it('should page through the rows, and download them in keyset batches, in one stable order', async () => {
    const all = await report('student-performance', w.admin.token);
    const pages: Array<Record<string, unknown>> = [];
    for (let page = 1; page <= Math.ceil(all.meta.total / 3) + 1; page++) {
      const r = await report('student-performance', w.admin.token, { page, page_size: 3 });
      assert.equal(r.meta.total, all.meta.total, 'the count does not depend on the page');
      assert.deepEqual(r.meta.totals, all.meta.totals);
      pages.push(...r.data);
    }
    assert.deepEqual(pages, all.data);
    const actor: Actor = {
      userId: w.admin.id,
      username: w.admin.username,
      email: w.admin.email,
      fullName: 'Admin',
      organizationId: w.district.id,
      roles: [{ role: 'admin', organizationId: w.district.id, path: w.district.path }],
      allowedRegisterIds: [],
      sessionId: 'test',
      tokenId: 'test',
      tokenExpiresAt: Date.now() + 60_000,
    };
    const def = REPORTS.find((d) => d.path === 'student-performance')!;
    const cells: Cell[][] = [];
    for await (const row of reportCells(app.deps.db, actor, def, {}, 2)) cells.push(row);
    assert.deepEqual(
      cells,
      all.data.map((row) => toCells(def.columns, row)),
    );
  });

  it('should scope the principal to one school in every report', async () => {
    for (const path of [
      'student-performance',
      'attendance',
      'fee-collection',
      'exam-results',
      'hostel-occupancy',
      'department-wise',
    ]) {
      const r = await report(path, w.principal.token);
      for (const row of r.data) {
        if ('organization_id' in row)
          assert.equal(row.organization_id, w.schoolA.id, `${path} leaks another school`);
      }
    }
    const own = await report('fee-collection', w.principal.token, { organization_id: w.schoolA.id });
    assert.ok(own.data.every((x) => x.organization_id === w.schoolA.id));
  });
});
