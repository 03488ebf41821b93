import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
// The app first: it loads the modules in the composition root's order (see test/helpers/grades.ts).
import '../src/app.js';
import { sql } from 'drizzle-orm';
import { acceptsEventStream } from '../src/modules/notifications/notifications-stream.routes.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectError } from './helpers/assert.js';
import { login, makeUser, makeWorld, type TestUser } from './helpers/factories.js';
import { listen, openStream } from './helpers/sse.js';

const V = '/api/v1';

/** A staff member of `org` sends `recipient` a notification through `app`; returns its id. */
async function sendTo(app: App, staff: TestUser, recipient: TestUser, title: string): Promise<string> {
  const res = await call(app, 'POST', `${V}/notifications`, {
    token: staff.token,
    body: { title, body: `${title} body`, target_audience: 'specific', target_ids: [recipient.id] },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.data.data.recipient_count, 1);
  return res.data.data.id;
}

describe('notifications: live stream', () => {
  let app: App;
  let base: string;
  let w: Awaited<ReturnType<typeof makeWorld>>;
  let staff: TestUser;
  let me: TestUser;
  let other: TestUser;
  before(async () => {
    app = await buildTestApp({
      NOTIFICATION_STREAMS_PER_USER: '2',
      NOTIFICATION_STREAM_HEARTBEAT_SECONDS: '1',
      NOTIFICATION_STREAM_RECHECK_SECONDS: '1',
    });
    w = await makeWorld(app);
    staff = await makeUser(app, w.org, 'staff');
    me = await makeUser(app, w.org, 'faculty');
    other = await makeUser(app, w.org, 'faculty');
    base = await listen(app);
  });
  after(() => app.close());

  it('delivers my new notifications within a second, only mine, with heartbeats', async () => {
    const s = await openStream(base, me.token);
    try {
      assert.equal(s.status, 200);
      assert.match(String(s.headers['content-type']), /^text\/event-stream/);
      assert.equal(s.headers['cache-control'], 'no-cache, no-store, no-transform');
      await s.waitFor(() => s.comments > 0, 2000, 'the connected comment');
      await sendTo(app, staff, other, 'Not for me');
      const id = await sendTo(app, staff, me, 'For me');
      const t0 = Date.now();
      const ev = await s.waitForEvent('notification', (d) => d.id === id, 1000);
      assert.ok(Date.now() - t0 < 1000);
      const data = JSON.parse(ev.data);
      assert.equal(data.title, 'For me');
      assert.equal(data.is_read, false);
      assert.match(ev.id ?? '', /^[0-9]+$/);
      assert.ok(s.events.every((e) => JSON.parse(e.data).title !== 'Not for me'));
      const beats = s.comments;
      await s.waitFor(() => s.comments > beats, 3000, 'a heartbeat');
    } finally {
      s.close();
    }
  });

  it('replays what was missed after Last-Event-ID, in order, without repeating', async () => {
    const s1 = await openStream(base, me.token);
    const first = await sendTo(app, staff, me, 'Before the drop');
    const seen = await s1.waitForEvent('notification', (d) => d.id === first);
    s1.close();
    await s1.waitForEnd();
    const missed = [await sendTo(app, staff, me, 'Missed 1'), await sendTo(app, staff, me, 'Missed 2')];
    const s2 = await openStream(base, me.token, { 'last-event-id': seen.id! });
    try {
      await s2.waitFor(() => s2.events.length >= 2, 2000, 'the replay');
      const got = s2.events.filter((e) => e.event === 'notification');
      assert.deepEqual(
        got.map((e) => JSON.parse(e.data).id),
        missed,
      );
      const ids = got.map((e) => Number(e.id));
      assert.ok(ids[0] > Number(seen.id) && ids[1] > ids[0]);
      // Live again after the replay.
      const live = await sendTo(app, staff, me, 'After the replay');
      await s2.waitForEvent('notification', (d) => d.id === live, 1000);
    } finally {
      s2.close();
    }
  });

  it('closes the stream of a session that logs out', async () => {
    const session = await login(app, me.username, me.password);
    const s = await openStream(base, session.token);
    await s.waitFor(() => s.comments > 0);
    const out = await call(app, 'POST', `${V}/auth/logout`, { token: session.token });
    assert.equal(out.statusCode, 204, out.body);
    const ev = await s.waitForEvent('close', () => true, 2000);
    assert.deepEqual(JSON.parse(ev.data), { reason: 'session_revoked' });
    await s.waitForEnd(2000);
    // The same token cannot reconnect.
    const again = await openStream(base, session.token);
    assert.equal(again.status, 401);
    assert.match(JSON.parse(await again.body).error.code, /^(token_revoked|invalid_token)$/);
  });

  it('closes a stream whose session ended without an announcement (the periodic re-check)', async () => {
    const session = await login(app, me.username, me.password);
    const v = await call(app, 'GET', `${V}/auth/verify-token`, { token: session.token });
    const s = await openStream(base, session.token);
    await s.waitFor(() => s.comments > 0);
    // Revoked in the database only, as a process that died before announcing it would leave it.
    await app.deps.db.execute(
      sql`update auth_sessions set revoked_at = now() where id = ${v.data.data.session_id}`,
    );
    const ev = await s.waitForEvent('close', () => true, 4000);
    assert.deepEqual(JSON.parse(ev.data), { reason: 'session_ended' });
    await s.waitForEnd(2000);
  });

  it('answers 401, 403, 400 and 406 in the error envelope, never the old 400 for a bad id', async () => {
    expectError(await call(app, 'GET', `${V}/notifications/stream`), 401, 'unauthenticated');
    const roleless = await makeUser(app, w.org, null);
    expectError(
      await call(app, 'GET', `${V}/notifications/stream`, { token: roleless.token }),
      403,
      'forbidden',
    );
    expectError(
      await call(app, 'GET', `${V}/notifications/stream`, {
        token: me.token,
        headers: { accept: 'text/event-stream', 'last-event-id': 'abc' },
      }),
      400,
      'validation_failed',
    );
    const json = await call(app, 'GET', `${V}/notifications/stream`, {
      token: me.token,
      headers: { accept: 'application/json' },
    });
    expectError(json, 406, 'not_acceptable');
  });

  it('reads Accept as clients send it', () => {
    for (const ok of [
      undefined,
      '',
      '*/*',
      'text/*',
      'text/event-stream',
      'application/json, text/event-stream;q=0.5',
    ])
      assert.ok(acceptsEventStream(ok), String(ok));
    for (const no of ['application/json', 'text/html', 'text/event-stream;q=0', 'image/*'])
      assert.ok(!acceptsEventStream(no), no);
  });

  it('bounds the open streams per user (429)', async () => {
    const a = await openStream(base, other.token);
    const b = await openStream(base, other.token);
    try {
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      const c = await openStream(base, other.token);
      assert.equal(c.status, 429);
      const body = JSON.parse(await c.body);
      assert.equal(body.error.code, 'rate_limited');
      assert.equal(typeof body.error.request_id, 'string');
    } finally {
      a.close();
      b.close();
    }
    // Closed streams free their places.
    await new Promise((r) => setTimeout(r, 100));
    const d = await openStream(base, other.token);
    assert.equal(d.status, 200);
    d.close();
  });
});

describe('notifications: streams end on server shutdown', () => {
  it('sends close (server_shutdown) and lets the server close', async () => {
    const app = await buildTestApp();
    const w = await makeWorld(app);
    const user = await makeUser(app, w.org, 'faculty');
    const s = await openStream(await listen(app), user.token);
    await s.waitFor(() => s.comments > 0);
    await app.close();
    const ev = await s.waitForEvent('close');
    assert.deepEqual(JSON.parse(ev.data), { reason: 'server_shutdown' });
    await s.waitForEnd();
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const transports: Array<[string, Record<string, string>, string | false]> = [
  [
    'Redis pub/sub',
    { REDIS_URL: redisUrl ?? '' },
    !redisUrl || !isPostgres() ? 'needs DATABASE_URL and TEST_REDIS_URL' : false,
  ],
  ['LISTEN/NOTIFY', {}, !isPostgres() ? 'needs DATABASE_URL (two instances on one database)' : false],
];

for (const [name, env, skip] of transports) {
  describe(`notifications: live across two API instances (${name})`, { skip }, () => {
    let a: App;
    let b: App;
    let baseB: string;
    let staff: TestUser;
    let me: TestUser;
    const sessions: string[] = [];
    before(async () => {
      // One deployment: the instances share the signing secret, as they share the database.
      const shared = { ...env, JWT_SECRET: randomBytes(32).toString('hex') };
      a = await buildTestApp(shared);
      b = await buildTestApp(shared);
      const w = await makeWorld(a);
      staff = await makeUser(a, w.org, 'staff');
      me = await makeUser(a, w.org, 'faculty');
      baseB = await listen(b);
      assert.equal(a.deps.pubsub.kind, env.REDIS_URL ? 'redis' : 'postgres');
    });
    after(async () => {
      // Logouts left revocation keys in Redis: remove them.
      if (a.deps.redis && sessions.length) {
        await a.deps.redis.del(...sessions.map((sid) => `registrar:revoked:sid:${sid}`));
      }
      await b.close();
      await a.close();
    });

    it('a notification created through instance A reaches an SSE client of instance B within one second', async () => {
      const s = await openStream(baseB, me.token);
      assert.equal(s.status, 200);
      try {
        await s.waitFor(() => s.comments > 0);
        const id = await sendTo(a, staff, me, `Across ${name}`);
        const t0 = Date.now();
        await s.waitForEvent('notification', (d) => d.id === id, 1000);
        assert.ok(Date.now() - t0 < 1000);
      } finally {
        s.close();
      }
    });

    it('a reconnect to B with Last-Event-ID gets what A created meanwhile', async () => {
      const s1 = await openStream(baseB, me.token);
      const first = await sendTo(a, staff, me, 'First');
      const seen = await s1.waitForEvent('notification', (d) => d.id === first);
      s1.close();
      const missed = await sendTo(a, staff, me, 'Missed');
      const s2 = await openStream(baseB, me.token, { 'last-event-id': seen.id! });
      try {
        await s2.waitForEvent('notification', (d) => d.id === missed, 2000);
      } finally {
        s2.close();
      }
    });

    it('a logout through A closes the stream held by B at once', async () => {
      const session = await login(a, me.username, me.password);
      const v = await call(a, 'GET', `${V}/auth/verify-token`, { token: session.token });
      sessions.push(v.data.data.session_id);
      const s = await openStream(baseB, session.token);
      await s.waitFor(() => s.comments > 0);
      await call(a, 'POST', `${V}/auth/logout`, { token: session.token });
      const ev = await s.waitForEvent('close', () => true, 2000);
      assert.deepEqual(JSON.parse(ev.data), { reason: 'session_revoked' });
      await s.waitForEnd(2000);
    });
  });
}
