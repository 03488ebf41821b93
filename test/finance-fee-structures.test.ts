import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { programs } from '../src/modules/academics/academics.table.js';
import { makeClass, makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import { enrollWithHooks, makeFinanceWorld } from './helpers/finance.js';

describe('fee structures', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let other: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let faculty: Awaited<ReturnType<typeof makeFaculty>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeFinanceWorld(app, 0);
    other = await makeFinanceWorld(app, 0);
    faculty = await makeFaculty(app, w.org);
  });
  after(() => app.close());

  const body = (extra: Record<string, unknown>) => ({
    academic_year: '2026-2027',
    semester: 1,
    components: [
      { name: 'Tuition', amount: '1000.00' },
      { name: 'Lab', amount: '250.00' },
    ],
    due_date: '2026-09-30',
    ...extra,
  });

  it('should create, read, list and update a class fee structure', async () => {
    const res = await call(app, 'POST', '/api/v1/fee-structures', {
      token: w.staff.token,
      body: body({ class_id: w.cls.id }),
    });
    expectStatus(res, 201);
    const fs = res.data.data;
    assert.equal(fs.total, '1250.00');
    assert.equal(fs.currency, 'USD');
    assert.equal(fs.organization_id, w.org.id);
    expectStatus(await call(app, 'GET', `/api/v1/fee-structures/${fs.id}`, { token: w.student.token }), 200);
    const list = await call(app, 'GET', '/api/v1/fee-structures', {
      token: faculty.token,
      query: { class_id: w.cls.id, academic_year: '2026-2027' },
    });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((x: any) => x.id),
      [fs.id],
    );
    const up = await call(app, 'PUT', `/api/v1/fee-structures/${fs.id}`, {
      token: w.staff.token,
      body: { name: 'Renamed', components: [{ name: 'Tuition', amount: '900.00' }] },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.total, '900.00');
    assert.equal(up.data.data.name, 'Renamed');
  });

  it('should apply a structure with installments once per student (idempotent, set-based)', async () => {
    const cls = await makeClass(app, w.org);
    const students = await Promise.all([1, 2, 3].map(() => makeStudent(app, w.org)));
    for (const s of students) await enrollWithHooks(app, s.id, cls);
    const fs = (
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.admin.token,
        body: body({
          class_id: cls.id,
          installments: [
            { due_date: '2026-01-15', amount: '625.00' },
            { due_date: '2099-03-15', amount: '625.00' },
          ],
        }),
      })
    ).data.data;
    const a1 = await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`, { token: w.staff.token });
    expectStatus(a1, 200);
    assert.deepEqual(a1.data.data, {
      fee_structure_id: fs.id,
      students_targeted: 3,
      students_charged: 3,
      entries_created: 6,
      already_charged: 0,
    });
    const late = await makeStudent(app, w.org);
    await enrollWithHooks(app, late.id, cls);
    const a2 = await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`, { token: w.staff.token });
    assert.equal(a2.data.data.students_charged, 1);
    assert.equal(a2.data.data.already_charged, 3);
    const r = await app.deps.db.execute(
      sql`select count(*)::int as n, sum(amount_minor)::bigint as t from ledger_entries where fee_structure_id = ${fs.id}`,
    );
    assert.equal(Number((r.rows[0] as any).n), 8);
    assert.equal(Number((r.rows[0] as any).t), 4 * 125000);
    // The first installment is overdue: each student is a defaulter for 625.00.
    const d = await call(app, 'GET', '/api/v1/fee-payments/defaulters', {
      token: w.staff.token,
      query: { fee_structure_id: fs.id },
    });
    assert.equal(d.data.meta.total, 4);
    assert.ok(d.data.data.every((x: any) => x.overdue_amount === '625.00'));
    expectError(
      await call(app, 'PUT', `/api/v1/fee-structures/${fs.id}`, {
        token: w.staff.token,
        body: { due_date: '2026-10-01' },
      }),
      422,
      'fee_structure_applied',
    );
    expectStatus(
      await call(app, 'PUT', `/api/v1/fee-structures/${fs.id}`, {
        token: w.staff.token,
        body: { name: 'Spring fees' },
      }),
      200,
    );
    expectError(await call(app, 'DELETE', `/api/v1/fee-structures/${fs.id}`, { token: w.staff.token }), 409);
    expectError(
      await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`, { token: other.admin.token }),
      404,
    );
    expectError(
      await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`, { token: w.student.token }),
      403,
    );
    expectError(await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`), 401);
    expectError(await call(app, 'POST', '/api/v1/fee-structures/bad/apply', { token: w.staff.token }), 400);
  });

  it('should apply a program structure to the students of the program', async () => {
    const [prog] = await app.deps.db
      .insert(programs)
      .values({ organizationId: w.org.id, code: uniq('P'), name: 'BSc' })
      .returning();
    const s1 = await makeStudent(app, w.org, { programId: prog.id });
    await makeStudent(app, w.org, { programId: prog.id });
    const fs = (
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.admin.token,
        body: body({ program_id: prog.id }),
      })
    ).data.data;
    const a = await call(app, 'POST', `/api/v1/fee-structures/${fs.id}/apply`, { token: w.admin.token });
    assert.equal(a.data.data.students_charged, 2);
    const fees = await call(app, 'GET', `/api/v1/students/${s1.id}/fees`, { token: w.admin.token });
    assert.equal(fees.data.meta.summary.balance, '1250.00');
  });

  it('should answer 400 for bad structures, 401, 403 and 404 out of scope', async () => {
    const two = await call(app, 'POST', '/api/v1/fee-structures', {
      token: w.staff.token,
      body: body({ class_id: w.cls.id, course_id: w.course.id }),
    });
    expectError(two, 400);
    const sum = await call(app, 'POST', '/api/v1/fee-structures', {
      token: w.staff.token,
      body: body({ class_id: w.cls.id, installments: [{ due_date: '2026-10-01', amount: '1.00' }] }),
    });
    expectError(sum, 400);
    assert.equal(sum.data.error.details[0].field, 'installments');
    expectError(
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.staff.token,
        body: { ...body({ class_id: w.cls.id }), components: [] },
      }),
      400,
    );
    expectError(
      await call(app, 'POST', '/api/v1/fee-structures', { body: body({ class_id: w.cls.id }) }),
      401,
    );
    expectError(
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.student.token,
        body: body({ class_id: w.cls.id }),
      }),
      403,
    );
    expectError(
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.staff.token,
        body: body({ class_id: other.cls.id }),
      }),
      404,
    );
    const mine = (
      await call(app, 'POST', '/api/v1/fee-structures', {
        token: w.staff.token,
        body: body({ course_id: w.course.id }),
      })
    ).data.data;
    expectError(
      await call(app, 'GET', `/api/v1/fee-structures/${mine.id}`, { token: other.admin.token }),
      404,
    );
    expectError(await call(app, 'GET', `/api/v1/fee-structures/${mine.id}`), 401);
    expectError(await call(app, 'GET', '/api/v1/fee-structures/bad', { token: w.admin.token }), 400);
    expectError(await call(app, 'GET', '/api/v1/fee-structures'), 401);
    const roleless = await makeUser(app, w.org, null);
    expectError(await call(app, 'GET', '/api/v1/fee-structures', { token: roleless.token }), 403);
    expectError(await call(app, 'GET', `/api/v1/fee-structures/${mine.id}`, { token: roleless.token }), 403);
    expectError(await call(app, 'DELETE', `/api/v1/fee-structures/${mine.id}`), 401);
    expectError(await call(app, 'PUT', `/api/v1/fee-structures/${mine.id}`, { body: { name: 'x' } }), 401);
    expectError(
      await call(app, 'PUT', `/api/v1/fee-structures/${mine.id}`, {
        token: other.admin.token,
        body: { name: 'x' },
      }),
      404,
    );
    expectError(
      await call(app, 'PUT', `/api/v1/fee-structures/${mine.id}`, {
        token: faculty.token,
        body: { name: 'x' },
      }),
      403,
    );
    expectError(
      await call(app, 'PUT', `/api/v1/fee-structures/${mine.id}`, { token: w.staff.token, body: {} }),
      400,
    );
    expectError(
      await call(app, 'DELETE', `/api/v1/fee-structures/${mine.id}`, { token: w.student.token }),
      403,
    );
    expectError(
      await call(app, 'DELETE', `/api/v1/fee-structures/${mine.id}`, { token: other.admin.token }),
      404,
    );
    expectStatus(
      await call(app, 'DELETE', `/api/v1/fee-structures/${mine.id}`, { token: w.admin.token }),
      204,
    );
    expectError(
      await call(app, 'GET', '/api/v1/fee-structures', { token: w.admin.token, query: { semester: 99 } }),
      400,
    );
    const theirs = await call(app, 'GET', '/api/v1/fee-structures', {
      token: other.admin.token,
      query: { page_size: 100 },
    });
    assert.ok(theirs.data.data.every((x: any) => x.organization_id === other.org.id));
  });
});
