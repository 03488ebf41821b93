import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp } from './helpers/app.js';
import { type EndpointCase, runEndpointCases } from './helpers/endpoint-cases.js';
import { idOf, makeExamsWorld, makeSchedule, makeVenue, postEntry } from './helpers/exams.js';
import { makeUser } from './helpers/factories.js';

describe('exams: every endpoint answers 2xx, 400, 401, 403 and out-of-scope 404', () => {
  let app: App;
  let cases: EndpointCase[] = [];
  before(async () => {
    app = await buildTestApp();
    const w = await makeExamsWorld(app, 2);
    const A = w.admin.token;
    const T = w.teacher.token;
    const st = w.students[0].token;
    const norole = (await makeUser(app, w.org, null)).token;
    const entry = idOf(
      await postEntry(app, A, { exam_schedule_id: w.schedule, class_id: w.cls.id, venue: 'Main Hall' }),
    );
    const spare = await makeClass(app, w.org, { name: 'Spare' });
    const doomed = idOf(
      await postEntry(app, A, {
        exam_schedule_id: w.schedule,
        class_id: spare.id,
        venue: 'Main Hall',
        date: '2026-12-15',
      }),
    );
    const lone = await makeClass(app, w.org, { name: 'Lone' });
    const oEntry = idOf(
      await postEntry(app, w.otherAdmin.token, {
        exam_schedule_id: w.oSchedule,
        class_id: w.otherOrgCls.id,
        venue: 'Main Hall',
      }),
    );
    const emptySchedule = await makeSchedule(app, A, { name: 'Empty' });
    const spareVenue = await makeVenue(app, A, { name: 'Spare Room' });
    const outsider = await makeStudent(app, w.otherOrg, {}, { login: false });
    await enrollDirect(app, outsider.id, w.otherOrgCls);
    const sid = w.students[0].id;
    const scheduleBody = {
      name: 'Midterms',
      exam_type: 'midterm',
      academic_year: '2026-2027',
      start_date: '2026-10-01',
      end_date: '2026-10-10',
    };
    cases = [
      {
        name: 'create exam schedule',
        method: 'POST',
        url: '/exams',
        ok: { token: A, body: { ...scheduleBody, organization_id: w.org.id }, status: 201 },
        bad: { body: { ...scheduleBody, exam_type: 'oral' } },
        forbidden: T,
        out: { body: { ...scheduleBody, organization_id: w.otherOrg.id } },
      },
      {
        name: 'list exam schedules',
        method: 'GET',
        url: '/exams',
        ok: { token: st, query: { status: 'scheduled' }, status: 200 },
        bad: { query: { status: 'someday' } },
        forbidden: norole,
      },
      {
        name: 'get exam schedule',
        method: 'GET',
        url: `/exams/${w.schedule}`,
        outUrl: `/exams/${w.oSchedule}`,
        ok: { token: st, status: 200 },
        bad: { url: '/exams/not-a-uuid' },
        forbidden: norole,
      },
      {
        name: 'update exam schedule (PUT)',
        method: 'PUT',
        url: `/exams/${w.schedule}`,
        outUrl: `/exams/${w.oSchedule}`,
        ok: { token: A, body: { description: 'Bring ID cards' }, status: 200 },
        bad: { body: { status: 'postponed' } },
        forbidden: T,
      },
      {
        name: 'update exam schedule (PATCH)',
        method: 'PATCH',
        url: `/exams/${w.schedule}`,
        outUrl: `/exams/${w.oSchedule}`,
        ok: { token: A, body: { name: 'Fall 2026 final examinations' }, status: 200 },
        bad: { body: {} },
        forbidden: st,
      },
      {
        name: 'delete exam schedule',
        method: 'DELETE',
        url: `/exams/${emptySchedule}`,
        outUrl: `/exams/${w.oSchedule}`,
        ok: { token: A, status: 204 },
        bad: { url: '/exams/nope' },
        forbidden: T,
      },
      {
        name: 'exam schedule clash report',
        method: 'GET',
        url: `/exams/${w.schedule}/clashes`,
        outUrl: `/exams/${w.oSchedule}/clashes`,
        ok: { token: A, status: 200 },
        bad: { url: '/exams/nope/clashes' },
        forbidden: T,
      },
      {
        name: 'create exam venue',
        method: 'POST',
        url: '/exam-venues',
        ok: { token: A, body: { name: 'Hall B', capacity: 40 }, status: 201 },
        bad: { body: { name: 'Hall C', capacity: 0 } },
        forbidden: T,
        out: { body: { organization_id: w.otherOrg.id, name: 'Hall D', capacity: 40 } },
      },
      {
        name: 'list exam venues',
        method: 'GET',
        url: '/exam-venues',
        ok: { token: T, status: 200 },
        bad: { query: { is_active: 'maybe' } },
        forbidden: st,
      },
      {
        name: 'get exam venue',
        method: 'GET',
        url: `/exam-venues/${w.hall}`,
        outUrl: `/exam-venues/${w.oHall}`,
        ok: { token: T, status: 200 },
        bad: { url: '/exam-venues/x' },
        forbidden: st,
      },
      {
        name: 'update exam venue',
        method: 'PUT',
        url: `/exam-venues/${w.hall}`,
        outUrl: `/exam-venues/${w.oHall}`,
        ok: { token: A, body: { location: 'Block A' }, status: 200 },
        bad: { body: { capacity: 'many' } },
        forbidden: T,
      },
      {
        name: 'delete exam venue',
        method: 'DELETE',
        url: `/exam-venues/${spareVenue}`,
        outUrl: `/exam-venues/${w.oHall}`,
        ok: { token: A, status: 204 },
        bad: { url: '/exam-venues/x' },
        forbidden: T,
      },
      {
        name: 'create timetable entry',
        method: 'POST',
        url: '/exam-timetable',
        ok: {
          token: A,
          body: {
            exam_schedule_id: w.schedule,
            class_id: lone.id,
            date: '2026-12-10',
            start_time: '14:00',
            duration: 90,
            venue: 'main hall',
            max_marks: 50,
          },
          status: 201,
        },
        bad: { body: { exam_schedule_id: w.schedule, class_id: lone.id, date: '2026-12-10' } },
        forbidden: T,
        out: {
          body: {
            exam_schedule_id: w.oSchedule,
            class_id: w.otherOrgCls.id,
            date: '2026-12-11',
            start_time: '14:00',
            duration: 90,
            venue: 'Main Hall',
            max_marks: 50,
          },
        },
      },
      {
        name: 'list timetable entries',
        method: 'GET',
        url: '/exam-timetable',
        ok: { token: T, query: { exam_schedule_id: w.schedule }, status: 200 },
        bad: { query: { page: '0' } },
        forbidden: norole,
      },
      {
        name: 'get timetable entry',
        method: 'GET',
        url: `/exam-timetable/${entry}`,
        outUrl: `/exam-timetable/${oEntry}`,
        ok: { token: st, status: 200 },
        bad: { url: '/exam-timetable/1' },
        forbidden: norole,
      },
      {
        name: 'update timetable entry',
        method: 'PUT',
        url: `/exam-timetable/${entry}`,
        outUrl: `/exam-timetable/${oEntry}`,
        ok: { token: A, body: { max_marks: 80 }, status: 200 },
        bad: { body: { max_marks: -1 } },
        forbidden: T,
      },
      {
        name: 'delete timetable entry',
        method: 'DELETE',
        url: `/exam-timetable/${doomed}`,
        outUrl: `/exam-timetable/${oEntry}`,
        ok: { token: A, status: 204 },
        bad: { url: '/exam-timetable/zzz' },
        forbidden: T,
      },
      {
        name: 'export timetable',
        method: 'GET',
        url: '/exam-timetable/export',
        ok: { token: T, query: { format: 'xlsx' }, status: 200 },
        bad: { query: { format: 'pdf' } },
        forbidden: st,
      },
      {
        name: "a student's exams",
        method: 'GET',
        url: `/exam-timetable/student/${sid}`,
        outUrl: `/exam-timetable/student/${outsider.id}`,
        ok: { token: w.parent.token, status: 200 },
        bad: { url: '/exam-timetable/student/abc' },
        forbidden: norole,
      },
      {
        name: "a student's exams as iCalendar",
        method: 'GET',
        url: `/exam-timetable/student/${sid}.ics`,
        outUrl: `/exam-timetable/student/${outsider.id}.ics`,
        ok: { token: A, status: 200 },
        bad: { query: { exam_schedule_id: 'x' } },
        forbidden: norole,
      },
      {
        name: 'my exams',
        method: 'GET',
        url: '/students/me/exam-timetable',
        ok: { token: st, status: 200 },
        bad: { query: { page_size: '1000' } },
        forbidden: A,
      },
      {
        name: 'my exams as iCalendar',
        method: 'GET',
        url: '/students/me/exam-timetable.ics',
        ok: { token: st, status: 200 },
        bad: { query: { exam_schedule_id: 'x' } },
        forbidden: w.parent.token,
      },
    ];
  });
  after(() => app.close());

  it('should answer every case as documented', async () => {
    assert.ok(cases.length >= 20);
    await runEndpointCases(app, cases);
  });
});
