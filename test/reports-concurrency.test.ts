import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/kernel/sql.js';
import { attendanceRecords, attendanceSessions } from '../src/modules/attendance/attendance.table.js';
import { enrollments } from '../src/modules/enrollments/enrollments.table.js';
import { students } from '../src/modules/students/students.table.js';
import { makeClass } from './helpers/academic.js';
import { type App, buildTestApp, isPostgres, uniq } from './helpers/app.js';
import { makeChildOrg, makeRootOrg } from './helpers/factories.js';
import { daysAgo } from './helpers/reports.js';

/** Counter sums of one organization, and the same figures counted afresh from the fact tables. */
async function compare(app: App, orgId: string) {
  const db = app.deps.db;
  const counters = rowsOf<{ metric: string; n: number }>(
    await db.execute(sql`select metric, sum(value)::int as n from report_counters
                          where organization_id = ${orgId} group by 1 having sum(value) <> 0 order by 1`),
  );
  const fresh = rowsOf<{ metric: string; n: number }>(
    await db.execute(sql`select metric, n from (
        select 'students' as metric, (select count(*) from students where organization_id = ${orgId} and deleted_at is null)::int as n
        union all select 'active_enrollments', (select count(*) from enrollments where organization_id = ${orgId} and status = 'enrolled')::int
        union all select 'attended', (select count(*) from attendance_records where organization_id = ${orgId} and status in ('present', 'late'))::int
        union all select 'counted', (select count(*) from attendance_records where organization_id = ${orgId} and status <> 'excused')::int
      ) f where n <> 0 order by 1`),
  );
  return { counters, fresh };
}

describe('report summaries under concurrent writes (PostgreSQL)', { skip: !isPostgres() }, () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(async () => {
    await app?.close();
  });

  it('should keep the counters exact when many transactions of one school commit and roll back at once', async () => {
    const db = app.deps.db;
    const district = await makeRootOrg(app, 'district');
    const school = await makeChildOrg(app, district, 'school');
    const N = 24;
    const rows = await db
      .insert(students)
      .values(
        Array.from({ length: N }, (_, i) => ({
          organizationId: school.id,
          studentNumber: uniq(`C${i}-`),
          firstName: 'Con',
          lastName: `Current ${i}`,
          email: `${uniq('c')}@example.test`,
        })),
      )
      .returning();
    const classes = await Promise.all(Array.from({ length: N }, () => makeClass(app, school)));

    // Each transaction enrolls one student, takes a roll call of its own class, soft-deletes another
    // student and drops an earlier enrollment; every third one rolls back after all of that.
    const outcomes = await Promise.allSettled(
      Array.from({ length: N }, (_, i) =>
        db.transaction(async (tx) => {
          const cls = classes[i];
          await tx
            .insert(enrollments)
            .values({ studentId: rows[i].id, classId: cls.id, organizationId: school.id });
          const [se] = await tx
            .insert(attendanceSessions)
            .values({ organizationId: school.id, classId: cls.id, sessionDate: daysAgo(i + 1) })
            .returning();
          await tx.insert(attendanceRecords).values(
            rows.slice(0, 5).map((s, k) => ({
              sessionId: se.id,
              studentId: s.id,
              classId: cls.id,
              organizationId: school.id,
              attendanceDate: daysAgo(i + 1),
              status: (['present', 'absent', 'late', 'excused', 'present'] as const)[(i + k) % 5],
            })),
          );
          await tx.execute(sql`update students set deleted_at = now() where id = ${rows[(i + 7) % N].id}`);
          await tx.execute(sql`update enrollments set status = 'dropped'
                                where student_id = ${rows[(i + 3) % N].id} and organization_id = ${school.id}`);
          if (i % 3 === 0) throw new Error('roll back');
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    for (const f of failed) {
      const why = String((f as PromiseRejectedResult).reason?.message ?? f);
      // Only the planned rollbacks (and, should two transactions cross, PostgreSQL's deadlock victim).
      assert.match(why, /roll back|deadlock/);
    }
    assert.ok(failed.length >= N / 3, 'the planned rollbacks happened');
    const { counters, fresh } = await compare(app, school.id);
    assert.deepEqual(counters, fresh);
    assert.ok(fresh.length >= 3, 'the figures were exercised');
  });
});
