import { and, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { academicSessions, courses } from '../academics/index.js';
import { classes } from '../classes/index.js';
import { gradebookClassScope, gradeReadScope, gradeWriteScope, manages } from './grades.policy.js';
import { gradeChanges, grades } from './grades.table.js';

export type GradeRow = typeof grades.$inferSelect;

const gradeCols = {
  organizationId: grades.organizationId,
  classId: grades.classId,
  studentId: grades.studentId,
  status: grades.status,
};

export async function findGrade(db: DbOrTx, actor: Actor, id: string, mode: 'read' | 'write', lock = false) {
  const scope = mode === 'read' ? gradeReadScope(actor, gradeCols) : gradeWriteScope(actor, gradeCols);
  const q = db
    .select()
    .from(grades)
    .where(and(eq(grades.id, id), scope));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function listGrades(db: DbOrTx, actor: Actor, filters: SQL[], w: PageWindow) {
  const where = and(gradeReadScope(actor, gradeCols), ...filters);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({
          ...getTableColumns(grades),
          className: classes.name,
          courseCode: courses.code,
          courseName: courses.name,
          sessionName: academicSessions.name,
          _total,
        })
        .from(grades)
        .innerJoin(classes, eq(classes.id, grades.classId))
        .leftJoin(courses, eq(courses.id, grades.courseId))
        .leftJoin(academicSessions, eq(academicSessions.id, grades.academicSessionId))
        .where(where)
        .orderBy(desc(grades.createdAt), desc(grades.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(grades).where(where),
    w,
  );
  return { rows, total };
}

export interface GradeTarget extends Record<string, unknown> {
  enrollment_id: string;
  student_id: string;
  class_id: string;
  organization_id: string;
  course_id: string | null;
  academic_session_id: string | null;
  credits: string | null;
  semester: number | null;
}

/** The enrollment a grade is for, if the actor may grade its class (teachers: classes they teach). */
export async function gradeTarget(
  db: DbOrTx,
  actor: Actor,
  t: { enrollment_id?: string; student_id?: string; class_id?: string },
) {
  const match = t.enrollment_id
    ? sql`e.id = ${t.enrollment_id}`
    : sql`e.student_id = ${t.student_id} and e.class_id = ${t.class_id}`;
  return firstRow<GradeTarget>(
    await db.execute(sql`
      select e.id as enrollment_id, e.student_id, e.class_id, c.organization_id, c.course_id, c.academic_session_id,
             co.credits, s.semester
        from enrollments e join classes c on c.id = e.class_id join students s on s.id = e.student_id
        left join courses co on co.id = c.course_id
       where ${match} and e.status in ('enrolled', 'completed')
         and ${gradebookClassScope(actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })}
       order by (e.status = 'enrolled') desc, e.created_at desc limit 1`),
  );
}

/**
 * `gradeTarget` of many inputs in ONE statement: the enrollment each input names (by `enrollment_id`, or by
 * student and class), if the actor may grade its class; keyed by the input's index.
 */
export async function gradeTargets(
  db: DbOrTx,
  actor: Actor,
  items: Array<{ enrollment_id?: string; student_id?: string; class_id?: string }>,
) {
  const col = (k: 'enrollment_id' | 'student_id' | 'class_id') =>
    sql.param(
      items.map((i) =>
        k === 'enrollment_id' ? (i.enrollment_id ?? null) : i.enrollment_id ? null : (i[k] ?? null),
      ),
    );
  const rows = rowsOf<GradeTarget & { ord: number | string }>(
    await db.execute(sql`
      select distinct on (i.ord) i.ord, e.id as enrollment_id, e.student_id, e.class_id, c.organization_id,
             c.course_id, c.academic_session_id, co.credits, s.semester
        from unnest(${col('enrollment_id')}::uuid[], ${col('student_id')}::uuid[], ${col('class_id')}::uuid[])
             with ordinality as i(enrollment_id, student_id, class_id, ord)
        join enrollments e on (e.id = i.enrollment_id
                               or (i.enrollment_id is null and e.student_id = i.student_id and e.class_id = i.class_id))
        join classes c on c.id = e.class_id join students s on s.id = e.student_id
        left join courses co on co.id = c.course_id
       where e.status in ('enrolled', 'completed')
         and ${gradebookClassScope(actor, { id: sql`c.id`, organizationId: sql`c.organization_id` })}
       order by i.ord, (e.status = 'enrolled') desc, e.created_at desc`),
  );
  return new Map(rows.map((r) => [Number(r.ord) - 1, r]));
}

export interface AttemptRow extends Record<string, unknown> {
  grade_id: string;
  course_id: string | null;
  class_id: string;
  title: string;
  academic_session_id: string | null;
  session_name: string | null;
  session_start: string | null;
  semester_no: number | null;
  attempt_type: string;
  letter: string;
  grade_points: string;
  is_passing: boolean;
  credits_attempted: string;
  percent: string | null;
  posted_at: string | Date | null;
  count_failed_in_gpa: boolean | null;
}

/** A student's posted grades (optionally one term / semester number) with what the GPA needs. */
export async function postedAttempts(db: DbOrTx, studentId: string, only?: SQL) {
  return rowsOf<AttemptRow>(
    await db.execute(sql`
      select g.id as grade_id, g.course_id, g.class_id, coalesce(co.code || ' ' || co.name, c.name) as title,
             g.academic_session_id, ses.name as session_name, ses.start_date::text as session_start, g.semester_no,
             g.attempt_type, g.letter, g.grade_points, g.is_passing, g.credits_attempted, g.percent, g.posted_at,
             gs.count_failed_in_gpa
        from grades g join classes c on c.id = g.class_id
        left join courses co on co.id = g.course_id
        left join academic_sessions ses on ses.id = g.academic_session_id
        left join grading_scales gs on gs.id = g.grading_scale_id
       where g.student_id = ${studentId} and g.status = 'posted' ${only ? sql`and ${only}` : sql``}
       order by ses.start_date nulls first, g.posted_at, g.id`),
  );
}

export interface TransferRow extends Record<string, unknown> {
  id: string;
  equivalent_course_id: string | null;
  course_title: string;
  course_code: string | null;
  institution_name: string;
  term_label: string | null;
  credits: string;
  letter: string;
  grade_points: string;
  is_passing: boolean;
  counts_in_gpa: boolean;
  completed_on: string | null;
}

export const transfersOf = async (db: DbOrTx, studentId: string) =>
  rowsOf<TransferRow>(
    await db.execute(sql`select id, equivalent_course_id, course_title, course_code, institution_name, term_label, credits,
                                letter, grade_points, is_passing, counts_in_gpa, completed_on::text
                           from transfer_grades where student_id = ${studentId} order by completed_on nulls first, created_at`),
  );

export async function listChanges(db: DbOrTx, actor: Actor, filters: SQL[], w: PageWindow) {
  const scope = orgScopeOfChanges(actor);
  const where = and(scope, ...filters);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(gradeChanges), _total })
        .from(gradeChanges)
        .where(where)
        .orderBy(desc(gradeChanges.changedAt), desc(gradeChanges.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(gradeChanges).where(where),
    w,
  );
  return { rows, total };
}

const orgScopeOfChanges = (actor: Actor) => manages(actor, gradeChanges.organizationId);
