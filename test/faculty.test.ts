import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { departments } from '../src/modules/academics/academics.table.js';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeCourse,
  makeFaculty,
  makeStudent,
} from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeChildOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';

describe('faculty', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'university');
  });
  after(() => app.close());

  const body = (org: { id: string }, extra: Record<string, unknown> = {}) => {
    const id = uniq('EMP-');
    return {
      organization_id: org.id,
      first_name: 'Alan',
      last_name: 'Turing',
      email: `${id.toLowerCase()}@univ.example.test`,
      employee_id: id,
      ...extra,
    };
  };

  it('should create a faculty member with a faculty login, then list, filter, update and delete', async () => {
    const [dept] = await app.deps.db
      .insert(departments)
      .values({ organizationId: w.org.id, code: uniq('D'), name: 'Mathematics' })
      .returning();
    const b = body(w.org, {
      password: PASSWORD,
      department_id: dept.id,
      designation: 'Associate Professor',
      faculty_status: 'active',
      employment_type: 'contract',
      is_hod: true,
    });
    const res = await call(app, 'POST', '/api/v1/faculty', { token: w.admin.token, body: b });
    expectStatus(res, 201);
    const f = res.data.data;
    assert.equal(f.employment_type, 'contract');
    assert.equal(f.is_hod, true);
    const { token } = await login(app, b.employee_id.toLowerCase(), PASSWORD);
    const me = await call(app, 'GET', `/api/v1/faculty/${f.id}`, { token });
    expectStatus(me, 200);

    const list = await call(app, 'GET', '/api/v1/faculty', {
      token: w.admin.token,
      query: { department_id: dept.id, is_hod: true, employment_type: 'contract', faculty_status: 'active' },
    });
    assert.deepEqual(
      list.data.data.map((x: any) => x.id),
      [f.id],
    );
    const search = await call(app, 'GET', '/api/v1/faculty', {
      token: w.admin.token,
      query: { search: b.employee_id.slice(4) },
    });
    assert.deepEqual(
      search.data.data.map((x: any) => x.id),
      [f.id],
    );
    const up = await call(app, 'PUT', `/api/v1/faculty/${f.id}`, {
      token: w.admin.token,
      body: { designation: 'Professor', is_hod: false },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.designation, 'Professor');
    expectStatus(await call(app, 'DELETE', `/api/v1/faculty/${f.id}`, { token: w.admin.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/faculty/${f.id}`, { token: w.admin.token }), 404);
    const account = await call(app, 'GET', `/api/v1/users/${f.user_id}`, { token: w.admin.token });
    assert.equal(account.data.data.is_active, false, 'the login is deactivated with the profile');
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'faculty', entity_id: f.id },
    });
    assert.deepEqual(audit.data.data.map((a: any) => a.action).sort(), ['create', 'delete', 'update']);
  });

  it('should email a setup code without a password and reject duplicates and bad input', async () => {
    const b = body(w.org);
    expectStatus(await call(app, 'POST', '/api/v1/faculty', { token: w.admin.token, body: b }), 201);
    const mails = await app.deps.db.execute(sql`select subject from outbox where to_address = ${b.email}`);
    assert.equal((mails as any).rows.length, 1);
    const dup = await call(app, 'POST', '/api/v1/faculty', {
      token: w.admin.token,
      body: { ...body(w.org), employee_id: b.employee_id, username: uniq('t.') },
    });
    expectError(dup, 409);
    assert.equal(dup.data.error.details[0].field, 'employee_id');
    // A taken login name: the 409 names the field and the value that collided (issue 11).
    const taken = uniq('t.');
    expectStatus(
      await call(app, 'POST', '/api/v1/faculty', {
        token: w.admin.token,
        body: { ...body(w.org), employee_id: uniq('E'), username: taken },
      }),
      201,
    );
    const dupLogin = await call(app, 'POST', '/api/v1/faculty', {
      token: w.admin.token,
      body: { ...body(w.org), employee_id: uniq('E'), username: taken },
    });
    expectError(dupLogin, 409, 'conflict');
    assert.equal(dupLogin.data.error.message, `The username "${taken}" is already taken`);
    assert.deepEqual(dupLogin.data.error.details, [{ field: 'username', message: 'must be unique' }]);
    const bad = await call(app, 'POST', '/api/v1/faculty', {
      token: w.admin.token,
      body: { ...body(w.org), employment_type: 'forever', is_hod: 'maybe', salary: 1 },
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('employment_type') && fields.includes('is_hod') && fields.includes('salary'));
    const [foreignDept] = await app.deps.db
      .insert(departments)
      .values({ organizationId: w.otherOrg.id, code: uniq('D'), name: 'Other' })
      .returning();
    expectError(
      await call(app, 'POST', '/api/v1/faculty', {
        token: w.admin.token,
        body: body(w.org, { department_id: foreignDept.id }),
      }),
      422,
      'invalid_reference',
    );
    expectError(
      await call(app, 'PUT', `/api/v1/faculty/${foreignDept.id}`, { token: w.admin.token, body: {} }),
      400,
    );
  });

  it('should answer 401, 403 for students and for faculty writing, 404 across tenants and schools', async () => {
    expectError(await call(app, 'GET', '/api/v1/faculty'), 401);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(await call(app, 'GET', '/api/v1/faculty', { token: st.token }), 403);
    const t = await makeFaculty(app, w.org);
    expectError(await call(app, 'POST', '/api/v1/faculty', { token: t.token, body: body(w.org) }), 403);
    expectError(
      await call(app, 'PUT', `/api/v1/faculty/${t.id}`, { token: t.token, body: { designation: 'Dean' } }),
      403,
    );
    const foreign = await makeFaculty(app, w.otherOrg);
    expectError(await call(app, 'GET', `/api/v1/faculty/${foreign.id}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'PUT', `/api/v1/faculty/${foreign.id}`, {
        token: w.admin.token,
        body: { is_hod: true },
      }),
      404,
    );
    expectError(await call(app, 'DELETE', `/api/v1/faculty/${foreign.id}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'POST', '/api/v1/faculty', { token: w.admin.token, body: body(w.otherOrg) }),
      404,
    );
    const campus = await makeChildOrg(app, w.org, 'campus');
    const principal = await makeUser(app, campus, 'principal');
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}`, { token: principal.token }), 404);
    const list = await call(app, 'GET', '/api/v1/faculty', {
      token: w.admin.token,
      query: { page_size: 100 },
    });
    assert.ok(list.data.data.every((f: any) => f.organization_id === w.org.id));
  });

  it('should list the courses and students a faculty member teaches, to themself and managers only', async () => {
    const t = await makeFaculty(app, w.org);
    const colleague = await makeFaculty(app, w.org);
    const course = await makeCourse(app, w.org, { code: uniq('CS'), name: 'Algorithms' });
    const c1 = await makeClass(app, w.org, { courseId: course.id });
    const c2 = await makeClass(app, w.org, { courseId: course.id });
    await assignTeacher(app, t.id, c1.id);
    await assignTeacher(app, t.id, c2.id);
    const s1 = await makeStudent(app, w.org, { lastName: 'Aaron' });
    const s2 = await makeStudent(app, w.org, { lastName: 'Zimmer' });
    const outsider = await makeStudent(app, w.org);
    await enrollDirect(app, s1.id, c1);
    await enrollDirect(app, s1.id, c2);
    await enrollDirect(app, s2.id, c2);

    const courses = await call(app, 'GET', `/api/v1/faculty/${t.id}/courses`, { token: t.token });
    expectStatus(courses, 200);
    assert.deepEqual(courses.data.data, [
      { id: course.id, code: course.code, name: 'Algorithms', credits: 3, class_count: 2 },
    ]);
    const studs = await call(app, 'GET', `/api/v1/faculty/${t.id}/students`, { token: w.admin.token });
    expectStatus(studs, 200);
    assert.deepEqual(
      studs.data.data.map((s: any) => s.id),
      [s1.id, s2.id],
    );
    assert.equal(studs.data.meta.total, 2);
    assert.ok(!studs.data.data.some((s: any) => s.id === outsider.id));
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}/students`, { token: colleague.token }), 404);
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}/courses`, { token: colleague.token }), 404);
    expectError(
      await call(app, 'GET', `/api/v1/faculty/${t.id}/courses`, { token: w.otherAdmin.token }),
      404,
    );
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}/courses`), 401);
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}/students`), 401);
    const st = await makeStudent(app, w.org, {}, { login: true });
    expectError(await call(app, 'GET', `/api/v1/faculty/${t.id}/students`, { token: st.token }), 403);
    expectError(
      await call(app, 'GET', `/api/v1/faculty/${t.id}/students`, { token: t.token, query: { page: 0 } }),
      400,
    );
  });
});

describe('staff', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'office');
  });
  after(() => app.close());

  const body = (org: { id: string }, extra: Record<string, unknown> = {}) => {
    const id = uniq('ST-');
    return {
      organization_id: org.id,
      first_name: 'Grace',
      last_name: 'Hopper',
      email: `${id.toLowerCase()}@office.example.test`,
      employee_id: id,
      ...extra,
    };
  };

  it('should create staff with a staff login; list, filter, update, soft-delete', async () => {
    const b = body(w.org, { password: PASSWORD, job_title: 'Registrar officer' });
    const res = await call(app, 'POST', '/api/v1/staff', { token: w.admin.token, body: b });
    expectStatus(res, 201);
    const s = res.data.data;
    const { token } = await login(app, b.employee_id.toLowerCase(), PASSWORD);
    // The new login holds the staff role: it may read staff (and manage students) in the organization.
    expectStatus(await call(app, 'GET', `/api/v1/staff/${s.id}`, { token }), 200);
    const list = await call(app, 'GET', '/api/v1/staff', {
      token: w.admin.token,
      query: { search: 'registrar off', staff_status: 'active' },
    });
    assert.deepEqual(
      list.data.data.map((x: any) => x.id),
      [s.id],
    );
    const up = await call(app, 'PUT', `/api/v1/staff/${s.id}`, {
      token: w.admin.token,
      body: { staff_status: 'on_leave' },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.staff_status, 'on_leave');
    expectStatus(await call(app, 'DELETE', `/api/v1/staff/${s.id}`, { token: w.admin.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/staff/${s.id}`, { token: w.admin.token }), 404);
    const account = await call(app, 'GET', `/api/v1/users/${s.user_id}`, { token: w.admin.token });
    assert.equal(account.data.data.is_active, false, 'the login is deactivated with the profile');
  });

  it('should answer 400, 401, 403 (staff cannot create staff) and 404 across tenants', async () => {
    const bad = await call(app, 'POST', '/api/v1/staff', {
      token: w.admin.token,
      body: { ...body(w.org), staff_status: 'napping' },
    });
    expectError(bad, 400, 'validation_failed');
    expectError(await call(app, 'GET', '/api/v1/staff'), 401);
    const staffUser = await makeUser(app, w.org, 'staff');
    expectError(await call(app, 'POST', '/api/v1/staff', { token: staffUser.token, body: body(w.org) }), 403);
    const teacher = await makeFaculty(app, w.org);
    expectError(await call(app, 'GET', '/api/v1/staff', { token: teacher.token }), 403);
    const foreign = await call(app, 'POST', '/api/v1/staff', {
      token: w.otherAdmin.token,
      body: body(w.otherOrg),
    });
    expectStatus(foreign, 201);
    const fid = foreign.data.data.id;
    expectError(await call(app, 'GET', `/api/v1/staff/${fid}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'PUT', `/api/v1/staff/${fid}`, { token: w.admin.token, body: { job_title: 'X' } }),
      404,
    );
    expectError(await call(app, 'DELETE', `/api/v1/staff/${fid}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'POST', '/api/v1/staff', { token: w.admin.token, body: body(w.otherOrg) }),
      404,
    );
  });

  it("should answer a teacher's own record at GET /faculty/me, and 403/404 for logins without one", async () => {
    const f = await makeFaculty(app, w.org, { firstName: 'Grace', lastName: 'Hopper' });
    const me = await call(app, 'GET', '/api/v1/faculty/me', { token: f.token });
    expectStatus(me, 200);
    assert.equal(me.data.data.id, f.id);
    assert.equal(me.data.data.first_name, 'Grace');
    assert.equal(me.data.data.user_id, f.userId);
    // Soft-deleted: the record is gone for its owner too.
    await app.deps.db.execute(sql`update faculty set deleted_at = now() where id = ${f.id}`);
    expectError(await call(app, 'GET', '/api/v1/faculty/me', { token: f.token }), 404);
    // Not a teacher: no faculty:self permission.
    expectError(await call(app, 'GET', '/api/v1/faculty/me', { token: w.admin.token }), 403);
    expectError(await call(app, 'GET', '/api/v1/faculty/me'), 401);
  });

  it('should document the faculty and staff endpoints', async () => {
    const paths = (await call(app, 'GET', '/openapi.json')).data.paths;
    for (const p of [
      '/api/v1/faculty',
      '/api/v1/faculty/me',
      '/api/v1/faculty/{id}',
      '/api/v1/faculty/{id}/courses',
      '/api/v1/faculty/{id}/students',
      '/api/v1/faculty/{id}/upload-photo',
      '/api/v1/staff',
      '/api/v1/staff/{id}',
      '/api/v1/guardians',
      '/api/v1/guardians/{id}',
      '/api/v1/guardians/{id}/students',
    ]) {
      assert.ok(paths[p], p);
    }
    assert.ok(paths['/api/v1/faculty'].post.requestBody.content['application/json'].schema);
  });
});
