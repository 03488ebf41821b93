import { and, asc, count, countDistinct, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { classes, courses, departments, enrollments, teachingAssignments } from '../../db/schema.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { students } from '../students/index.js';
import type { ListFacultyQueryT } from './faculty.schemas.js';
import { faculty } from './faculty.table.js';

export type FacultyRow = typeof faculty.$inferSelect;

export async function findInScope(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(faculty)
    .where(and(eq(faculty.id, id), isNull(faculty.deletedAt), scope));
  return row ?? null;
}

export async function list(db: DbOrTx, scope: SQL, q: ListFacultyQueryT, w: PageWindow) {
  const conds: SQL[] = [scope, isNull(faculty.deletedAt)];
  if (q.faculty_status) conds.push(eq(faculty.facultyStatus, q.faculty_status));
  if (q.department_id) conds.push(eq(faculty.departmentId, q.department_id));
  if (q.employment_type) conds.push(eq(faculty.employmentType, q.employment_type));
  if (q.is_hod !== undefined) conds.push(eq(faculty.isHod, q.is_hod));
  if (q.search) {
    const p = containsPattern(q.search);
    conds.push(
      or(
        ilike(sql`${faculty.firstName} || ' ' || ${faculty.lastName}`, p),
        ilike(faculty.email, p),
        ilike(faculty.employeeId, p),
        ilike(faculty.designation, p),
      )!,
    );
  }
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(faculty)
      .where(where)
      .orderBy(asc(faculty.lastName), asc(faculty.firstName), asc(faculty.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(faculty).where(where),
  ]);
  return { rows, total };
}

export async function insert(db: DbOrTx, values: typeof faculty.$inferInsert) {
  const [row] = await db.insert(faculty).values(values).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof faculty.$inferInsert>) {
  const [row] = await db
    .update(faculty)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(faculty.id, id))
    .returning();
  return row;
}

/** True when the department exists in an organization where the actor holds `permission`. */
export async function departmentInScope(db: DbOrTx, actor: Actor, permission: string, id: string) {
  const [r] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, id), orgScope(actor, permission, departments.organizationId)));
  return Boolean(r);
}

/** Courses of the classes a faculty member teaches, with how many of those classes each has. */
export function coursesTaught(db: DbOrTx, facultyId: string) {
  return db
    .select({
      id: courses.id,
      code: courses.code,
      name: courses.name,
      credits: courses.credits,
      class_count: countDistinct(classes.id),
    })
    .from(teachingAssignments)
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .innerJoin(courses, eq(courses.id, classes.courseId))
    .where(eq(teachingAssignments.facultyId, facultyId))
    .groupBy(courses.id)
    .orderBy(asc(courses.code));
}

/** Live students actively enrolled in any class the faculty member teaches (each once), by name. */
export async function studentsTaught(db: DbOrTx, facultyId: string, w: PageWindow) {
  const where = and(
    isNull(students.deletedAt),
    sql`exists (select 1 from ${enrollments} e join ${teachingAssignments} ta on ta.class_id = e.class_id
                 where e.student_id = ${students.id} and ta.faculty_id = ${facultyId}
                   and e.status = 'enrolled')`,
  );
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(students)
      .where(where)
      .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(students).where(where),
  ]);
  return { rows, total };
}
