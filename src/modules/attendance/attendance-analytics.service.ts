import { type SQL, sql } from 'drizzle-orm';
import { type Db, executePrepared } from '../../db/client.js';
import {
  managedOrgIds as foldedOrgIds,
  grantsFor,
  hasRole,
  type RequestContext,
} from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { cappedPage, countLimit, listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { teaches } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { studentReadScope } from '../students/index.js';
import { recordReadScope, recordTeachScope } from './attendance.policy.js';
import * as repo from './attendance.repo.js';
import type { DefaultersQueryT, ReportsQueryT, SummaryQueryT } from './attendance.schemas.js';
import { percentage } from './attendance-alerts.service.js';

/** Analytics rows: aggregate counts plus the grouping columns each query names. */
interface Row extends Record<string, unknown> {
  key: string | null;
  label: string;
  student_id: string;
  student_number: string;
  roll_no: string | null;
  student_name: string;
  class_id: string;
  class_name: string;
  total?: number;
  present?: number;
  absent?: number;
  late?: number;
  excused?: number;
  percentage?: number | null;
}
const rowsOf = (res: unknown) => (res as { rows: Row[] }).rows;

/** The aggregate columns every analytics endpoint returns (same formula as attendance-alerts). */
const COUNTS = sql`count(r.id)::int as total,
  count(*) filter (where r.status = 'present')::int as present,
  count(*) filter (where r.status = 'absent')::int as absent,
  count(*) filter (where r.status = 'late')::int as late,
  count(*) filter (where r.status = 'excused')::int as excused,
  round(100.0 * count(*) filter (where r.status in ('present', 'late'))
        / nullif(count(*) filter (where r.status in ('present', 'late', 'absent')), 0), 2)::float8 as percentage`;

/**
 * The same columns summed over attendance_tallies rows `r` (running per-class, per-student totals kept by
 * triggers): what every report without a date range reads instead of scanning attendance_records.
 */
const TALLY_COUNTS = sql`coalesce(sum(r.present + r.absent + r.late + r.excused), 0)::int as total,
  coalesce(sum(r.present), 0)::int as present, coalesce(sum(r.absent), 0)::int as absent,
  coalesce(sum(r.late), 0)::int as late, coalesce(sum(r.excused), 0)::int as excused,
  round(100.0 * sum(r.present + r.late) / nullif(sum(r.present + r.late + r.absent), 0), 2)::float8 as percentage`;

/** No date range: the running tallies answer exactly, at a cost that does not grow with school days. */
const allTime = (q: { from?: string; to?: string }) => !q.from && !q.to;

const counts = (r: Partial<Row>) => ({
  total: Number(r.total ?? 0),
  present: Number(r.present ?? 0),
  absent: Number(r.absent ?? 0),
  late: Number(r.late ?? 0),
  excused: Number(r.excused ?? 0),
  percentage: r.percentage === null || r.percentage === undefined ? null : Number(r.percentage),
});

function dateConds(q: { from?: string; to?: string }): SQL[] {
  const out: SQL[] = [];
  if (q.from) out.push(sql`r.attendance_date >= ${q.from}`);
  if (q.to) out.push(sql`r.attendance_date <= ${q.to}`);
  if (q.from && q.to && q.from > q.to) {
    throw badRequest('from is after to', [{ field: 'from', message: 'must not be after to' }]);
  }
  return out;
}

const and = (conds: SQL[]) => (conds.length ? sql.join(conds, sql` and `) : sql`true`);
const rec = {
  studentId: sql`r.student_id`,
  classId: sql`r.class_id`,
  organizationId: sql`r.organization_id`,
};

function subtree(orgId: string | undefined): SQL[] {
  return orgId
    ? [
        sql`r.organization_id in (select so.id from organizations so where so.path like
              (select o.path from organizations o where o.id = ${orgId}) || '%')`,
      ]
    : [];
}

/** GET /attendance/summary: one student (own, child, or in scope) or one class (teaching scope). */
export async function summary(db: Db, ctx: RequestContext, q: SummaryQueryT) {
  if (!q.student_id === !q.class_id) {
    throw badRequest('Give student_id or class_id', [
      { field: 'student_id', message: 'give exactly one of student_id or class_id' },
    ]);
  }
  const { actor } = ctx;
  const dates = dateConds(q);
  if (q.class_id) {
    const cls = await repo.findTeachableClass(db, actor, q.class_id);
    if (!cls) throw notFound('Class');
    const [r] = rowsOf(
      await db.execute(
        allTime(q)
          ? sql`select ${TALLY_COUNTS} from attendance_tallies r where r.class_id = ${q.class_id}`
          : sql`select ${COUNTS} from attendance_records r where r.class_id = ${q.class_id} and ${and(dates)}`,
      ),
    );
    return { scope: 'class' as const, student_id: null, class_id: q.class_id, ...counts(r), by_class: [] };
  }
  const st = { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` };
  const where = and([sql`r.student_id = found_student.id`, recordReadScope(actor, rec), ...dates]);
  const [from, cols] = allTime(q)
    ? [sql`attendance_tallies r`, TALLY_COUNTS]
    : [sql`attendance_records r`, COUNTS];
  // One statement: the student's scope check and the per-class rows (no row = out of scope, 404; one row
  // without a class = in scope, nothing recorded).
  // A named statement (planned once per pooled connection): its planning cost as much as its execution.
  const rows = rowsOf(
    await executePrepared(
      db,
      sql`select found_student.id as found, b.*
                           from (select s.id from students s
                                  where s.id = ${q.student_id} and ${studentReadScope(actor, st)}) found_student
                           left join lateral (
                             select r.class_id, c.name as class_name, ${cols}
                               from ${from} join classes c on c.id = r.class_id
                              where ${where} group by r.class_id, c.name) b on true
                          order by b.class_name, b.class_id`,
    ),
  );
  if (!rows.length) throw notFound('Student');
  const byClass = rows.filter((b) => b.class_id !== null);
  // The overall figures are the per-class rows added up (same formula), not a second scan.
  const sum = (k: string) => byClass.reduce((n, b) => n + Number(b[k] ?? 0), 0);
  const counted = sum('present') + sum('late') + sum('absent');
  const all = {
    total: sum('total'),
    present: sum('present'),
    absent: sum('absent'),
    late: sum('late'),
    excused: sum('excused'),
    percentage: percentage(sum('present') + sum('late'), counted),
  };
  return {
    scope: 'student' as const,
    student_id: q.student_id!,
    class_id: null,
    ...counts(all),
    by_class: byClass.map((b) => ({ class_id: b.class_id, class_name: b.class_name, ...counts(b) })),
  };
}

/** GET /attendance/reports: aggregated by class, department (of the class's course) or day. */
export async function reports(db: Db, ctx: RequestContext, q: ReportsQueryT, w: PageWindow) {
  const conds = [recordTeachScope(ctx.actor, rec), ...dateConds(q), ...subtree(q.organization_id)];
  if (q.class_id) conds.push(sql`r.class_id = ${q.class_id}`);
  const groupBy = q.group_by ?? 'class';
  const tallies = allTime(q) && groupBy !== 'day';
  const [key, label, join, group, order] =
    groupBy === 'day'
      ? [
          sql`r.attendance_date::text`,
          sql`r.attendance_date::text`,
          sql``,
          sql`r.attendance_date`,
          sql`r.attendance_date desc`,
        ]
      : groupBy === 'department'
        ? [
            sql`d.id::text`,
            sql`coalesce(d.name, 'Unassigned')`,
            sql`join classes c on c.id = r.class_id left join courses co on co.id = c.course_id
                left join departments d on d.id = co.department_id`,
            sql`d.id, d.name`,
            sql`coalesce(d.name, 'Unassigned'), d.id`,
          ]
        : [
            sql`r.class_id::text`,
            sql`c.name`,
            sql`join classes c on c.id = r.class_id`,
            sql`r.class_id, c.name`,
            sql`c.name, r.class_id`,
          ];
  const list = rowsOf(
    await db.execute(sql`select ${key} as key, ${label} as label, ${tallies ? TALLY_COUNTS : COUNTS},
                                count(*) over () as total_groups
                           from ${tallies ? sql`attendance_tallies r` : sql`attendance_records r`} ${join}
                          where ${and(conds)} group by ${group} order by ${order}
                          limit ${w.limit} offset ${w.offset}`),
  );
  const total = list.length ? Number(list[0].total_groups) : 0;
  return page(
    list.map((r) => ({ key: r.key ?? null, label: String(r.label), ...counts(r) })),
    total,
    w,
  );
}

function toStats(r: Row) {
  return {
    student_id: r.student_id,
    student_number: r.student_number,
    roll_no: r.roll_no ?? null,
    student_name: r.student_name,
    class_id: r.class_id,
    class_name: r.class_name,
    ...counts(r),
  };
}

/**
 * The organizations whose classes the actor manages (classes:write), within `subtreeOf` when given, resolved
 * to ids up front: `organization_id = $id` lets the planner walk attendance_tallies_org_pct_idx in percentage
 * order and stop after one page, which an `in (subquery)` hides from it.
 */
async function managedOrgIds(db: Db, actor: RequestContext['actor'], subtreeOf?: string): Promise<string[]> {
  if (!grantsFor(actor, 'classes:write').length) return [];
  // Without a subtree filter the ids came with the actor (kernel/auth/actor-cache.ts): no query.
  const folded = subtreeOf ? null : foldedOrgIds(actor, 'classes:write');
  if (folded) return folded;
  const within = subtreeOf
    ? sql`and so.path like (select o.path from organizations o where o.id = ${subtreeOf}) || '%'`
    : sql``;
  const rows = rowsOf(
    await db.execute(sql`select so.id from organizations so
                          where ${orgScope(actor, 'classes:write', sql`so.id`)} ${within}`),
  );
  return rows.map((r) => r.id as string);
}

const orgIn = (col: SQL, ids: string[]) =>
  ids.length === 0
    ? sql`false`
    : ids.length === 1
      ? sql`${col} = ${ids[0]}`
      : sql`${col} in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`;

/** GET /attendance/defaulters: (student, class) pairs under the threshold, lowest first (ties by student, class). */
export async function defaulters(db: Db, ctx: RequestContext, q: DefaultersQueryT, w: PageWindow) {
  // numeric, not the integer PostgreSQL would infer from `100 * count`: thresholds like 75.5 are valid.
  const threshold = sql`${q.threshold ?? 75}::numeric`;
  if (!allTime(q)) {
    const conds = [recordTeachScope(ctx.actor, rec), ...dateConds(q), ...subtree(q.organization_id)];
    if (q.class_id) conds.push(sql`r.class_id = ${q.class_id}`);
    const list = rowsOf(
      await db.execute(sql`
        select r.student_id, st.student_number, st.roll_no, (st.first_name || ' ' || st.last_name) as student_name,
               r.class_id, c.name as class_name, ${COUNTS}, count(*) over () as total_rows
          from attendance_records r join students st on st.id = r.student_id join classes c on c.id = r.class_id
         where ${and(conds)}
         group by r.student_id, st.student_number, st.roll_no, st.first_name, st.last_name, r.class_id, c.name
        having 100.0 * count(*) filter (where r.status in ('present', 'late'))
               < ${threshold} * count(*) filter (where r.status in ('present', 'late', 'absent'))
         order by 100.0 * count(*) filter (where r.status in ('present', 'late'))
                  / nullif(count(*) filter (where r.status in ('present', 'late', 'absent')), 0),
                  r.student_id, r.class_id
         limit ${w.limit} offset ${w.offset}`),
    );
    const total = list.length ? Number(list[0].total_rows) : 0;
    return cappedPage(list.map(toStats), total, null, w);
  }
  // No date range: one tally row per (student, class), read in percentage order from
  // attendance_tallies_org_pct_idx (percentage ≤ threshold; the exact comparison decides at the boundary).
  const { actor } = ctx;
  const managed = orgIn(sql`r.organization_id`, await managedOrgIds(db, actor, q.organization_id));
  const conds = [
    hasRole(actor, 'faculty') ? sql`(${managed} or ${teaches(actor, sql`r.class_id`)})` : managed,
    sql`r.percentage <= ${threshold}`,
    // The stored percentage is a numeric quotient (≥ 16 significant digits): clearly under the threshold
    // decides at once; only a percentage within 1e-6 of it needs the exact integer comparison. Both read
    // index columns only (attendance_tallies_org_pct_idx), so the capped count is an index-only scan.
    sql`(r.percentage < ${threshold} - 0.000001
         or 100 * (r.present + r.late) < ${threshold} * (r.present + r.late + r.absent))`,
  ];
  if (hasRole(actor, 'faculty')) conds.push(...subtree(q.organization_id));
  if (q.class_id) conds.push(sql`r.class_id = ${q.class_id}`);
  const limit = countLimit(w, q.count);
  // One statement: the page, shaped by SQL (no per-row mapping), with its capped count (pagination.ts).
  const matching = sql`select 1 from attendance_tallies r where ${and(conds)}`;
  const { rows, total } = await listPage(
    db,
    async (total) =>
      rowsOf(
        await executePrepared(
          db,
          sql`
      select r.student_id, st.student_number, st.roll_no, (st.first_name || ' ' || st.last_name) as student_name,
             r.class_id, c.name as class_name, (r.present + r.absent + r.late + r.excused)::int as total,
             r.present, r.absent, r.late, r.excused, round(r.percentage, 2)::float8 as percentage,
             ${total} as _total
        from attendance_tallies r join students st on st.id = r.student_id join classes c on c.id = r.class_id
       where ${and(conds)}
       order by r.percentage, r.student_id, r.class_id
       limit ${w.limit} offset ${w.offset}`,
        ),
      ) as unknown as Array<ReturnType<typeof toStats> & { _total: number }>,
    matching,
    w,
    limit,
  );
  return cappedPage(rows, total, limit, w);
}

/** GET /classes/{id}/attendance-summary: every enrolled student with their percentage in the class. */
export async function classSummary(
  db: Db,
  ctx: RequestContext,
  classId: string,
  q: { from?: string; to?: string },
) {
  const cls = await repo.findTeachableClass(db, ctx.actor, classId);
  if (!cls) throw notFound('Class');
  const dates = dateConds(q);
  const [source, cols] = allTime(q)
    ? [sql`left join attendance_tallies r on r.class_id = e.class_id and r.student_id = st.id`, TALLY_COUNTS]
    : [
        sql`left join attendance_records r on r.class_id = e.class_id and r.student_id = st.id and ${and(dates)}`,
        COUNTS,
      ];
  const list = rowsOf(
    await db.execute(sql`
      select st.id as student_id, st.student_number, st.roll_no, (st.first_name || ' ' || st.last_name) as student_name,
             ${classId}::uuid as class_id, ${cls.name} as class_name, ${cols}
        from enrollments e join students st on st.id = e.student_id
        ${source}
       where e.class_id = ${classId} and e.status = 'enrolled' and st.deleted_at is null
       group by st.id, st.student_number, st.roll_no, st.first_name, st.last_name
       order by st.roll_no nulls last, st.last_name, st.first_name, st.id`),
  );
  return list.map(toStats);
}
