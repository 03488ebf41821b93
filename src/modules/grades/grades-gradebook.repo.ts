import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { rowsOf } from '../../kernel/sql.js';
import { classes } from '../classes/index.js';
import { faculty, facultyReadScope } from '../faculty/index.js';
import { students } from '../students/index.js';
import { assessmentReadScope, gradebookClassScope } from './grades.policy.js';
import { assessmentCategories, assessmentMarks, assessments } from './grades.table.js';

const clsCols = { id: classes.id, organizationId: classes.organizationId };

/** The class, if the actor may write its gradebook. */
export async function classForGradebook(db: DbOrTx, actor: Actor, classId: string) {
  const [row] = await db
    .select({
      id: classes.id,
      organizationId: classes.organizationId,
      academicSessionId: classes.academicSessionId,
      courseId: classes.courseId,
    })
    .from(classes)
    .where(and(eq(classes.id, classId), gradebookClassScope(actor, clsCols)));
  return row;
}

/** The class, if the actor may read it (assessment metadata). */
export async function classForRead(db: DbOrTx, actor: Actor, classId: string) {
  const [row] = await db
    .select({ id: classes.id })
    .from(classes)
    .where(and(eq(classes.id, classId), assessmentReadScope(actor, clsCols)));
  return row;
}

export async function categoryInScope(db: DbOrTx, actor: Actor, id: string, lock = false) {
  const q = db
    .select({ c: assessmentCategories })
    .from(assessmentCategories)
    .innerJoin(classes, eq(classes.id, assessmentCategories.classId))
    .where(and(eq(assessmentCategories.id, id), gradebookClassScope(actor, clsCols)));
  const [row] = lock ? await q.for('update', { of: assessmentCategories }) : await q;
  return row?.c;
}

export const listCategories = (db: DbOrTx, classId: string) =>
  db
    .select()
    .from(assessmentCategories)
    .where(eq(assessmentCategories.classId, classId))
    .orderBy(asc(assessmentCategories.name));

export async function assessmentInScope(
  db: DbOrTx,
  actor: Actor,
  id: string,
  mode: 'read' | 'write',
  lock = false,
) {
  const scope = mode === 'read' ? assessmentReadScope(actor, clsCols) : gradebookClassScope(actor, clsCols);
  const q = db
    .select({ a: assessments })
    .from(assessments)
    .innerJoin(classes, eq(classes.id, assessments.classId))
    .where(and(eq(assessments.id, id), scope));
  const [row] = lock ? await q.for('update', { of: assessments }) : await q;
  return row?.a;
}

export async function listAssessments(db: DbOrTx, actor: Actor, filters: SQL[], w: PageWindow) {
  const where = and(assessmentReadScope(actor, clsCols), ...filters);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ a: assessments, _total })
        .from(assessments)
        .innerJoin(classes, eq(classes.id, assessments.classId))
        .where(where)
        .orderBy(desc(assessments.assessmentDate), desc(assessments.id))
        .limit(w.limit)
        .offset(w.offset),
    db
      .select({ one: sql`1` })
      .from(assessments)
      .innerJoin(classes, eq(classes.id, assessments.classId))
      .where(where),
    w,
  );
  return { rows: rows.map((r) => r.a), total };
}

export const countMarks = async (db: DbOrTx, assessmentId: string) =>
  (
    await db
      .select({ n: count() })
      .from(assessmentMarks)
      .where(eq(assessmentMarks.assessmentId, assessmentId))
  )[0].n;

export interface MarkListRow extends Record<string, unknown> {
  id: string;
  assessment_id: string;
  student_id: string;
  student_number: string;
  first_name: string;
  last_name: string;
  marks: string | null;
  state: 'scored' | 'missing' | 'excused' | 'absent';
  comment: string | null;
  graded_by: string | null;
  version: number;
  updated_at: string | Date;
  max_marks: string;
}

/** Every mark of one assessment, in name order. */
export async function marksOf(db: DbOrTx, assessmentId: string, studentId?: string) {
  return rowsOf<MarkListRow>(
    await db.execute(sql`
      select m.id, m.assessment_id, m.student_id, s.student_number, s.first_name, s.last_name, m.marks, m.state,
             m.comment, m.graded_by, m.version, m.updated_at, a.max_marks
        from ${assessmentMarks} m join ${students} s on s.id = m.student_id join ${assessments} a on a.id = m.assessment_id
       where m.assessment_id = ${assessmentId} ${studentId ? sql`and m.student_id = ${studentId}` : sql``}
       order by s.last_name, s.first_name, s.id`),
  );
}

/** Everything needed to compute a class's running grades: assessments, categories, marks, roster. */
export async function gradebookData(db: DbOrTx, classIds: string[], studentId?: string) {
  if (classIds.length === 0) return { assessments: [], categories: [], marks: [], roster: [] };
  const ids = sql`(${sql.join(
    classIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
  const only = studentId ? sql`and m.student_id = ${studentId}` : sql``;
  const [as, cats, ms, roster] = await Promise.all([
    db
      .select()
      .from(assessments)
      .where(sql`${assessments.classId} in ${ids}`)
      .orderBy(asc(assessments.assessmentDate), asc(assessments.id)),
    db.select().from(assessmentCategories).where(sql`${assessmentCategories.classId} in ${ids}`),
    db.execute(sql`select m.assessment_id, m.student_id, m.class_id, m.state, m.marks from assessment_marks m
                    where m.class_id in ${ids} ${only}`),
    db.execute(sql`select e.id as enrollment_id, e.class_id, e.student_id, s.student_number, s.first_name, s.last_name,
                          s.semester
                     from enrollments e join students s on s.id = e.student_id
                    where e.class_id in ${ids} and e.status in ('enrolled', 'completed') and s.deleted_at is null
                      ${studentId ? sql`and e.student_id = ${studentId}` : sql``}
                    order by s.last_name, s.first_name, s.id`),
  ]);
  return {
    assessments: as,
    categories: cats,
    marks: rowsOf<{
      assessment_id: string;
      student_id: string;
      class_id: string;
      state: 'scored' | 'missing' | 'excused' | 'absent';
      marks: string | null;
    }>(ms),
    roster: rowsOf<{
      enrollment_id: string;
      class_id: string;
      student_id: string;
      student_number: string;
      first_name: string;
      last_name: string;
      semester: number | null;
    }>(roster),
  };
}

/** The faculty member's login user, if the actor may see the faculty member. */
export async function facultyUser(db: DbOrTx, actor: Actor, facultyId: string) {
  const [row] = await db
    .select({ userId: faculty.userId })
    .from(faculty)
    .where(and(eq(faculty.id, facultyId), facultyReadScope(actor)));
  return row;
}
