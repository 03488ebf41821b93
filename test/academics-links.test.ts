import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeCourse, makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld, type TestUser } from './helpers/factories.js';

describe('academic structure: sub-resources and rules', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let student: TestUser;
  let nobody: TestUser;
  const api = (p: string) => `/api/v1${p}`;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
    student = await makeUser(app, w.org, 'student');
    nobody = await makeUser(app, w.org, null);
  });
  after(() => app.close());

  it('should add and list prerequisites, and reject cycles with 422 prerequisite_cycle', async () => {
    const [a, b, c] = await Promise.all([
      makeCourse(app, w.org),
      makeCourse(app, w.org),
      makeCourse(app, w.org),
    ]);
    const t = w.admin.token;
    const ab = await call(app, 'POST', api(`/courses/${b.id}/prerequisites`), {
      token: t,
      body: { prerequisite_course_id: a.id },
    });
    expectStatus(ab, 201);
    assert.equal(ab.data.data.prerequisite_course_id, a.id);
    expectStatus(
      await call(app, 'POST', api(`/courses/${c.id}/prerequisites`), {
        token: t,
        body: { prerequisite_course_id: b.id },
      }),
      201,
    );
    const list = await call(app, 'GET', api(`/courses/${c.id}/prerequisites`), { token: student.token });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((x: any) => x.id),
      [b.id],
    );
    // a requires c (which requires b, which requires a): a loop.
    expectError(
      await call(app, 'POST', api(`/courses/${a.id}/prerequisites`), {
        token: t,
        body: { prerequisite_course_id: c.id },
      }),
      422,
      'prerequisite_cycle',
    );
    expectError(
      await call(app, 'POST', api(`/courses/${a.id}/prerequisites`), {
        token: t,
        body: { prerequisite_course_id: a.id },
      }),
      422,
      'prerequisite_cycle',
    );
    expectError(
      await call(app, 'POST', api(`/courses/${b.id}/prerequisites`), {
        token: t,
        body: { prerequisite_course_id: a.id },
      }),
      409,
    );
    expectStatus(await call(app, 'DELETE', api(`/courses/${c.id}/prerequisites/${b.id}`), { token: t }), 204);
    expectError(await call(app, 'DELETE', api(`/courses/${c.id}/prerequisites/${b.id}`), { token: t }), 404);
    // The body form of DELETE (seed 004 clients) removes a named prerequisite too.
    const del = api(`/courses/${b.id}/prerequisites`);
    expectError(await call(app, 'DELETE', del, { token: t, body: { prerequisite_course_id: 'x' } }), 400);
    expectError(await call(app, 'DELETE', del, { body: { prerequisite_course_id: a.id } }), 401);
    expectError(
      await call(app, 'DELETE', del, { token: student.token, body: { prerequisite_course_id: a.id } }),
      403,
    );
    expectError(
      await call(app, 'DELETE', del, { token: w.otherAdmin.token, body: { prerequisite_course_id: a.id } }),
      404,
    );
    expectStatus(await call(app, 'DELETE', del, { token: t, body: { prerequisite_course_id: a.id } }), 204);
  });

  it('prerequisites: 400, 401, 403 and 404 outside the scope', async () => {
    const [a, b] = await Promise.all([makeCourse(app, w.org), makeCourse(app, w.org)]);
    const other = await makeCourse(app, w.otherOrg);
    const url = api(`/courses/${b.id}/prerequisites`);
    expectError(
      await call(app, 'POST', url, { token: w.admin.token, body: { prerequisite_course_id: 'x' } }),
      400,
      'validation_failed',
    );
    expectError(await call(app, 'POST', url, { body: { prerequisite_course_id: a.id } }), 401);
    expectError(await call(app, 'GET', url), 401);
    expectError(
      await call(app, 'POST', url, { token: student.token, body: { prerequisite_course_id: a.id } }),
      403,
    );
    expectError(await call(app, 'GET', url, { token: nobody.token }), 403);
    expectError(
      await call(app, 'DELETE', api(`/courses/${b.id}/prerequisites/${a.id}`), { token: student.token }),
      403,
    );
    expectError(await call(app, 'GET', url, { token: w.otherAdmin.token }), 404);
    expectError(
      await call(app, 'POST', url, { token: w.otherAdmin.token, body: { prerequisite_course_id: a.id } }),
      404,
    );
    expectError(
      await call(app, 'DELETE', api(`/courses/${b.id}/prerequisites/${a.id}`), { token: w.otherAdmin.token }),
      404,
    );
    // A course of another tenant cannot become a prerequisite.
    expectError(
      await call(app, 'POST', url, { token: w.admin.token, body: { prerequisite_course_id: other.id } }),
      422,
      'invalid_reference',
    );
  });

  it('should attach, list and detach program courses by semester', async () => {
    const t = w.admin.token;
    const p = await call(app, 'POST', api('/programs'), {
      token: t,
      body: { code: uniq('P'), name: 'BSc', duration: 8 },
    });
    const pid = p.data.data.id;
    const [c1, c2] = await Promise.all([makeCourse(app, w.org, { feeMinor: 5000 }), makeCourse(app, w.org)]);
    const at = await call(app, 'POST', api(`/programs/${pid}/courses`), {
      token: t,
      body: { course_id: c1.id, semester: 2 },
    });
    expectStatus(at, 201);
    assert.equal(at.data.data.course.fee, '50.00');
    expectStatus(
      await call(app, 'POST', api(`/programs/${pid}/courses`), {
        token: t,
        body: { course_id: c2.id, semester: 1 },
      }),
      201,
    );
    expectError(
      await call(app, 'POST', api(`/programs/${pid}/courses`), { token: t, body: { course_id: c2.id } }),
      409,
    );
    const list = await call(app, 'GET', api(`/programs/${pid}/courses`), { token: student.token });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((x: any) => x.course_id),
      [c2.id, c1.id],
    );
    expectError(
      await call(app, 'POST', api(`/programs/${pid}/courses`), {
        token: t,
        body: { course_id: c1.id, semester: 0 },
      }),
      400,
    );
    expectError(await call(app, 'GET', api(`/programs/${pid}/courses`)), 401);
    expectError(
      await call(app, 'POST', api(`/programs/${pid}/courses`), {
        token: student.token,
        body: { course_id: c1.id },
      }),
      403,
    );
    expectError(await call(app, 'GET', api(`/programs/${pid}/courses`), { token: w.otherAdmin.token }), 404);
    expectError(
      await call(app, 'DELETE', api(`/programs/${pid}/courses/${c1.id}`), { token: w.otherAdmin.token }),
      404,
    );
    expectError(
      await call(app, 'DELETE', api(`/programs/${pid}/courses/${c1.id}`), { token: student.token }),
      403,
    );
    expectStatus(await call(app, 'DELETE', api(`/programs/${pid}/courses/${c1.id}`), { token: t }), 204);
    expectError(await call(app, 'DELETE', api(`/programs/${pid}/courses/${c1.id}`), { token: t }), 404);
  });

  it('should list a department’s faculty, students and courses', async () => {
    const t = w.admin.token;
    const d = await call(app, 'POST', api('/departments'), {
      token: t,
      body: { code: uniq('D'), name: 'Physics' },
    });
    const did = d.data.data.id;
    const f = await makeFaculty(app, w.org, { departmentId: did });
    const s = await makeStudent(app, w.org, { departmentId: did }, { login: true });
    const c = await makeCourse(app, w.org, { departmentId: did });
    const fac = await call(app, 'GET', api(`/departments/${did}/faculty`), { token: t });
    expectStatus(fac, 200);
    assert.deepEqual(
      fac.data.data.map((x: any) => x.id),
      [f.id],
    );
    const st = await call(app, 'GET', api(`/departments/${did}/students`), { token: t });
    assert.deepEqual(
      st.data.data.map((x: any) => x.id),
      [s.id],
    );
    // Another student of the department sees only themself.
    const st2 = await call(app, 'GET', api(`/departments/${did}/students`), { token: student.token });
    assert.equal(st2.data.meta.total, 0);
    const own = await call(app, 'GET', api(`/departments/${did}/students`), { token: s.token });
    assert.equal(own.data.meta.total, 1);
    const cs = await call(app, 'GET', api(`/departments/${did}/courses`), { token: f.token });
    assert.deepEqual(
      cs.data.data.map((x: any) => x.id),
      [c.id],
    );
    for (const sub of ['faculty', 'students', 'courses']) {
      const url = api(`/departments/${did}/${sub}`);
      expectError(await call(app, 'GET', url), 401);
      expectError(await call(app, 'GET', url, { token: nobody.token }), 403);
      expectError(await call(app, 'GET', url, { token: t, query: { page_size: 0 } }), 400);
      expectError(await call(app, 'GET', url, { token: w.otherAdmin.token }), 404);
    }
  });

  it('should keep child sessions within their parent', async () => {
    const t = w.admin.token;
    const y = await call(app, 'POST', api('/academic-sessions'), {
      token: t,
      body: { type: 'school_year', name: '2026/27', start_date: '2026-09-01', end_date: '2027-06-30' },
    });
    const yid = y.data.data.id;
    const term = await call(app, 'POST', api('/academic-sessions'), {
      token: t,
      body: { type: 'term', name: 'Fall', parent_id: yid, start_date: '2026-09-01', end_date: '2026-12-20' },
    });
    expectStatus(term, 201);
    expectError(
      await call(app, 'POST', api('/academic-sessions'), {
        token: t,
        body: {
          type: 'term',
          name: 'Summer',
          parent_id: yid,
          start_date: '2027-06-01',
          end_date: '2027-08-01',
        },
      }),
      422,
      'session_outside_parent',
    );
    expectError(
      await call(app, 'POST', api('/academic-sessions'), {
        token: t,
        body: {
          type: 'term',
          name: 'Nested',
          parent_id: term.data.data.id,
          start_date: '2026-09-01',
          end_date: '2026-10-01',
        },
      }),
      422,
      'invalid_parent',
    );
    expectError(
      await call(app, 'POST', api('/academic-sessions'), {
        token: t,
        body: { type: 'term', name: 'Backwards', start_date: '2026-09-10', end_date: '2026-09-01' },
      }),
      400,
    );
    // Shrinking the year so the term falls outside it is refused.
    expectError(
      await call(app, 'PATCH', api(`/academic-sessions/${yid}`), {
        token: t,
        body: { start_date: '2026-10-01' },
      }),
      422,
      'session_children_outside',
    );
    const cur = await call(app, 'GET', api('/academic-sessions'), {
      token: student.token,
      query: { on_date: '2026-11-01', type: 'term' },
    });
    assert.ok(cur.data.data.some((s: any) => s.id === term.data.data.id));
    expectError(
      await call(app, 'DELETE', api(`/academic-sessions/${yid}`), { token: t }),
      409,
      'still_referenced',
    );
  });

  it('should reject references to another tenant’s records with 422 invalid_reference', async () => {
    const d = await call(app, 'POST', api('/departments'), {
      token: w.otherAdmin.token,
      body: { code: uniq('D'), name: 'Theirs' },
    });
    expectError(
      await call(app, 'POST', api('/programs'), {
        token: w.admin.token,
        body: { code: uniq('P'), name: 'X', department_id: d.data.data.id },
      }),
      422,
      'invalid_reference',
    );
    const c = await makeCourse(app, w.otherOrg);
    expectError(
      await call(app, 'POST', api('/classes'), {
        token: w.admin.token,
        body: { name: 'X', course_id: c.id },
      }),
      422,
      'invalid_reference',
    );
  });

  it('should let a principal manage one school and see the district catalog, not a sibling school', async () => {
    const district = await makeChildOrg(app, w.org as any, 'office');
    const schoolA = await makeChildOrg(app, district, 'school');
    const schoolB = await makeChildOrg(app, district, 'school');
    const principal = await makeUser(app, schoolA, 'principal');
    const subj = await call(app, 'POST', api('/subjects'), {
      token: w.admin.token,
      body: { organization_id: district.id, code: uniq('M'), name: 'Maths' },
    });
    // The district's subject is visible and usable in school A.
    expectStatus(
      await call(app, 'GET', api(`/subjects/${subj.data.data.id}`), { token: principal.token }),
      200,
    );
    const cls = await call(app, 'POST', api('/classes'), {
      token: principal.token,
      body: { name: '9A', subject_id: subj.data.data.id },
    });
    expectStatus(cls, 201);
    assert.equal(cls.data.data.organization_id, schoolA.id);
    // …but not changeable by the principal, and school B is out of reach.
    expectError(
      await call(app, 'PATCH', api(`/subjects/${subj.data.data.id}`), {
        token: principal.token,
        body: { name: 'M' },
      }),
      404,
    );
    const clsB = await call(app, 'POST', api('/classes'), {
      token: w.admin.token,
      body: { organization_id: schoolB.id, name: '9B' },
    });
    expectError(
      await call(app, 'GET', api(`/classes/${clsB.data.data.id}`), { token: principal.token }),
      404,
    );
    expectError(
      await call(app, 'POST', api('/classes'), {
        token: principal.token,
        body: { organization_id: schoolB.id, name: 'X' },
      }),
      404,
    );
  });
});
