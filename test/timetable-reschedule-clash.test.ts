import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assignTeacher, enrollDirect, makeClass } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';

type W = Awaited<ReturnType<typeof makeAttendanceWorld>>;

/** Moving one meeting (POST /classes/{id}/reschedules, action move) runs generation's clash checks. */
describe('timetable: a moved meeting is clash-checked like generation', () => {
  let app: App;
  let w: W;
  let sched: Record<string, string>;
  const move = (classId: string, token: string, body: Record<string, unknown>) =>
    call(app, 'POST', `/api/v1/classes/${classId}/reschedules`, { token, body: { action: 'move', ...body } });

  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 2);
    // cls3 shares cls's teacher; cls4 shares one of cls's students (and has its own teacher).
    const cls3 = await makeClass(app, w.org, { name: 'Shared teacher' });
    await assignTeacher(app, w.teacher.id, cls3.id);
    const cls4 = await makeClass(app, w.org, { name: 'Shared student' });
    await assignTeacher(app, w.otherTeacher.id, cls4.id);
    await enrollDirect(app, w.students[1].id, cls4);
    const slot = async (day: number, start: string, end: string) => {
      const r = await call(app, 'POST', '/api/v1/timetable-slots', {
        token: w.admin.token,
        body: { organization_id: w.org.id, day_of_week: day, start_time: start, end_time: end },
      });
      expectStatus(r, 201);
      return r.data.data.id as string;
    };
    const [mon9, tue9, wed9] = [
      await slot(1, '09:00', '09:50'),
      await slot(2, '09:00', '09:50'),
      await slot(3, '09:00', '09:50'),
    ];
    const gen = await call(app, 'POST', '/api/v1/timetable/generate', {
      token: w.admin.token,
      body: {
        effective_from: '2026-09-01',
        effective_to: '2026-12-18',
        items: [
          { class_id: w.cls.id, slot_id: mon9, room_no: 'R1' },
          { class_id: w.otherCls.id, slot_id: mon9, room_no: 'R2' },
          { class_id: cls3.id, slot_id: tue9, room_no: 'R3' },
          { class_id: cls4.id, slot_id: wed9, room_no: 'R4' },
        ],
      },
    });
    expectStatus(gen, 201);
    const [a, b, c, d] = gen.data.data.map((s: any) => s.id);
    sched = { a, b, c, d };
  });
  after(() => app.close());

  it('moving within its own vacated time is fine; a room taken then is 409 naming the schedule', async () => {
    expectStatus(
      await move(w.cls.id, w.teacher.token, {
        schedule_id: sched.a,
        original_date: '2026-09-14',
        new_date: '2026-09-14',
        new_start_time: '09:20',
        new_end_time: '10:10',
      }),
      201,
    );
    const room = await move(w.cls.id, w.teacher.token, {
      schedule_id: sched.a,
      original_date: '2026-09-21',
      new_date: '2026-09-21',
      new_start_time: '09:30',
      new_end_time: '10:20',
      new_room_no: 'r2',
    });
    expectError(room, 409, 'timetable_conflicts');
    assert.match(room.data.error.message, /room r2 is taken/);
    assert.equal(room.data.error.details[0].type, 'room');
    assert.equal(room.data.error.details[0].clashes_with.schedule_id, sched.b);
    // Nothing was stored.
    const list = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/reschedules`, {
      token: w.teacher.token,
    });
    assert.equal(list.data.data.length, 1);
  });

  it('teacher, student-group and same-class clashes are 409', async () => {
    const teacher = await move(w.cls.id, w.teacher.token, {
      schedule_id: sched.a,
      original_date: '2026-09-28',
      new_date: '2026-09-29',
      new_start_time: '09:00',
      new_end_time: '09:50',
      new_room_no: 'Lab',
    });
    expectError(teacher, 409, 'timetable_conflicts');
    assert.deepEqual(
      teacher.data.error.details.map((d: any) => d.type),
      ['teacher'],
    );
    assert.deepEqual(teacher.data.error.details[0].faculty_ids, [w.teacher.id]);
    const group = await move(w.cls.id, w.teacher.token, {
      schedule_id: sched.a,
      original_date: '2026-09-28',
      new_date: '2026-09-30',
      new_start_time: '09:10',
      new_end_time: '10:00',
      new_room_no: 'Lab',
    });
    expectError(group, 409, 'timetable_conflicts');
    assert.equal(group.data.error.details[0].type, 'student_group');
    assert.equal(group.data.error.details[0].shared_students, 1);
    const same = await move(w.cls.id, w.teacher.token, {
      schedule_id: sched.a,
      original_date: '2026-11-02',
      new_date: '2026-11-09',
      new_start_time: '09:00',
      new_end_time: '09:50',
    });
    expectError(same, 409, 'timetable_conflicts');
    assert.equal(same.data.error.details[0].type, 'class');
    // Outside the schedules' dates the same move is fine.
    expectStatus(
      await move(w.cls.id, w.teacher.token, {
        schedule_id: sched.a,
        original_date: '2026-11-02',
        new_date: '2026-12-29',
        new_start_time: '09:00',
        new_end_time: '09:50',
      }),
      201,
    );
  });

  it('a cancelled meeting frees its room; meetings moved onto the same date clash with each other', async () => {
    expectStatus(
      await call(app, 'POST', `/api/v1/classes/${w.otherCls.id}/reschedules`, {
        token: w.admin.token,
        body: { schedule_id: sched.b, original_date: '2026-10-05', action: 'cancel' },
      }),
      201,
    );
    expectStatus(
      await move(w.cls.id, w.teacher.token, {
        schedule_id: sched.a,
        original_date: '2026-10-05',
        new_date: '2026-10-05',
        new_start_time: '09:30',
        new_end_time: '10:20',
        new_room_no: 'R2',
      }),
      201,
    );
    const first = await move(w.otherCls.id, w.admin.token, {
      schedule_id: sched.b,
      original_date: '2026-10-19',
      new_date: '2026-10-24',
      new_start_time: '07:00',
      new_end_time: '07:45',
      new_room_no: 'R9',
    });
    expectStatus(first, 201);
    const second = await move(w.cls.id, w.teacher.token, {
      schedule_id: sched.a,
      original_date: '2026-10-26',
      new_date: '2026-10-24',
      new_start_time: '07:15',
      new_end_time: '08:00',
      new_room_no: 'R9',
    });
    expectError(second, 409, 'timetable_conflicts');
    assert.equal(second.data.error.details[0].type, 'room');
    assert.equal(second.data.error.details[0].clashes_with.reschedule_id, first.data.data.id);
    assert.match(second.data.error.message, new RegExp(`moved meeting ${first.data.data.id}`));
  });
});
