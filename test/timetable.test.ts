import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { assignTeacher, enrollDirect, makeClass, makeCourse } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';
import { makeUser } from './helpers/factories.js';
import { validateICalendar } from './helpers/ical-validator.js';

const T = '/api/v1/timetable';
const S = '/api/v1/timetable-slots';
type W = Awaited<ReturnType<typeof makeAttendanceWorld>>;

describe('timetable', () => {
  let app: App;
  let w: W;
  let slots: Record<string, string>;
  let schedA: any;
  let schedB: any;
  let noRole: string;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 3);
    noRole = (await makeUser(app, w.org, null)).token;
    await app.deps.db.execute(
      sql`update organizations set timezone = 'America/New_York' where id = ${w.org.id}`,
    );
    const course = await makeCourse(app, w.org, { code: 'MATH-101', name: 'Algebra, Part I' });
    await app.deps.db.execute(sql`update classes set course_id = ${course.id} where id = ${w.cls.id}`);
    slots = {};
    for (const [k, day, start, end] of [
      ['mon9', 1, '09:00', '09:50'],
      ['mon930', 1, '09:30', '10:20'],
      ['tue9', 2, '09:00', '09:50'],
      ['spare', 6, '07:00', '07:45'],
    ] as const) {
      const r = await call(app, 'POST', S, {
        token: w.admin.token,
        body: { organization_id: w.org.id, day_of_week: day, start_time: start, end_time: end, name: k },
      });
      expectStatus(r, 201);
      slots[k] = r.data.data.id;
    }
    const gen = await call(app, 'POST', `${T}/generate`, {
      token: w.admin.token,
      body: {
        effective_from: '2026-09-01',
        effective_to: '2026-12-18',
        items: [
          { class_id: w.cls.id, slot_id: slots.mon9, room_no: 'R1' },
          { class_id: w.otherCls.id, slot_id: slots.mon9, room_no: 'R2' },
        ],
      },
    });
    expectStatus(gen, 201);
    [schedA, schedB] = gen.data.data;
    assert.equal(schedA.class_id, w.cls.id);
    assert.equal(schedA.course_code, 'MATH-101');
  });
  after(() => app.close());

  it('generate refuses every room, teacher and student-group clash (batch and existing), writing nothing', async () => {
    const c1 = await makeClass(app, w.org, { name: 'Clash by teacher and room' });
    await assignTeacher(app, w.teacher.id, c1.id);
    const c2 = await makeClass(app, w.org, { name: 'Clash by students' });
    await enrollDirect(app, w.students[1].id, c2);
    const c3 = await makeClass(app, w.org, { name: 'Clash in batch' });
    const before = await call(app, 'GET', T, { token: w.admin.token, query: { page_size: 100 } });
    const res = await call(app, 'POST', `${T}/generate`, {
      token: w.admin.token,
      body: {
        effective_from: '2026-09-01',
        items: [
          { class_id: c1.id, slot_id: slots.mon930, room_no: 'r1' },
          { class_id: c2.id, slot_id: slots.mon930, room_no: 'R3' },
          { class_id: c3.id, slot_id: slots.mon930, room_no: 'R3' },
          { class_id: c3.id, slot_id: slots.tue9, room_no: 'R3' },
        ],
      },
    });
    expectError(res, 422, 'timetable_conflicts');
    const got = res.data.error.details.map((d: any) => [
      d.index,
      d.type,
      d.clashes_with.source === 'existing' ? d.clashes_with.class_id : `item ${d.clashes_with.index}`,
    ]);
    assert.deepEqual(got, [
      [0, 'room', w.cls.id],
      [0, 'teacher', w.cls.id],
      [1, 'student_group', w.cls.id],
      [2, 'room', 'item 1'],
    ]);
    assert.equal(res.data.error.details[2].shared_students, 1);
    const after = await call(app, 'GET', T, { token: w.admin.token, query: { page_size: 100 } });
    assert.equal(after.data.meta.total, before.data.meta.total);
    // Unknown class/slot in the batch: 404 naming the item.
    const unknown = await call(app, 'POST', `${T}/generate`, {
      token: w.admin.token,
      body: { items: [{ class_id: w.students[0].id, slot_id: slots.tue9 }] },
    });
    expectError(unknown, 404);
    assert.equal(unknown.data.error.details[0].field, 'items.0.class_id');
  });

  it('weekly views for student, parent, faculty and room; faculty schedule', async () => {
    const mine = await call(app, 'GET', `${T}/student/${w.students[0].id}`, { token: w.students[0].token });
    expectStatus(mine, 200);
    assert.deepEqual(
      mine.data.data.map((s: any) => [s.class_id, s.day_of_week, s.start_time, s.room_no]),
      [[w.cls.id, 1, '09:00', 'R1']],
    );
    expectStatus(await call(app, 'GET', `${T}/student/${w.students[0].id}`, { token: w.parent.token }), 200);
    expectError(
      await call(app, 'GET', `${T}/student/${w.students[1].id}`, { token: w.students[0].token }),
      404,
    );
    const fac = await call(app, 'GET', `${T}/faculty/${w.teacher.id}`, { token: w.teacher.token });
    expectStatus(fac, 200);
    assert.equal(fac.data.data.length, 1);
    const sched = await call(app, 'GET', `/api/v1/faculty/${w.teacher.id}/schedule`, {
      token: w.admin.token,
    });
    assert.deepEqual(sched.data.data, fac.data.data);
    expectError(await call(app, 'GET', `${T}/faculty/${w.otherTeacher.id}`, { token: w.teacher.token }), 404);
    const room = await call(app, 'GET', `${T}/room/r2`, { token: w.teacher.token });
    expectStatus(room, 200);
    assert.equal(room.data.data[0].class_id, w.otherCls.id);
    expectError(await call(app, 'GET', `${T}/room/R2`, { token: w.otherAdmin.token }), 404);
    expectError(await call(app, 'GET', `${T}/room/R2`, { token: w.students[0].token }), 403);
  });

  it('reschedules cancel or move one meeting and the iCalendar feed shows EXDATEs and the moved event', async () => {
    const cancel = await call(app, 'POST', `/api/v1/classes/${w.cls.id}/reschedules`, {
      token: w.teacher.token,
      body: {
        schedule_id: schedA.id,
        original_date: '2026-10-12',
        action: 'cancel',
        reason: 'Holiday; school closed',
      },
    });
    expectStatus(cancel, 201);
    const move = await call(app, 'POST', `/api/v1/classes/${w.cls.id}/reschedules`, {
      token: w.teacher.token,
      body: {
        schedule_id: schedA.id,
        original_date: '2026-11-23',
        action: 'move',
        new_date: '2026-11-24',
        new_start_time: '14:00',
        new_end_time: '14:50',
        new_room_no: 'Lab 3',
      },
    });
    expectStatus(move, 201);
    expectError(
      await call(app, 'POST', `/api/v1/classes/${w.cls.id}/reschedules`, {
        token: w.teacher.token,
        body: { schedule_id: schedA.id, original_date: '2026-11-24', action: 'cancel' },
      }),
      422,
      'not_a_meeting_date',
    );
    expectError(
      await call(app, 'POST', `/api/v1/classes/${w.cls.id}/reschedules`, {
        token: w.teacher.token,
        body: { schedule_id: schedA.id, original_date: '2026-11-30', action: 'move' },
      }),
      422,
      'move_needs_new_time',
    );
    expectError(
      await call(app, 'POST', `/api/v1/classes/${w.cls.id}/reschedules`, {
        token: w.teacher.token,
        body: { schedule_id: schedA.id, original_date: '2026-10-12', action: 'cancel' },
      }),
      409,
    );
    const list = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/reschedules`, {
      token: w.students[0].token,
    });
    expectStatus(list, 200);
    assert.equal(list.data.data.length, 2);

    for (const [url, token] of [
      [`${T}/student/${w.students[0].id}.ics`, w.students[0].token],
      [`${T}/faculty/${w.teacher.id}.ics`, w.teacher.token],
      [`${T}/room/R1.ics`, w.admin.token],
    ] as const) {
      const res = await call(app, 'GET', url, { token });
      expectStatus(res, 200);
      assert.match(String(res.headers['content-type']), /^text\/calendar/);
      const { events } = validateICalendar(res.body);
      assert.equal(events.length, 2, url);
      const weekly = events.find((e) => e.one('UID') === `schedule-${schedA.id}@registrar`)!;
      assert.equal(weekly.one('RRULE'), 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261219T045900Z');
      assert.equal(weekly.get('DTSTART')[0].params.TZID, 'America/New_York');
      assert.equal(weekly.one('DTSTART'), '20260907T090000');
      assert.deepEqual(
        weekly.get('EXDATE').map((p) => p.value),
        ['20261012T090000', '20261123T090000'],
      );
      assert.equal(weekly.one('SUMMARY'), 'MATH-101 CS-101 Section A');
      const moved = events.find((e) => e.one('UID') === `reschedule-${move.data.data.id}@registrar`)!;
      assert.equal(moved.one('DTSTART'), '20261124T140000');
      assert.equal(moved.one('LOCATION'), 'Lab 3');
      assertImportsIntoCalendar(res.body, schedA.id, move.data.data.id);
    }
    expectError(
      await call(app, 'GET', `${T}/student/${w.students[1].id}.ics`, { token: w.students[0].token }),
      404,
    );
    expectError(await call(app, 'GET', `${T}/student/${w.students[0].id}.ics`), 401);
  });

  it('PUT /timetable/{id} re-checks clashes; slots CRUD', async () => {
    const clash = await call(app, 'PUT', `${T}/${schedA.id}`, {
      token: w.admin.token,
      body: { room_no: 'R2' },
    });
    expectError(clash, 422, 'timetable_conflicts');
    assert.equal(clash.data.error.details[0].clashes_with.schedule_id, schedB.id);
    const ok = await call(app, 'PUT', `${T}/${schedA.id}`, { token: w.admin.token, body: { room_no: 'R9' } });
    expectStatus(ok, 200);
    assert.equal(ok.data.data.room_no, 'R9');
    expectError(
      await call(app, 'PUT', `${T}/${schedA.id}`, { token: w.otherAdmin.token, body: { room_no: 'X' } }),
      404,
    );
    const list = await call(app, 'GET', T, { token: w.teacher.token, query: { room_no: 'r9' } });
    assert.equal(list.data.data.length, 1);
    const slot = await call(app, 'GET', `${S}/${slots.tue9}`, { token: w.students[0].token });
    expectStatus(slot, 200);
    const upd = await call(app, 'PUT', `${S}/${slots.tue9}`, {
      token: w.admin.token,
      body: { end_time: '09:55' },
    });
    expectStatus(upd, 200);
    assert.equal(upd.data.data.end_time, '09:55');
    expectError(
      await call(app, 'PUT', `${S}/${slots.tue9}`, { token: w.admin.token, body: { end_time: '08:00' } }),
      400,
    );
    expectError(await call(app, 'DELETE', `${S}/${slots.mon9}`, { token: w.admin.token }), 409);
    expectStatus(await call(app, 'DELETE', `${S}/${slots.tue9}`, { token: w.admin.token }), 204);
    const all = await call(app, 'GET', S, { token: w.admin.token, query: { organization_id: w.org.id } });
    assert.equal(all.data.meta.total, 3);
  });

  const matrix: Array<{
    name: string;
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: () => string;
    body?: () => unknown;
    bad: () => { url?: string; body?: unknown; query?: Record<string, string | number | boolean> };
    forbidden: () => string;
    out: () => { token: string; url?: string; body?: unknown; empty?: boolean };
  }> = [
    {
      name: 'POST /timetable-slots',
      method: 'POST',
      url: () => S,
      body: () => ({ organization_id: w.org.id, day_of_week: 5, start_time: '13:00', end_time: '14:00' }),
      bad: () => ({
        body: { organization_id: w.org.id, day_of_week: 8, start_time: '25:00', end_time: '1' },
      }),
      forbidden: () => w.teacher.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'GET /timetable-slots',
      method: 'GET',
      url: () => S,
      bad: () => ({ query: { day_of_week: 0 } }),
      forbidden: () => noRole,
      out: () => ({ token: w.otherAdmin.token, empty: true }),
    },
    {
      name: 'GET /timetable-slots/{id}',
      method: 'GET',
      url: () => `${S}/${slots.mon9}`,
      bad: () => ({ url: `${S}/x` }),
      forbidden: () => noRole,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'PUT /timetable-slots/{id}',
      method: 'PUT',
      url: () => `${S}/${slots.mon930}`,
      body: () => ({ name: 'Period 2' }),
      bad: () => ({ body: { slot_type: 'nap' } }),
      forbidden: () => w.teacher.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'POST /timetable/generate',
      method: 'POST',
      url: () => `${T}/generate`,
      body: () => ({
        items: [{ class_id: w.otherCls.id, slot_id: slots.mon930, room_no: 'Z1' }],
        effective_from: '2027-01-04',
      }),
      bad: () => ({ body: { items: [] } }),
      forbidden: () => w.teacher.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'GET /timetable',
      method: 'GET',
      url: () => T,
      bad: () => ({ query: { is_active: 'maybe' } }),
      forbidden: () => noRole,
      out: () => ({ token: w.otherAdmin.token, empty: true }),
    },
    {
      name: 'PUT /timetable/{id}',
      method: 'PUT',
      url: () => `${T}/${schedB.id}`,
      body: () => ({ effective_to: '2026-12-11' }),
      bad: () => ({ body: { effective_from: 'later' } }),
      forbidden: () => w.otherTeacher.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'GET /timetable/student/{id}',
      method: 'GET',
      url: () => `${T}/student/${w.students[0].id}`,
      bad: () => ({ url: `${T}/student/nope` }),
      forbidden: () => noRole,
      out: () => ({ token: w.outsider.token }),
    },
    {
      name: 'GET /timetable/faculty/{id}',
      method: 'GET',
      url: () => `${T}/faculty/${w.teacher.id}`,
      bad: () => ({ url: `${T}/faculty/nope` }),
      forbidden: () => noRole,
      out: () => ({ token: w.otherTeacher.token }),
    },
    {
      name: 'GET /timetable/room/{number}',
      method: 'GET',
      url: () => `${T}/room/R2`,
      bad: () => ({ url: `${T}/room/${'x'.repeat(41)}` }),
      forbidden: () => w.parent.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'GET /faculty/{id}/schedule',
      method: 'GET',
      url: () => `/api/v1/faculty/${w.teacher.id}/schedule`,
      bad: () => ({ url: '/api/v1/faculty/1/schedule' }),
      forbidden: () => noRole,
      out: () => ({ token: w.students[0].token }),
    },
    {
      name: 'GET /timetable/student/{id}.ics',
      method: 'GET',
      url: () => `${T}/student/${w.students[0].id}.ics`,
      bad: () => ({ url: `${T}/student/abc.ics` }),
      forbidden: () => noRole,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'GET /timetable/faculty/{id}.ics',
      method: 'GET',
      url: () => `${T}/faculty/${w.teacher.id}.ics`,
      bad: () => ({ url: `${T}/faculty/abc.ics` }),
      forbidden: () => noRole,
      out: () => ({ token: w.parent.token }),
    },
    {
      name: 'GET /timetable/room/{number}.ics',
      method: 'GET',
      url: () => `${T}/room/R2.ics`,
      bad: () => ({ url: `${T}/room/${'x'.repeat(41)}.ics` }),
      forbidden: () => w.students[0].token,
      out: () => ({ token: w.otherAdmin.token }),
    },
    {
      name: 'POST /classes/{id}/reschedules',
      method: 'POST',
      url: () => `/api/v1/classes/${w.otherCls.id}/reschedules`,
      body: () => ({ schedule_id: schedB.id, original_date: '2026-09-14', action: 'cancel' }),
      bad: () => ({ body: { schedule_id: schedB.id, original_date: '2026-09-14', action: 'postpone' } }),
      forbidden: () => w.students[0].token,
      out: () => ({ token: w.teacher.token }),
    },
    {
      name: 'GET /classes/{id}/reschedules',
      method: 'GET',
      url: () => `/api/v1/classes/${w.cls.id}/reschedules`,
      bad: () => ({ url: '/api/v1/classes/zzz/reschedules' }),
      forbidden: () => noRole,
      out: () => ({ token: w.outsider.token }),
    },
    {
      name: 'DELETE /timetable-slots/{id}',
      method: 'DELETE',
      url: () => `${S}/${slots.spare}`,
      bad: () => ({ url: `${S}/1` }),
      forbidden: () => w.teacher.token,
      out: () => ({ token: w.otherAdmin.token }),
    },
  ];

  for (const c of matrix) {
    it(`${c.name}: happy path, 400, 401, 403 and out-of-scope 404`, async () => {
      const bad = c.bad();
      const b = await call(app, c.method, bad.url ?? c.url(), { token: w.admin.token, ...bad });
      expectError(b, 400);
      assert.ok(b.data.error.details.length > 0, b.body);
      expectError(await call(app, c.method, c.url(), { body: c.body?.() }), 401);
      expectError(
        await call(app, c.method, c.url(), { token: c.forbidden(), body: c.body?.() }),
        403,
        'forbidden',
      );
      const o = c.out();
      const out = await call(app, c.method, o.url ?? c.url(), { token: o.token, body: c.body?.() });
      if (o.empty) {
        expectStatus(out, 200);
        assert.equal(out.data.data.length, 0);
      } else expectError(out, 404);
      const ok = await call(app, c.method, c.url(), { token: w.admin.token, body: c.body?.() });
      assert.ok([200, 201, 204].includes(ok.statusCode), `${c.name}: ${ok.statusCode} ${ok.body}`);
    });
  }
});

/**
 * Imports the feed with ical.js, the parser of Thunderbird's calendar, and checks what a calendar program
 * would show: the weekly meetings expanded with the cancelled and moved dates left out, in the right zone.
 */
function assertImportsIntoCalendar(ics: string, scheduleId: string, rescheduleId: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevents = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const weekly = vevents.find((e) => e.uid === `schedule-${scheduleId}@registrar`)!;
  assert.ok(weekly.isRecurring());
  const it = weekly.iterator();
  const dates: string[] = [];
  for (let next = it.next(); next && dates.length < 100; next = it.next())
    dates.push(next.toJSDate().toISOString());
  // Mondays 2026-09-07 … 2026-12-14 (15), less the cancelled 10-12 and the moved 11-23.
  assert.equal(dates.length, 13, dates.join(' '));
  assert.equal(dates[0], '2026-09-07T13:00:00.000Z', '09:00 New York time (EDT)');
  assert.ok(dates.includes('2026-12-14T14:00:00.000Z'), '09:00 New York time (EST)');
  assert.ok(!dates.some((d) => d.startsWith('2026-10-12') || d.startsWith('2026-11-23')));
  const moved = vevents.find((e) => e.uid === `reschedule-${rescheduleId}@registrar`)!;
  assert.equal(moved.startDate.toJSDate().toISOString(), '2026-11-24T19:00:00.000Z');
  assert.equal(moved.location, 'Lab 3');
}
