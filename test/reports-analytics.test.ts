import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/kernel/sql.js';
import { attendanceSessions } from '../src/modules/attendance/attendance.table.js';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { captureQueries } from './helpers/attendance.js';
import { makeReportsWorld, type ReportsWorld, weekdayAgo } from './helpers/reports.js';

const SEED = Number(process.env.REPORTS_SEED ?? Date.now() % 2 ** 31);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const pctOf = (part: number, whole: number) =>
  whole === 0 ? null : Math.floor((2 * 10_000 * part + whole) / (2 * whole)) / 100;
const money = (minor: number) => (minor / 100).toFixed(2);

let app: App;
let w: ReportsWorld;

/** The figures the district view and the dashboard must show for the schools `keep` selects. */
function expected(keep: (orgId: string) => boolean) {
  const of = <T extends { organizationId: string }>(xs: T[]) => xs.filter((x) => keep(x.organizationId));
  const rs = of(w.records);
  const att = rs.filter((r) => r.status === 'present' || r.status === 'late').length;
  const counted = rs.filter((r) => r.status !== 'excused').length;
  const gs = of(w.grades).filter((g) => g.posted);
  const led = of(w.ledger);
  const fees =
    sum(led.filter((e) => e.type === 'payment').map((e) => e.minor)) -
    sum(led.filter((e) => e.type === 'refund').map((e) => e.minor));
  const beds = sum(of(w.rooms).map((x) => x.capacity));
  const occupied = of(w.allocations).filter((a) => a.active).length;
  return {
    students: of(w.students).length,
    faculty: of(w.faculty).length,
    departments: of(w.departments).length,
    programs: of(w.programs).length,
    courses: of(w.courses).length,
    active_enrollments: of(w.enrollments).length,
    books: of(w.books).length,
    fees_collected: led.some((e) => e.type !== 'charge') ? [{ currency: 'USD', amount: money(fees) }] : [],
    hostel_beds: beds,
    hostel_occupied: occupied,
    hostel_occupancy_percent: pctOf(occupied, beds),
    attendance_rate: pctOf(att, counted),
    average_marks: gs.length
      ? Math.floor((2 * sum(gs.map((g) => Math.round(g.percent * 100))) + gs.length) / (2 * gs.length)) / 100
      : null,
  };
}

describe(`analytics and attendance compliance (seed ${SEED})`, () => {
  before(async () => {
    app = await buildTestApp();
    w = await makeReportsWorld(app, SEED);
  });
  after(async () => {
    await app?.close();
  });

  it('dashboard: totals and per-school figures equal the records, for a district admin and a principal', async () => {
    const res = await call(app, 'GET', '/api/v1/analytics/dashboard', { token: w.admin.token });
    expectStatus(res, 200);
    const d = res.data.data;
    const inDistrict = (id: string) => id === w.schoolA.id || id === w.schoolB.id;
    assert.deepEqual(d.totals, expected(inDistrict));
    assert.deepEqual(
      d.schools.map((s: { organization_id: string }) => s.organization_id).sort(),
      [w.schoolA.id, w.schoolB.id].sort(),
    );
    for (const s of d.schools) {
      const { organization_id, name, ...figures } = s;
      assert.ok(name);
      assert.deepEqual(
        figures,
        expected((id) => id === organization_id),
      );
    }
    assert.ok(d.office, 'an admin sees the office figures');
    assert.equal(typeof d.office.registers.value, 'number');
    // Users from the summaries equal the personnel module's own count of the users table.
    const own = await call(app, 'GET', '/api/v1/analytics/personnel/dashboard', { token: w.admin.token });
    expectStatus(own, 200);
    assert.deepEqual(d.office.users, own.data.data.users);
    assert.ok(d.office.users.value >= 4, 'the users of the district are counted');

    const audit = await call(app, 'GET', '/api/v1/analytics/dashboard', { token: w.auditor.token });
    expectStatus(audit, 200);
    assert.deepEqual(audit.data.data.totals, d.totals);
    assert.equal(audit.data.data.office, null, 'an auditor has no personnel registers');

    const p = await call(app, 'GET', '/api/v1/analytics/dashboard', { token: w.principal.token });
    expectStatus(p, 200);
    assert.deepEqual(
      p.data.data.totals,
      expected((id) => id === w.schoolA.id),
    );
    assert.deepEqual(
      p.data.data.schools.map((s: { organization_id: string }) => s.organization_id),
      [w.schoolA.id],
    );
  });

  it('dashboard: reads the maintained summaries, not the fact tables', async () => {
    const queries = await captureQueries(app, () =>
      call(app, 'GET', '/api/v1/analytics/dashboard', {
        token: w.admin.token,
        query: { organization_id: w.schoolA.id },
      }),
    );
    const facts =
      /\b(from|join)\s+"?(students|enrollments|attendance_records|ledger_entries|grades|faculty|library_books|users)\b/;
    // The request's authentication reads the signed-in user; everything the dashboard reads is a summary.
    const dashboard = queries.filter((q) => !q.includes('auth_sessions'));
    assert.deepEqual(
      dashboard.filter((q) => facts.test(q)),
      [],
    );
    assert.ok(queries.some((q) => q.includes('report_counters')));
  });

  it('trends: monthly enrollments, attendance and fees equal the records; months is 1..60', async () => {
    const res = await call(app, 'GET', '/api/v1/analytics/trends', {
      token: w.admin.token,
      query: { months: 60 },
    });
    expectStatus(res, 200);
    const series = res.data.data.series as Array<{
      month: string;
      enrollments: number;
      attended: number;
      counted: number;
      fees_collected: Array<{ amount: string }>;
    }>;
    assert.equal(series.length, 60);
    assert.equal(series[59].month, new Date().toISOString().slice(0, 7));
    const enrolled = rowsOf<{ n: number }>(
      await app.deps.db.execute(sql`select count(*)::int as n from enrollments where organization_id in
        (${w.schoolA.id}::uuid, ${w.schoolB.id}::uuid)`),
    )[0].n;
    assert.equal(sum(series.map((m) => m.enrollments)), enrolled);
    const recs = rowsOf<{ month: string; attended: number; counted: number }>(
      await app.deps.db.execute(sql`select to_char(attendance_date, 'YYYY-MM') as month,
          count(*) filter (where status in ('present', 'late'))::int as attended,
          count(*) filter (where status <> 'excused')::int as counted
        from attendance_records where organization_id in (${w.schoolA.id}::uuid, ${w.schoolB.id}::uuid) group by 1`),
    );
    for (const m of series) {
      const r = recs.find((x) => x.month === m.month);
      assert.equal(m.attended, r?.attended ?? 0, m.month);
      assert.equal(m.counted, r?.counted ?? 0, m.month);
      const fees = w.ledger.filter(
        (e) =>
          (e.organizationId === w.schoolA.id || e.organizationId === w.schoolB.id) &&
          e.date.startsWith(m.month),
      );
      const net =
        sum(fees.filter((e) => e.type === 'payment').map((e) => e.minor)) -
        sum(fees.filter((e) => e.type === 'refund').map((e) => e.minor));
      const has = fees.some((e) => e.type !== 'charge');
      assert.deepEqual(
        m.fees_collected.map((f) => f.amount),
        has ? [money(net)] : [],
        m.month,
      );
    }
    const twelve = await call(app, 'GET', '/api/v1/analytics/trends', { token: w.principal.token });
    expectStatus(twelve, 200);
    assert.equal(twelve.data.data.series.length, 12);
    for (const months of [0, 61, 'x']) {
      expectError(
        await call(app, 'GET', '/api/v1/analytics/trends', { token: w.admin.token, query: { months } }),
        400,
      );
    }
  });

  it("district view: a district admin's view lists every school with the district total", async () => {
    const res = await call(app, 'GET', `/api/v1/analytics/district/${w.district.id}`, {
      token: w.admin.token,
    });
    expectStatus(res, 200);
    const d = res.data.data;
    assert.equal(d.organization_id, w.district.id);
    assert.deepEqual(
      d.schools.map((s: { organization_id: string }) => s.organization_id),
      [w.schoolA, w.schoolB].sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.id),
    );
    const row = (e: ReturnType<typeof expected>) => ({
      students: e.students,
      teachers: e.faculty,
      attendance_rate: e.attendance_rate,
      average_marks: e.average_marks,
      fees_collected: e.fees_collected,
    });
    for (const s of d.schools) {
      const { organization_id, name, ...figures } = s;
      assert.ok(name);
      assert.deepEqual(figures, row(expected((id) => id === organization_id)));
    }
    assert.deepEqual(d.total, row(expected((id) => id === w.schoolA.id || id === w.schoolB.id)));
  });

  it('district view and dashboard: 400, 401, 403 and out-of-scope 404', async () => {
    const url = `/api/v1/analytics/district/${w.district.id}`;
    expectError(await call(app, 'GET', url, {}), 401);
    expectError(await call(app, 'GET', url, { token: w.teacher.token }), 403);
    expectError(await call(app, 'GET', url, { token: w.student.token }), 403);
    expectError(
      await call(app, 'GET', '/api/v1/analytics/district/not-a-uuid', { token: w.admin.token }),
      400,
    );
    expectError(await call(app, 'GET', url, { token: w.admin.token, query: { bogus: 1 } }), 400);
    expectError(await call(app, 'GET', url, { token: w.principal.token }), 404);
    expectError(
      await call(app, 'GET', `/api/v1/analytics/district/${w.schoolB.id}`, { token: w.principal.token }),
      404,
    );
    expectError(await call(app, 'GET', url, { token: w.otherAdmin.token }), 404);
    const own = await call(app, 'GET', `/api/v1/analytics/district/${w.schoolA.id}`, {
      token: w.principal.token,
    });
    expectStatus(own, 200);
    assert.deepEqual(own.data.data.schools, [], 'a school has no schools below it');
    assert.equal(
      own.data.data.total.students,
      w.students.filter((x) => x.organizationId === w.schoolA.id).length,
    );

    for (const path of ['/api/v1/analytics/dashboard', '/api/v1/analytics/trends']) {
      expectError(await call(app, 'GET', path, {}), 401);
      expectError(await call(app, 'GET', path, { token: w.teacher.token }), 403);
      expectError(await call(app, 'GET', path, { token: w.admin.token, query: { bogus: 1 } }), 400);
      expectError(
        await call(app, 'GET', path, { token: w.principal.token, query: { organization_id: w.schoolB.id } }),
        404,
      );
    }
  });

  it('dashboards read their summaries in few statements, the same for a large and a small scope', async () => {
    // The admin's dashboard includes the office figures (registers, personnel, users): each is counted for
    // both moments (now, end of last month) in one statement, so 3 school + 3 office reads.
    const count = async (path: string, token: string) => {
      let res: Awaited<ReturnType<typeof call>> | undefined;
      const queries = await captureQueries(app, async () => {
        res = await call(app, 'GET', path, { token });
      });
      expectStatus(res!, 200);
      return queries.filter((q) => /^\s*(select|with)\b/i.test(q)).length;
    };
    await call(app, 'GET', '/api/v1/auth/me', { token: w.admin.token });
    await call(app, 'GET', '/api/v1/auth/me', { token: w.principal.token });
    assert.ok((await count('/api/v1/analytics/dashboard', w.admin.token)) <= 6);
    assert.equal(await count('/api/v1/analytics/trends?months=24', w.admin.token), 1);
    assert.equal(
      await count('/api/v1/analytics/trends?months=3', w.principal.token),
      await count('/api/v1/analytics/trends?months=3', w.admin.token),
    );
  });

  it('attendance compliance: the classes without a roll call on a day, with their teachers; a teacher sees own classes', async () => {
    const day = weekdayAgo(7);
    const [a0, a1] = w.classes.filter((c) => c.organizationId === w.schoolA.id);
    const [b0, b1] = w.classes.filter((c) => c.organizationId === w.schoolB.id);
    await app.deps.db
      .insert(attendanceSessions)
      .values({ organizationId: w.schoolA.id, classId: a1.id, sessionDate: day });
    // A class without enrolled students takes no roll call; one with a student but no teacher does.
    await makeClass(app, w.schoolA);
    const lone = await makeClass(app, w.schoolB);
    const s = await makeStudent(app, w.schoolB);
    await enrollDirect(app, s.id, lone);

    const get = async (token: string, query: Record<string, string>) => {
      const res = await call(app, 'GET', '/api/v1/reports/attendance-compliance', {
        token,
        query: { page_size: 100, ...query },
      });
      expectStatus(res, 200);
      return res.data as {
        data: Array<Record<string, string | null>>;
        meta: { totals: Array<{ missing_rolls: number; classes: number }> };
      };
    };
    const principal = await get(w.principal.token, { date: day });
    assert.deepEqual(
      principal.data.map((r) => r.class_id),
      [a0.id],
    );
    assert.equal(principal.data[0].teacher_names, 'Tess Teacher');
    assert.equal(principal.data[0].teacher_ids, w.teacher.id);
    assert.equal(principal.data[0].date, day);
    assert.deepEqual(principal.meta.totals, [{ missing_rolls: 1, classes: 1 }]);

    const admin = await get(w.admin.token, { date: day });
    assert.deepEqual(new Set(admin.data.map((r) => r.class_id)), new Set([a0.id, b0.id, b1.id, lone.id]));
    assert.equal(admin.data.find((r) => r.class_id === lone.id)!.teacher_names, null);

    const from = weekdayAgo(16);
    const teacher = await get(w.teacher.token, { date_from: from, date_to: day });
    assert.ok(teacher.data.length > 0);
    assert.ok(
      teacher.data.every((r) => r.class_id === a0.id),
      'a teacher sees only own classes',
    );
    const byFaculty = await get(w.principal.token, {
      date_from: from,
      date_to: day,
      faculty_id: w.teacher.id,
    });
    assert.deepEqual(byFaculty.data, teacher.data);

    const weekend = await get(w.admin.token, { date: day, weekdays: '6,7' });
    assert.equal(weekend.data.length, 0);

    const url = '/api/v1/reports/attendance-compliance';
    expectError(
      await call(app, 'GET', url, {
        token: w.admin.token,
        query: { date_from: '2026-01-01', date_to: '2026-06-01' },
      }),
      400,
    );
    expectError(
      await call(app, 'GET', url, { token: w.admin.token, query: { date: day, date_from: day } }),
      400,
    );
    expectError(await call(app, 'GET', url, { token: w.admin.token, query: { weekdays: '8' } }), 400);
    expectError(await call(app, 'GET', url, { token: w.principal.token, query: { class_id: b0.id } }), 404);
    expectError(await call(app, 'GET', url, { token: w.teacher.token, query: { class_id: a1.id } }), 404);
  });
  it('summaries stay equal to a fresh count after updates, soft deletes, cascades and drops', async () => {
    const db = app.deps.db;
    const orgs = [w.schoolA.id, w.schoolB.id];
    const victim = w.students.find((s) => s.organizationId === w.schoolB.id)!;
    await db.execute(sql`update students set deleted_at = now() where id = ${victim.id}`);
    await db.execute(sql`update enrollments set status = 'dropped' where id = ${w.enrollments[0].id}`);
    await db.execute(sql`delete from attendance_sessions where class_id = ${w.classes[1].id}`);
    await db.execute(sql`update grades set status = 'draft' where class_id = ${w.classes[0].id}`);
    await db.execute(sql`update hostel_allocations set status = 'vacated', end_date = current_date where status = 'active'
                          and organization_id = ${w.schoolA.id}`);
    await db.execute(sql`update library_books set deleted_at = now() where id = ${w.books[0].id}`);
    await db.execute(
      sql`update hostel_rooms set capacity = capacity + 1 where organization_id = ${w.schoolB.id}`,
    );
    const ids = sql.join(
      orgs.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const counters = rowsOf<{ org: string; metric: string; n: string }>(
      await db.execute(sql`select organization_id::text as org, metric, sum(value)::text as n from report_counters
                            where organization_id in (${ids}) group by 1, 2 having sum(value) <> 0 order by 1, 2`),
    );
    const fresh = rowsOf<{ org: string; metric: string; n: string }>(
      await db.execute(sql`select org::text, metric, n::text from (
          select organization_id as org, 'students' as metric, count(*)::numeric as n from students where deleted_at is null group by 1
          union all select organization_id, 'faculty', count(*) from faculty where deleted_at is null group by 1
          union all select organization_id, 'users', count(*) from users group by 1
          union all select organization_id, 'departments', count(*) from departments group by 1
          union all select organization_id, 'programs', count(*) from programs group by 1
          union all select organization_id, 'courses', count(*) from courses group by 1
          union all select organization_id, 'books', count(*) from library_books where deleted_at is null group by 1
          union all select organization_id, 'active_enrollments', count(*) from enrollments where status = 'enrolled' group by 1
          union all select organization_id, 'hostel_beds', sum(capacity) from hostel_rooms
                     where is_active and room_status <> 'closed' group by 1
          union all select organization_id, 'hostel_occupied', count(*) from hostel_allocations where status = 'active' group by 1
          union all select organization_id, 'attended', count(*) from attendance_records where status in ('present', 'late') group by 1
          union all select organization_id, 'counted', count(*) from attendance_records where status <> 'excused' group by 1
          union all select organization_id, 'marks_sum', sum(percent) from grades where status = 'posted' and percent is not null group by 1
          union all select organization_id, 'marks_n', count(*) from grades where status = 'posted' and percent is not null group by 1
        ) f where org in (${ids}) and n <> 0 order by 1, 2`),
    );
    assert.deepEqual(
      counters.map((c) => [c.org, c.metric, Number(c.n)]),
      fresh.map((c) => [c.org, c.metric, Number(c.n)]),
    );
  });
});
