import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { domainEvents } from '../src/kernel/events.js';
import { enrollments } from '../src/modules/enrollments/enrollments.table.js';
import type { EnrollmentEvent } from '../src/modules/enrollments/index.js';
import {
  assignTeacher,
  makeClass,
  makeCourse,
  makeFaculty,
  makeParent,
  makeStudent,
} from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld, type TestUser } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

describe('enrollments', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let nobody: TestUser;
  let off = () => {};
  const events: Array<{ kind: string; e: EnrollmentEvent }> = [];
  const onE = async (_tx: any, _c: any, e: EnrollmentEvent) => void events.push({ kind: 'enrolled', e });
  const onD = async (_tx: any, _c: any, e: EnrollmentEvent) => void events.push({ kind: 'dropped', e });
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
    nobody = await makeUser(app, w.org, null);
    off = domainEvents.subscribe({ 'enrollments.enrolled': onE, 'enrollments.dropped': onD });
  });
  after(async () => {
    off();
    await app.close();
  });

  const enroll = (token: string, student_id: string, class_id: string) =>
    call(app, 'POST', api('/enrollments'), { token, body: { student_id, class_id } });

  it('should enroll, run the hook in the transaction, and drop keeping history', async () => {
    const course = await makeCourse(app, w.org);
    const cls = await makeClass(app, w.org, { courseId: course.id });
    const s = await makeStudent(app, w.org);
    const res = await enroll(w.admin.token, s.id, cls.id);
    expectStatus(res, 201);
    assert.equal(res.data.data.status, 'enrolled');
    const ev = events.find((x) => x.e.enrollmentId === res.data.data.id);
    assert.equal(ev?.kind, 'enrolled');
    assert.equal(ev?.e.courseId, course.id);
    const drop = await call(app, 'DELETE', api(`/enrollments/${res.data.data.id}`), {
      token: w.admin.token,
      query: { reason: 'schedule' },
    });
    expectStatus(drop, 200);
    assert.equal(drop.data.data.status, 'dropped');
    assert.ok(drop.data.data.dropped_at);
    assert.equal(drop.data.data.drop_reason, 'schedule');
    assert.ok(events.some((x) => x.kind === 'dropped' && x.e.enrollmentId === res.data.data.id));
    expectError(
      await call(app, 'DELETE', api(`/enrollments/${res.data.data.id}`), { token: w.admin.token }),
      422,
      'not_enrolled',
    );
    // Re-enrolling creates a new row; the dropped one stays as history.
    expectStatus(await enroll(w.admin.token, s.id, cls.id), 201);
    const hist = await call(app, 'GET', api(`/students/${s.id}/enrollments`), { token: w.admin.token });
    assert.deepEqual(hist.data.data.map((e: any) => e.status).sort(), ['dropped', 'enrolled']);
    const one = await call(app, 'GET', api(`/enrollments/${res.data.data.id}`), { token: w.admin.token });
    assert.equal(one.data.data.status, 'dropped');
  });

  it('should roll the enrollment back when a hook throws', async () => {
    const cls = await makeClass(app, w.org);
    const s = await makeStudent(app, w.org);
    const boom = async () => {
      throw new Error('ledger down');
    };
    const offBoom = domainEvents.subscribe({ 'enrollments.enrolled': boom });
    try {
      expectError(await enroll(w.admin.token, s.id, cls.id), 500, 'internal_error');
    } finally {
      offBoom();
    }
    const rows = await app.deps.db.select().from(enrollments).where(eq(enrollments.studentId, s.id));
    assert.equal(rows.length, 0);
  });

  it('should refuse a duplicate active enrollment with 422 already_enrolled', async () => {
    const cls = await makeClass(app, w.org);
    const s = await makeStudent(app, w.org);
    expectStatus(await enroll(w.admin.token, s.id, cls.id), 201);
    expectError(await enroll(w.admin.token, s.id, cls.id), 422, 'already_enrolled');
  });

  it('should require passed prerequisites (completed and passed not false)', async () => {
    const pre = await makeCourse(app, w.org);
    const adv = await makeCourse(app, w.org);
    const t = w.admin.token;
    expectStatus(
      await call(app, 'POST', api(`/courses/${adv.id}/prerequisites`), {
        token: t,
        body: { prerequisite_course_id: pre.id },
      }),
      201,
    );
    const preCls = await makeClass(app, w.org, { courseId: pre.id });
    const advCls = await makeClass(app, w.org, { courseId: adv.id });
    const s = await makeStudent(app, w.org);
    const no = await enroll(t, s.id, advCls.id);
    expectError(no, 422, 'prerequisite_not_met');
    assert.equal(no.data.error.details[0].prerequisite_course_id, pre.id);
    const e = await enroll(t, s.id, preCls.id);
    // Enrolled (not completed) is not enough; completed but failed is not enough either.
    expectError(await enroll(t, s.id, advCls.id), 422, 'prerequisite_not_met');
    expectStatus(
      await call(app, 'PUT', api(`/enrollments/${e.data.data.id}`), {
        token: t,
        body: { status: 'completed', passed: false, final_grade: 'F' },
      }),
      200,
    );
    expectError(await enroll(t, s.id, advCls.id), 422, 'prerequisite_not_met');
    expectStatus(
      await call(app, 'PUT', api(`/enrollments/${e.data.data.id}`), {
        token: t,
        body: { passed: true, final_grade: 'C' },
      }),
      200,
    );
    expectStatus(await enroll(t, s.id, advCls.id), 201);
  });

  it('should enforce capacity with 422 class_full', async () => {
    const cls = await makeClass(app, w.org, { capacity: 1 });
    const [a, b] = await Promise.all([makeStudent(app, w.org), makeStudent(app, w.org)]);
    expectStatus(await enroll(w.admin.token, a.id, cls.id), 201);
    expectError(await enroll(w.admin.token, b.id, cls.id), 422, 'class_full');
  });

  it('should refuse students of another branch and inactive students', async () => {
    const campusA = await makeChildOrg(app, w.org as any, 'campus');
    const campusB = await makeChildOrg(app, w.org as any, 'campus');
    const cls = await makeClass(app, campusA);
    const s = await makeStudent(app, campusB);
    expectError(await enroll(w.admin.token, s.id, cls.id), 422, 'organization_mismatch');
    const gone = await makeStudent(app, campusA, { studentStatus: 'withdrawn' });
    expectError(await enroll(w.admin.token, gone.id, cls.id), 422, 'student_inactive');
    const off = await makeClass(app, w.org, { isActive: false });
    const s2 = await makeStudent(app, w.org);
    expectError(await enroll(w.admin.token, s2.id, off.id), 422, 'class_inactive');
  });

  it('should let a student enroll themself only where the class allows it', async () => {
    const open = await makeClass(app, w.org, { allowSelfEnrollment: true });
    const closed = await makeClass(app, w.org);
    const s = await makeStudent(app, w.org, {}, { login: true });
    const other = await makeStudent(app, w.org);
    const mine = await enroll(s.token, s.id, open.id);
    expectStatus(mine, 201);
    expectError(await enroll(s.token, s.id, closed.id), 422, 'self_enrollment_not_allowed');
    expectError(await enroll(s.token, other.id, open.id), 404);
    expectError(
      await call(app, 'POST', api('/students/enroll'), { token: s.token, body: { class_id: closed.id } }),
      422,
      'self_enrollment_not_allowed',
    );
    // The student may drop their own self-enrollment, not anyone else's.
    const otherE = await enroll(w.admin.token, other.id, open.id);
    expectError(
      await call(app, 'DELETE', api(`/enrollments/${otherE.data.data.id}`), { token: s.token }),
      404,
    );
    expectStatus(
      await call(app, 'DELETE', api(`/enrollments/${mine.data.data.id}`), { token: s.token }),
      200,
    );
    const again = await call(app, 'POST', api('/students/enroll'), {
      token: s.token,
      body: { class_id: open.id },
    });
    expectStatus(again, 201);
    assert.equal(again.data.data.student_id, s.id);
    const me = await call(app, 'GET', api('/students/me/enrollments'), { token: s.token });
    expectStatus(me, 200);
    assert.equal(me.data.meta.total, 2);
    // A class in another tenant is simply not found.
    const foreign = await makeClass(app, w.otherOrg, { allowSelfEnrollment: true });
    expectError(
      await call(app, 'POST', api('/students/enroll'), { token: s.token, body: { class_id: foreign.id } }),
      404,
    );
  });

  it('POST /enrollments and /students/enroll: 400, 401, 403, 404', async () => {
    const cls = await makeClass(app, w.org);
    const s = await makeStudent(app, w.org);
    const f = await makeFaculty(app, w.org);
    const bad = await call(app, 'POST', api('/enrollments'), {
      token: w.admin.token,
      body: { student_id: 'x', extra: true },
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('class_id') && fields.includes('extra') && fields.includes('student_id'));
    expectError(
      await call(app, 'POST', api('/enrollments'), { body: { student_id: s.id, class_id: cls.id } }),
      401,
    );
    expectError(await enroll(f.token, s.id, cls.id), 403, 'forbidden');
    expectError(await enroll(w.otherAdmin.token, s.id, cls.id), 404);
    const otherStudent = await makeStudent(app, w.otherOrg);
    expectError(await enroll(w.admin.token, otherStudent.id, cls.id), 404);
    expectError(
      await call(app, 'POST', api('/students/enroll'), { token: w.admin.token, body: { class_id: cls.id } }),
      403,
    );
    expectError(await call(app, 'POST', api('/students/enroll'), { body: { class_id: cls.id } }), 401);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(await call(app, 'POST', api('/students/enroll'), { token: st.token, body: {} }), 400);
  });

  it('should update status and grades; a dropped enrollment cannot be reopened', async () => {
    const cls = await makeClass(app, w.org);
    const s = await makeStudent(app, w.org, {}, { login: true });
    const e = await enroll(w.admin.token, s.id, cls.id);
    const id = e.data.data.id;
    const d = await call(app, 'PUT', api(`/enrollments/${id}`), {
      token: w.admin.token,
      body: { status: 'dropped', drop_reason: 'moved' },
    });
    expectStatus(d, 200);
    assert.equal(d.data.data.status, 'dropped');
    assert.ok(d.data.data.dropped_at);
    expectError(
      await call(app, 'PUT', api(`/enrollments/${id}`), {
        token: w.admin.token,
        body: { status: 'enrolled' },
      }),
      422,
      'invalid_status_transition',
    );
    expectError(
      await call(app, 'PUT', api(`/enrollments/${id}`), { token: w.admin.token, body: { status: 'gone' } }),
      400,
    );
    expectError(await call(app, 'PUT', api(`/enrollments/${id}`), { token: w.admin.token, body: {} }), 400);
    expectError(await call(app, 'PUT', api(`/enrollments/${id}`), { body: { passed: true } }), 401);
    expectError(
      await call(app, 'PUT', api(`/enrollments/${id}`), { token: s.token, body: { passed: true } }),
      403,
    );
    expectError(
      await call(app, 'PUT', api(`/enrollments/${id}`), {
        token: w.otherAdmin.token,
        body: { passed: true },
      }),
      404,
    );
    expectError(await call(app, 'DELETE', api(`/enrollments/${id}`), { token: w.otherAdmin.token }), 404);
    expectError(await call(app, 'DELETE', api(`/enrollments/${id}`)), 401);
    expectError(await call(app, 'DELETE', api(`/enrollments/${id}`), { token: nobody.token }), 403);
    expectError(await call(app, 'DELETE', api('/enrollments/nope'), { token: w.admin.token }), 400);
  });

  it('should list and read enrollments within each role’s scope', async () => {
    const cls = await makeClass(app, w.org);
    const f = await makeFaculty(app, w.org);
    await assignTeacher(app, f.id, cls.id);
    const f2 = await makeFaculty(app, w.org);
    const [a, b] = await Promise.all([
      makeStudent(app, w.org, {}, { login: true }),
      makeStudent(app, w.org, {}, { login: true }),
    ]);
    const parent = await makeParent(app, w.org, [a.id]);
    const ea = await enroll(w.admin.token, a.id, cls.id);
    const eb = await enroll(w.admin.token, b.id, cls.id);
    const ids = async (token: string, query: Record<string, string> = {}) =>
      (
        await call(app, 'GET', api('/enrollments'), { token, query: { class_id: cls.id, ...query } })
      ).data.data
        .map((e: any) => e.id)
        .sort();
    assert.deepEqual(await ids(w.admin.token), [ea.data.data.id, eb.data.data.id].sort());
    assert.deepEqual(await ids(f.token), [ea.data.data.id, eb.data.data.id].sort());
    assert.deepEqual(await ids(f2.token), []);
    assert.deepEqual(await ids(a.token), [ea.data.data.id]);
    assert.deepEqual(await ids(parent.token), [ea.data.data.id]);
    assert.deepEqual(await ids(w.otherAdmin.token), []);
    assert.deepEqual(await ids(w.admin.token, { status: 'dropped' }), []);
    expectStatus(
      await call(app, 'GET', api(`/enrollments/${ea.data.data.id}`), { token: parent.token }),
      200,
    );
    expectError(await call(app, 'GET', api(`/enrollments/${eb.data.data.id}`), { token: a.token }), 404);
    expectError(
      await call(app, 'GET', api(`/enrollments/${eb.data.data.id}`), { token: w.otherAdmin.token }),
      404,
    );
    expectError(await call(app, 'GET', api(`/enrollments/${eb.data.data.id}`)), 401);
    expectError(await call(app, 'GET', api(`/enrollments/${eb.data.data.id}`), { token: nobody.token }), 403);
    expectError(
      await call(app, 'GET', api('/enrollments'), { token: w.admin.token, query: { status: 'x' } }),
      400,
    );
    expectError(await call(app, 'GET', api('/enrollments')), 401);
    expectError(await call(app, 'GET', api('/enrollments'), { token: nobody.token }), 403);
    // Per-student lists.
    const pa = await call(app, 'GET', api(`/students/${a.id}/enrollments`), { token: parent.token });
    assert.equal(pa.data.meta.total, 1);
    // The rows name their class (and course, none here); a class with a course names it too.
    assert.equal(pa.data.data[0].class_name, cls.name);
    assert.equal(pa.data.data[0].course_name, null);
    const course = await makeCourse(app, w.org, { name: 'Named Course' });
    const withCourse = await makeClass(app, w.org, {
      name: 'Named Class',
      section: 'B',
      courseId: course.id,
    });
    await enroll(w.admin.token, a.id, withCourse.id);
    const mine = await call(app, 'GET', api('/students/me/enrollments'), { token: a.token });
    const row = mine.data.data.find((e: any) => e.class_id === withCourse.id);
    assert.deepEqual(
      [row.class_name, row.class_section, row.course_id, row.course_code, row.course_name],
      ['Named Class', 'B', course.id, course.code, 'Named Course'],
    );
    expectError(await call(app, 'GET', api(`/students/${b.id}/enrollments`), { token: a.token }), 404);
    expectError(
      await call(app, 'GET', api(`/students/${b.id}/enrollments`), { token: w.otherAdmin.token }),
      404,
    );
    expectError(await call(app, 'GET', api(`/students/${b.id}/enrollments`)), 401);
    expectError(await call(app, 'GET', api(`/students/${b.id}/enrollments`), { token: nobody.token }), 403);
    expectError(await call(app, 'GET', api('/students/x/enrollments'), { token: w.admin.token }), 400);
    expectError(await call(app, 'GET', api('/students/me/enrollments'), { token: w.admin.token }), 403);
    expectError(await call(app, 'GET', api('/students/me/enrollments')), 401);
    expectError(
      await call(app, 'GET', api('/students/me/enrollments'), { token: a.token, query: { status: 'x' } }),
      400,
    );
  });

  it('should bulk-enroll all or nothing, within the batch limit', async () => {
    const [c1, c2] = await Promise.all([makeClass(app, w.org, { capacity: 2 }), makeClass(app, w.org)]);
    const ss = await Promise.all([1, 2, 3].map(() => makeStudent(app, w.org)));
    const ok = await call(app, 'POST', api('/enrollments/bulk'), {
      token: w.admin.token,
      body: {
        enrollments: [
          { student_id: ss[0].id, class_id: c1.id },
          { student_id: ss[0].id, class_id: c2.id },
          { student_id: ss[1].id, class_id: c2.id },
        ],
      },
    });
    expectStatus(ok, 201);
    assert.equal(ok.data.data.length, 3);
    // One pair over capacity fails the whole batch.
    const full = await call(app, 'POST', api('/enrollments/bulk'), {
      token: w.admin.token,
      body: {
        enrollments: [
          { student_id: ss[1].id, class_id: c1.id },
          { student_id: ss[2].id, class_id: c1.id },
          { student_id: ss[2].id, class_id: c2.id },
        ],
      },
    });
    expectError(full, 422, 'class_full');
    const c2list = await call(app, 'GET', api('/enrollments'), {
      token: w.admin.token,
      query: { class_id: c2.id },
    });
    assert.equal(c2list.data.meta.total, 2);
    const dup = await call(app, 'POST', api('/enrollments/bulk'), {
      token: w.admin.token,
      body: {
        enrollments: [
          { student_id: ss[2].id, class_id: c2.id },
          { student_id: ss[2].id, class_id: c2.id },
        ],
      },
    });
    expectError(dup, 400);
    const tooMany = Array.from({ length: 501 }, () => ({ student_id: ss[0].id, class_id: c1.id }));
    expectError(
      await call(app, 'POST', api('/enrollments/bulk'), {
        token: w.admin.token,
        body: { enrollments: tooMany },
      }),
      400,
    );
    expectError(await call(app, 'POST', api('/enrollments/bulk'), { body: { enrollments: [] } }), 401);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(
      await call(app, 'POST', api('/enrollments/bulk'), {
        token: st.token,
        body: { enrollments: [{ student_id: st.id, class_id: c2.id }] },
      }),
      403,
    );
    expectError(
      await call(app, 'POST', api('/enrollments/bulk'), {
        token: w.otherAdmin.token,
        body: { enrollments: [{ student_id: ss[2].id, class_id: c2.id }] },
      }),
      404,
    );
  });

  it('should never exceed capacity under concurrent requests', async () => {
    const n = isPostgres() ? 50 : 12;
    const seats = isPostgres() ? 10 : 3;
    const cls = await makeClass(app, w.org, { capacity: seats });
    const ss = await Promise.all(Array.from({ length: n }, () => makeStudent(app, w.org)));
    const results = await Promise.all(ss.map((s) => enroll(w.admin.token, s.id, cls.id)));
    const created = results.filter((r) => r.statusCode === 201).length;
    const full = results.filter((r) => r.statusCode === 422 && r.data.error.code === 'class_full').length;
    assert.equal(created, seats, results.map((r) => r.statusCode).join(','));
    assert.equal(full, n - seats);
    const count = await call(app, 'GET', api(`/classes/${cls.id}`), { token: w.admin.token });
    assert.equal(count.data.data.enrolled_count, seats);
  });
});
