import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { makeClass } from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { makeAttendanceWorld } from './helpers/attendance.js';

describe('attendance and timetable under concurrent requests', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 3);
  });
  after(() => app.close());

  it('parallel bulk markings of one class and date converge on one session and one record per student', async () => {
    const n = isPostgres() ? 12 : 4;
    const results = await Promise.all(
      Array.from({ length: n }, (_, k) =>
        call(app, 'POST', '/api/v1/attendance/bulk', {
          token: k % 2 ? w.teacher.token : w.admin.token,
          body: {
            class_id: w.cls.id,
            date: '2026-04-06',
            records: w.students.map((s) => ({ student_id: s.id, status: k % 3 ? 'present' : 'late' })),
          },
        }),
      ),
    );
    for (const r of results) assert.equal(r.statusCode, 200, r.body);
    const res = await app.deps.db.execute(sql`
      select (select count(*) from attendance_sessions where class_id = ${w.cls.id} and session_date = '2026-04-06')::int as s,
             (select count(*) from attendance_records where class_id = ${w.cls.id} and attendance_date = '2026-04-06')::int as r`);
    assert.deepEqual((res as any).rows[0], { s: 1, r: w.students.length });
    assert.equal(
      results.reduce((a, r) => a + r.data.data.created, 0),
      w.students.length,
    );
  });

  it('parallel generate requests for the same room and slot schedule exactly one', async () => {
    const slot = await call(app, 'POST', '/api/v1/timetable-slots', {
      token: w.admin.token,
      body: { organization_id: w.org.id, day_of_week: 3, start_time: '11:00', end_time: '11:50' },
    });
    const n = isPostgres() ? 8 : 3;
    const classes = await Promise.all(
      Array.from({ length: n }, (_, i) => makeClass(app, w.org, { name: `Race ${i}` })),
    );
    const results = await Promise.all(
      classes.map((c) =>
        call(app, 'POST', '/api/v1/timetable/generate', {
          token: w.admin.token,
          body: { items: [{ class_id: c.id, slot_id: slot.data.data.id, room_no: 'HALL' }] },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.equal(codes.filter((c) => c === 201).length, 1, JSON.stringify(codes));
    assert.ok(results.every((r) => r.statusCode === 201 || r.data.error.code === 'timetable_conflicts'));
  });
});
