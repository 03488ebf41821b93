import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { domainEvents } from '../src/kernel/events.js';
import type { BelowThresholdEvent } from '../src/modules/attendance/index.js';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';

const A = '/api/v1/attendance';

describe('attendance: seed walk-throughs', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 3);
  });
  after(() => app.close());

  it('seed 001: create a session, update statuses by roll number with AI fields, read by range, class stats', async () => {
    const created = await call(app, 'POST', `${A}/sessions`, {
      token: w.teacher.token,
      body: {
        class_id: w.cls.id,
        session_date: '2025-10-26',
        evidence_url: 'https://storage.example.com/evidence.jpg',
      },
    });
    expectStatus(created, 201);
    const session = created.data.data;
    assert.equal(session.evidence_url, 'https://storage.example.com/evidence.jpg');
    assert.equal(session.counts.total, 0);

    const put = await call(app, 'PUT', `${A}/sessions/${session.id}/records`, {
      token: w.teacher.token,
      body: {
        records: [
          { roll_no: '23/CS/101', status: 'present', recognized_by_ai: true, similarity_score: 92.5 },
          { roll_no: '23/CS/102', status: 'absent' },
          { student_id: w.students[2].id, status: 'late', minutes_late: 7, remarks: 'Bus' },
        ],
      },
    });
    expectStatus(put, 200);
    assert.deepEqual(
      { created: put.data.data.created, updated: put.data.data.updated, unchanged: put.data.data.unchanged },
      { created: 3, updated: 0, unchanged: 0 },
    );

    // Re-sending one changed and one identical status updates only the changed one.
    const again = await call(app, 'PUT', `${A}/sessions/${session.id}/records`, {
      token: w.teacher.token,
      body: {
        records: [
          { roll_no: '23/CS/102', status: 'present' },
          { roll_no: '23/CS/101', status: 'present', recognized_by_ai: true, similarity_score: 92.5 },
        ],
      },
    });
    expectStatus(again, 200);
    assert.equal(again.data.data.updated, 1);
    assert.equal(again.data.data.unchanged, 1);

    const one = await call(app, 'GET', `${A}/sessions/${session.id}`, { token: w.teacher.token });
    expectStatus(one, 200);
    const byRoll = Object.fromEntries(one.data.data.records.map((r: any) => [r.roll_no, r]));
    assert.equal(byRoll['23/CS/101'].recognized_by_ai, true);
    assert.equal(byRoll['23/CS/101'].similarity_score, 92.5);
    assert.equal(byRoll['23/CS/102'].status, 'present');
    assert.equal(byRoll['23/CS/103'].minutes_late, 7);
    assert.deepEqual(one.data.data.counts, { total: 3, present: 2, absent: 0, late: 1, excused: 0 });

    // A second day, then read sessions by date range.
    const s2 = await call(app, 'POST', `${A}/sessions`, {
      token: w.teacher.token,
      body: { class_id: w.cls.id, session_date: '2025-10-27' },
    });
    expectStatus(s2, 201);
    expectStatus(
      await call(app, 'PUT', `${A}/sessions/${s2.data.data.id}/records`, {
        token: w.teacher.token,
        body: {
          records: [
            { roll_no: '23/CS/101', status: 'absent' },
            { roll_no: '23/CS/102', status: 'absent' },
            { roll_no: '23/CS/103', status: 'excused' },
          ],
        },
      }),
      200,
    );
    const range = await call(app, 'GET', `${A}/sessions`, {
      token: w.teacher.token,
      query: { class_id: w.cls.id, from: '2025-10-26', to: '2025-10-26' },
    });
    expectStatus(range, 200);
    assert.deepEqual(
      range.data.data.map((s: any) => s.session_date),
      ['2025-10-26'],
    );
    const both = await call(app, 'GET', `${A}/sessions`, {
      token: w.teacher.token,
      query: { class_id: w.cls.id, from: '2025-10-01', to: '2025-10-31' },
    });
    assert.equal(both.data.meta.total, 2);

    // Class stats: per-student percentages (present+late over non-excused days).
    const stats = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance-summary`, {
      token: w.teacher.token,
    });
    expectStatus(stats, 200);
    const pct = Object.fromEntries(stats.data.data.map((r: any) => [r.roll_no, r.percentage]));
    assert.deepEqual(pct, { '23/CS/101': 50, '23/CS/102': 50, '23/CS/103': 100 });

    // A duplicate session for the same class/date/period is a 409.
    expectError(
      await call(app, 'POST', `${A}/sessions`, {
        token: w.teacher.token,
        body: { class_id: w.cls.id, session_date: '2025-10-26' },
      }),
      409,
    );
  });

  it('seed 002: mark many students for a class and date, read the class by date, student summary', async () => {
    const res = await call(app, 'POST', `${A}/bulk`, {
      token: w.teacher.token,
      body: {
        class_id: w.cls.id,
        date: '2025-11-03',
        records: w.students.map((s, i) => ({ student_id: s.id, status: i === 0 ? 'absent' : 'present' })),
      },
    });
    expectStatus(res, 200);
    assert.equal(res.data.data.created, 3);
    const day = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: w.teacher.token,
      query: { date: '2025-11-03' },
    });
    expectStatus(day, 200);
    assert.deepEqual(
      day.data.data.map((d: any) => d.status),
      ['absent', 'present', 'present'],
    );
    const empty = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: w.teacher.token,
      query: { date: '2025-11-04' },
    });
    assert.ok(empty.data.data.every((d: any) => d.status === null));

    // The student reads their own summary; the parent reads the child's.
    for (const token of [w.students[0].token, w.parent.token, w.teacher.token]) {
      const sum = await call(app, 'GET', `${A}/summary`, {
        token,
        query: { student_id: w.students[0].id, date_from: '2025-11-01', date_to: '2025-11-30' },
      });
      expectStatus(sum, 200);
      assert.equal(sum.data.data.total, 1);
      assert.equal(sum.data.data.absent, 1);
      assert.equal(sum.data.data.percentage, 0);
      assert.equal(sum.data.data.by_class[0].class_id, w.cls.id);
    }
    const cls = await call(app, 'GET', `${A}/summary`, {
      token: w.admin.token,
      query: { class_id: w.cls.id, date_from: '2025-11-03', date_to: '2025-11-03' },
    });
    expectStatus(cls, 200);
    assert.equal(cls.data.data.present, 2);
    assert.equal(cls.data.data.percentage, 66.67);

    // POST /attendance (one) changes one record and is audited.
    const one = await call(app, 'POST', A, {
      token: w.teacher.token,
      body: {
        class_id: w.cls.id,
        date: '2025-11-03',
        roll_no: '23/CS/101',
        status: 'excused',
        remarks: 'Doctor',
      },
    });
    expectStatus(one, 200);
    assert.equal(one.data.data.status, 'excused');
    const fresh = await call(app, 'POST', A, {
      token: w.teacher.token,
      body: {
        class_id: w.cls.id,
        date: '2025-11-05',
        student_id: w.students[1].id,
        status: 'late',
        minutes_late: 3,
      },
    });
    expectStatus(fresh, 201);
    const audit = await call(app, 'GET', '/api/v1/audit-logs', {
      token: w.admin.token,
      query: { entity_type: 'attendance_session', entity_id: one.data.data.session_id },
    });
    expectStatus(audit, 200);
    const change = audit.data.data.find((a: any) => a.after?.changed?.length);
    assert.deepEqual(
      change.after.changed.map((c: any) => [c.from, c.to]),
      [['absent', 'excused']],
    );
  });

  it('should reject unknown roll numbers with 422 listing each, writing nothing', async () => {
    const s = await call(app, 'POST', `${A}/sessions`, {
      token: w.teacher.token,
      body: { class_id: w.cls.id, session_date: '2025-12-01', period: 2 },
    });
    expectStatus(s, 201);
    const res = await call(app, 'PUT', `${A}/sessions/${s.data.data.id}/records`, {
      token: w.teacher.token,
      body: {
        records: [
          { roll_no: '23/CS/101', status: 'present' },
          { roll_no: 'NOPE-1', status: 'present' },
          { roll_no: '23/CS/999', status: 'absent' }, // enrolled in another class
          { student_id: w.outsider.id, status: 'absent' },
        ],
      },
    });
    expectError(res, 422, 'unknown_students');
    assert.deepEqual(
      res.data.error.details.map((d: any) => d.field),
      ['records.1', 'records.2', 'records.3'],
    );
    const one = await call(app, 'GET', `${A}/sessions/${s.data.data.id}`, { token: w.teacher.token });
    assert.equal(one.data.data.records.length, 0);
    const dup = await call(app, 'PUT', `${A}/sessions/${s.data.data.id}/records`, {
      token: w.teacher.token,
      body: {
        records: [
          { roll_no: '23/CS/101', status: 'present' },
          { student_id: w.students[0].id, status: 'absent' },
        ],
      },
    });
    expectError(dup, 422, 'duplicate_students');
    const neither = await call(app, 'PUT', `${A}/sessions/${s.data.data.id}/records`, {
      token: w.teacher.token,
      body: { records: [{ status: 'present' }] },
    });
    expectError(neither, 400, 'validation_failed');
    assert.equal(neither.data.error.details[0].field, 'records.0');
  });

  it('should lock records before the freeze date until an admin unlocks', async () => {
    const org = w.org.id;
    const bulk = await call(app, 'POST', `${A}/bulk`, {
      token: w.teacher.token,
      body: {
        class_id: w.cls.id,
        date: '2025-09-01',
        records: [{ roll_no: '23/CS/101', status: 'present' }],
      },
    });
    expectStatus(bulk, 200);
    const setRes = await call(app, 'PUT', `${A}/settings/${org}`, {
      token: w.admin.token,
      body: { freeze_before: '2025-10-01' },
    });
    expectStatus(setRes, 200);
    assert.equal(setRes.data.data.freeze_before, '2025-10-01');
    const frozen = await call(app, 'POST', `${A}/bulk`, {
      token: w.teacher.token,
      body: { class_id: w.cls.id, date: '2025-09-01', records: [{ roll_no: '23/CS/101', status: 'absent' }] },
    });
    expectError(frozen, 422, 'attendance_frozen');
    const list = await call(app, 'GET', A, {
      token: w.teacher.token,
      query: { class_id: w.cls.id, date_from: '2025-09-01', date_to: '2025-09-01' },
    });
    const rec = list.data.data[0];
    assert.equal(rec.status, 'present');
    expectError(
      await call(app, 'PUT', `${A}/${rec.id}`, { token: w.admin.token, body: { status: 'absent' } }),
      422,
      'attendance_frozen',
    );
    // The teacher may not unlock; the admin may.
    expectError(
      await call(app, 'POST', `${A}/settings/${org}/unlock`, {
        token: w.teacher.token,
        body: { minutes: 5 },
      }),
      403,
    );
    const un = await call(app, 'POST', `${A}/settings/${org}/unlock`, {
      token: w.admin.token,
      body: { minutes: 5 },
    });
    expectStatus(un, 200);
    assert.ok(un.data.data.unlocked_until);
    const upd = await call(app, 'PUT', `${A}/${rec.id}`, {
      token: w.teacher.token,
      body: { status: 'absent' },
    });
    expectStatus(upd, 200);
    assert.equal(upd.data.data.status, 'absent');
    expectStatus(await call(app, 'POST', `${A}/settings/${org}/lock`, { token: w.admin.token }), 200);
    expectError(
      await call(app, 'PUT', `${A}/${rec.id}`, { token: w.teacher.token, body: { status: 'present' } }),
      422,
      'attendance_frozen',
    );
    // Dates on/after the freeze date stay open.
    expectStatus(
      await call(app, 'POST', `${A}/bulk`, {
        token: w.teacher.token,
        body: {
          class_id: w.cls.id,
          date: '2025-10-01',
          records: [{ roll_no: '23/CS/101', status: 'present' }],
        },
      }),
      200,
    );
    expectStatus(
      await call(app, 'PUT', `${A}/settings/${org}`, { token: w.admin.token, body: { freeze_before: null } }),
      200,
    );
  });

  it('should page the records feed with a keyset cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call(app, 'GET', A, {
        token: w.teacher.token,
        query: { class_id: w.cls.id, page_size: 2, cursor },
      });
      expectStatus(res, 200);
      for (const r of res.data.data) {
        assert.ok(!seen.has(r.id));
        seen.add(r.id);
      }
      cursor = res.data.meta.next_cursor ?? undefined;
      pages++;
    } while (cursor && pages < 50);
    assert.ok(pages > 1);
    const all = await call(app, 'GET', A, {
      token: w.teacher.token,
      query: { class_id: w.cls.id, page_size: 100 },
    });
    assert.equal(all.data.data.length, seen.size);
    const absent = await call(app, 'GET', A, {
      token: w.teacher.token,
      query: { class_id: w.cls.id, attendance_status: 'absent', page_size: 100 },
    });
    assert.ok(absent.data.data.length > 0 && absent.data.data.every((r: any) => r.status === 'absent'));
    // A student sees only their own records; a parent only their child's.
    const mine = await call(app, 'GET', A, { token: w.students[0].token, query: { page_size: 100 } });
    assert.ok(
      mine.data.data.length > 0 && mine.data.data.every((r: any) => r.student_id === w.students[0].id),
    );
    const kids = await call(app, 'GET', A, { token: w.parent.token, query: { page_size: 100 } });
    assert.ok(kids.data.data.every((r: any) => r.student_id === w.students[0].id));
    expectError(await call(app, 'GET', A, { token: w.teacher.token, query: { cursor: 'garbage' } }), 400);
  });

  it('should report by class, department and day, list defaulters and fire the below-threshold hook', async () => {
    const events: BelowThresholdEvent[] = [];
    const hook = async (_db: unknown, _ctx: unknown, es: BelowThresholdEvent[]) => {
      events.push(...es);
    };
    const off = domainEvents.subscribe({ 'attendance.below_threshold': hook });
    try {
      const cls = await makeClass(app, w.org, { name: 'Hook class' });
      const s = await makeStudent(app, w.org, { rollNo: 'H-1' });
      await enrollDirect(app, s.id, cls);
      const mark = (date: string, status: string) =>
        call(app, 'POST', `${A}/bulk`, {
          token: w.admin.token,
          body: { class_id: cls.id, date, records: [{ student_id: s.id, status }] },
        });
      expectStatus(await mark('2026-01-05', 'present'), 200);
      expectStatus(await mark('2026-01-06', 'present'), 200);
      expectStatus(await mark('2026-01-07', 'present'), 200);
      assert.equal(events.length, 0);
      expectStatus(await mark('2026-01-08', 'absent'), 200); // 75%: not under
      assert.equal(events.length, 0);
      expectStatus(await mark('2026-01-09', 'absent'), 200); // 60%: crossed
      assert.equal(events.length, 1);
      assert.equal(events[0].studentId, s.id);
      assert.equal(events[0].previousPercentage, 75);
      assert.equal(events[0].percentage, 60);
      expectStatus(await mark('2026-01-12', 'absent'), 200); // already under: no new alert
      assert.equal(events.length, 1);

      const def = await call(app, 'GET', `${A}/defaulters`, {
        token: w.admin.token,
        query: { threshold: 75, class_id: cls.id },
      });
      expectStatus(def, 200);
      assert.equal(def.data.data.length, 1);
      assert.equal(def.data.data[0].percentage, 50);
      for (const group_by of ['class', 'department', 'day']) {
        const rep = await call(app, 'GET', `${A}/reports`, {
          token: w.admin.token,
          query: { group_by, class_id: cls.id },
        });
        expectStatus(rep, 200);
        assert.ok(rep.data.data.length >= 1, group_by);
      }
      const byDay = await call(app, 'GET', `${A}/reports`, {
        token: w.admin.token,
        query: { group_by: 'day', class_id: cls.id },
      });
      assert.equal(byDay.data.meta.total, 6);
      // The teacher of another class sees none of it.
      const theirs = await call(app, 'GET', `${A}/defaulters`, {
        token: w.otherTeacher.token,
        query: { class_id: cls.id },
      });
      assert.equal(theirs.data.data.length, 0);
    } finally {
      off();
    }
  });
});
