import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { reportClassScope } from './reports.policy.js';
import { and, checkRange, dateFilter, orgFilter, rate, sessionFilter } from './reports.repo.js';
import { F, type ReportFilters } from './reports.schemas.js';
import type { ReportDef } from './reports-engine.js';

const classCols = { id: sql`c.id`, organizationId: sql`c.organization_id` };
const classId = (f: ReportFilters) => f.class_id ?? f.course_offering_id;

/** Classes of the report: in the actor's class scope, the organization filter, and class/department. */
function classConds(actor: Actor, f: ReportFilters): SQL[] {
  const conds: SQL[] = [reportClassScope(actor, classCols), orgFilter(f, sql`c.organization_id`)];
  const cid = classId(f);
  if (cid) conds.push(sql`c.id = ${cid}`);
  if (f.department_id) {
    conds.push(
      sql`c.course_id in (select dc.id from courses dc where dc.department_id = ${f.department_id})`,
    );
  }
  return conds;
}

/** Posted course grades of live students in scope: the records student performance is computed from. */
function performanceBase(actor: Actor, f: ReportFilters): SQL {
  // Seed 004 filters performance by the student's department and program, not the class's.
  const conds = [...classConds(actor, { ...f, department_id: undefined })];
  conds.push(
    sql`g.status = 'posted'`,
    sql`s.deleted_at is null`,
    sessionFilter(f, sql`g.academic_session_id`),
  );
  if (f.department_id) conds.push(sql`s.department_id = ${f.department_id}`);
  if (f.program_id) conds.push(sql`s.program_id = ${f.program_id}`);
  return sql`from grades g join students s on s.id = g.student_id join classes c on c.id = g.class_id
             where ${and(conds)}`;
}

const gradeAggregates = sql`
  count(*)::int as courses_graded,
  count(*) filter (where g.is_passing)::int as courses_passed,
  round(avg(g.percent), 2)::float8 as average_percent,
  case when sum(g.credits_attempted) > 0
       then round(sum(g.grade_points * g.credits_attempted) / sum(g.credits_attempted), 2)::float8 end as gpa,
  coalesce(sum(g.credits_earned), 0)::float8 as credits_earned`;

const gradeTotals = [
  { key: 'courses_graded', kind: 'int', description: 'Posted course grades' },
  { key: 'courses_passed', kind: 'int', description: 'Posted grades with a passing letter' },
  { key: 'average_percent', kind: 'rate', description: 'Average percentage of the posted grades' },
  { key: 'gpa', kind: 'rate', description: 'Credit-weighted grade point average' },
  { key: 'credits_earned', kind: 'rate', description: 'Credits earned' },
] as const;

export const studentPerformance: ReportDef = {
  path: 'student-performance',
  sheet: 'Student performance',
  summary: 'Student performance: posted grades per student',
  description:
    'Per student: posted course grades, passes, average percentage, credit-weighted GPA and credits earned. ' +
    'Managers see every student of their subtree; teachers only the grades of classes they teach.',
  permission: 'reports:read',
  filters: {
    department_id: F.department_id,
    program_id: F.program_id,
    class_id: F.class_id,
    academic_session_id: F.academic_session_id,
    academic_year: F.academic_year,
  },
  columns: [
    { key: 'student_id', kind: 'id', description: 'Student' },
    { key: 'student_number', kind: 'text', description: 'Student number' },
    { key: 'student_name', kind: 'text', description: 'First and last name' },
    { key: 'organization_id', kind: 'id', description: "The student's organization" },
    ...gradeTotals,
  ],
  totals: [{ key: 'students', kind: 'int', description: 'Students with posted grades' }, ...gradeTotals],
  rows: (actor, f) => sql`
    select s.id as k, s.id as student_id, s.student_number, s.first_name || ' ' || s.last_name as student_name,
           s.organization_id, ${gradeAggregates}
      ${performanceBase(actor, f)}
     group by s.id`,
  totalsQuery: (actor, f) =>
    sql`select count(distinct s.id)::int as students, ${gradeAggregates} ${performanceBase(actor, f)}`,
};

const attendanceCounts = [
  { key: 'sessions', kind: 'int', description: 'Roll calls taken' },
  { key: 'present', kind: 'int', description: 'Present records' },
  { key: 'absent', kind: 'int', description: 'Absent records' },
  { key: 'late', kind: 'int', description: 'Late records' },
  { key: 'excused', kind: 'int', description: 'Excused records' },
  {
    key: 'attendance_rate',
    kind: 'rate',
    description: 'Attended (present + late) over counted (present + late + absent), in percent',
  },
] as const;

/**
 * Per-class status counts: without a date range from the running tallies (attendance_tallies), with one
 * from the records of the range (attendance_records_class_date_idx); both count the same records.
 */
function attendancePerClass(actor: Actor, f: ReportFilters): SQL {
  const ranged = Boolean(f.from || f.to);
  const counts = ranged
    ? sql`(select count(*) filter (where r.status = 'present') as present,
                  count(*) filter (where r.status = 'absent') as absent,
                  count(*) filter (where r.status = 'late') as late,
                  count(*) filter (where r.status = 'excused') as excused
             from attendance_records r where r.class_id = c.id and ${dateFilter(f, sql`r.attendance_date`)})`
    : sql`(select sum(t.present) as present, sum(t.absent) as absent, sum(t.late) as late,
                  sum(t.excused) as excused
             from attendance_tallies t where t.class_id = c.id)`;
  return sql`
    select c.id, c.name, c.organization_id,
           (select count(*) from attendance_sessions se where se.class_id = c.id
               and ${dateFilter(f, sql`se.session_date`)})::int as sessions,
           coalesce(a.present, 0)::int as present, coalesce(a.absent, 0)::int as absent,
           coalesce(a.late, 0)::int as late, coalesce(a.excused, 0)::int as excused
      from classes c cross join lateral ${counts} a
     where ${and(classConds(actor, f))}`;
}

export const attendanceReport: ReportDef = {
  path: 'attendance',
  sheet: 'Attendance',
  summary: 'Attendance statistics per class',
  description:
    'Per class with roll calls: sessions taken and records by status, with the attendance rate. Without ' +
    'from/to the counts are read from the running tallies; with them, from the records of the range.',
  permission: 'reports:read',
  filters: {
    department_id: F.department_id,
    class_id: F.class_id,
    course_offering_id: F.course_offering_id,
    from: F.from,
    to: F.to,
    date_from: F.date_from,
    date_to: F.date_to,
  },
  validate: checkRange,
  columns: [
    { key: 'class_id', kind: 'id', description: 'Class' },
    { key: 'class_name', kind: 'text', description: 'Class name' },
    { key: 'organization_id', kind: 'id', description: "The class's organization" },
    ...attendanceCounts,
  ],
  totals: [{ key: 'classes', kind: 'int', description: 'Classes with roll calls' }, ...attendanceCounts],
  rows: (actor, f) => sql`
    select x.id as k, x.id as class_id, x.name as class_name, x.organization_id, x.sessions, x.present,
           x.absent, x.late, x.excused, ${rate(sql`x.present + x.late`, sql`x.present + x.late + x.absent`)} as attendance_rate
      from (${attendancePerClass(actor, f)}) x
     where x.sessions > 0 or x.present + x.absent + x.late + x.excused > 0`,
  totalsQuery: (actor, f) => sql`
    select count(*)::int as classes, coalesce(sum(sessions), 0)::int as sessions,
           coalesce(sum(present), 0)::int as present, coalesce(sum(absent), 0)::int as absent,
           coalesce(sum(late), 0)::int as late, coalesce(sum(excused), 0)::int as excused,
           ${rate(sql`sum(present + late)`, sql`sum(present + late + absent)`)} as attendance_rate
      from (${attendancePerClass(actor, f)}) x
     where x.sessions > 0 or x.present + x.absent + x.late + x.excused > 0`,
};

/** Marks of the assessments of the report, with each mark's percentage. */
function examBase(actor: Actor, f: ReportFilters): SQL {
  const conds = [...classConds(actor, f), sessionFilter(f, sql`a.academic_session_id`)];
  conds.push(dateFilter(f, sql`a.assessment_date`));
  conds.push(
    f.assessment_type
      ? sql`a.assessment_type = ${f.assessment_type}`
      : sql`a.assessment_type in ('exam', 'midterm', 'final')`,
  );
  return sql`from assessments a join classes c on c.id = a.class_id
             left join assessment_marks m on m.assessment_id = a.id
             where ${and(conds)}`;
}

function examAggregates(f: ReportFilters): SQL {
  const pct = sql`(100.0 * m.marks / a.max_marks)`;
  const scored = sql`m.state = 'scored' and m.marks is not null`;
  return sql`
    count(m.id)::int as marks_entered,
    count(*) filter (where ${scored})::int as scored,
    count(*) filter (where m.state = 'absent')::int as absent,
    count(*) filter (where ${scored} and ${pct} >= ${f.pass_percent ?? 40})::int as passed,
    round(avg(${pct}) filter (where ${scored}), 2)::float8 as average_percent,
    round(max(${pct}) filter (where ${scored}), 2)::float8 as highest_percent,
    round(min(${pct}) filter (where ${scored}), 2)::float8 as lowest_percent`;
}

const examStats = [
  { key: 'marks_entered', kind: 'int', description: 'Marks entered (any state)' },
  { key: 'scored', kind: 'int', description: 'Scored marks' },
  { key: 'absent', kind: 'int', description: 'Marks recorded as absent' },
  { key: 'passed', kind: 'int', description: 'Scored marks at or above pass_percent' },
  {
    key: 'average_percent',
    kind: 'rate',
    description: 'Average of the scored marks, in percent of max marks',
  },
  { key: 'highest_percent', kind: 'rate', description: 'Highest scored mark, in percent' },
  { key: 'lowest_percent', kind: 'rate', description: 'Lowest scored mark, in percent' },
] as const;

export const examResults: ReportDef = {
  path: 'exam-results',
  sheet: 'Exam results',
  summary: 'Exam results statistics per assessment',
  description:
    'Per exam (assessments of type exam, midterm and final unless assessment_type says otherwise): marks ' +
    'entered, scored, absent, passed and the average, highest and lowest percentage. Teachers see only ' +
    'their classes.',
  permission: 'reports:read',
  filters: {
    academic_session_id: F.academic_session_id,
    academic_year: F.academic_year,
    class_id: F.class_id,
    department_id: F.department_id,
    assessment_type: F.assessment_type,
    from: F.from,
    to: F.to,
    date_from: F.date_from,
    date_to: F.date_to,
    pass_percent: F.pass_percent,
  },
  validate: checkRange,
  columns: [
    { key: 'assessment_id', kind: 'id', description: 'Assessment' },
    { key: 'assessment_name', kind: 'text', description: 'Assessment name' },
    { key: 'assessment_type', kind: 'text', description: 'exam, midterm, final, …' },
    { key: 'assessment_date', kind: 'date', nullable: true, description: 'Date of the assessment' },
    { key: 'class_id', kind: 'id', description: 'Class' },
    { key: 'class_name', kind: 'text', description: 'Class name' },
    { key: 'max_marks', kind: 'rate', description: 'Maximum marks' },
    ...examStats,
  ],
  totals: [{ key: 'assessments', kind: 'int', description: 'Assessments' }, ...examStats],
  rows: (actor, f) => sql`
    select a.id as k, a.id as assessment_id, a.name as assessment_name, a.assessment_type::text,
           a.assessment_date::text as assessment_date, c.id as class_id, c.name as class_name,
           a.max_marks::float8 as max_marks, ${examAggregates(f)}
      ${examBase(actor, f)}
     group by a.id, c.id`,
  totalsQuery: (actor, f) =>
    sql`select count(distinct a.id)::int as assessments, ${examAggregates(f)} ${examBase(actor, f)}`,
};
