import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { COUNT_CAP, cappedPage, countLimit, pageWindow } from '../src/kernel/pagination.js';
import { departments } from '../src/modules/academics/academics.table.js';
import { students } from '../src/modules/students/index.js';
import * as studentsRepo from '../src/modules/students/students.repo.js';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeFaculty,
  makeParent,
  makeStudent,
} from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeChildOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';

describe('students', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let schoolA: Awaited<ReturnType<typeof makeChildOrg>>;
  let schoolB: Awaited<ReturnType<typeof makeChildOrg>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
    schoolA = await makeChildOrg(app, w.org, 'school');
    schoolB = await makeChildOrg(app, w.org, 'school');
  });
  after(() => app.close());

  const body = (org: { id: string }, extra: Record<string, unknown> = {}) => {
    const n = uniq('U-');
    return {
      organization_id: org.id,
      first_name: 'Maria',
      last_name: 'Lopez',
      email: `${n.toLowerCase()}@student.example.test`,
      student_number: n,
      ...extra,
    };
  };

  it('should create the student and its login user in one go, with an audit row', async () => {
    const b = body(schoolA, { password: PASSWORD, batch_year: 2026, semester: 1, category: 'general' });
    const res = await call(app, 'POST', '/api/v1/students', { token: w.admin.token, body: b });
    expectStatus(res, 201);
    const s = res.data.data;
    assert.equal(s.student_number, b.student_number);
    assert.equal(s.organization_id, schoolA.id);
    assert.equal(s.student_status, 'active');
    assert.equal(s.has_photo, false);
    assert.equal('photo_key' in s, false);
    // username defaults to <organization code>.<student number> (no code: the org id's last 8 hex digits);
    // the student role works at once.
    const username = `${schoolA.id.replace(/-/g, '').slice(-8)}.${b.student_number.toLowerCase()}`;
    const { token } = await login(app, username, PASSWORD);
    const me = await call(app, 'GET', '/api/v1/students/me', { token });
    expectStatus(me, 200);
    assert.equal(me.data.data.id, s.id);
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'student', entity_id: s.id },
    });
    assert.equal(audit.data.data[0].action, 'create');
  });

  it('should email a setup code when no password is given', async () => {
    const b = body(schoolA, { username: uniq('maria.') });
    const res = await call(app, 'POST', '/api/v1/students', { token: w.admin.token, body: b });
    expectStatus(res, 201);
    const mails = await app.deps.db.execute(
      sql`select subject from outbox where to_address = ${b.email.toLowerCase()}`,
    );
    assert.equal((mails as any).rows[0].subject, 'Set up your Registrar account');
  });

  it('should return 400 with field details, 409 on duplicates and 422 for a foreign department', async () => {
    const bad = await call(app, 'POST', '/api/v1/students', {
      token: w.admin.token,
      body: { organization_id: schoolA.id, first_name: '', email: 'nope', student_number: 'x y', extra: 1 },
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    for (const f of ['extra', 'first_name', 'email', 'last_name', 'student_number'])
      assert.ok(fields.includes(f), f);

    const b = body(schoolA);
    expectStatus(await call(app, 'POST', '/api/v1/students', { token: w.admin.token, body: b }), 201);
    const dupNumber = await call(app, 'POST', '/api/v1/students', {
      token: w.admin.token,
      body: { ...body(schoolA), student_number: b.student_number, username: uniq('dup.') },
    });
    expectError(dupNumber, 409, 'conflict');
    assert.equal(dupNumber.data.error.details[0].field, 'student_number');
    const dupEmail = await call(app, 'POST', '/api/v1/students', {
      token: w.admin.token,
      body: { ...body(schoolA), email: b.email },
    });
    expectError(dupEmail, 409);
    assert.equal(dupEmail.data.error.details[0].field, 'email');
    // Nothing half-written: the failed student left no user behind.
    const n = await app.deps.db.execute(sql`select count(*)::int n from users where email = ${b.email}`);
    assert.equal((n as any).rows[0].n, 1);

    const [foreignDept] = await app.deps.db
      .insert(departments)
      .values({ organizationId: w.otherOrg.id, code: uniq('D'), name: 'Other' })
      .returning();
    expectError(
      await call(app, 'POST', '/api/v1/students', {
        token: w.admin.token,
        body: body(schoolA, { department_id: foreignDept.id }),
      }),
      422,
      'invalid_reference',
    );
  });

  it('should return 401 without a token and 403 for roles that may not write', async () => {
    expectError(await call(app, 'GET', '/api/v1/students'), 401, 'unauthenticated');
    expectError(await call(app, 'POST', '/api/v1/students', { body: body(schoolA) }), 401);
    const teacher = await makeFaculty(app, schoolA);
    expectError(
      await call(app, 'POST', '/api/v1/students', { token: teacher.token, body: body(schoolA) }),
      403,
      'forbidden',
    );
    const st = await makeStudent(app, schoolA, {}, { login: true });
    expectError(
      await call(app, 'PUT', `/api/v1/students/${st.id}`, { token: st.token, body: { semester: 2 } }),
      403,
    );
    expectError(await call(app, 'DELETE', `/api/v1/students/${st.id}`, { token: teacher.token }), 403);
    expectError(await call(app, 'GET', '/api/v1/students/me', { token: w.admin.token }), 403);
    expectError(await call(app, 'GET', '/api/v1/students/me'), 401);
    expectError(await call(app, 'GET', '/api/v1/students/search', { query: { q: 'x' } }), 401);
    expectError(
      await call(app, 'GET', '/api/v1/students/search', { token: teacher.token, query: {} }),
      400,
      'validation_failed',
    );
  });

  it('should answer 401 without a token and 403 for a signed-in user holding no role, on every endpoint', async () => {
    const st = await makeStudent(app, schoolA);
    const nobody = await makeUser(app, schoolA, null);
    const endpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/students'],
      ['GET', '/api/v1/students/search?q=ava'],
      ['GET', '/api/v1/students/export'],
      ['GET', '/api/v1/students/me'],
      ['GET', `/api/v1/students/${st.id}`],
      ['PUT', `/api/v1/students/${st.id}`, { semester: 2 }],
      ['DELETE', `/api/v1/students/${st.id}`],
      ['GET', `/api/v1/students/${st.id}/guardians`],
      ['POST', `/api/v1/students/${st.id}/guardians`, { guardian_id: st.id, relationship: 'mother' }],
      ['DELETE', `/api/v1/students/${st.id}/guardians/${st.id}`],
      ['GET', `/api/v1/students/${st.id}/photo`],
      ['POST', `/api/v1/students/${st.id}/upload-photo`],
      ['GET', '/api/v1/guardians'],
      ['GET', `/api/v1/faculty/${st.id}`],
      ['GET', '/api/v1/staff'],
    ];
    for (const [method, url, b] of endpoints) {
      expectError(await call(app, method as any, url, { body: b }), 401, 'unauthenticated');
      expectError(await call(app, method as any, url, { token: nobody.token, body: b }), 403, 'forbidden');
    }
  });

  it('should answer 404 for students outside the scope (another tenant, another school)', async () => {
    const foreign = await makeStudent(app, w.otherOrg);
    const inB = await makeStudent(app, schoolB);
    const principal = await makeUser(app, schoolA, 'principal');
    expectError(await call(app, 'GET', `/api/v1/students/${foreign.id}`, { token: w.admin.token }), 404);
    expectError(await call(app, 'GET', `/api/v1/students/${inB.id}`, { token: principal.token }), 404);
    expectError(
      await call(app, 'PUT', `/api/v1/students/${inB.id}`, { token: principal.token, body: { semester: 3 } }),
      404,
    );
    expectError(await call(app, 'DELETE', `/api/v1/students/${foreign.id}`, { token: w.admin.token }), 404);
    expectError(
      await call(app, 'POST', '/api/v1/students', { token: w.admin.token, body: body(w.otherOrg) }),
      404,
    );
    expectError(
      await call(app, 'POST', '/api/v1/students', { token: principal.token, body: body(schoolB) }),
      404,
    );
    const inA = await makeStudent(app, schoolA);
    expectStatus(await call(app, 'GET', `/api/v1/students/${inA.id}`, { token: principal.token }), 200);
    const list = await call(app, 'GET', '/api/v1/students', {
      token: principal.token,
      query: { page_size: 100 },
    });
    assert.ok(list.data.data.every((s: any) => s.organization_id === schoolA.id));
    expectError(await call(app, 'GET', '/api/v1/students/not-a-uuid', { token: w.admin.token }), 400);
  });

  it('should let faculty read only students of classes they teach, students themselves, parents their children', async () => {
    const teacher = await makeFaculty(app, schoolA);
    const cls = await makeClass(app, schoolA);
    await assignTeacher(app, teacher.id, cls.id);
    const mine = await makeStudent(app, schoolA, {}, { login: true });
    const other = await makeStudent(app, schoolA, {}, { login: true });
    await enrollDirect(app, mine.id, cls);
    const parent = await makeParent(app, schoolA, [mine.id]);

    expectStatus(await call(app, 'GET', `/api/v1/students/${mine.id}`, { token: teacher.token }), 200);
    expectError(await call(app, 'GET', `/api/v1/students/${other.id}`, { token: teacher.token }), 404);
    const tl = await call(app, 'GET', '/api/v1/students', { token: teacher.token });
    assert.deepEqual(
      tl.data.data.map((s: any) => s.id),
      [mine.id],
    );
    assert.equal(tl.data.meta.total, 1);

    expectStatus(await call(app, 'GET', `/api/v1/students/${mine.id}`, { token: mine.token }), 200);
    expectError(await call(app, 'GET', `/api/v1/students/${other.id}`, { token: mine.token }), 404);
    const sl = await call(app, 'GET', '/api/v1/students', { token: mine.token });
    assert.deepEqual(
      sl.data.data.map((s: any) => s.id),
      [mine.id],
    );

    expectStatus(await call(app, 'GET', `/api/v1/students/${mine.id}`, { token: parent.token }), 200);
    expectError(await call(app, 'GET', `/api/v1/students/${other.id}`, { token: parent.token }), 404);
    const pl = await call(app, 'GET', '/api/v1/students/search', {
      token: parent.token,
      query: { q: 'ava' },
    });
    assert.deepEqual(
      pl.data.data.map((s: any) => s.id),
      [mine.id],
    );
  });

  it('should filter by every list filter and search, and paginate', async () => {
    const org = await makeChildOrg(app, w.org, 'school');
    const [dept] = await app.deps.db
      .insert(departments)
      .values({ organizationId: org.id, code: uniq('D'), name: 'Physics' })
      .returning();
    const a = await makeStudent(app, org, {
      firstName: 'Zelda',
      lastName: 'Quintero',
      batchYear: 2024,
      semester: 3,
      category: 'scholarship',
      departmentId: dept.id,
    });
    const b = await makeStudent(app, org, {
      firstName: 'Yusuf',
      lastName: 'Adeyemi',
      batchYear: 2025,
      semester: 1,
      category: 'general',
      studentStatus: 'suspended',
    });
    const c = await makeStudent(app, org, { firstName: 'Xena', lastName: 'Brandt', batchYear: 2024 });
    const list = (query: Record<string, string | number>) =>
      call(app, 'GET', '/api/v1/students', { token: w.admin.token, query });
    const ids = async (query: Record<string, string | number>) =>
      (await list(query)).data.data.filter((s: any) => s.organization_id === org.id).map((s: any) => s.id);

    assert.deepEqual(await ids({ batch_year: 2024, page_size: 100 }), [c.id, a.id]);
    assert.deepEqual(await ids({ semester: 3, page_size: 100 }), [a.id]);
    assert.deepEqual(await ids({ category: 'scholarship', page_size: 100 }), [a.id]);
    assert.deepEqual(await ids({ student_status: 'suspended', page_size: 100 }), [b.id]);
    assert.deepEqual(await ids({ department_id: dept.id }), [a.id]);
    assert.deepEqual(await ids({ search: 'QUINTERO' }), [a.id]);
    assert.deepEqual(await ids({ search: b.studentNumber.slice(2) }), [b.id]);
    assert.deepEqual(await ids({ search: '50%_' }), []);

    const principal = await makeUser(app, org, 'principal');
    const p1 = await call(app, 'GET', '/api/v1/students', {
      token: principal.token,
      query: { page_size: 2 },
    });
    expectStatus(p1, 200);
    assert.deepEqual(
      p1.data.data.map((s: any) => s.last_name),
      ['Adeyemi', 'Brandt'],
    );
    assert.deepEqual(p1.data.meta, {
      total: 3,
      page: 1,
      page_size: 2,
      page_count: 2,
      has_next_page: true,
      has_prev_page: false,
      total_exact: true,
    });
    const exact = await call(app, 'GET', '/api/v1/students', {
      token: principal.token,
      query: { page_size: 2, page: 2, count: 'exact' },
    });
    assert.deepEqual(exact.data.meta, {
      ...p1.data.meta,
      page: 2,
      has_next_page: false,
      has_prev_page: true,
    });
    expectError(await list({ count: 'roughly' }), 400, 'validation_failed');
    expectError(await list({ page_size: 101 }), 400, 'validation_failed');
    expectError(await list({ student_status: 'expelled' }), 400, 'validation_failed');
    expectError(await list({ unknown: 1 }), 400, 'validation_failed');
  });

  it('should stop counting at the cap and report the total as a lower bound (count=capped)', async () => {
    const org = await makeChildOrg(app, w.org, 'school');
    for (const lastName of ['Ames', 'Bell', 'Cruz', 'Diaz', 'Egan'])
      await makeStudent(app, org, { lastName });
    const scope = sql`${students.organizationId} = ${org.id}`;
    const w1 = pageWindow({ page: 1, page_size: 2 });
    // A cap of 3 on 5 matches: the count stops at 4 rows read and says "at least 3".
    const capped = await studentsRepo.list(app.deps.db, scope, {}, w1, 3);
    assert.equal(capped.total, 4);
    assert.deepEqual(cappedPage(capped.rows, capped.total, 3, w1).meta, {
      total: 3,
      page: 1,
      page_size: 2,
      page_count: 2,
      has_next_page: true,
      has_prev_page: false,
      total_exact: false,
    });
    // A deeper page raises the limit to its end, so has_next_page stays truthful.
    const w3 = pageWindow({ page: 3, page_size: 2 });
    const last = await studentsRepo.list(app.deps.db, scope, {}, w3, countLimit(w3, 'capped'));
    assert.deepEqual(
      last.rows.map((r) => r.lastName),
      ['Egan'],
    );
    assert.equal(cappedPage(last.rows, last.total, countLimit(w3, 'capped'), w3).meta.has_next_page, false);
    // Within the cap (the default 10,000) the total is exact.
    assert.equal(countLimit(w1, 'capped'), COUNT_CAP);
    assert.equal(countLimit(w1, 'exact'), null);
    const exact = await studentsRepo.list(app.deps.db, scope, {}, w1, null);
    assert.equal(exact.total, 5);
  });

  it('should search by name, number or email fragment, best match first', async () => {
    const org = await makeChildOrg(app, w.org, 'school');
    const s1 = await makeStudent(app, org, { firstName: 'Ingrid', lastName: 'Bergstrom' });
    await makeStudent(app, org, { firstName: 'Ingmar', lastName: 'Bergman' });
    const principal = await makeUser(app, org, 'principal');
    const res = await call(app, 'GET', '/api/v1/students/search', {
      token: principal.token,
      query: { q: 'bergstrom', limit: 5 },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data[0].id, s1.id);
    assert.deepEqual(Object.keys(res.data.data[0]).sort(), [
      'email',
      'first_name',
      'id',
      'last_name',
      'organization_id',
      'student_number',
      'student_status',
    ]);
    const both = await call(app, 'GET', '/api/v1/students/search', {
      token: principal.token,
      query: { q: 'ingr', limit: 1 },
    });
    assert.equal(both.data.data.length, 1);
    expectError(
      await call(app, 'GET', '/api/v1/students/search', {
        token: principal.token,
        query: { q: 'x', limit: 0 },
      }),
      400,
    );
  });

  it('should update only the given fields and soft-delete (gone from lists, row kept, login deactivated)', async () => {
    const st = await makeStudent(app, schoolA, {}, { login: true });
    const up = await call(app, 'PUT', `/api/v1/students/${st.id}`, {
      token: w.admin.token,
      body: { semester: 4, phone: '+1 555 0100', student_status: 'suspended' },
    });
    expectStatus(up, 200);
    assert.equal(up.data.data.semester, 4);
    assert.equal(up.data.data.student_status, 'suspended');
    assert.equal(up.data.data.first_name, st.firstName);
    expectError(
      await call(app, 'PUT', `/api/v1/students/${st.id}`, { token: w.admin.token, body: {} }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'PUT', `/api/v1/students/${st.id}`, { token: w.admin.token, body: { user_id: st.id } }),
      400,
    );
    const staff = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'DELETE', `/api/v1/students/${st.id}`, { token: staff.token }), 204);
    expectError(await call(app, 'GET', `/api/v1/students/${st.id}`, { token: w.admin.token }), 404);
    expectError(await call(app, 'DELETE', `/api/v1/students/${st.id}`, { token: w.admin.token }), 404);
    // The login goes with the profile: the student's token stops working and they cannot sign in again.
    expectError(await call(app, 'GET', '/api/v1/students/me', { token: st.token }), 401);
    expectError(
      await call(app, 'POST', '/api/v1/auth/login', { body: { username: st.username, password: PASSWORD } }),
      401,
      'invalid_credentials',
    );
    const list = await call(app, 'GET', '/api/v1/students', {
      token: w.admin.token,
      query: { search: st.studentNumber },
    });
    assert.equal(list.data.meta.total, 0);
    const [row] = await app.deps.db.select().from(students).where(eq(students.id, st.id));
    assert.equal(row.studentStatus, 'inactive');
    assert.ok(row.deletedAt);
  });

  it('should give a self-registered user a student profile with a generated number', async () => {
    const org = await makeChildOrg(app, w.org, 'school');
    await app.deps.db.execute(
      sql`update organizations set allow_self_registration = true where id = ${org.id}`,
    );
    const username = uniq('self.');
    const reg = await call(app, 'POST', '/api/v1/auth/register', {
      body: {
        username,
        email: `${username}@example.test`,
        password: PASSWORD,
        full_name: 'Ana Maria Souza',
        organization_id: org.id,
      },
    });
    expectStatus(reg, 201);
    const { token } = await login(app, username, PASSWORD);
    const me = await call(app, 'GET', '/api/v1/students/me', { token });
    expectStatus(me, 200);
    assert.match(me.data.data.student_number, new RegExp(`^REG-${new Date().getUTCFullYear()}-\\d{6}$`));
    assert.equal(me.data.data.first_name, 'Ana Maria');
    assert.equal(me.data.data.last_name, 'Souza');
    assert.equal(me.data.data.organization_id, org.id);
  });

  it('should document every students endpoint in /openapi.json with schemas', async () => {
    const res = await call(app, 'GET', '/openapi.json');
    const paths = res.data.paths;
    for (const [p, methods] of Object.entries<string[]>({
      '/api/v1/students': ['get', 'post'],
      '/api/v1/students/search': ['get'],
      '/api/v1/students/export': ['get'],
      '/api/v1/students/me': ['get'],
      '/api/v1/students/{id}': ['get', 'put', 'delete'],
      '/api/v1/students/{id}/guardians': ['get', 'post'],
      '/api/v1/students/{id}/guardians/{guardian_id}': ['delete'],
      '/api/v1/students/{id}/upload-photo': ['post'],
      '/api/v1/students/{id}/photo': ['get'],
    })) {
      for (const m of methods) {
        const op = paths[p]?.[m];
        assert.ok(op, `${m} ${p} documented`);
        assert.ok(op.responses['401'], `${m} ${p} documents 401`);
      }
    }
    assert.ok(paths['/api/v1/students'].post.requestBody.content['application/json'].schema);
    assert.ok(paths['/api/v1/students/{id}/upload-photo'].post.requestBody.content['multipart/form-data']);
  });
});
