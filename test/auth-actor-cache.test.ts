import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ActorCache, type CachedActor } from '../src/kernel/auth/actor-cache.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, buildTwoInstances, call, isPostgres } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { captureQueries } from './helpers/attendance.js';
import { makeUser, makeWorld } from './helpers/factories.js';

const V = '/api/v1';

function actor(userId: string, sessionId: string): CachedActor {
  return {
    userId,
    username: userId,
    email: `${userId}@example.test`,
    fullName: userId,
    organizationId: null,
    roles: [],
    allowedRegisterIds: [],
    sessionId,
  };
}

describe('auth: the actor cache (unit)', () => {
  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const c = new ActorCache(2, 60_000);
    for (const s of ['s1', 's2'])
      await c.load(s, 'u', async () => ({ actor: actor('u', s), sessionExpiresAt: 9e15 }));
    assert.ok(c.get('s1', 'u'), 's1 cached (and now most recently used)');
    await c.load('s3', 'u', async () => ({ actor: actor('u', 's3'), sessionExpiresAt: 9e15 }));
    assert.equal(c.size, 2);
    assert.equal(c.get('s2', 'u'), null, 'the least recently used went');
    assert.ok(c.get('s1', 'u'));
    assert.ok(c.get('s3', 'u'));
  });

  it('expires an entry after its lifetime or at its session expiry, whichever is sooner', async () => {
    let now = 1_000;
    const c = new ActorCache(10, 30_000, () => now);
    await c.load('a', 'u', async () => ({ actor: actor('u', 'a'), sessionExpiresAt: 9e15 }));
    await c.load('b', 'u', async () => ({ actor: actor('u', 'b'), sessionExpiresAt: 2_000 }));
    now = 1_999;
    assert.ok(c.get('b', 'u'));
    now = 2_000;
    assert.equal(c.get('b', 'u'), null, 'the session expired');
    assert.ok(c.get('a', 'u'));
    now = 31_000;
    assert.equal(c.get('a', 'u'), null, 'the lifetime ran out');
  });

  it('never serves an entry to another user, and evicts by session, by user and all', async () => {
    const c = new ActorCache(10, 60_000);
    const fill = (s: string, u: string) =>
      c.load(s, u, async () => ({ actor: actor(u, s), sessionExpiresAt: 9e15 }));
    await fill('s1', 'u1');
    assert.equal(c.get('s1', 'u2'), null);
    await Promise.all([fill('s1', 'u1'), fill('s2', 'u1'), fill('s3', 'u2')]);
    c.evictMessage('s:s3');
    assert.equal(c.get('s3', 'u2'), null);
    c.evictMessage('u:u1');
    assert.equal(c.size, 0);
    await Promise.all([fill('s1', 'u1'), fill('s3', 'u2')]);
    c.evictMessage('*');
    assert.equal(c.size, 0);
  });

  it('does not keep a load that an invalidation overtook (it may have read the old state)', async () => {
    const c = new ActorCache(10, 60_000);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const loading = c.load('s1', 'u1', async () => {
      await gate;
      return { actor: actor('u1', 's1'), sessionExpiresAt: 9e15 };
    });
    c.evict({ userId: 'u1' });
    release();
    assert.ok(await loading, 'the request itself is served');
    assert.equal(c.get('s1', 'u1'), null, 'but not cached');
  });

  it('is off with a zero lifetime: every request loads', async () => {
    const c = new ActorCache(10, 0);
    let loads = 0;
    for (let i = 0; i < 3; i++) {
      await c.load('s', 'u', async () => {
        loads++;
        return { actor: actor('u', 's'), sessionExpiresAt: 9e15 };
      });
    }
    assert.equal(loads, 3);
  });
});

describe('auth: the actor cache in one API process', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeWorld(app);
  });
  after(async () => {
    await app?.close();
  });

  it('serves an authenticated GET /students/{id} with ONE statement after the first request of a session', async () => {
    const s = await makeStudent(app, w.org);
    const staff = await makeUser(app, w.org, 'staff');
    const first = await captureQueries(app, async () => {
      expectStatus(await call(app, 'GET', `${V}/students/${s.id}`, { token: staff.token }), 200);
    });
    assert.ok(
      first.some((q) => /from users u\s+join auth_sessions/.test(q)),
      'the first loads the actor',
    );
    let res: any;
    const queries = await captureQueries(app, async () => {
      res = await call(app, 'GET', `${V}/students/${s.id}`, { token: staff.token });
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.id, s.id);
    assert.equal(queries.length, 1, `statements: ${queries.join('\n---\n')}`);
    assert.match(queries[0], /from "students"/);
  });

  it('serves page 1 of GET /students without a query for the managed organizations', async () => {
    const staff = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'GET', `${V}/students`, { token: staff.token }), 200);
    const queries = await captureQueries(app, async () => {
      expectStatus(await call(app, 'GET', `${V}/students`, { token: staff.token }), 200);
    });
    assert.ok(!queries.some((q) => /select "id" from "organizations"/.test(q)), queries.join('\n---\n'));
    assert.ok(!queries.some((q) => /auth_sessions/.test(q)), 'the actor came from the cache');
  });

  it('serves a filtered page of GET /students in ONE prepared statement, and a page past the end with its total', async () => {
    const staff = await makeUser(app, w.org, 'staff');
    const batch = 1900 + Math.floor(Math.random() * 90);
    const made = [];
    for (const last of ['Prepared-C', 'Prepared-A', 'Prepared-B']) {
      made.push(await makeStudent(app, w.org, { lastName: last, batchYear: batch }));
    }
    const list = (query: Record<string, unknown>) =>
      call(app, 'GET', `${V}/students`, { token: staff.token, query: { batch_year: batch, ...query } });
    expectStatus(await list({}), 200);
    let res: any;
    const queries = await captureQueries(app, async () => {
      res = await list({ page_size: 2 });
    });
    expectStatus(res, 200);
    assert.equal(queries.length, 1, queries.join('\n---\n'));
    assert.deepEqual(
      res.data.data.map((r: any) => r.last_name),
      ['Prepared-A', 'Prepared-B'],
    );
    assert.equal(res.data.meta.total, 3);
    // The same shape with other values: the same prepared statement, its own rows.
    const second = await list({ page: 2, page_size: 2 });
    assert.deepEqual(
      second.data.data.map((r: any) => r.id),
      [made[0].id],
    );
    // Past the end: no row carries the count, which a second statement gives.
    const past = await list({ page: 5, page_size: 2 });
    expectStatus(past, 200);
    assert.deepEqual(past.data.data, []);
    assert.equal(past.data.meta.total, 3);
    // Another organization's staff sees none of them (the scope is a placeholder too).
    const outsider = await makeUser(app, w.otherOrg, 'staff');
    const other = await call(app, 'GET', `${V}/students`, {
      token: outsider.token,
      query: { batch_year: batch },
    });
    assert.equal(other.data.meta.total, 0);
  });

  it('refuses at once a permission whose role was removed, and grants at once a role added', async () => {
    const u = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'GET', `${V}/students`, { token: u.token }), 200);
    const role = { role: 'staff', organization_id: w.org.id };
    expectStatus(
      await call(app, 'DELETE', `${V}/users/${u.id}/roles`, { token: w.admin.token, body: role }),
      200,
    );
    expectError(await call(app, 'GET', `${V}/students`, { token: u.token }), 403);
    expectStatus(
      await call(app, 'POST', `${V}/users/${u.id}/roles`, { token: w.admin.token, body: role }),
      200,
    );
    expectStatus(await call(app, 'GET', `${V}/students`, { token: u.token }), 200);
  });

  it('refuses at once a session logged out, and the sessions of a deactivated user', async () => {
    const u = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'GET', `${V}/auth/me`, { token: u.token }), 200);
    expectStatus(await call(app, 'POST', `${V}/auth/logout`, { token: u.token }), 204);
    expectError(await call(app, 'GET', `${V}/auth/me`, { token: u.token }), 401);
    const v = await makeUser(app, w.org, 'staff');
    expectStatus(await call(app, 'GET', `${V}/auth/me`, { token: v.token }), 200);
    expectStatus(await call(app, 'DELETE', `${V}/users/${v.id}`, { token: w.admin.token }), 204);
    expectError(await call(app, 'GET', `${V}/auth/me`, { token: v.token }), 401);
  });

  it('sees at once an organization created under a cached actor’s grant (its subtree grew)', async () => {
    const admin = await makeUser(app, w.org, 'admin');
    expectStatus(await call(app, 'GET', `${V}/students`, { token: admin.token }), 200);
    const org = await call(app, 'POST', `${V}/organizations`, {
      token: w.admin.token,
      body: { parent_id: w.org.id, kind: 'school', name: 'Cache School' },
    });
    expectStatus(org, 201);
    const s = await makeStudent(app, { id: org.data.data.id });
    const list = await call(app, 'GET', `${V}/students`, {
      token: admin.token,
      query: { organization_id: org.data.data.id },
    });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((r: { id: string }) => r.id),
      [s.id],
    );
  });
});

/** Two API processes sharing one database (and Redis): a role removed on A is refused on B within a second. */
function twoInstanceSuite(name: string, env: Record<string, string>, skip: string | false) {
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

    /** Polls `fn` on B until it answers `status`; returns the milliseconds it took (fails after 1 s). */
    async function within1s(fn: () => Promise<{ statusCode: number }>, status: number): Promise<number> {
      const t0 = Date.now();
      for (;;) {
        const res = await fn();
        const ms = Date.now() - t0;
        if (res.statusCode === status) return ms;
        assert.ok(ms < 1000, `still ${res.statusCode} after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('should refuse on instance B, within one second, a permission whose role was removed on A', async () => {
      const u = await makeUser(a, w.org, 'staff');
      expectStatus(await call(b, 'GET', `${V}/students`, { token: u.token }), 200);
      expectStatus(await call(b, 'GET', `${V}/students`, { token: u.token }), 200);
      assert.ok(b.deps.actors.size > 0, 'B has the actor cached');
      const role = { role: 'staff', organization_id: w.org.id };
      expectStatus(
        await call(a, 'DELETE', `${V}/users/${u.id}/roles`, { token: w.admin.token, body: role }),
        200,
      );
      const ms = await within1s(() => call(b, 'GET', `${V}/students`, { token: u.token }), 403);
      assert.ok(ms < 1000);
    });

    it('should serve on instance B, within one second, an organization created on A', async () => {
      const admin = await makeUser(a, w.org, 'admin');
      expectStatus(await call(b, 'GET', `${V}/students`, { token: admin.token }), 200);
      const org = await call(a, 'POST', `${V}/organizations`, {
        token: w.admin.token,
        body: { parent_id: w.org.id, kind: 'school', name: 'Remote School' },
      });
      expectStatus(org, 201);
      const s = await makeStudent(a, { id: org.data.data.id });
      await within1s(async () => {
        const res = await call(b, 'GET', `${V}/students`, {
          token: admin.token,
          query: { organization_id: org.data.data.id },
        });
        return { statusCode: res.data.data.some((r: { id: string }) => r.id === s.id) ? 200 : 0 };
      }, 200);
    });

    it('should refuse on instance B, within one second, a session logged out on A', async () => {
      const u = await makeUser(a, w.org, 'staff');
      expectStatus(await call(b, 'GET', `${V}/auth/me`, { token: u.token }), 200);
      expectStatus(await call(a, 'POST', `${V}/auth/logout`, { token: u.token }), 204);
      await within1s(() => call(b, 'GET', `${V}/auth/me`, { token: u.token }), 401);
    });
  });
}

const redisUrl = process.env.TEST_REDIS_URL;
twoInstanceSuite(
  'auth: actor cache across two instances (database + Redis)',
  { REDIS_URL: redisUrl ?? '' },
  !redisUrl || !isPostgres() ? 'needs DATABASE_URL and TEST_REDIS_URL' : false,
);
twoInstanceSuite(
  'auth: actor cache across two instances (database only: LISTEN/NOTIFY)',
  {},
  !isPostgres() ? 'needs DATABASE_URL (two processes cannot share one in-memory PGlite)' : false,
);
