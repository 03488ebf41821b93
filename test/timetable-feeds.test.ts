import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { redactUrl, serializeRequest } from '../src/kernel/log-redaction.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';
import { validateICalendar } from './helpers/ical-validator.js';

const F = '/api/v1/timetable/feeds';

/** Calendar feed links: a secret URL per user and feed, hashed at rest, rotatable, revocable, read-only. */
describe('timetable: calendar feed links', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 2);
    const slot = await call(app, 'POST', '/api/v1/timetable-slots', {
      token: w.admin.token,
      body: { organization_id: w.org.id, day_of_week: 2, start_time: '10:00', end_time: '10:50' },
    });
    expectStatus(slot, 201);
    expectStatus(
      await call(app, 'POST', '/api/v1/timetable/generate', {
        token: w.admin.token,
        body: {
          effective_from: '2026-09-01',
          items: [{ class_id: w.cls.id, slot_id: slot.data.data.id, room_no: 'B-204' }],
        },
      }),
      201,
    );
  });
  after(() => app.close());

  const pathOf = (url: string) => new URL(url).pathname;
  const fetchFeed = (url: string) => app.inject({ method: 'GET', url: pathOf(url) });

  it('a student subscribes by URL without a Bearer token; only the hash is stored', async () => {
    const created = await call(app, 'POST', F, {
      token: w.students[0].token,
      body: { kind: 'student', target: w.students[0].id },
    });
    expectStatus(created, 201);
    const feed = created.data.data;
    assert.match(feed.url, /^http:\/\/localhost(:80)?\/api\/v1\/timetable\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    assert.equal(feed.webcal_url, feed.url.replace(/^http:/, 'webcal:'));
    const res = await fetchFeed(feed.url);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    const { events } = validateICalendar(res.body);
    assert.equal(events.length, 1);
    assert.equal(events[0].one('LOCATION'), 'B-204');

    const token = pathOf(feed.url)
      .split('/')
      .pop()!
      .replace(/\.ics$/, '');
    const rows = (await app.deps.db.execute(sql`select * from calendar_feeds where id = ${feed.id}`))
      .rows as Array<Record<string, unknown>>;
    assert.equal(rows[0].token_hash, createHash('sha256').update(token).digest('hex'));
    assert.ok(!JSON.stringify(rows).includes(token), 'the secret itself is not stored');

    const list = await call(app, 'GET', F, { token: w.students[0].token });
    expectStatus(list, 200);
    assert.deepEqual(
      list.data.data.map((f: any) => f.id),
      [feed.id],
    );
    assert.ok(!JSON.stringify(list.data).includes(token), 'listing never shows the secret');
    assert.equal(list.data.data[0].url, undefined);
    // Others' lists do not show it.
    const theirs = await call(app, 'GET', F, { token: w.students[1]?.token ?? w.parent.token });
    assert.equal(theirs.data?.data?.some((f: any) => f.id === feed.id) ?? false, false);
  });

  it('rotate replaces the secret (the old URL is 404); revoke ends it; a deactivated owner’s feed is 404', async () => {
    const feed = (
      await call(app, 'POST', F, { token: w.teacher.token, body: { kind: 'faculty', target: w.teacher.id } })
    ).data.data;
    assert.equal((await fetchFeed(feed.url)).statusCode, 200);
    const rotated = await call(app, 'POST', `${F}/${feed.id}/rotate`, { token: w.teacher.token });
    expectStatus(rotated, 200);
    assert.notEqual(rotated.data.data.url, feed.url);
    assert.equal((await fetchFeed(feed.url)).statusCode, 404);
    assert.equal((await fetchFeed(rotated.data.data.url)).statusCode, 200);
    // Someone else cannot rotate or revoke it.
    expectError(await call(app, 'POST', `${F}/${feed.id}/rotate`, { token: w.otherTeacher.token }), 404);
    expectError(await call(app, 'DELETE', `${F}/${feed.id}`, { token: w.admin.token }), 404);
    expectStatus(await call(app, 'DELETE', `${F}/${feed.id}`, { token: w.teacher.token }), 204);
    assert.equal((await fetchFeed(rotated.data.data.url)).statusCode, 404);

    const other = (
      await call(app, 'POST', F, {
        token: w.otherTeacher.token,
        body: { kind: 'faculty', target: w.otherTeacher.id },
      })
    ).data.data;
    assert.equal((await fetchFeed(other.url)).statusCode, 200);
    expectStatus(
      await call(app, 'PATCH', `/api/v1/users/${w.otherTeacher.userId}`, {
        token: w.admin.token,
        body: { is_active: false },
      }),
      200,
    );
    assert.equal((await fetchFeed(other.url)).statusCode, 404);
  });

  it('a link only to a feed you may read; read-only; bad secrets are 400/404', async () => {
    expectError(
      await call(app, 'POST', F, {
        token: w.students[0].token,
        body: { kind: 'student', target: w.outsider.id },
      }),
      404,
    );
    expectError(
      await call(app, 'POST', F, { token: w.students[0].token, body: { kind: 'room', target: 'B-204' } }),
      404,
    );
    expectError(
      await call(app, 'POST', F, { token: w.students[0].token, body: { kind: 'student', target: 'nope' } }),
      400,
    );
    expectError(await call(app, 'POST', F, { body: { kind: 'student', target: w.students[0].id } }), 401);
    const room = await call(app, 'POST', F, {
      token: w.admin.token,
      body: { kind: 'room', target: 'B-204' },
    });
    expectStatus(room, 201);
    const path = pathOf(room.data.data.url);
    assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 200);
    // The secret grants reading only: any other method needs a Bearer token (or does not exist).
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH'] as const) {
      assert.ok([401, 405].includes((await app.inject({ method, url: path })).statusCode), method);
    }
    assert.equal((await app.inject({ method: 'GET', url: path })).statusCode, 200);
    const unknown = await app.inject({ method: 'GET', url: `${F}/${'A'.repeat(43)}.ics` });
    assert.equal(unknown.statusCode, 404);
    const bad = await app.inject({ method: 'GET', url: `${F}/short.ics` });
    assert.equal(bad.statusCode, 400);
  });

  it('the secret never reaches the request log', () => {
    const secret = 'Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg';
    assert.equal(
      redactUrl(`/api/v1/timetable/feeds/${secret}.ics?x=1`),
      '/api/v1/timetable/feeds/[redacted].ics?x=1',
    );
    assert.equal(redactUrl('/api/v1/timetable/feeds'), '/api/v1/timetable/feeds');
    const logged = serializeRequest({
      method: 'GET',
      url: `/api/v1/timetable/feeds/${secret}.ics`,
      host: 'x',
      ip: '127.0.0.1',
      socket: { remotePort: 1 },
    } as any);
    assert.ok(!JSON.stringify(logged).includes(secret));
    // The app's logger uses that serializer for every request line.
    const sym = Object.getOwnPropertySymbols(app.log).find((s) => s.description === 'pino.serializers');
    assert.ok(sym, 'pino serializers symbol');
    assert.equal((app.log as any)[sym!].req, serializeRequest);
  });
});
