import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { enrollDirect, makeClass, makeFaculty } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeChildOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';
import { clientToken, orGet, ROSTER } from './helpers/oneroster.js';

/** Issue 11 (K-12 identities): students without a login or an email; default usernames per school. */
describe('students without a login, and their accounts', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let school: Awaited<ReturnType<typeof makeChildOrg>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
    school = await makeChildOrg(app, w.org, 'school');
  });
  after(() => app.close());

  const child = (extra: Record<string, unknown> = {}) => ({
    organization_id: school.id,
    first_name: 'Lily',
    last_name: uniq('Small'),
    student_number: uniq('K'),
    grade_level: 'K',
    ...extra,
  });
  const create = (body: Record<string, unknown>, token = w.admin.token) =>
    call(app, 'POST', '/api/v1/students', { token, body });

  it('should store a student without an email and without a login, and show it everywhere', async () => {
    const b = child();
    const res = await create(b);
    expectStatus(res, 201);
    const s = res.data.data;
    assert.equal(s.user_id, null);
    assert.equal(s.email, null);
    const users = await app.deps.db.execute(
      sql`select count(*)::int n from users where full_name = ${`Lily ${b.last_name}`}`,
    );
    assert.equal((users as any).rows[0].n, 0);

    // Lists, search, export, rosters and OneRoster take a student without email and login.
    const list = await call(app, 'GET', '/api/v1/students', {
      token: w.admin.token,
      query: { search: b.last_name.toLowerCase() },
    });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((x: any) => x.id),
      [s.id],
    );
    const hit = await call(app, 'GET', '/api/v1/students/search', {
      token: w.admin.token,
      query: { q: b.last_name.toLowerCase() },
    });
    expectStatus(hit, 200);
    assert.equal(hit.data.data[0].email, null);
    const csv = await call(app, 'GET', '/api/v1/students/export', {
      token: w.admin.token,
      query: { search: b.last_name.toLowerCase() },
    });
    expectStatus(csv, 200);
    assert.match(csv.body, new RegExp(`${b.student_number},Lily,${b.last_name},,`));
    const cls = await makeClass(app, school);
    await enrollDirect(app, s.id, cls);
    const roster = await call(app, 'GET', `/api/v1/classes/${cls.id}/students`, { token: w.admin.token });
    expectStatus(roster, 200);
    assert.equal(roster.data.data[0].email, null);
    const { token } = await clientToken(app, w.admin.token, school.id);
    const u = await orGet(app, token, `${ROSTER}/users/${s.id}`);
    expectStatus(u, 200);
    assert.equal(u.data.user.username, b.student_number);
    assert.equal(u.data.user.email, null);
  });

  it('should keep families sharing one email apart: two siblings, one email, no logins', async () => {
    const email = `${uniq('family.')}@example.test`;
    const a = await create(child({ email, create_login: false }));
    const b = await create(child({ email, create_login: false }));
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.equal(a.data.data.email, email);
    assert.equal(a.data.data.user_id, null);
    assert.equal(b.data.data.user_id, null);
  });

  it('should refuse a login without an email, and a username or password without a login', async () => {
    const noEmail = await create(child({ create_login: true }));
    expectError(noEmail, 400, 'validation_failed');
    assert.equal(noEmail.data.error.details[0].field, 'email');
    expectError(await create(child({ username: uniq('x.') })), 400, 'validation_failed');
    expectError(await create(child({ email: 'a@b.test', create_login: false, password: PASSWORD })), 400);
  });

  it('should add a login later with POST /students/{id}/account (once, in scope, audited)', async () => {
    const s = (await create(child())).data.data;
    const url = `/api/v1/students/${s.id}/account`;
    // No email on the student and none given: 400.
    const noEmail = await call(app, 'POST', url, { token: w.admin.token, body: {} });
    expectError(noEmail, 400);
    assert.equal(noEmail.data.error.details[0].field, 'email');
    // Permissions: 401 without a token, 403 for a teacher, 404 for another tenant's admin.
    expectError(await call(app, 'POST', url, { body: {} }), 401);
    const teacher = await makeFaculty(app, school);
    expectError(await call(app, 'POST', url, { token: teacher.token, body: {} }), 403);
    expectError(
      await call(app, 'POST', url, { token: w.otherAdmin.token, body: { email: 'x@y.test' } }),
      404,
    );
    expectError(
      await call(app, 'POST', url, { token: w.admin.token, body: { email: 'x@y.test', extra: 1 } }),
      400,
    );

    const email = `${uniq('lily.')}@example.test`;
    const res = await call(app, 'POST', url, { token: w.admin.token, body: { email, password: PASSWORD } });
    expectStatus(res, 201);
    assert.ok(res.data.data.user_id);
    assert.equal(res.data.data.email, email);
    const username = `${school.id.replace(/-/g, '').slice(-8)}.${s.student_number.toLowerCase()}`;
    const { token } = await login(app, username, PASSWORD);
    const me = await call(app, 'GET', '/api/v1/students/me', { token });
    expectStatus(me, 200);
    assert.equal(me.data.data.id, s.id);

    const again = await call(app, 'POST', url, {
      token: w.admin.token,
      body: { email: 'other@example.test' },
    });
    expectError(again, 409, 'student_has_login');
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'student', entity_id: s.id },
    });
    assert.ok(audit.data.data.some((a: any) => a.action === 'account.create'));
  });

  it('should use the student’s email and email a setup code when no password is given', async () => {
    const email = `${uniq('kid.')}@example.test`;
    const s = (await create(child({ email, create_login: false }))).data.data;
    const res = await call(app, 'POST', `/api/v1/students/${s.id}/account`, {
      token: w.admin.token,
      body: { username: uniq('kid.') },
    });
    expectStatus(res, 201);
    const mails = await app.deps.db.execute(sql`select subject from outbox where to_address = ${email}`);
    assert.equal((mails as any).rows[0].subject, 'Set up your Registrar account');
  });

  it('should name what collided when a login email is taken', async () => {
    const staff = await makeUser(app, w.org, 'staff');
    const s = (await create(child())).data.data;
    const res = await call(app, 'POST', `/api/v1/students/${s.id}/account`, {
      token: w.admin.token,
      body: { email: staff.email },
    });
    expectError(res, 409, 'conflict');
    assert.match(res.data.error.message, new RegExp(staff.email.replace('.', '\\.')));
    const again = await call(app, 'GET', `/api/v1/students/${s.id}`, { token: w.admin.token });
    assert.equal(again.data.data.user_id, null, 'nothing half-written');
  });
});

describe('default usernames across the schools of a district', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app, 'district');
  });
  after(() => app.close());

  const school = async (code: string) => {
    const s = await makeChildOrg(app, w.org, 'school', `${code} School ${uniq()}`);
    await app.deps.db.execute(sql`update organizations set code = ${code} where id = ${s.id}`);
    return s;
  };

  it('should let two schools both have student number 1024, each with its own login', async () => {
    const tag = uniq('').toLowerCase().slice(-6);
    const rhs = await school(`RHS${tag}`);
    const lhs = await school(`LHS${tag}`);
    for (const s of [rhs, lhs]) {
      const res = await call(app, 'POST', '/api/v1/students', {
        token: w.admin.token,
        body: {
          organization_id: s.id,
          first_name: 'Sam',
          last_name: 'Ortiz',
          email: `${uniq('sam.')}@example.test`,
          student_number: '1024',
          password: PASSWORD,
        },
      });
      expectStatus(res, 201);
    }
    await login(app, `rhs${tag}.1024`, PASSWORD);
    await login(app, `lhs${tag}.1024`, PASSWORD);

    // The same number twice in one school: the 409 names the number and the school.
    const dup = await call(app, 'POST', '/api/v1/students', {
      token: w.admin.token,
      body: {
        organization_id: rhs.id,
        first_name: 'Sam',
        last_name: 'Other',
        student_number: '1024',
      },
    });
    expectError(dup, 409, 'conflict');
    assert.equal(dup.data.error.details[0].field, 'student_number');
    assert.match(
      dup.data.error.message,
      new RegExp(`Student number 1024 already exists in RHS${tag} School`),
    );
  });

  it('should say which username collided and how the default was made', async () => {
    const tag = uniq('').toLowerCase().slice(-6);
    const a = await school(`A${tag}`);
    // Someone already holds the name the default would give.
    const taken = `a${tag}.77`;
    await app.deps.db.execute(
      sql`insert into users (id, username, email, full_name, organization_id)
          values (gen_random_uuid(), ${taken}, ${`${taken}@example.test`}, 'Taken', ${a.id})`,
    );
    const res = await call(app, 'POST', '/api/v1/students', {
      token: w.admin.token,
      body: {
        organization_id: a.id,
        first_name: 'Pat',
        last_name: 'Lee',
        email: `${uniq('pat.')}@example.test`,
        student_number: '77',
      },
    });
    expectError(res, 409, 'conflict');
    assert.equal(res.data.error.details[0].field, 'username');
    assert.match(res.data.error.message, new RegExp(`"${taken.replace('.', '\\.')}" is already taken`));
    assert.match(res.data.error.message, /organization code "A.*" and student number 77/);
    // Nothing half-written.
    const n = await app.deps.db.execute(
      sql`select count(*)::int n from students where organization_id = ${a.id}`,
    );
    assert.equal((n as any).rows[0].n, 0);
  });
});
