import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { type App, buildTestApp, isPostgres } from './helpers/app.js';
import { expectError } from './helpers/assert.js';
import { makeRootOrg, makeUser } from './helpers/factories.js';

const redisUrl = process.env.TEST_REDIS_URL;
/** An address of its own per run (TEST-NET-2), so runs sharing one Redis never meet. */
const addr = () => `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`;

function signIn(app: App, username: string, password: string, remoteAddress: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password }),
  });
}

describe('sign-in throttle: failed attempts per address, never successful ones', () => {
  const apps: App[] = [];
  after(() => Promise.all(apps.map((a) => a.close())));

  it('should let a classroom behind one address sign in at once, and stop guessing from it', async () => {
    const app = await buildTestApp({ RATE_LIMIT_AUTH_MAX: '3', LOGIN_MAX_FAILURES: '50' });
    apps.push(app);
    const org = await makeRootOrg(app, 'school');
    const pupils = await Promise.all(Array.from({ length: 10 }, () => makeUser(app, org, 'student')));
    const nat = addr();
    // Ten successful sign-ins from one address: more than RATE_LIMIT_AUTH_MAX, none refused.
    for (const p of pupils) assert.equal((await signIn(app, p.username, p.password, nat)).statusCode, 200);

    // Three failures (on different accounts) exhaust the address's budget ...
    for (const p of pupils.slice(0, 3)) {
      assert.equal((await signIn(app, p.username, 'wrong-password', nat)).statusCode, 401);
    }
    // ... after which even the right password is refused from there, with Retry-After,
    const blocked = await signIn(app, pupils[5].username, pupils[5].password, nat);
    expectError({ ...blocked, data: blocked.json() }, 429, 'rate_limited');
    assert.ok(Number(blocked.headers['retry-after']) >= 1);
    // ... while the same pupil signs in from another address.
    assert.equal((await signIn(app, pupils[5].username, pupils[5].password, addr())).statusCode, 200);
  });

  it('should share the failure count between API processes through Redis', {
    skip: !redisUrl || !isPostgres() ? 'needs DATABASE_URL and TEST_REDIS_URL' : false,
  }, async () => {
    const env = { RATE_LIMIT_AUTH_MAX: '2', REDIS_URL: redisUrl!, LOGIN_MAX_FAILURES: '50' };
    const a = await buildTestApp(env);
    const b = await buildTestApp(env);
    apps.push(a, b);
    const org = await makeRootOrg(a, 'school');
    const u = await makeUser(a, org, 'staff');
    const ip = addr();
    try {
      assert.equal((await signIn(a, u.username, 'nope-nope', ip)).statusCode, 401);
      assert.equal((await signIn(b, u.username, 'nope-nope', ip)).statusCode, 401);
      assert.equal((await signIn(a, u.username, u.password, ip)).statusCode, 429);
      assert.equal((await signIn(b, u.username, u.password, ip)).statusCode, 429);
    } finally {
      const r = new Redis(redisUrl!);
      await r.del(`registrar:login-fail:${ip}`);
      await r.quit();
    }
  });
});
