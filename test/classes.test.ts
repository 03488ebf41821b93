import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeFaculty,
  makeParent,
  makeStudent,
  makeSubject,
} from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld, type TestUser } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

describe('classes: teaching assignments, teachers, visibility', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let nobody: TestUser;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
    nobody = await makeUser(app, w.org, null);
  });
  after(() => app.close());

  it('should assign a teacher, list assignments and teachers, and remove it', async () => {
    const cls = await makeClass(app, w.org);
    const f = await makeFaculty(app, w.org);
    const subj = await makeSubject(app, w.org);
    const t = w.admin.token;
    const a = await call(app, 'POST', api('/teaching-assignments'), {
      token: t,
      body: { faculty_id: f.id, class_id: cls.id, subject_id: subj.id },
    });
    expectStatus(a, 201);
    assert.equal(a.data.data.subject_id, subj.id);
    const dup = await call(app, 'POST', api('/teaching-assignments'), {
      token: t,
      body: { faculty_id: f.id, class_id: cls.id, subject_id: subj.id },
    });
    expectError(dup, 409, 'conflict');
    assert.equal(dup.data.error.message, 'This faculty member already teaches this subject in this class');
    const mine = await call(app, 'GET', api('/teaching-assignments'), { token: f.token });
    assert.deepEqual(
      mine.data.data.map((x: any) => x.id),
      [a.data.data.id],
    );
    const teachers = await call(app, 'GET', api(`/classes/${cls.id}/teachers`), { token: f.token });
    expectStatus(teachers, 200);
    assert.equal(teachers.data.data[0].faculty_id, f.id);
    const fc = await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: f.token });
    assert.deepEqual(
      fc.data.data.map((c: any) => c.id),
      [cls.id],
    );
    const fcAdmin = await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: t });
    assert.equal(fcAdmin.data.meta.total, 1);
    expectStatus(
      await call(app, 'DELETE', api(`/teaching-assignments/${a.data.data.id}`), { token: t }),
      204,
    );
    const after = await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: f.token });
    assert.equal(after.data.meta.total, 0);
  });

  it('a teacher may teach several subjects in one class; teaches() still sees the class once', async () => {
    const cls = await makeClass(app, w.org);
    const f = await makeFaculty(app, w.org);
    const [math, art] = [await makeSubject(app, w.org), await makeSubject(app, w.org)];
    const t = w.admin.token;
    for (const subject_id of [math.id, art.id, undefined]) {
      expectStatus(
        await call(app, 'POST', api('/teaching-assignments'), {
          token: t,
          body: { faculty_id: f.id, class_id: cls.id, subject_id },
        }),
        201,
      );
    }
    // At most one assignment without a subject.
    const bare = await call(app, 'POST', api('/teaching-assignments'), {
      token: t,
      body: { faculty_id: f.id, class_id: cls.id },
    });
    expectError(bare, 409, 'conflict');
    assert.doesNotMatch(bare.data.error.message, /_uq|teaching_assignments/);
    const list = await call(app, 'GET', api('/teaching-assignments'), {
      token: t,
      query: { class_id: cls.id },
    });
    assert.equal(list.data.meta.total, 3);
    expectStatus(await call(app, 'GET', api(`/classes/${cls.id}`), { token: f.token }), 200);
    const fc = await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: f.token });
    assert.deepEqual(
      fc.data.data.map((c: any) => c.id),
      [cls.id],
    );
  });

  it('teaching assignments: 400, 401, 403, 404', async () => {
    const cls = await makeClass(app, w.org);
    const f = await makeFaculty(app, w.org);
    const otherF = await makeFaculty(app, w.otherOrg);
    const t = w.admin.token;
    const bad = await call(app, 'POST', api('/teaching-assignments'), {
      token: t,
      body: { faculty_id: 'x', extra: 1 },
    });
    expectError(bad, 400, 'validation_failed');
    assert.ok(bad.data.error.details.some((d: any) => d.field === 'class_id'));
    expectError(
      await call(app, 'GET', api('/teaching-assignments'), { token: t, query: { class_id: 'x' } }),
      400,
    );
    expectError(
      await call(app, 'POST', api('/teaching-assignments'), { body: { faculty_id: f.id, class_id: cls.id } }),
      401,
    );
    expectError(await call(app, 'GET', api('/teaching-assignments')), 401);
    expectError(
      await call(app, 'POST', api('/teaching-assignments'), {
        token: f.token,
        body: { faculty_id: f.id, class_id: cls.id },
      }),
      403,
    );
    expectError(await call(app, 'GET', api('/teaching-assignments'), { token: nobody.token }), 403);
    expectError(
      await call(app, 'POST', api('/teaching-assignments'), {
        token: w.otherAdmin.token,
        body: { faculty_id: otherF.id, class_id: cls.id },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', api('/teaching-assignments'), {
        token: t,
        body: { faculty_id: otherF.id, class_id: cls.id },
      }),
      422,
      'invalid_reference',
    );
    const a = await call(app, 'POST', api('/teaching-assignments'), {
      token: t,
      body: { faculty_id: f.id, class_id: cls.id },
    });
    expectError(
      await call(app, 'DELETE', api(`/teaching-assignments/${a.data.data.id}`), {
        token: w.otherAdmin.token,
      }),
      404,
    );
    expectError(
      await call(app, 'DELETE', api(`/teaching-assignments/${a.data.data.id}`), { token: f.token }),
      403,
    );
    const theirs = await call(app, 'GET', api('/teaching-assignments'), {
      token: w.otherAdmin.token,
      query: { class_id: cls.id },
    });
    assert.equal(theirs.data.meta.total, 0);
  });

  it('class teachers and faculty classes: 400, 401, 403, 404', async () => {
    const cls = await makeClass(app, w.org);
    const f = await makeFaculty(app, w.org);
    const f2 = await makeFaculty(app, w.org);
    await assignTeacher(app, f.id, cls.id);
    expectError(await call(app, 'GET', api(`/classes/${cls.id}/teachers`)), 401);
    expectError(await call(app, 'GET', api(`/classes/${cls.id}/teachers`), { token: nobody.token }), 403);
    expectError(
      await call(app, 'GET', api(`/classes/${cls.id}/teachers`), {
        token: w.admin.token,
        query: { page: 0 },
      }),
      400,
    );
    expectError(await call(app, 'GET', api(`/classes/${cls.id}/teachers`), { token: f2.token }), 404);
    expectError(
      await call(app, 'GET', api(`/classes/${cls.id}/teachers`), { token: w.otherAdmin.token }),
      404,
    );
    expectError(await call(app, 'GET', api(`/faculty/${f.id}/classes`)), 401);
    expectError(await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: nobody.token }), 403);
    expectError(await call(app, 'GET', api('/faculty/nope/classes'), { token: w.admin.token }), 400);
    expectError(await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: f2.token }), 404);
    expectError(await call(app, 'GET', api(`/faculty/${f.id}/classes`), { token: w.otherAdmin.token }), 404);
  });

  it('should show faculty only the classes they teach, students and parents only their classes', async () => {
    const [c1, c2] = await Promise.all([makeClass(app, w.org), makeClass(app, w.org)]);
    const f = await makeFaculty(app, w.org);
    await assignTeacher(app, f.id, c1.id);
    const s = await makeStudent(app, w.org, {}, { login: true });
    await enrollDirect(app, s.id, c2);
    const parent = await makeParent(app, w.org, [s.id]);
    const ids = async (token: string) =>
      (await call(app, 'GET', api('/classes'), { token, query: { page_size: 100 } })).data.data.map(
        (c: any) => c.id,
      );
    assert.deepEqual(await ids(f.token), [c1.id]);
    assert.deepEqual(await ids(s.token), [c2.id]);
    assert.deepEqual(await ids(parent.token), [c2.id]);
    const one = await call(app, 'GET', api(`/classes/${c2.id}`), { token: s.token });
    expectStatus(one, 200);
    assert.equal(one.data.data.enrolled_count, 1);
    expectError(await call(app, 'GET', api(`/classes/${c1.id}`), { token: s.token }), 404);
    // A teacher of the class who does not own it: outside the edit scope, 404.
    expectError(
      await call(app, 'PATCH', api(`/classes/${c1.id}`), { token: f.token, body: { room: 'X' } }),
      404,
    );
    expectError(
      await call(app, 'PATCH', api(`/classes/${c1.id}`), { token: s.token, body: { room: 'X' } }),
      403,
    );
    // Capacity cannot drop below the active enrollments.
    expectError(
      await call(app, 'PATCH', api(`/classes/${c2.id}`), { token: w.admin.token, body: { capacity: 0 } }),
      422,
      'capacity_below_enrollment',
    );
  });

  it('should let a teacher create their own class and replace its roster in one call (seed 001)', async () => {
    const f = await makeFaculty(app, w.org);
    const created = await call(app, 'POST', api('/classes'), {
      token: f.token,
      body: { name: 'Biology 101', room: 'Lab 2' },
    });
    expectStatus(created, 201);
    const id = created.data.data.id;
    const teachers = await call(app, 'GET', api(`/classes/${id}/teachers`), { token: f.token });
    assert.equal(teachers.data.data[0].faculty_id, f.id);
    assert.equal(teachers.data.data[0].role, 'owner');
    const [a, b] = await Promise.all([makeStudent(app, w.org), makeStudent(app, w.org)]);
    const roster = await call(app, 'PUT', api(`/classes/${id}/students`), {
      token: f.token,
      body: { student_ids: [a.id, b.id] },
    });
    expectStatus(roster, 200);
    assert.equal(roster.data.data.added.length, 2);
    // The creator owns the class and may edit it (PATCH and PUT); deleting it stays with managers.
    const edited = await call(app, 'PATCH', api(`/classes/${id}`), { token: f.token, body: { room: 'X' } });
    expectStatus(edited, 200);
    assert.equal(edited.data.data.room, 'X');
    expectStatus(
      await call(app, 'PUT', api(`/classes/${id}`), { token: f.token, body: { name: 'Biology 102' } }),
      200,
    );
    expectError(await call(app, 'DELETE', api(`/classes/${id}`), { token: f.token }), 403);
    // A teacher merely assigned to the class (not its owner) may not edit it; neither may another teacher.
    const colleague = await makeFaculty(app, w.org);
    await assignTeacher(app, colleague.id, id);
    expectStatus(await call(app, 'GET', api(`/classes/${id}`), { token: colleague.token }), 200);
    expectError(
      await call(app, 'PATCH', api(`/classes/${id}`), { token: colleague.token, body: { room: 'Y' } }),
      404,
    );
    const stranger = await makeFaculty(app, w.org);
    expectError(
      await call(app, 'PATCH', api(`/classes/${id}`), { token: stranger.token, body: { room: 'Y' } }),
      404,
    );
    // The owner cannot hand the class to others: teaching assignments stay with managers.
    expectError(
      await call(app, 'POST', api('/teaching-assignments'), {
        token: f.token,
        body: { faculty_id: stranger.id, class_id: id },
      }),
      403,
    );
    // Managers always may.
    expectStatus(
      await call(app, 'PATCH', api(`/classes/${id}`), { token: w.admin.token, body: { room: 'Z' } }),
      200,
    );
    // A faculty login without a faculty profile cannot own a class.
    const bare = await makeUser(app, w.org, 'faculty');
    expectError(
      await call(app, 'POST', api('/classes'), { token: bare.token, body: { name: 'X' } }),
      422,
      'faculty_profile_required',
    );
  });
});
