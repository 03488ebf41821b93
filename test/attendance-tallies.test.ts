import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { makeAttendanceWorld } from './helpers/attendance.js';

const A = '/api/v1/attendance';
const STATUSES = ['present', 'absent', 'late', 'excused'] as const;

/** A seeded PRNG, so a failure can be replayed (the seed is in the assertion message). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Tally rows that differ from a fresh aggregate of attendance_records (both directions). Empty = exact; a row
 * left at zero for a pair without records counts as stale (reports would list it).
 */
async function tallyDrift(app: App, orgId: string) {
  const res = await app.deps.db.execute(sql`
    with truth as (
      select class_id, student_id,
             count(*) filter (where status = 'present')::int as present,
             count(*) filter (where status = 'absent')::int as absent,
             count(*) filter (where status = 'late')::int as late,
             count(*) filter (where status = 'excused')::int as excused
        from attendance_records where organization_id = ${orgId} group by class_id, student_id),
    kept as (
      select class_id, student_id, present, absent, late, excused from attendance_tallies
       where organization_id = ${orgId})
    (select 'missing or wrong' as kind, * from truth except select 'missing or wrong', * from kept)
    union all
    (select 'stale' as kind, * from kept except select 'stale', * from truth)`);
  return (res as any).rows as any[];
}

/** One seed for the file: the random mix decides what every later test sees, so each message names it. */
const seed = Number(process.env.TALLY_SEED ?? Date.now() % 100000);
const replay = `TALLY_SEED=${seed}`;

describe('attendance tallies (running totals kept by triggers)', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeAttendanceWorld(app, 6);
  });
  after(() => app.close());

  it('should stay equal to the records after a random mix of markings, corrections and deletions', async () => {
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const second = await makeClass(app, w.org, { name: 'Tally second class' });
    for (const s of w.students.slice(0, 3)) await enrollDirect(app, s.id, second);
    const classes = [
      { cls: w.cls, roster: w.students },
      { cls: second, roster: w.students.slice(0, 3) },
    ];
    for (let step = 0; step < 40; step++) {
      const op = rand();
      const { cls, roster } = pick(classes);
      const date = `2026-03-${String(2 + Math.floor(rand() * 20)).padStart(2, '0')}`;
      if (op < 0.55) {
        // Mark (create or re-mark) a random subset of the roster for a day: inserts and updates in one upsert.
        const subset = roster.filter(() => rand() < 0.7);
        if (!subset.length) continue;
        const res = await call(app, 'POST', `${A}/bulk`, {
          token: w.admin.token,
          body: {
            class_id: cls.id,
            date,
            records: subset.map((s) => ({ student_id: s.id, status: pick(STATUSES) })),
          },
        });
        expectStatus(res, 200);
      } else if (op < 0.8) {
        // Correct one existing record through the API.
        const rows = (await app.deps.db.execute(
          sql`select id from attendance_records where class_id = ${cls.id} order by id limit 50`,
        )) as any;
        if (!rows.rows.length) continue;
        const res = await call(app, 'PUT', `${A}/${pick(rows.rows as any[]).id}`, {
          token: w.admin.token,
          body: { status: pick(STATUSES) },
        });
        expectStatus(res, 200);
      } else if (op < 0.9) {
        // A whole session removed (records go by ON DELETE CASCADE: the delete trigger's path).
        await app.deps.db.execute(sql`delete from attendance_sessions where id = (
          select id from attendance_sessions where class_id = ${cls.id} order by session_date limit 1)`);
      } else {
        // A set-based correction touching many rows of both classes at once.
        await app.deps.db.execute(sql`update attendance_records set status = 'excused'
                                        where organization_id = ${w.org.id} and attendance_date = ${date}`);
      }
      assert.deepEqual(await tallyDrift(app, w.org.id), [], `step ${step}, ${replay}`);
    }
    const { rows } = (await app.deps.db.execute(
      sql`select count(*)::int as n from attendance_records where organization_id = ${w.org.id}`,
    )) as any;
    assert.ok(rows[0].n > 10, 'the mix wrote records');
  });

  it('should give the same reports from tallies (no date range) as from the records (a range over all)', async () => {
    // One sure defaulter in the teacher's class, whatever the random mix left.
    const absent = await call(app, 'POST', `${A}/bulk`, {
      token: w.admin.token,
      body: {
        class_id: w.cls.id,
        date: '2026-05-04',
        records: [{ student_id: w.students[1].id, status: 'absent' }],
      },
    });
    expectStatus(absent, 200);
    const all = { date_from: '2000-01-01', date_to: '2100-12-31' };
    const get = (path: string, query: Record<string, string | number>) =>
      call(app, 'GET', `${A}${path}`, { token: w.admin.token, query });
    for (const token of [w.admin.token, w.teacher.token, w.otherTeacher.token]) {
      for (const threshold of [0, 50, 75, 100]) {
        const q = { threshold, page_size: 100 };
        const fromTallies = await call(app, 'GET', `${A}/defaulters`, { token, query: q });
        const fromRecords = await call(app, 'GET', `${A}/defaulters`, { token, query: { ...q, ...all } });
        expectStatus(fromTallies, 200);
        assert.equal(fromTallies.data.meta.total_exact, true);
        assert.deepEqual(fromTallies.data, fromRecords.data, `defaulters at ${threshold}%, ${replay}`);
      }
    }
    // The teacher sees only their class's defaulters.
    const mine = await call(app, 'GET', `${A}/defaulters`, {
      token: w.teacher.token,
      query: { threshold: 100 },
    });
    assert.ok(mine.data.data.length > 0 && mine.data.data.every((d: any) => d.class_id === w.cls.id));
    for (const s of w.students) {
      const a = await get('/summary', { student_id: s.id });
      const b = await get('/summary', { student_id: s.id, ...all });
      expectStatus(a, 200);
      assert.deepEqual(a.data, b.data, `summary of student ${s.id}, ${replay}`);
    }
    const c1 = await get('/summary', { class_id: w.cls.id });
    assert.deepEqual(c1.data, (await get('/summary', { class_id: w.cls.id, ...all })).data, replay);
    for (const group_by of ['class', 'department']) {
      assert.deepEqual(
        (await get('/reports', { group_by })).data,
        (await get('/reports', { group_by, ...all })).data,
        `reports by ${group_by}, ${replay}`,
      );
    }
    const roster = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance-summary`, {
      token: w.admin.token,
    });
    const rosterAll = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance-summary`, {
      token: w.admin.token,
      query: all,
    });
    expectStatus(roster, 200);
    assert.deepEqual(roster.data, rosterAll.data, replay);
  });

  it('should list a defaulter from the tallies only inside the teacher scope, with the exact threshold', async () => {
    const cls = await makeClass(app, w.org, { name: 'Tally threshold class' });
    const s = await makeStudent(app, w.org, { rollNo: 'T-75' });
    await enrollDirect(app, s.id, cls);
    // 3 of 4 counted days attended = exactly 75%: not under a 75% threshold, under 75.01%.
    for (const [d, st] of [
      ['2026-04-06', 'present'],
      ['2026-04-07', 'late'],
      ['2026-04-08', 'present'],
      ['2026-04-09', 'absent'],
      ['2026-04-10', 'excused'],
    ]) {
      expectStatus(
        await call(app, 'POST', `${A}/bulk`, {
          token: w.admin.token,
          body: { class_id: cls.id, date: d, records: [{ student_id: s.id, status: st }] },
        }),
        200,
      );
    }
    const at = (threshold: number, token = w.admin.token) =>
      call(app, 'GET', `${A}/defaulters`, { token, query: { threshold, class_id: cls.id } });
    assert.equal((await at(75)).data.data.length, 0);
    const under = await at(75.01);
    expectStatus(under, 200);
    assert.equal(under.data.data.length, 1);
    assert.deepEqual(
      { ...under.data.data[0], student_name: undefined },
      {
        student_id: s.id,
        student_number: under.data.data[0].student_number,
        roll_no: 'T-75',
        student_name: undefined,
        class_id: cls.id,
        class_name: 'Tally threshold class',
        total: 5,
        present: 2,
        absent: 1,
        late: 1,
        excused: 1,
        percentage: 75,
      },
    );
    assert.equal(under.data.meta.total, 1);
    // A teacher who does not teach the class sees nothing of it.
    const theirs = await at(100, w.teacher.token);
    expectStatus(theirs, 200);
    assert.equal(theirs.data.data.length, 0);
  });

  it('should drop a class from the tally-based breakdown once all its records are gone', async () => {
    const cls = await makeClass(app, w.org, { name: 'Tally emptied class' });
    const s = await makeStudent(app, w.org, {});
    await enrollDirect(app, s.id, cls);
    await enrollDirect(app, s.id, w.cls);
    for (const c of [cls, w.cls]) {
      expectStatus(
        await call(app, 'POST', `${A}/bulk`, {
          token: w.admin.token,
          body: { class_id: c.id, date: '2026-06-01', records: [{ student_id: s.id, status: 'absent' }] },
        }),
        200,
      );
    }
    const byClass = async () =>
      (
        await call(app, 'GET', `${A}/summary`, { token: w.admin.token, query: { student_id: s.id } })
      ).data.data.by_class.map((b: any) => b.class_id);
    assert.deepEqual(new Set(await byClass()), new Set([cls.id, w.cls.id]));
    // The emptied class's only session goes (its records by cascade): no zero row is left behind.
    await app.deps.db.execute(sql`delete from attendance_sessions where class_id = ${cls.id}`);
    assert.deepEqual(await byClass(), [w.cls.id]);
    const { rows } = (await app.deps.db.execute(
      sql`select count(*)::int as n from attendance_tallies where class_id = ${cls.id}`,
    )) as any;
    assert.equal(rows[0].n, 0);
    // A record moved to another student leaves no zero row for the pair it left.
    const other = await makeStudent(app, w.org, {});
    await enrollDirect(app, other.id, w.cls);
    await app.deps.db.execute(sql`update attendance_records set student_id = ${other.id}
                                    where student_id = ${s.id} and class_id = ${w.cls.id}`);
    assert.deepEqual(await byClass(), []);
    assert.deepEqual(await tallyDrift(app, w.org.id), [], replay);
  });
});
