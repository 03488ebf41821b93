import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { users } from '../src/modules/users/users.table.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { login, makeRootOrg, makeUser, makeWorld, PASSWORD } from './helpers/factories.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

describe('auth: register, login, tokens, sessions', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MINUTES: '15' });
    w = await makeWorld(app);
  });
  after(() => app.close());

  describe('POST /auth/register', () => {
    it('should register a student in an organization that allows self-registration', async () => {
      const org = await makeRootOrg(app, 'university');
      await app.deps.db.execute(
        sql`update organizations set allow_self_registration = true where id = ${org.id}`,
      );
      const username = uniq('new.');
      const res = await call(app, 'POST', '/api/v1/auth/register', {
        body: {
          username,
          email: `${username}@example.test`,
          password: 'A-long-enough-pass',
          full_name: 'Nadia Okafor',
          organization_id: org.id,
        },
      });
      expectStatus(res, 201);
      assert.equal(res.data.data.username, username);
      assert.deepEqual(res.data.data.roles, [{ role: 'student', organization_id: org.id }]);
      assert.equal(res.data.data.email_verified, false);
      assert.equal(res.data.data.password_hash, undefined);
      await login(app, username, 'A-long-enough-pass');
      // Same username again → 409 with the field named.
      const dup = await call(app, 'POST', '/api/v1/auth/register', {
        body: {
          username,
          email: `other.${username}@example.test`,
          password: 'A-long-enough-pass',
          full_name: 'Someone Else',
          organization_id: org.id,
        },
      });
      expectError(dup, 409, 'conflict');
    });

    it('should refuse an organization that does not allow it (422)', async () => {
      const username = uniq('new.');
      const res = await call(app, 'POST', '/api/v1/auth/register', {
        body: {
          username,
          email: `${username}@example.test`,
          password: 'A-long-enough-pass',
          full_name: 'Nadia Okafor',
          organization_id: w.org.id,
        },
      });
      expectError(res, 422, 'registration_closed');
    });

    it('should return 400 with field details for a bad body', async () => {
      const res = await call(app, 'POST', '/api/v1/auth/register', {
        body: { username: 'A B', email: 'not-an-email', password: 'short', full_name: '', role: 'admin' },
      });
      expectError(res, 400, 'validation_failed');
      const fields = res.data.error.details.map((d: any) => d.field);
      for (const f of ['username', 'email', 'password', 'full_name', 'role'])
        assert.ok(fields.includes(f), f);
    });

    it('should answer 403 when self-registration is turned off', async () => {
      const closed = await buildTestApp({ ALLOW_SELF_REGISTRATION: 'false' });
      try {
        const res = await call(closed, 'POST', '/api/v1/auth/register', {
          body: {
            username: uniq('x.'),
            email: `${uniq()}@example.test`,
            password: 'A-long-enough-pass',
            full_name: 'X',
          },
        });
        expectError(res, 403, 'forbidden');
      } finally {
        await closed.close();
      }
    });
  });

  describe('POST /auth/login', () => {
    it('should sign in by username, by email and by service number', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const sn = uniq('SN-');
      await app.deps.db.update(users).set({ serviceNumber: sn }).where(eq(users.id, u.id));
      for (const id of [u.username, u.email.toUpperCase(), sn]) {
        const res = await call(app, 'POST', '/api/v1/auth/login', {
          body: { username: id, password: PASSWORD },
        });
        expectStatus(res, 200);
        assert.equal(res.data.data.token_type, 'Bearer');
        assert.equal(res.data.data.user.id, u.id);
        assert.ok(res.data.data.refresh_token.length > 20);
        assert.ok(res.data.data.expires_in > 0);
      }
    });

    it('should fail with the same code and message for an unknown user and a wrong password', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const unknown = await call(app, 'POST', '/api/v1/auth/login', {
        body: { username: uniq('nobody.'), password: PASSWORD },
      });
      const wrong = await call(app, 'POST', '/api/v1/auth/login', {
        body: { username: u.username, password: 'wrong-password' },
      });
      expectError(unknown, 401, 'invalid_credentials');
      expectError(wrong, 401, 'invalid_credentials');
      assert.equal(unknown.data.error.message, wrong.data.error.message);
    });

    it('should return 400 with field details for a missing password', async () => {
      const res = await call(app, 'POST', '/api/v1/auth/login', { body: { username: 'someone' } });
      expectError(res, 400, 'validation_failed');
      assert.ok(res.data.error.details.some((d: any) => d.field === 'password'));
    });

    it('should lock the account after LOGIN_MAX_FAILURES failures, even for the right password, until it expires', async () => {
      const u = await makeUser(app, w.org, 'faculty');
      for (let i = 0; i < 3; i++) {
        const r = await call(app, 'POST', '/api/v1/auth/login', {
          body: { username: u.username, password: 'nope-nope' },
        });
        expectError(r, 401, 'invalid_credentials');
      }
      const locked = await call(app, 'POST', '/api/v1/auth/login', {
        body: { username: u.username, password: PASSWORD },
      });
      expectError(locked, 401, 'invalid_credentials');
      const [row] = await app.deps.db.select().from(users).where(eq(users.id, u.id));
      assert.ok(row.lockedUntil && row.lockedUntil.getTime() > Date.now() + 14 * 60_000);
      // Let the lock expire.
      await app.deps.db
        .update(users)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(users.id, u.id));
      await login(app, u.username, PASSWORD);
    });

    it('should refuse a deactivated user with the generic message', async () => {
      const u = await makeUser(app, w.org, 'staff');
      await app.deps.db.update(users).set({ isActive: false }).where(eq(users.id, u.id));
      const res = await call(app, 'POST', '/api/v1/auth/login', {
        body: { username: u.username, password: PASSWORD },
      });
      expectError(res, 401, 'invalid_credentials');
    });
  });

  describe('POST /auth/refresh', () => {
    it('should rotate: the new pair works and the old refresh token is spent', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const r1 = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } });
      expectStatus(r1, 200);
      assert.notEqual(r1.data.data.refresh_token, u.refreshToken);
      expectStatus(await call(app, 'GET', '/api/v1/auth/me', { token: r1.data.data.access_token }), 200);
      const r2 = await call(app, 'POST', '/api/v1/auth/refresh', {
        body: { refresh_token: r1.data.data.refresh_token },
      });
      expectStatus(r2, 200);
    });

    it('should kill the whole family when a refresh token is used twice', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const r1 = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } });
      expectStatus(r1, 200);
      const reuse = await call(app, 'POST', '/api/v1/auth/refresh', {
        body: { refresh_token: u.refreshToken },
      });
      expectError(reuse, 401, 'refresh_token_reused');
      // The newer refresh token and the access tokens of that session are dead too.
      expectError(
        await call(app, 'POST', '/api/v1/auth/refresh', {
          body: { refresh_token: r1.data.data.refresh_token },
        }),
        401,
      );
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: r1.data.data.access_token }), 401);
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
      // Other sessions of the same user are untouched.
      const other = await login(app, u.username, PASSWORD);
      expectStatus(await call(app, 'GET', '/api/v1/auth/me', { token: other.token }), 200);
    });

    it('should answer 401 for an unknown refresh token and 400 for a malformed body', async () => {
      expectError(
        await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: 'x'.repeat(43) } }),
        401,
        'invalid_token',
      );
      const bad = await call(app, 'POST', '/api/v1/auth/refresh', { body: { token: 'abc' } });
      expectError(bad, 400, 'validation_failed');
      const fields = bad.data.error.details.map((d: any) => d.field);
      assert.ok(fields.includes('refresh_token') && fields.includes('token'));
    });
  });

  describe('POST /auth/logout', () => {
    it('should revoke the access token and its refresh token at once', async () => {
      const u = await makeUser(app, w.org, 'staff');
      expectStatus(await call(app, 'POST', '/api/v1/auth/logout', { token: u.token }), 204);
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
      expectError(
        await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } }),
        401,
      );
    });

    it('should answer 401 without a token', async () => {
      expectError(await call(app, 'POST', '/api/v1/auth/logout'), 401, 'unauthenticated');
    });
  });

  describe('GET /auth/me and /auth/verify-token', () => {
    it('should return the user with roles, never secrets', async () => {
      const u = await makeUser(app, w.org, 'principal');
      const res = await call(app, 'GET', '/api/v1/auth/me', { token: u.token });
      expectStatus(res, 200);
      assert.equal(res.data.data.id, u.id);
      assert.deepEqual(res.data.data.roles, [{ role: 'principal', organization_id: w.org.id }]);
      assert.ok(!/password|hash/i.test(res.body));
      const v = await call(app, 'GET', '/api/v1/auth/verify-token', { token: u.token });
      expectStatus(v, 200);
      assert.equal(v.data.data.valid, true);
      assert.equal(v.data.data.user_id, u.id);
    });

    it('should answer 401 for missing, garbage and foreign-signed tokens', async () => {
      expectError(await call(app, 'GET', '/api/v1/auth/me'), 401, 'unauthenticated');
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: 'abc.def.ghi' }), 401, 'invalid_token');
      const other = await buildTestApp();
      try {
        const o = await makeUser(other, await makeRootOrg(other), 'admin');
        // Signed with another app's secret.
        expectError(
          await call(app, 'GET', '/api/v1/auth/verify-token', { token: o.token }),
          401,
          'invalid_token',
        );
      } finally {
        await other.close();
      }
    });
  });

  describe('POST /auth/change-password', () => {
    it('should change the password and sign out the other sessions only', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const second = await login(app, u.username, PASSWORD);
      const res = await call(app, 'POST', '/api/v1/auth/change-password', {
        token: u.token,
        body: { current_password: PASSWORD, new_password: 'Another-Good-Pass-7' },
      });
      expectStatus(res, 200);
      expectStatus(await call(app, 'GET', '/api/v1/auth/me', { token: u.token }), 200);
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: second.token }), 401);
      expectError(
        await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: second.refreshToken } }),
        401,
      );
      expectError(
        await call(app, 'POST', '/api/v1/auth/login', { body: { username: u.username, password: PASSWORD } }),
        401,
      );
      await login(app, u.username, 'Another-Good-Pass-7');
    });

    it('should answer 400 for a wrong current password or a short new one, 401 without a token', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const wrong = await call(app, 'POST', '/api/v1/auth/change-password', {
        token: u.token,
        body: { current_password: 'not-it-at-all', new_password: 'Another-Good-Pass-7' },
      });
      expectError(wrong, 400, 'invalid_password');
      assert.equal(wrong.data.error.details[0].field, 'current_password');
      const short = await call(app, 'POST', '/api/v1/auth/change-password', {
        token: u.token,
        body: { current_password: PASSWORD, new_password: 'short' },
      });
      expectError(short, 400, 'validation_failed');
      assert.equal(short.data.error.details[0].field, 'new_password');
      expectError(
        await call(app, 'POST', '/api/v1/auth/change-password', {
          body: { current_password: PASSWORD, new_password: 'Another-Good-Pass-7' },
        }),
        401,
      );
    });
  });

  describe('sessions', () => {
    it('should list sessions with device and IP, and DELETE revokes one', async () => {
      const u = await makeUser(app, w.org, 'staff');
      const ff = await call(app, 'POST', '/api/v1/auth/login', {
        body: { username: u.username, password: PASSWORD },
        headers: { 'user-agent': FIREFOX },
      });
      expectStatus(ff, 200);
      const list = await call(app, 'GET', '/api/v1/auth/sessions', { token: u.token });
      expectStatus(list, 200);
      assert.equal(list.data.data.length, 2);
      const firefox = list.data.data.find((s: any) => s.device === 'Firefox on Linux');
      assert.ok(firefox, list.body);
      assert.equal(firefox.ip, '127.0.0.1');
      assert.equal(firefox.user_agent, FIREFOX);
      assert.equal(firefox.current, false);
      assert.equal(list.data.data.filter((s: any) => s.current).length, 1);
      expectStatus(await call(app, 'DELETE', `/api/v1/auth/sessions/${firefox.id}`, { token: u.token }), 204);
      expectError(await call(app, 'GET', '/api/v1/auth/me', { token: ff.data.data.access_token }), 401);
      const after = await call(app, 'GET', '/api/v1/auth/sessions', { token: u.token });
      assert.equal(after.data.data.length, 1);
    });

    it("should answer 404 for another user's session, 400 for a bad id, 401 without a token", async () => {
      const u = await makeUser(app, w.org, 'staff');
      const other = await makeUser(app, w.org, 'staff');
      const theirs = await call(app, 'GET', '/api/v1/auth/sessions', { token: other.token });
      const sid = theirs.data.data[0].id;
      expectError(
        await call(app, 'DELETE', `/api/v1/auth/sessions/${sid}`, { token: u.token }),
        404,
        'not_found',
      );
      expectStatus(await call(app, 'GET', '/api/v1/auth/me', { token: other.token }), 200);
      const bad = await call(app, 'DELETE', '/api/v1/auth/sessions/not-a-uuid', { token: u.token });
      expectError(bad, 400, 'validation_failed');
      assert.equal(bad.data.error.details[0].field, 'id');
      expectError(await call(app, 'GET', '/api/v1/auth/sessions'), 401);
      expectError(await call(app, 'DELETE', `/api/v1/auth/sessions/${sid}`), 401);
    });
  });
});
