import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type App, buildTwoInstances, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';

/**
 * Two API processes sharing one database (and Redis): a logout, a refresh-token reuse or a deactivation seen
 * by one must be enforced by the other at once.
 */
function sharedRevocationSuite(name: string, env: Record<string, string>, skip: string | false) {
  describe(name, { skip }, () => {
    let a: App;
    let b: App;
    let w: Awaited<ReturnType<typeof makeWorld>>;
    before(async () => {
      [a, b] = await buildTwoInstances(env);
      w = await makeWorld(a);
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('should refuse on instance B an access token logged out on instance A', async () => {
      const u = await makeUser(a, w.org, 'staff');
      expectStatus(await call(b, 'GET', '/api/v1/auth/me', { token: u.token }), 200);
      expectStatus(await call(a, 'POST', '/api/v1/auth/logout', { token: u.token }), 204);
      expectError(await call(b, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
      expectError(
        await call(b, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } }),
        401,
      );
    });

    it('should kill the family on instance B when a refresh token is reused on instance A', async () => {
      const u = await makeUser(a, w.org, 'staff');
      const r1 = await call(b, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } });
      expectStatus(r1, 200);
      expectError(
        await call(a, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refreshToken } }),
        401,
        'refresh_token_reused',
      );
      expectError(await call(b, 'GET', '/api/v1/auth/me', { token: r1.data.data.access_token }), 401);
    });

    it('should refuse on instance B the sessions of a user deactivated on instance A', async () => {
      const u = await makeUser(a, w.org, 'faculty');
      const res = await call(a, 'DELETE', `/api/v1/users/${u.id}`, { token: w.admin.token });
      expectStatus(res, 204);
      expectError(await call(b, 'GET', '/api/v1/auth/me', { token: u.token }), 401);
    });

    it('should use the Redis denylist when Redis is configured', { skip: !env.REDIS_URL }, async () => {
      const u = await makeUser(a, w.org, 'staff');
      const me = await call(a, 'GET', '/api/v1/auth/verify-token', { token: u.token });
      await call(a, 'POST', '/api/v1/auth/logout', { token: u.token });
      assert.equal(await b.deps.revocations.isSessionRevoked(me.data.data.session_id), true);
    });
  });
}

const redisUrl = process.env.TEST_REDIS_URL;
sharedRevocationSuite(
  'auth: revocation across two instances (database + Redis)',
  { REDIS_URL: redisUrl ?? '' },
  !redisUrl || !isPostgres() ? 'needs DATABASE_URL and TEST_REDIS_URL' : false,
);
sharedRevocationSuite(
  'auth: revocation across two instances (database only)',
  {},
  !isPostgres() ? 'needs DATABASE_URL (two processes cannot share one in-memory PGlite)' : false,
);
