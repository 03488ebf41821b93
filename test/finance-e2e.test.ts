import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { organizations } from '../src/modules/organizations/organizations.table.js';
import { students } from '../src/modules/students/students.table.js';
import { makeClass, makeCourse, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { login, makeRootOrg, makeUser } from './helpers/factories.js';
import { enrollWithHooks, key } from './helpers/finance.js';

/** Seed 000's README walk-through, against Registrar's paths. */
describe('seed 000 walk-through (student finance)', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  async function registerStudent(orgId: string) {
    const username = uniq('student');
    const password = 'Password-123-ok';
    const reg = await call(app, 'POST', '/api/v1/auth/register', {
      body: {
        username,
        email: `${username}@example.test`,
        password,
        full_name: 'Sam Student',
        organization_id: orgId,
      },
    });
    expectStatus(reg, 201);
    const { token } = await login(app, username, password);
    // The students module adds the profile through a registration hook; until it is merged, add it here.
    let [profile] = await app.deps.db.select().from(students).where(eq(students.userId, reg.data.data.id));
    if (!profile) {
      [profile] = await app.deps.db
        .insert(students)
        .values({
          organizationId: orgId,
          userId: reg.data.data.id,
          studentNumber: uniq('S'),
          firstName: 'Sam',
          lastName: 'Student',
          email: `${username}@example.test`,
        })
        .returning();
    }
    return { token, profile };
  }

  it('register, log in, enroll, pay, check status; admin sees dues, contacts, records, reports', async () => {
    const org = await makeRootOrg(app, 'university', `Uni ${uniq()}`);
    await app.deps.db
      .update(organizations)
      .set({ allowSelfRegistration: true })
      .where(eq(organizations.id, org.id));
    const admin = await makeUser(app, org, 'admin');
    const course = await makeCourse(app, org, { feeMinor: 150000, code: uniq('CS'), name: 'Intro to CS' });
    const cls = await makeClass(app, org, { courseId: course.id });

    // 1-2. Register a student and log in.
    const { token, profile } = await registerStudent(org.id);
    // 3. Enroll: dues rise by the course fee in the enrollment transaction.
    await enrollWithHooks(app, profile.id, cls);
    let me = await call(app, 'GET', '/api/v1/students/me/fees', { token });
    expectStatus(me, 200);
    assert.equal(me.data.meta.summary.balance, '1500.00');
    assert.equal(me.data.meta.summary.dues_status, 'unpaid');
    // 4. Pay part of it.
    const pay = await call(app, 'POST', '/api/v1/students/me/payments', {
      token,
      headers: { 'idempotency-key': key() },
      body: { amount: '500.00', method: 'card' },
    });
    expectStatus(pay, 201);
    // 5. Check status.
    me = await call(app, 'GET', '/api/v1/students/me/fees', { token });
    assert.equal(me.data.meta.summary.balance, '1000.00');
    assert.equal(me.data.meta.summary.dues_status, 'partial');
    const payments = await call(app, 'GET', '/api/v1/fee-payments', { token });
    assert.equal(payments.data.data.length, 1);
    // 6. The admin sees the dues.
    const dues = await call(app, 'GET', '/api/v1/finance/dues', { token: admin.token });
    expectStatus(dues, 200);
    assert.deepEqual(
      dues.data.data.map((r: any) => [r.student_id, r.balance]),
      [[profile.id, '1000.00']],
    );
    const unpaid = await call(app, 'GET', '/api/v1/finance/unpaid-report', { token: admin.token });
    assert.equal(unpaid.data.meta.totals[0].balance, '1000.00');
    // 7. Logs a contact action (audited, the student is notified).
    const contact = await call(app, 'PUT', `/api/v1/finance/action/contact/${profile.id}`, {
      token: admin.token,
      body: { channel: 'email', note: 'Reminder sent' },
    });
    expectStatus(contact, 200);
    // 8. Records an external payment for the rest.
    const ext = await call(app, 'POST', '/api/v1/finance/record-payment', {
      token: admin.token,
      headers: { 'idempotency-key': key() },
      body: { student_id: profile.id, amount: '1000.00', method: 'bank_transfer', reference: 'WIRE-1' },
    });
    expectStatus(ext, 201);
    // 9. Pulls the status report: paid in full → pass.
    const status = await call(app, 'GET', '/api/v1/finance/reports/status', { token: admin.token });
    expectStatus(status, 200);
    const row = status.data.data.find((r: any) => r.student_id === profile.id);
    assert.equal(row.status, 'paid');
    assert.equal(row.result, 'pass');
    assert.equal(status.data.meta.totals[0].total_paid, '1500.00');
    // Notifications for every event, and the action log.
    const notes = await call(app, 'GET', '/api/v1/notifications', { token, query: { page_size: 100 } });
    const kinds = notes.data.data.map((n: any) => n.kind);
    for (const k of ['enrollment_charged', 'payment_received', 'contact_request'])
      assert.ok(kinds.includes(k), k);
    const desk = await call(app, 'GET', '/api/v1/notifications/unread', { token: admin.token });
    assert.ok(desk.data.data.unread >= 3);
    const log = await call(app, 'GET', '/api/v1/audit-logs', {
      token: admin.token,
      query: { action: 'contact' },
    });
    assert.equal(log.data.data.length, 1);
  });

  it('enrolls through POST /api/v1/enrollments and charges the fee (runs once the endpoint is merged)', async (t) => {
    const org = await makeRootOrg(app, 'school');
    const admin = await makeUser(app, org, 'admin');
    const course = await makeCourse(app, org, { feeMinor: 25000 });
    const cls = await makeClass(app, org, { courseId: course.id, allowSelfEnrollment: true });
    const s = await makeStudent(app, org, {}, { login: true });
    const res = await call(app, 'POST', '/api/v1/enrollments', {
      token: admin.token,
      body: { student_id: s.id, class_id: cls.id },
    });
    if (res.statusCode === 404 && /^Route /.test(res.data?.error?.message ?? '')) {
      t.skip('POST /api/v1/enrollments is not merged yet');
      return;
    }
    expectStatus(res, 201);
    const me = await call(app, 'GET', '/api/v1/students/me/fees', { token: s.token });
    assert.equal(me.data.meta.summary.balance, '250.00');
  });
});
