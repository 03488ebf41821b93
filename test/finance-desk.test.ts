import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { publish } from '../src/kernel/events.js';
import { makeClass, makeCourse, makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import { deskPay, dropWithHooks, enrollWithHooks, makeFinanceWorld } from './helpers/finance.js';

describe('finance desk, ledger and enrollment hooks', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let other: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let faculty: Awaited<ReturnType<typeof makeFaculty>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeFinanceWorld(app);
    other = await makeFinanceWorld(app);
    faculty = await makeFaculty(app, w.org);
    await enrollWithHooks(app, w.student.id, w.cls);
  });
  after(() => app.close());

  const balanceOf = async (studentId: string) => {
    const r = await app.deps.db.execute(
      sql`select coalesce(sum(amount_minor), 0)::bigint as b from ledger_entries where student_id = ${studentId}`,
    );
    return Number((r.rows[0] as any).b);
  };

  it('should charge the course fee once per enrollment, even when the hook runs twice', async () => {
    const s = await makeStudent(app, w.org);
    const e = await enrollWithHooks(app, s.id, w.cls);
    assert.equal(await balanceOf(s.id), 50000);
    await app.deps.db.transaction(async (tx) => {
      await publish(tx, null, 'enrollments.enrolled', {
        enrollmentId: e.id,
        studentId: s.id,
        classId: w.cls.id,
        organizationId: w.org.id,
        courseId: null,
        at: new Date(),
      });
    });
    assert.equal(await balanceOf(s.id), 50000);
    const free = await makeClass(app, w.org, {
      courseId: (await makeCourse(app, w.org, { feeMinor: 0 })).id,
    });
    await enrollWithHooks(app, s.id, free);
    assert.equal(await balanceOf(s.id), 50000);
  });

  it('should reverse the fee on a drop before the deadline, not after', async () => {
    const s = await makeStudent(app, w.org);
    const early = await enrollWithHooks(app, s.id, w.cls);
    await dropWithHooks(app, early, new Date(Date.now() + 3 * 86400_000));
    assert.equal(await balanceOf(s.id), 0);
    const cls2 = await makeClass(app, w.org, { courseId: w.course.id });
    const late = await enrollWithHooks(app, s.id, cls2, new Date(Date.now() - 40 * 86400_000));
    await dropWithHooks(app, late);
    assert.equal(await balanceOf(s.id), 50000);
    // A stricter organization setting (0 days) keeps even a next-week drop charged.
    const set = await call(app, 'PUT', '/api/v1/finance/settings', {
      token: other.admin.token,
      body: { organization_id: other.org.id, refund_deadline_days: 0 },
    });
    expectStatus(set, 200);
    const s2 = await makeStudent(app, other.org);
    const e2 = await enrollWithHooks(app, s2.id, other.cls);
    await dropWithHooks(app, e2, new Date(Date.now() + 7 * 86400_000));
    assert.equal(await balanceOf(s2.id), 50000);
  });

  it('should refuse to edit or delete ledger history (append-only)', async () => {
    await assert.rejects(
      app.deps.db.execute(sql`update ledger_entries set amount_minor = 1 where student_id = ${w.student.id}`),
    );
    await assert.rejects(
      app.deps.db.execute(sql`delete from ledger_entries where student_id = ${w.student.id}`),
    );
    assert.equal(await balanceOf(w.student.id), 50000);
  });

  it('should manage finance settings (admin writes, staff reads)', async () => {
    const url = '/api/v1/finance/settings';
    const got = await call(app, 'GET', url, { token: w.staff.token, query: { organization_id: w.org.id } });
    expectStatus(got, 200);
    assert.equal(got.data.data.refund_deadline_days, 14);
    expectError(
      await call(app, 'PUT', url, {
        token: w.staff.token,
        body: { organization_id: w.org.id, payment_due_days: 10 },
      }),
      403,
    );
    expectError(
      await call(app, 'PUT', url, {
        token: w.admin.token,
        body: { organization_id: w.org.id, payment_due_days: -1 },
      }),
      400,
    );
    expectError(
      await call(app, 'PUT', url, {
        token: w.admin.token,
        body: { organization_id: other.org.id, payment_due_days: 5 },
      }),
      404,
    );
    expectError(await call(app, 'GET', url, { query: { organization_id: w.org.id } }), 401);
    expectError(
      await call(app, 'GET', url, { token: w.student.token, query: { organization_id: w.org.id } }),
      403,
    );
    expectError(
      await call(app, 'GET', url, { token: w.staff.token, query: { organization_id: other.org.id } }),
      404,
    );
    expectError(await call(app, 'GET', url, { token: w.staff.token, query: { organization_id: 'x' } }), 400);
  });

  it("should show a student's ledger with keyset pagination to the student, parent and desk only", async () => {
    const s = await makeStudent(app, w.org, {}, { login: true });
    await enrollWithHooks(app, s.id, w.cls);
    for (let i = 0; i < 4; i++) await deskPay(app, w.staff.token, s.id, '10.00');
    const url = `/api/v1/students/${s.id}/fees`;
    const p1 = await call(app, 'GET', url, { token: s.token, query: { page_size: 2 } });
    expectStatus(p1, 200);
    assert.equal(p1.data.data.length, 2);
    assert.equal(p1.data.meta.summary.balance, '460.00');
    assert.ok(p1.data.meta.next_cursor);
    const p2 = await call(app, 'GET', url, {
      token: s.token,
      query: { page_size: 2, cursor: p1.data.meta.next_cursor },
    });
    const p3 = await call(app, 'GET', url, {
      token: s.token,
      query: { page_size: 2, cursor: p2.data.meta.next_cursor },
    });
    const ids = [...p1.data.data, ...p2.data.data, ...p3.data.data].map((e: any) => e.id);
    assert.equal(new Set(ids).size, 5);
    assert.equal(p3.data.meta.next_cursor, null);
    const parent = await makeParent(app, w.org, [s.id]);
    expectStatus(await call(app, 'GET', url, { token: parent.token }), 200);
    expectError(await call(app, 'GET', url, { token: w.student.token }), 404);
    expectError(await call(app, 'GET', url, { token: other.admin.token }), 404);
    expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
    expectError(await call(app, 'GET', url), 401);
    expectError(await call(app, 'GET', url, { token: s.token, query: { cursor: 'garbage' } }), 400);
    const me = await call(app, 'GET', '/api/v1/students/me/fees', {
      token: s.token,
      query: { entry_type: 'payment' },
    });
    expectStatus(me, 200);
    assert.equal(me.data.data.length, 4);
    expectError(await call(app, 'GET', '/api/v1/students/me/fees', { token: w.admin.token }), 403);
    expectError(
      await call(app, 'GET', '/api/v1/students/me/fees', { token: s.token, query: { entry_type: 'gift' } }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/students/me/fees'), 401);
    const bare = await makeUser(app, w.org, 'student');
    expectError(await call(app, 'GET', '/api/v1/students/me/fees', { token: bare.token }), 404);
  });

  it('should grant concessions and waivers by admin only, with reason and approver', async () => {
    const s = await makeStudent(app, w.org);
    await enrollWithHooks(app, s.id, w.cls);
    const url = '/api/v1/finance/adjustments';
    const c = await call(app, 'POST', url, {
      token: w.admin.token,
      body: { student_id: s.id, entry_type: 'concession', amount: '100.00', reason: 'Sibling discount' },
    });
    expectStatus(c, 201);
    assert.equal(c.data.data.amount, '-100.00');
    assert.equal(c.data.data.approved_by, w.admin.id);
    assert.equal(c.data.data.direction, 'credit');
    expectError(
      await call(app, 'POST', url, {
        token: w.staff.token,
        body: { student_id: s.id, entry_type: 'waiver', amount: '1.00', reason: 'Because' },
      }),
      403,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.admin.token,
        body: { student_id: s.id, entry_type: 'waiver', amount: '1.00' },
      }),
      400,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.admin.token,
        body: { student_id: other.student.id, entry_type: 'waiver', amount: '1.00', reason: 'Because' },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', url, {
        body: { student_id: s.id, entry_type: 'waiver', amount: '1.00', reason: 'Because' },
      }),
      401,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.student.token,
        body: { student_id: s.id, entry_type: 'late_fine', amount: '1.00', reason: 'Because' },
      }),
      403,
    );
    assert.equal(await balanceOf(s.id), 40000);
  });

  it('should report dues, unpaid and status with totals equal to the ledger', async () => {
    const t = await makeFinanceWorld(app, 30000);
    const paidUp = await makeStudent(app, t.org);
    await enrollWithHooks(app, paidUp.id, t.cls);
    await deskPay(app, t.admin.token, paidUp.id, '300.00');
    const owing = await makeStudent(app, t.org);
    await enrollWithHooks(app, owing.id, t.cls);
    await deskPay(app, t.admin.token, owing.id, '100.00');
    const noEntries = await makeStudent(app, t.org);
    const dues = await call(app, 'GET', '/api/v1/finance/dues', { token: t.staff.token });
    expectStatus(dues, 200);
    assert.deepEqual(
      dues.data.data.map((r: any) => r.student_id),
      [owing.id],
    );
    assert.equal(dues.data.meta.totals[0].balance, '200.00');
    const unpaid = await call(app, 'GET', '/api/v1/finance/unpaid-report', {
      token: t.staff.token,
      query: { search: owing.studentNumber },
    });
    expectStatus(unpaid, 200);
    assert.equal(unpaid.data.data.length, 1);
    const status = await call(app, 'GET', '/api/v1/finance/reports/status', {
      token: t.admin.token,
      query: { page_size: 100 },
    });
    expectStatus(status, 200);
    const byId = Object.fromEntries(status.data.data.map((r: any) => [r.student_id, r]));
    assert.equal(byId[paidUp.id].result, 'pass');
    assert.equal(byId[owing.id].result, 'fail');
    assert.equal(byId[noEntries.id].status, 'paid');
    const tot = status.data.meta.totals[0];
    const led = await app.deps.db.execute(sql`select coalesce(sum(amount_minor), 0)::bigint as b,
      coalesce(-sum(amount_minor) filter (where entry_type = 'payment'), 0)::bigint as p
      from ledger_entries where organization_id = ${t.org.id}`);
    assert.equal(tot.balance, (Number((led.rows[0] as any).b) / 100).toFixed(2));
    assert.equal(tot.total_paid, (Number((led.rows[0] as any).p) / 100).toFixed(2));
    const onlyUnpaid = await call(app, 'GET', '/api/v1/finance/reports/status', {
      token: t.admin.token,
      query: { status: 'unpaid' },
    });
    assert.deepEqual(
      onlyUnpaid.data.data.map((r: any) => r.student_id),
      [owing.id],
    );
    const foreign = await call(app, 'GET', '/api/v1/finance/dues', {
      token: w.admin.token,
      query: { page_size: 100 },
    });
    assert.ok(foreign.data.data.every((r: any) => r.organization_id === w.org.id));
    for (const u of [
      '/api/v1/finance/dues',
      '/api/v1/finance/unpaid-report',
      '/api/v1/finance/reports/status',
    ]) {
      expectError(await call(app, 'GET', u, { token: t.admin.token, query: { bogus: 1 } }), 400);
      expectError(await call(app, 'GET', u), 401);
      expectError(await call(app, 'GET', u, { token: t.student.token }), 403);
      expectError(await call(app, 'GET', u, { token: faculty.token }), 403);
    }
  });

  it('should log a contact action in the audit log and notify the student', async () => {
    const url = `/api/v1/finance/action/contact/${w.student.id}`;
    const res = await call(app, 'PUT', url, {
      token: w.staff.token,
      body: { channel: 'phone', note: 'Left a voicemail' },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.action, 'contact');
    assert.equal(res.data.data.summary.balance, '500.00');
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'student', entity_id: w.student.id, action: 'contact' },
    });
    expectStatus(audit, 200);
    assert.equal(audit.data.data.length, 1);
    assert.equal(audit.data.data[0].actor_id, w.staff.id);
    const notes = await call(app, 'GET', '/api/v1/notifications', {
      token: w.student.token,
      query: { page_size: 100 },
    });
    assert.ok(notes.data.data.some((n: any) => n.kind === 'contact_request'));
    const dues = await call(app, 'GET', '/api/v1/finance/dues', {
      token: w.staff.token,
      query: { search: w.student.studentNumber },
    });
    assert.ok(dues.data.data[0].last_contacted_at);
    expectError(await call(app, 'PUT', url, { token: w.staff.token, body: { channel: 'pigeon' } }), 400);
    expectError(await call(app, 'PUT', url, { body: {} }), 401);
    expectError(await call(app, 'PUT', url, { token: w.student.token, body: {} }), 403);
    expectError(
      await call(app, 'PUT', `/api/v1/finance/action/contact/${other.student.id}`, {
        token: w.staff.token,
        body: {},
      }),
      404,
    );
  });
});
