import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { assignTeacher, makeClass, makeFaculty, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeWorld } from './helpers/factories.js';

const api = (p: string) => `/api/v1${p}`;

describe('class rosters', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
  });
  after(() => app.close());

  async function setup(capacity: number | null = null) {
    const cls = await makeClass(app, w.org, { capacity });
    const teacher = await makeFaculty(app, w.org);
    await assignTeacher(app, teacher.id, cls.id);
    const ss = await Promise.all([1, 2, 3, 4].map(() => makeStudent(app, w.org)));
    return { cls, teacher, ss };
  }

  it('should let the teacher replace the roster in one call, keeping dropped history', async () => {
    const { cls, teacher, ss } = await setup();
    const url = api(`/classes/${cls.id}/students`);
    const r1 = await call(app, 'PUT', url, {
      token: teacher.token,
      body: { student_ids: [ss[0].id, ss[1].id, ss[2].id] },
    });
    expectStatus(r1, 200);
    assert.equal(r1.data.data.added.length, 3);
    const r2 = await call(app, 'PUT', url, {
      token: teacher.token,
      body: { student_ids: [ss[1].id, ss[3].id] },
    });
    expectStatus(r2, 200);
    assert.deepEqual(
      r2.data.data.added.map((e: any) => e.student_id),
      [ss[3].id],
    );
    assert.deepEqual(r2.data.data.dropped.map((e: any) => e.student_id).sort(), [ss[0].id, ss[2].id].sort());
    const roster = await call(app, 'GET', url, { token: teacher.token });
    expectStatus(roster, 200);
    assert.deepEqual(roster.data.data.map((e: any) => e.student_id).sort(), [ss[1].id, ss[3].id].sort());
    const dropped = await call(app, 'GET', url, { token: teacher.token, query: { status: 'dropped' } });
    assert.equal(dropped.data.meta.total, 2);
    // Idempotent: the same list changes nothing.
    const r3 = await call(app, 'PUT', url, {
      token: teacher.token,
      body: { student_ids: [ss[1].id, ss[3].id] },
    });
    assert.equal(r3.data.data.added.length + r3.data.data.dropped.length, 0);
    // Empty list clears the roster.
    const r4 = await call(app, 'PUT', url, { token: teacher.token, body: { student_ids: [] } });
    assert.equal(r4.data.data.dropped.length, 2);
    const audit = await call(app, 'GET', api('/audit-logs'), {
      token: w.admin.token,
      query: { entity_type: 'enrollment', actor_id: teacher.userId, page_size: 100 },
    });
    expectStatus(audit, 200);
    assert.ok(audit.data.data.filter((a: any) => a.action === 'drop').length >= 4);
  });

  it('should add and remove single students', async () => {
    const { cls, teacher, ss } = await setup();
    const url = api(`/classes/${cls.id}/students`);
    const add = await call(app, 'POST', url, {
      token: teacher.token,
      body: { student_ids: [ss[0].id, ss[1].id] },
    });
    expectStatus(add, 201);
    assert.equal(add.data.data.length, 2);
    expectError(
      await call(app, 'POST', url, { token: teacher.token, body: { student_ids: [ss[0].id] } }),
      422,
      'already_enrolled',
    );
    expectStatus(
      await call(app, 'DELETE', api(`/classes/${cls.id}/students/${ss[0].id}`), { token: teacher.token }),
      204,
    );
    expectError(
      await call(app, 'DELETE', api(`/classes/${cls.id}/students/${ss[0].id}`), { token: teacher.token }),
      404,
    );
    const roster = await call(app, 'GET', url, { token: w.admin.token });
    assert.deepEqual(
      roster.data.data.map((e: any) => e.student_id),
      [ss[1].id],
    );
  });

  it('should roll back the whole replacement when capacity would be exceeded', async () => {
    const { cls, teacher, ss } = await setup(2);
    const url = api(`/classes/${cls.id}/students`);
    expectStatus(
      await call(app, 'PUT', url, { token: teacher.token, body: { student_ids: [ss[0].id, ss[1].id] } }),
      200,
    );
    expectError(
      await call(app, 'PUT', url, {
        token: teacher.token,
        body: { student_ids: [ss[0].id, ss[2].id, ss[3].id] },
      }),
      422,
      'class_full',
    );
    const roster = await call(app, 'GET', url, { token: teacher.token });
    assert.deepEqual(roster.data.data.map((e: any) => e.student_id).sort(), [ss[0].id, ss[1].id].sort());
    // Swapping within capacity works: drops happen before adds.
    expectStatus(
      await call(app, 'PUT', url, { token: teacher.token, body: { student_ids: [ss[2].id, ss[3].id] } }),
      200,
    );
  });

  it('rosters: 400, 401, 403 and 404 for another teacher or tenant', async () => {
    const { cls, ss } = await setup();
    const other = await makeFaculty(app, w.org);
    const student = await makeStudent(app, w.org, {}, { login: true });
    const url = api(`/classes/${cls.id}/students`);
    const bad = await call(app, 'PUT', url, { token: w.admin.token, body: { student_ids: ['x'], more: 1 } });
    expectError(bad, 400, 'validation_failed');
    expectError(
      await call(app, 'PUT', url, { token: w.admin.token, body: { student_ids: [ss[0].id, ss[0].id] } }),
      400,
    );
    expectError(await call(app, 'GET', url, { token: w.admin.token, query: { status: 'x' } }), 400);
    expectError(
      await call(app, 'DELETE', api(`/classes/${cls.id}/students/x`), { token: w.admin.token }),
      400,
    );
    expectError(await call(app, 'GET', url), 401);
    expectError(await call(app, 'PUT', url, { body: { student_ids: [] } }), 401);
    expectError(await call(app, 'POST', url, { body: { student_ids: [] } }), 401);
    expectError(await call(app, 'DELETE', api(`/classes/${cls.id}/students/${ss[0].id}`)), 401);
    expectError(await call(app, 'GET', url, { token: student.token }), 403);
    expectError(await call(app, 'PUT', url, { token: student.token, body: { student_ids: [] } }), 403);
    expectError(await call(app, 'POST', url, { token: student.token, body: { student_ids: [] } }), 403);
    expectError(
      await call(app, 'DELETE', api(`/classes/${cls.id}/students/${ss[0].id}`), { token: student.token }),
      403,
    );
    for (const token of [other.token, w.otherAdmin.token]) {
      expectError(await call(app, 'GET', url, { token }), 404);
      expectError(await call(app, 'PUT', url, { token, body: { student_ids: [ss[0].id] } }), 404);
      expectError(await call(app, 'POST', url, { token, body: { student_ids: [ss[0].id] } }), 404);
      expectError(await call(app, 'DELETE', api(`/classes/${cls.id}/students/${ss[0].id}`), { token }), 404);
    }
    // A student of another tenant cannot be put on the roster.
    const foreign = await makeStudent(app, w.otherOrg);
    expectError(
      await call(app, 'POST', url, { token: w.admin.token, body: { student_ids: [foreign.id] } }),
      404,
    );
  });

  it('should list the roster in name order, following a student renamed after enrolling', async () => {
    const { cls, teacher, ss } = await setup();
    const url = api(`/classes/${cls.id}/students`);
    const names = ['Cole', 'Abbott', 'Baker'];
    for (const [i, last] of names.entries()) {
      const r = await call(app, 'PATCH', api(`/students/${ss[i].id}`), {
        token: w.admin.token,
        body: { last_name: last, first_name: 'Sam' },
      });
      expectStatus(r, 200);
    }
    expectStatus(
      await call(app, 'PUT', url, {
        token: teacher.token,
        body: { student_ids: [ss[0].id, ss[1].id, ss[2].id] },
      }),
      200,
    );
    const lasts = async () =>
      (await call(app, 'GET', url, { token: teacher.token })).data.data.map((e: any) => e.last_name);
    assert.deepEqual(await lasts(), ['Abbott', 'Baker', 'Cole']);
    // Renamed after enrolling: the roster's copy of the name follows (enrollments.custom.sql).
    expectStatus(
      await call(app, 'PATCH', api(`/students/${ss[0].id}`), {
        token: w.admin.token,
        body: { last_name: 'Aaron' },
      }),
      200,
    );
    assert.deepEqual(await lasts(), ['Aaron', 'Abbott', 'Baker']);
    const stored = await app.deps.db.execute(
      sql`select student_last_name from enrollments where student_id = ${ss[0].id}`,
    );
    assert.deepEqual(
      (stored as any).rows.map((r: any) => r.student_last_name),
      ['Aaron'],
    );
    // One page of two: the first two names.
    const page = await call(app, 'GET', url, { token: teacher.token, query: { page_size: 2 } });
    assert.deepEqual(
      page.data.data.map((e: any) => e.last_name),
      ['Aaron', 'Abbott'],
    );
    assert.equal(page.data.meta.total, 3);
  });
});
