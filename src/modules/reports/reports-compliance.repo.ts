import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import { reportClassScope } from './reports.policy.js';
import { checkRange, orgFilter } from './reports.repo.js';
import { F, type ReportFilters } from './reports.schemas.js';
import type { ReportDef } from './reports-engine.js';

/** The longest period one compliance request may cover (days × classes stays bounded). */
export const MAX_COMPLIANCE_DAYS = 62;

const today = () => new Date().toISOString().slice(0, 10);

/** The period checked: `date`, or from … to (either bound defaulting to the other), or today. */
export function period(f: ReportFilters): { from: string; to: string } {
  if (f.date) return { from: f.date, to: f.date };
  const from = f.from ?? f.to ?? today();
  return { from, to: f.to ?? (f.from ? from : today()) };
}

function validate(f: ReportFilters): void {
  if (f.date && (f.from || f.to)) {
    throw badRequest('Give either date or from/to', [
      { field: 'date', message: 'must not be combined with from or to' },
    ]);
  }
  checkRange(f);
  const { from, to } = period(f);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_COMPLIANCE_DAYS) {
    throw badRequest(`The period may cover at most ${MAX_COMPLIANCE_DAYS} days`, [
      { field: 'to', message: `must be within ${MAX_COMPLIANCE_DAYS} days of from` },
    ]);
  }
}

/**
 * Expected roll calls that were not taken: every active class in scope that has enrolled students, on every
 * day of the period that falls on one of `weekdays` and inside the class's academic session (when it has
 * one), without an attendance session that day. One row per class and day, with the class's teachers.
 */
function missingRolls(actor: Actor, f: ReportFilters): SQL {
  const { from, to } = period(f);
  const days = (f.weekdays ?? '1,2,3,4,5').split(',').map(Number);
  const conds: SQL[] = [
    sql`c.is_active`,
    reportClassScope(actor, { id: sql`c.id`, organizationId: sql`c.organization_id` }),
    orgFilter(f, sql`c.organization_id`),
    sql`extract(isodow from d.day)::int in (${sql.join(
      days.map((n) => sql`${n}`),
      sql`, `,
    )})`,
    sql`exists (select 1 from enrollments e where e.class_id = c.id and e.status = 'enrolled')`,
    sql`(c.academic_session_id is null or exists (select 1 from academic_sessions a
           where a.id = c.academic_session_id and d.day between a.start_date and a.end_date))`,
    sql`not exists (select 1 from attendance_sessions se where se.class_id = c.id and se.session_date = d.day)`,
  ];
  if (f.class_id) conds.push(sql`c.id = ${f.class_id}`);
  if (f.faculty_id) {
    conds.push(
      sql`exists (select 1 from teaching_assignments fa where fa.class_id = c.id and fa.faculty_id = ${f.faculty_id})`,
    );
  }
  return sql`
    select to_char(d.day, 'YYYY-MM-DD') || '/' || c.id::text as k, to_char(d.day, 'YYYY-MM-DD') as date,
           c.id as class_id, c.name as class_name, c.organization_id, t.teacher_ids, t.teacher_names
      from classes c
     cross join (select gs::date as day
                   from generate_series(${from}::date, ${to}::date, interval '1 day') gs) d
     cross join lateral (
       select string_agg(tf.id::text, ' ' order by tf.last_name, tf.first_name, tf.id) as teacher_ids,
              string_agg(tf.first_name || ' ' || tf.last_name, '; ' order by tf.last_name, tf.first_name, tf.id)
                as teacher_names
         from (select distinct ta.faculty_id from teaching_assignments ta where ta.class_id = c.id) ta
         join faculty tf on tf.id = ta.faculty_id
        where tf.deleted_at is null) t
     where ${sql.join(conds, sql` and `)}`;
}

export const attendanceCompliance: ReportDef = {
  path: 'attendance-compliance',
  sheet: 'Missing rolls',
  summary: 'Attendance compliance: classes that have not taken attendance ("missing rolls")',
  description:
    'For a date (default today) or a period of up to 62 days: every active class with enrolled students that ' +
    'has no roll call on a school day (weekdays, default Monday–Friday, inside the class’s academic session), ' +
    'with the teachers assigned to it. Principals and admins see every class of their subtree; a teacher ' +
    'sees only the classes they teach.',
  permission: 'reports:read',
  filters: {
    date: F.date,
    from: F.from,
    to: F.to,
    date_from: F.date_from,
    date_to: F.date_to,
    weekdays: F.weekdays,
    class_id: F.class_id,
    faculty_id: F.faculty_id,
  },
  validate,
  columns: [
    { key: 'date', kind: 'date', description: 'The school day without a roll call' },
    { key: 'class_id', kind: 'id', description: 'Class' },
    { key: 'class_name', kind: 'text', description: 'Class name' },
    { key: 'organization_id', kind: 'id', description: "The class's organization" },
    {
      key: 'teacher_ids',
      kind: 'text',
      nullable: true,
      description: 'Faculty ids of the assigned teachers, space-separated (null: no teacher assigned)',
    },
    {
      key: 'teacher_names',
      kind: 'text',
      nullable: true,
      description: 'Names of the assigned teachers, separated by "; "',
    },
  ],
  totals: [
    { key: 'missing_rolls', kind: 'int', description: 'Class-days without a roll call' },
    { key: 'classes', kind: 'int', description: 'Classes with at least one missing roll call' },
  ],
  rows: missingRolls,
  totalsQuery: (actor, f) => sql`
    select count(*)::int as missing_rolls, count(distinct class_id)::int as classes
      from (${missingRolls(actor, f)}) m`,
};
