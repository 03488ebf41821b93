import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enrollDirect, makeFaculty } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';
import { makeUser } from './helpers/factories.js';

const A = '/api/v1/attendance';
const api = (p: string) => `/api/v1${p}`;

/** Seed 004: GET /students/{id}/attendance and /students/me/attendance (records with per-class summary). */
describe('students: attendance of one student', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 2);
    // Student 0 is in both classes: cls (teacher) and otherCls (otherTeacher).
    await enrollDirect(app, w.students[0].id, w.otherCls);
    const mark = async (token: string, classId: string, date: string, records: unknown[]) => {
      const res = await call(app, 'POST', `${A}/bulk`, { token, body: { class_id: classId, date, records } });
      assert.ok(res.statusCode === 200 || res.statusCode === 201, res.body);
    };
    const [s0, s1] = w.students.map((s) => s.id);
    await mark(w.teacher.token, w.cls.id, '2026-09-07', [
      { student_id: s0, status: 'present' },
      { student_id: s1, status: 'present' },
    ]);
    await mark(w.teacher.token, w.cls.id, '2026-09-08', [
      { student_id: s0, status: 'absent' },
      { student_id: s1, status: 'present' },
    ]);
    await mark(w.otherTeacher.token, w.otherCls.id, '2026-09-09', [
      { student_id: s0, status: 'late', minutes_late: 5 },
      { student_id: w.outsider.id, status: 'present' },
    ]);
  });
  after(() => app.close());

  const byClass = (d: any) => Object.fromEntries(d.summary.map((c: any) => [c.class_id, c]));

  it('a manager sees every class: per-class tallies and the newest records first', async () => {
    const res = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.admin.token,
    });
    expectStatus(res, 200);
    const d = res.data.data;
    assert.equal(d.student_id, w.students[0].id);
    assert.equal(d.records_total, 3);
    assert.deepEqual(
      d.records.map((r: any) => [r.attendance_date, r.status]),
      [
        ['2026-09-09', 'late'],
        ['2026-09-08', 'absent'],
        ['2026-09-07', 'present'],
      ],
    );
    const s = byClass(d);
    assert.deepEqual(
      { present: s[w.cls.id].present, absent: s[w.cls.id].absent, pct: s[w.cls.id].percentage },
      { present: 1, absent: 1, pct: 50 },
    );
    assert.equal(s[w.cls.id].class_name, 'CS-101 Section A');
    assert.deepEqual([s[w.otherCls.id].late, s[w.otherCls.id].percentage], [1, 100]);

    // Filters narrow the records, not the term tallies; limit keeps the newest.
    const ranged = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.admin.token,
      query: { from: '2026-09-08', to: '2026-09-08' },
    });
    assert.equal(ranged.data.data.records_total, 1);
    assert.equal(ranged.data.data.summary.length, 2);
    const limited = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.admin.token,
      query: { limit: 1, class_id: w.cls.id },
    });
    assert.equal(limited.data.data.records.length, 1);
    assert.equal(limited.data.data.records_total, 2);
    assert.deepEqual(
      limited.data.data.summary.map((c: any) => c.class_id),
      [w.cls.id],
    );
  });

  it('a teacher sees only the classes they teach; the student and the parent see everything of theirs', async () => {
    const t = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.teacher.token,
    });
    expectStatus(t, 200);
    assert.deepEqual(
      t.data.data.summary.map((c: any) => c.class_id),
      [w.cls.id],
    );
    assert.equal(t.data.data.records_total, 2);
    const o = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.otherTeacher.token,
    });
    assert.equal(o.data.data.records_total, 1);

    const me = await call(app, 'GET', api('/students/me/attendance'), { token: w.students[0].token });
    expectStatus(me, 200);
    assert.equal(me.data.data.length, 1);
    assert.equal(me.data.data[0].records_total, 3);
    assert.equal(me.data.data[0].summary.length, 2);
    const own = await call(app, 'GET', api(`/students/${w.students[0].id}/attendance`), {
      token: w.students[0].token,
    });
    assert.equal(own.data.data.records_total, 3);

    const kids = await call(app, 'GET', api('/students/me/attendance'), { token: w.parent.token });
    expectStatus(kids, 200);
    assert.deepEqual(
      kids.data.data.map((k: any) => [k.student_id, k.records_total]),
      [[w.students[0].id, 3]],
    );
  });

  it('out of scope is 404; no role 403; no token 401; bad input 400', async () => {
    const s0 = w.students[0].id;
    const loner = await makeFaculty(app, w.org);
    for (const token of [w.parent.token, w.otherAdmin.token]) {
      expectError(await call(app, 'GET', api(`/students/${w.students[1].id}/attendance`), { token }), 404);
    }
    expectError(
      await call(app, 'GET', api(`/students/${s0}/attendance`), { token: w.otherAdmin.token }),
      404,
    );
    expectError(await call(app, 'GET', api(`/students/${s0}/attendance`), { token: loner.token }), 404);
    expectError(await call(app, 'GET', api(`/students/${s0}/attendance`), { token: w.outsider.token }), 404);
    expectError(await call(app, 'GET', api('/students/me/attendance'), { token: w.admin.token }), 404);
    const nobody = await makeUser(app, w.org, null);
    expectError(await call(app, 'GET', api(`/students/${s0}/attendance`), { token: nobody.token }), 403);
    expectError(await call(app, 'GET', api('/students/me/attendance')), 401);
    expectError(await call(app, 'GET', api('/students/nope/attendance'), { token: w.admin.token }), 400);
    for (const query of [{ limit: 0 }, { limit: 201 }, { from: '2026-13-01' }, { date: '2026-09-01' }]) {
      expectError(
        await call(app, 'GET', api(`/students/${s0}/attendance`), { token: w.admin.token, query }),
        400,
        'validation_failed',
      );
    }
  });
});
