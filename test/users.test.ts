import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeChildOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';
import { latestCode } from './helpers/platform.js';

describe('users', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app);
  });
  after(() => app.close());

  function newUserBody(extra: Record<string, unknown> = {}): Record<string, any> {
    const username = uniq('maria.');
    return {
      username,
      email: `${username}@lincoln.example.edu`,
      full_name: 'Maria Lopez',
      password: 'Maria-Lopez-Pass-1',
      organization_id: w.org.id,
      ...extra,
    };
  }

  async function audit(entityId: string) {
    const res = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'user', entity_id: entityId },
    });
    expectStatus(res, 200);
    return res.data.data as any[];
  }

  describe('POST /users', () => {
    it('should create a user with roles, who can sign in, with an audit row', async () => {
      const school = await makeChildOrg(app, w.org, 'school');
      const body = newUserBody({
        service_number: uniq('EMP-'),
        roles: [
          { role: 'faculty', organization_id: school.id },
          { role: 'staff', organization_id: w.org.id },
        ],
      });
      const res = await call(app, 'POST', '/api/v1/users', { token: w.admin.token, body });
      expectStatus(res, 201);
      const u = res.data.data;
      assert.equal(u.username, body.username);
      assert.equal(u.service_number, body.service_number);
      assert.deepEqual(
        u.roles.map((r: any) => r.role),
        ['faculty', 'staff'],
      );
      assert.ok(!/password/i.test(res.body));
      await login(app, body.service_number as string, body.password);
      const rows = await audit(u.id);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].action, 'create');
      assert.equal(rows[0].actor_id, w.admin.id);
      assert.ok(!JSON.stringify(rows[0]).includes('Maria-Lopez-Pass-1'));
    });

    it('should email an account-setup code when created without a password', async () => {
      const body = newUserBody({
        password: undefined,
        roles: [{ role: 'staff', organization_id: w.org.id }],
      });
      const res = await call(app, 'POST', '/api/v1/users', { token: w.admin.token, body });
      expectStatus(res, 201);
      expectError(
        await call(app, 'POST', '/api/v1/auth/login', { body: { username: body.username, password: 'x' } }),
        401,
      );
      const code = await latestCode(app, body.email, /set up/i);
      const r = await call(app, 'POST', '/api/v1/auth/reset-password', {
        body: { email: body.email, otp: code, new_password: 'First-Own-Pass-12' },
      });
      expectStatus(r, 200);
      await login(app, body.username, 'First-Own-Pass-12');
    });

    it('should return 400 with field details, 409 on a duplicate username', async () => {
      const bad = await call(app, 'POST', '/api/v1/users', {
        token: w.admin.token,
        body: { username: 'X', email: 'bad', full_name: 'A', organization_id: 'nope', is_admin: true },
      });
      expectError(bad, 400, 'validation_failed');
      const fields = bad.data.error.details.map((d: any) => d.field);
      for (const f of ['username', 'email', 'organization_id', 'is_admin']) assert.ok(fields.includes(f), f);
      const body = newUserBody();
      expectStatus(await call(app, 'POST', '/api/v1/users', { token: w.admin.token, body }), 201);
      const dup = await call(app, 'POST', '/api/v1/users', {
        token: w.admin.token,
        body: { ...body, email: `x.${body.email}` },
      });
      expectError(dup, 409, 'conflict');
    });

    it('should answer 401 without a token and 403 for staff', async () => {
      expectError(await call(app, 'POST', '/api/v1/users', { body: newUserBody() }), 401);
      const staff = await makeUser(app, w.org, 'staff');
      expectError(
        await call(app, 'POST', '/api/v1/users', { token: staff.token, body: newUserBody() }),
        403,
        'forbidden',
      );
    });

    it('should answer 404 for a home organization or a role organization outside scope', async () => {
      expectError(
        await call(app, 'POST', '/api/v1/users', {
          token: w.admin.token,
          body: newUserBody({ organization_id: w.otherOrg.id }),
        }),
        404,
        'not_found',
      );
      expectError(
        await call(app, 'POST', '/api/v1/users', {
          token: w.admin.token,
          body: newUserBody({ roles: [{ role: 'admin', organization_id: w.otherOrg.id }] }),
        }),
        404,
        'not_found',
      );
    });
  });

  describe('GET /users', () => {
    it('should filter by search, role, is_active and organization_id, within scope only', async () => {
      const school = await makeChildOrg(app, w.org, 'school');
      const tag = uniq('zq');
      const mk = async (role: string, org: { id: string }, extra: Record<string, unknown> = {}) => {
        const body = newUserBody({
          full_name: `Person ${tag} ${role}`,
          organization_id: org.id,
          roles: [{ role, organization_id: org.id }],
          ...extra,
        });
        const res = await call(app, 'POST', '/api/v1/users', { token: w.admin.token, body });
        expectStatus(res, 201);
        return res.data.data;
      };
      const teacher = await mk('faculty', school);
      const parent = await mk('parent', w.org);
      const gone = await mk('student', school);
      expectStatus(await call(app, 'DELETE', `/api/v1/users/${gone.id}`, { token: w.admin.token }), 204);
      // A same-named user in another tenant must never appear.
      await call(app, 'POST', '/api/v1/users', {
        token: w.otherAdmin.token,
        body: { ...newUserBody({ full_name: `Person ${tag} foreign`, organization_id: w.otherOrg.id }) },
      });

      const q = (query: Record<string, string | number | boolean>) =>
        call(app, 'GET', '/api/v1/users', { token: w.admin.token, query: { search: tag, ...query } });
      const all = await q({});
      expectStatus(all, 200);
      assert.deepEqual(all.data.data.map((u: any) => u.id).sort(), [teacher.id, parent.id, gone.id].sort());
      assert.equal(all.data.meta.total, 3);
      assert.equal(all.data.meta.page, 1);
      const ids = async (query: Record<string, string | number | boolean>) =>
        (await q(query)).data.data.map((u: any) => u.id).sort();
      assert.deepEqual(await ids({ role: 'faculty' }), [teacher.id]);
      assert.deepEqual(await ids({ is_active: false }), [gone.id]);
      assert.deepEqual(await ids({ is_active: true }), [teacher.id, parent.id].sort());
      assert.deepEqual(await ids({ organization_id: school.id }), [teacher.id, gone.id].sort());
      const paged = await q({ page_size: 2, page: 2 });
      assert.equal(paged.data.data.length, 1);
      assert.equal(paged.data.meta.has_prev_page, true);
      assert.equal(paged.data.meta.has_next_page, false);
      // The other tenant sees none of ours.
      const theirs = await call(app, 'GET', '/api/v1/users', {
        token: w.otherAdmin.token,
        query: { search: tag },
      });
      assert.deepEqual(
        theirs.data.data.map((u: any) => u.full_name),
        [`Person ${tag} foreign`],
      );
    });

    it('should let staff and principals read, but answer 403 to faculty and students, 401 without token', async () => {
      const staff = await makeUser(app, w.org, 'staff');
      expectStatus(await call(app, 'GET', '/api/v1/users', { token: staff.token }), 200);
      const student = await makeUser(app, w.org, 'student');
      expectError(await call(app, 'GET', '/api/v1/users', { token: student.token }), 403, 'forbidden');
      const faculty = await makeUser(app, w.org, 'faculty');
      expectError(await call(app, 'GET', '/api/v1/users', { token: faculty.token }), 403, 'forbidden');
      expectError(await call(app, 'GET', '/api/v1/users'), 401, 'unauthenticated');
    });

    it('should answer 400 for page_size over 100 and unknown filters', async () => {
      const res = await call(app, 'GET', '/api/v1/users', {
        token: w.admin.token,
        query: { page_size: 101, colour: 'red' },
      });
      expectError(res, 400, 'validation_failed');
      const fields = res.data.error.details.map((d: any) => d.field);
      assert.ok(fields.includes('page_size') && fields.includes('colour'));
    });
  });

  describe('GET /users/:id', () => {
    it('should get a user in scope, 404 outside, 400 bad id, 403 for a student', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      const res = await call(app, 'GET', `/api/v1/users/${u.id}`, { token: w.admin.token });
      expectStatus(res, 200);
      assert.equal(res.data.data.id, u.id);
      assert.deepEqual(res.data.data.roles, [{ role: 'faculty', organization_id: w.org.id }]);
      expectError(
        await call(app, 'GET', `/api/v1/users/${w.otherAdmin.id}`, { token: w.admin.token }),
        404,
        'not_found',
      );
      expectError(
        await call(app, 'GET', '/api/v1/users/123', { token: w.admin.token }),
        400,
        'validation_failed',
      );
      const student = await makeUser(app, w.org, 'student');
      expectError(await call(app, 'GET', `/api/v1/users/${u.id}`, { token: student.token }), 403);
      expectError(await call(app, 'GET', `/api/v1/users/${u.id}`), 401);
    });
  });

  describe('PATCH /users/:id', () => {
    it('should update fields and audit only what changed', async () => {
      const u = await makeUser(app, w.org, 'faculty', { fullName: 'Tom Becker' });
      const res = await call(app, 'PATCH', `/api/v1/users/${u.id}`, {
        token: w.admin.token,
        body: { full_name: 'Thomas Becker', service_number: uniq('EMP-') },
      });
      expectStatus(res, 200);
      assert.equal(res.data.data.full_name, 'Thomas Becker');
      const rows = await audit(u.id);
      const upd = rows.find((r) => r.action === 'update');
      assert.deepEqual(upd.changed_fields.sort(), ['full_name', 'service_number']);
      assert.equal(upd.before.full_name, 'Tom Becker');
      assert.equal(upd.after.full_name, 'Thomas Becker');
    });

    it('should answer 400 for an empty or unknown body, 404 outside scope, 403 for staff, 422 self-deactivation', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      expectError(await call(app, 'PATCH', `/api/v1/users/${u.id}`, { token: w.admin.token, body: {} }), 400);
      const extra = await call(app, 'PATCH', `/api/v1/users/${u.id}`, {
        token: w.admin.token,
        body: { password_hash: 'x' },
      });
      expectError(extra, 400, 'validation_failed');
      assert.equal(extra.data.error.details[0].field, 'password_hash');
      expectError(
        await call(app, 'PATCH', `/api/v1/users/${w.otherAdmin.id}`, {
          token: w.admin.token,
          body: { full_name: 'X' },
        }),
        404,
      );
      const staff = await makeUser(app, w.org, 'staff');
      expectError(
        await call(app, 'PATCH', `/api/v1/users/${u.id}`, { token: staff.token, body: { full_name: 'X' } }),
        403,
      );
      expectError(
        await call(app, 'PATCH', `/api/v1/users/${w.admin.id}`, {
          token: w.admin.token,
          body: { is_active: false },
        }),
        422,
        'cannot_deactivate_self',
      );
      expectError(await call(app, 'PATCH', `/api/v1/users/${u.id}`, { body: { full_name: 'X' } }), 401);
    });
  });

  describe('DELETE /users/:id', () => {
    it('should deactivate: sessions revoked, login refused, history kept', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      expectStatus(await call(app, 'DELETE', `/api/v1/users/${u.id}`, { token: w.admin.token }), 204);
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
      expectError(
        await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } }),
        401,
      );
      expectError(
        await call(app, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } }),
        401,
        'invalid_credentials',
      );
      const got = await call(app, 'GET', `/api/v1/users/${u.id}`, { token: w.admin.token });
      assert.equal(got.data.data.is_active, false);
    });

    it('should answer 404 outside scope, 403 for staff, 401 without token', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      expectError(
        await call(app, 'DELETE', `/api/v1/users/${w.otherAdmin.id}`, { token: w.admin.token }),
        404,
      );
      const staff = await makeUser(app, w.org, 'staff');
      expectError(await call(app, 'DELETE', `/api/v1/users/${u.id}`, { token: staff.token }), 403);
      expectError(await call(app, 'DELETE', `/api/v1/users/${u.id}`), 401);
      expectError(await call(app, 'DELETE', '/api/v1/users/zzz', { token: w.admin.token }), 400);
    });
  });

  describe('POST /users/:id/reset-password', () => {
    it('should set a password directly and sign the user out', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      const res = await call(app, 'POST', `/api/v1/users/${u.id}/reset-password`, {
        token: w.admin.token,
        body: { new_password: 'Set-By-Admin-2026' },
      });
      expectStatus(res, 200);
      assert.equal(res.data.data.result, 'password_set');
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
      await login(app, u.username, 'Set-By-Admin-2026');
      assert.ok((await audit(u.id)).some((r) => r.action === 'reset_password'));
    });

    it('should email a reset code when no password is given', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      const res = await call(app, 'POST', `/api/v1/users/${u.id}/reset-password`, {
        token: w.admin.token,
        body: {},
      });
      expectStatus(res, 200);
      assert.equal(res.data.data.result, 'code_sent');
      const code = await latestCode(app, u.email, /reset/i);
      expectStatus(
        await call(app, 'POST', '/api/v1/auth/reset-password', {
          body: { email: u.email, otp: code, new_password: 'Chosen-By-User-1' },
        }),
        200,
      );
      await login(app, u.username, 'Chosen-By-User-1');
    });

    it('should answer 400, 401, 403 and 404 (outside scope)', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      const url = `/api/v1/users/${u.id}/reset-password`;
      expectError(
        await call(app, 'POST', url, { token: w.admin.token, body: { new_password: 'short' } }),
        400,
      );
      expectError(await call(app, 'POST', url, { body: {} }), 401);
      const staff = await makeUser(app, w.org, 'staff');
      expectError(await call(app, 'POST', url, { token: staff.token, body: {} }), 403);
      expectError(
        await call(app, 'POST', `/api/v1/users/${w.otherAdmin.id}/reset-password`, {
          token: w.admin.token,
          body: {},
        }),
        404,
      );
    });
  });

  describe('roles', () => {
    it('should grant and revoke a role, with audit rows', async () => {
      const school = await makeChildOrg(app, w.org, 'school');
      const u = await makeUser(app, w.org, 'faculty');
      const url = `/api/v1/users/${u.id}/roles`;
      const g = await call(app, 'POST', url, {
        token: w.admin.token,
        body: { role: 'principal', organization_id: school.id },
      });
      expectStatus(g, 200);
      assert.ok(
        g.data.data.roles.some((r: any) => r.role === 'principal' && r.organization_id === school.id),
      );
      // The new grant applies to the user's next request.
      expectStatus(await call(app, 'GET', '/api/v1/users', { token: u.token }), 200);
      const r = await call(app, 'DELETE', url, {
        token: w.admin.token,
        body: { role: 'principal', organization_id: school.id },
      });
      expectStatus(r, 200);
      assert.deepEqual(r.data.data.roles, [{ role: 'faculty', organization_id: w.org.id }]);
      expectError(await call(app, 'GET', '/api/v1/users', { token: u.token }), 403);
      const actions = (await audit(u.id)).map((x) => x.action);
      assert.ok(actions.includes('grant_role') && actions.includes('revoke_role'));
    });

    it('should answer 404 when granting in an organization outside scope or for a user outside scope', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      expectError(
        await call(app, 'POST', `/api/v1/users/${u.id}/roles`, {
          token: w.admin.token,
          body: { role: 'admin', organization_id: w.otherOrg.id },
        }),
        404,
      );
      expectError(
        await call(app, 'POST', `/api/v1/users/${w.otherAdmin.id}/roles`, {
          token: w.admin.token,
          body: { role: 'staff', organization_id: w.org.id },
        }),
        404,
      );
      expectError(
        await call(app, 'DELETE', `/api/v1/users/${u.id}/roles`, {
          token: w.admin.token,
          body: { role: 'parent', organization_id: w.org.id },
        }),
        404,
      );
    });

    it('should answer 400 for a bad role, 401, 403 for staff, 422 for removing your own admin role', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      const url = `/api/v1/users/${u.id}/roles`;
      const bad = await call(app, 'POST', url, {
        token: w.admin.token,
        body: { role: 'king', organization_id: w.org.id },
      });
      expectError(bad, 400, 'validation_failed');
      assert.equal(bad.data.error.details[0].field, 'role');
      expectError(await call(app, 'POST', url, { body: { role: 'staff', organization_id: w.org.id } }), 401);
      const staff = await makeUser(app, w.org, 'staff');
      expectError(
        await call(app, 'POST', url, {
          token: staff.token,
          body: { role: 'staff', organization_id: w.org.id },
        }),
        403,
      );
      expectError(
        await call(app, 'DELETE', `/api/v1/users/${w.admin.id}/roles`, {
          token: w.admin.token,
          body: { role: 'admin', organization_id: w.org.id },
        }),
        422,
        'cannot_remove_own_admin',
      );
    });
  });
});
