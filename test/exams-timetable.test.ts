import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { EXPORT_COLUMNS } from '../src/modules/exams/exams-export.service.js';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { idOf, makeExamsWorld, makeSchedule, makeVenue, postEntry } from './helpers/exams.js';
import { validateICalendar } from './helpers/ical-validator.js';

const V = '/api/v1';
/** What a spreadsheet cell of the JSON value must read: formula-looking text gets a leading quote. */
const cellOf = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};
const dayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('exam timetable: clashes, visibility, export and calendar', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeExamsWorld>>;
  let A: string;
  /** cls (3 students) writes 2026-12-08 09:00–11:00 in Main Hall. */
  let base: string;
  before(async () => {
    app = await buildTestApp();
    w = await makeExamsWorld(app, 3);
    A = w.admin.token;
    base = idOf(
      await postEntry(app, A, { exam_schedule_id: w.schedule, class_id: w.cls.id, venue: 'Main Hall' }),
    );
  });
  after(() => app.close());

  /** A class of the organization with the given students enrolled. */
  async function classWith(name: string, studentIds: string[]) {
    const c = await makeClass(app, w.org, { name });
    for (const id of studentIds) await enrollDirect(app, id, c);
    return c;
  }
  async function freshStudents(n: number) {
    const out = [];
    for (let i = 0; i < n; i++) out.push((await makeStudent(app, w.org, { firstName: `New${i}` })).id);
    return out;
  }

  it('should refuse an exam that gives a student two exams at once, naming the student and the entry', async () => {
    const s0 = w.students[0];
    const c = await classWith('Stats-A', [s0.id, ...(await freshStudents(1))]);
    const res = await postEntry(app, A, {
      exam_schedule_id: w.schedule,
      class_id: c.id,
      venue: 'Main Hall',
      start_time: '10:00',
      duration: 60,
    });
    expectError(res, 409, 'exam_clash');
    const details = res.data.error.details;
    assert.equal(details.length, 1, res.body);
    assert.equal(details[0].type, 'student');
    assert.equal(details[0].student_id, s0.id);
    assert.equal(details[0].student_number, s0.studentNumber);
    assert.equal(details[0].clashes_with.entry_id, base);
    assert.equal(details[0].clashes_with.class_id, w.cls.id);
    assert.equal(details[0].clashes_with.start_time, '09:00');
    assert.match(res.data.error.message, /1 student clash/);
    assert.match(details[0].message, new RegExp(s0.studentNumber));

    // Back to back is no clash: the first exam ends at 11:00.
    const next = await postEntry(app, A, {
      exam_schedule_id: w.schedule,
      class_id: c.id,
      venue: 'Main Hall',
      start_time: '11:00',
      duration: 60,
    });
    expectStatus(next, 201);
    assert.equal(next.data.data.end_time, '12:00');
    assert.equal(next.data.data.student_count, 2);

    // Moving it onto the first exam is refused the same way, and the entry stays where it was.
    const moved = await call(app, 'PUT', `${V}/exam-timetable/${next.data.data.id}`, {
      token: A,
      body: { start_time: '08:30' },
    });
    expectError(moved, 409, 'exam_clash');
    const kept = await call(app, 'GET', `${V}/exam-timetable/${next.data.data.id}`, { token: A });
    assert.equal(kept.data.data.start_time, '11:00');
  });

  it('should not count entries of cancelled schedules', async () => {
    const cancelled = await makeSchedule(app, A, { name: 'Dropped sitting' });
    const c = await classWith('Cancelled-A', [w.students[1].id]);
    const e = await postEntry(app, A, {
      exam_schedule_id: cancelled,
      class_id: c.id,
      venue: 'Main Hall',
      date: '2026-12-09',
    });
    expectStatus(e, 201);
    expectStatus(
      await call(app, 'PUT', `${V}/exams/${cancelled}`, { token: A, body: { status: 'cancelled' } }),
      200,
    );
    const c2 = await classWith('Cancelled-B', [w.students[1].id]);
    const ok = await postEntry(app, A, {
      exam_schedule_id: w.schedule,
      class_id: c2.id,
      venue: 'Main Hall',
      date: '2026-12-09',
    });
    expectStatus(ok, 201);
  });

  it('should refuse a venue over capacity at the busiest moment, naming the venue', async () => {
    await makeVenue(app, A, { name: 'Room 4', capacity: 4 });
    const a = await classWith('Cap-A', await freshStudents(3));
    const b = await classWith('Cap-B', await freshStudents(2));
    const z = await classWith('Cap-Z', await freshStudents(1));
    const y = await classWith('Cap-Y', await freshStudents(2));
    const at = (cls: string, start: string) =>
      postEntry(app, A, {
        exam_schedule_id: w.schedule,
        class_id: cls,
        venue: 'Room 4',
        date: '2026-12-11',
        start_time: start,
        duration: 60,
      });
    const ea = await at(a.id, '09:00');
    expectStatus(ea, 201);
    expectStatus(await at(b.id, '10:00'), 201);
    // 09:30–10:30: 3 + 1 seated at 09:30, 2 + 1 at 10:00 (a has left): never more than 4, so it fits.
    expectStatus(await at(z.id, '09:30'), 201);
    // Two more at 09:30 would make 3 + 1 + 2 = 6.
    const over = await at(y.id, '09:30');
    expectError(over, 409, 'exam_clash');
    const d = over.data.error.details;
    assert.equal(d.length, 1, over.body);
    assert.equal(d[0].type, 'venue');
    assert.equal(d[0].venue, 'Room 4');
    assert.equal(d[0].capacity, 4);
    assert.equal(d[0].seats_required, 6);
    assert.equal(d[0].class_seats, 2);
    assert.ok(d[0].shared_with.includes(ea.data.data.id));
    // The same class later in the day fits.
    expectStatus(await at(y.id, '13:00'), 201);
    // A class larger than the room never fits, even alone.
    const big = await classWith('Cap-Big', await freshStudents(5));
    const alone = await at(big.id, '16:00');
    expectError(alone, 409, 'exam_clash');
    assert.equal(alone.data.error.details[0].seats_required, 5);
    // Shrinking the room below what is seated is refused.
    const venues = await call(app, 'GET', `${V}/exam-venues`, { token: A, query: { search: 'Room 4' } });
    const shrink = await call(app, 'PUT', `${V}/exam-venues/${venues.data.data[0].id}`, {
      token: A,
      body: { capacity: 3 },
    });
    expectError(shrink, 422, 'capacity_below_seated');
  });

  it('should name both kinds of clash together', async () => {
    await makeVenue(app, A, { name: 'Closet', capacity: 1 });
    const c = await classWith('Both-A', [w.students[2].id, ...(await freshStudents(1))]);
    const res = await postEntry(app, A, {
      exam_schedule_id: w.schedule,
      class_id: c.id,
      venue: 'Closet',
      start_time: '09:30',
    });
    expectError(res, 409, 'exam_clash');
    const types = res.data.error.details.map((d: { type: string }) => d.type).sort();
    assert.deepEqual(types, ['student', 'venue']);
  });

  it('should report the clashes that enrollments made after the entries were placed', async () => {
    const sch = await makeSchedule(app, A, { name: 'Re-check' });
    await makeVenue(app, A, { name: 'Pod', capacity: 2 });
    const a = await classWith('Late-A', await freshStudents(1));
    const b = await classWith('Late-B', []);
    const ea = idOf(
      await postEntry(app, A, { exam_schedule_id: sch, class_id: a.id, venue: 'Pod', date: '2026-12-17' }),
    );
    const eb = idOf(
      await postEntry(app, A, {
        exam_schedule_id: sch,
        class_id: b.id,
        venue: 'Main Hall',
        date: '2026-12-17',
        start_time: '10:00',
      }),
    );
    const clean = await call(app, 'GET', `${V}/exams/${sch}/clashes`, { token: A });
    expectStatus(clean, 200);
    assert.deepEqual(clean.data.data.student_clashes, []);
    assert.deepEqual(clean.data.data.venue_overloads, []);
    // Enrolled afterwards: a student of a now sits b too, and a outgrows the 2-seat Pod.
    const [late] = await freshStudents(1);
    await enrollDirect(app, late, a);
    await enrollDirect(app, late, b);
    await enrollDirect(app, (await freshStudents(1))[0], a);
    const res = await call(app, 'GET', `${V}/exams/${sch}/clashes`, { token: A });
    expectStatus(res, 200);
    const r = res.data.data;
    assert.equal(r.student_clash_total, 1);
    assert.equal(r.student_clashes[0].student_id, late);
    assert.deepEqual(
      [r.student_clashes[0].entry.entry_id, r.student_clashes[0].clashes_with.entry_id].sort(),
      [ea, eb].sort(),
    );
    assert.equal(r.venue_overloads.length, 1);
    assert.equal(r.venue_overloads[0].venue, 'Pod');
    assert.equal(r.venue_overloads[0].seats_required, 3);
    assert.deepEqual(r.venue_overloads[0].entries, [ea]);
  });

  it('should enforce the schedule: dates, state, course, one entry per class, venues, same-day end', async () => {
    const c = await classWith('Rules-A', []);
    const body = { exam_schedule_id: w.schedule, class_id: c.id, venue: 'Main Hall', date: '2026-12-14' };
    expectError(await postEntry(app, A, { ...body, date: '2026-11-30' }), 422, 'date_outside_schedule');
    expectError(
      await postEntry(app, A, { ...body, start_time: '22:00', duration: 180 }),
      422,
      'exam_crosses_midnight',
    );
    expectError(await postEntry(app, A, { ...body, venue: 'Nowhere' }), 422, 'unknown_venue');
    expectError(await postEntry(app, A, { ...body, class_id: w.otherOrgCls.id }), 404);
    expectError(await postEntry(app, A, { ...body, class_id: w.cls.id }), 409, 'conflict');
    const forCourse = await makeSchedule(app, A, {
      name: 'Algorithms resit',
      exam_type: 'supplementary',
      course_id: w.course.id,
    });
    expectError(
      await postEntry(app, A, { ...body, exam_schedule_id: forCourse }),
      422,
      'class_not_of_course',
    );
    expectStatus(
      await postEntry(app, A, {
        ...body,
        exam_schedule_id: forCourse,
        class_id: w.cls.id,
        date: '2026-12-19',
      }),
      201,
    );

    // Transitions: scheduled → ongoing → completed; completed is final and its timetable fixed.
    const sch = await makeSchedule(app, A, { name: 'Lifecycle' });
    const e = idOf(await postEntry(app, A, { ...body, exam_schedule_id: sch }));
    expectError(
      await call(app, 'PUT', `${V}/exams/${sch}`, { token: A, body: { status: 'completed' } }),
      422,
      'invalid_status_transition',
    );
    expectStatus(await call(app, 'PUT', `${V}/exams/${sch}`, { token: A, body: { status: 'ongoing' } }), 200);
    expectError(
      await call(app, 'PUT', `${V}/exam-timetable/${e}`, { token: A, body: { max_marks: 10 } }),
      422,
      'exam_schedule_locked',
    );
    expectError(
      await call(app, 'DELETE', `${V}/exam-timetable/${e}`, { token: A }),
      422,
      'exam_schedule_locked',
    );
    expectStatus(
      await call(app, 'PUT', `${V}/exams/${sch}`, { token: A, body: { status: 'completed' } }),
      200,
    );
    expectError(
      await call(app, 'PUT', `${V}/exams/${sch}`, { token: A, body: { status: 'draft' } }),
      422,
      'invalid_status_transition',
    );
    // A schedule with entries is cancelled, not deleted; its dates must keep containing them.
    expectError(await call(app, 'DELETE', `${V}/exams/${sch}`, { token: A }), 409, 'still_referenced');
    expectError(
      await call(app, 'PUT', `${V}/exams/${w.schedule}`, { token: A, body: { end_date: '2026-12-10' } }),
      422,
      'entries_outside_dates',
    );
    expectError(
      await call(app, 'POST', `${V}/exams`, {
        token: A,
        body: {
          name: 'X',
          exam_type: 'final',
          academic_year: '2026',
          start_date: '2026-12-02',
          end_date: '2026-12-01',
        },
      }),
      422,
      'invalid_date_range',
    );
  });

  it('should show drafts to managers only and entries to their class, students and parents', async () => {
    const draft = await makeSchedule(app, A, { name: 'Secret draft', status: 'draft' });
    const e = idOf(
      await postEntry(app, A, {
        exam_schedule_id: draft,
        class_id: w.cls.id,
        venue: 'Main Hall',
        date: '2026-12-16',
      }),
    );
    const s0 = w.students[0].token;
    expectError(await call(app, 'GET', `${V}/exams/${draft}`, { token: s0 }), 404);
    expectError(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: s0 }), 404);
    expectError(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: w.teacher.token }), 404);
    expectStatus(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: w.staff.token }), 200);
    const mine = await call(app, 'GET', `${V}/students/me/exam-timetable`, {
      token: s0,
      query: { page_size: 100 },
    });
    const ids = mine.data.data.map((x: { id: string }) => x.id);
    assert.ok(ids.includes(base));
    assert.ok(!ids.includes(e), 'a draft entry is not shown to the student');
    expectStatus(
      await call(app, 'PUT', `${V}/exams/${draft}`, { token: A, body: { status: 'scheduled' } }),
      200,
    );
    expectStatus(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: s0 }), 200);
    expectStatus(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: w.teacher.token }), 200);
    expectError(await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: w.otherTeacher.token }), 404);
    // The parent reads their child's exams, not another student's; a student not in the class sees nothing.
    const child = await call(app, 'GET', `${V}/exam-timetable/student/${w.students[0].id}`, {
      token: w.parent.token,
    });
    assert.ok(child.data.data.some((x: { id: string }) => x.id === e));
    expectError(
      await call(app, 'GET', `${V}/exam-timetable/student/${w.students[1].id}`, { token: w.parent.token }),
      404,
    );
    const list = await call(app, 'GET', `${V}/exam-timetable`, {
      token: w.otherAdmin.token,
      query: { page_size: 100 },
    });
    assert.ok(!list.data.data.some((x: { organization_id: string }) => x.organization_id === w.org.id));
  });

  it('should export CSV and XLSX rows equal to the JSON list, formula-safe', async () => {
    const evil = await classWith('=HYPERLINK("http://evil.example","x")', []);
    const sch = await makeSchedule(app, A, { name: '+Export, "quoted"' });
    idOf(
      await postEntry(app, A, {
        exam_schedule_id: sch,
        class_id: evil.id,
        venue: 'Main Hall',
        date: '2026-12-12',
      }),
    );
    idOf(
      await postEntry(app, A, {
        exam_schedule_id: sch,
        class_id: w.cls.id,
        venue: 'Main Hall',
        date: '2026-12-12',
        start_time: '14:00',
      }),
    );
    const query = { exam_schedule_id: sch };
    const json = await call(app, 'GET', `${V}/exam-timetable`, {
      token: A,
      query: { ...query, page_size: 100 },
    });
    const expected = json.data.data.map((e: Record<string, unknown>) =>
      EXPORT_COLUMNS.map((c) => cellOf(e[c])),
    );
    assert.equal(expected.length, 2);

    const csv = await call(app, 'GET', `${V}/exam-timetable/export`, {
      token: A,
      query: { ...query, format: 'csv' },
    });
    expectStatus(csv, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const rows = parse(csv.body) as string[][];
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    assert.deepEqual(rows.slice(1), expected);
    assert.ok(rows.slice(1).some((r) => r[6] === `'=HYPERLINK("http://evil.example","x")`));

    const xlsx = await call(app, 'GET', `${V}/exam-timetable/export`, {
      token: A,
      query: { ...query, format: 'xlsx' },
    });
    expectStatus(xlsx, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as any);
    const ws = wb.getWorksheet('Exam timetable')!;
    const got: string[][] = [];
    ws.eachRow((row) => {
      got.push(EXPORT_COLUMNS.map((_, i) => cellOf(row.getCell(i + 1).value)));
    });
    assert.deepEqual(got[0], [...EXPORT_COLUMNS]);
    assert.deepEqual(got.slice(1), expected);
    assert.equal(ws.getRow(2).getCell(15).value, 100, 'max marks stay numbers');

    // The teacher's export holds only the entries of classes they teach.
    const t = await call(app, 'GET', `${V}/exam-timetable/export`, { token: w.teacher.token, query });
    const trows = parse(t.body) as string[][];
    assert.equal(trows.length, 2);
    assert.equal(trows[1][6], w.cls.name);
  });

  it("should serve a student's exams as a valid iCalendar feed in the organization's time zone", async () => {
    await app.deps.db.execute(
      sql`update organizations set timezone = 'America/New_York' where id = ${w.org.id}`,
    );
    const day = dayPlus(20);
    const sch = await makeSchedule(app, A, {
      name: 'Winter; finals, part 2',
      start_date: dayPlus(10),
      end_date: dayPlus(30),
    });
    const c = await classWith('ICS-A', [w.students[1].id]);
    const e = idOf(
      await postEntry(app, A, {
        exam_schedule_id: sch,
        class_id: c.id,
        venue: 'Main Hall',
        date: day,
        start_time: '13:30',
        duration: 90,
      }),
    );
    const res = await call(app, 'GET', `${V}/exam-timetable/student/${w.students[1].id}.ics`, {
      token: A,
      query: { exam_schedule_id: sch },
    });
    expectStatus(res, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar/);
    const { events } = validateICalendar(res.body);
    assert.equal(events.length, 1);
    assert.equal(events[0].one('UID'), `exam-entry-${e}@registrar`);
    assert.equal(events[0].get('DTSTART')[0].params.TZID, 'America/New_York');
    const cal = new ICAL.Component(ICAL.parse(res.body));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    const entry = await call(app, 'GET', `${V}/exam-timetable/${e}`, { token: A });
    const [{ starts_at }] = (
      await app.deps.db.execute(sql`select to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as starts_at
                                      from exam_timetable_entries where id = ${e}`)
    ).rows as Array<{ starts_at: string }>;
    assert.equal(ev.startDate.toJSDate().toISOString(), `${starts_at}.000Z`);
    assert.equal((ev.endDate.toJSDate().getTime() - ev.startDate.toJSDate().getTime()) / 60_000, 90);
    assert.equal(ev.summary, `Winter; finals, part 2: ${entry.data.data.class_name}`);
    assert.equal(ev.location, 'Main Hall');
    // The student's own feed holds the same exam.
    const me = await makeStudent(app, w.org, {}, { login: true });
    await enrollDirect(app, me.id, c);
    const mine = await call(app, 'GET', `${V}/students/me/exam-timetable.ics`, { token: me.token });
    expectStatus(mine, 200);
    assert.ok(validateICalendar(mine.body).events.some((x) => x.one('UID') === `exam-entry-${e}@registrar`));
  });
});
