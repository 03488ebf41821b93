import { and, asc, count, countDistinct, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { courses } from '../academics/index.js';
import { faculty } from '../faculty/index.js';
import { classes, teachingAssignments } from './classes.table.js';

export type ClassRow = typeof classes.$inferSelect & { enrolledCount?: number };
export type TeachingAssignmentRow = typeof teachingAssignments.$inferSelect;

/** Active enrollments of a class, computed by the (class_id, status) index. */
export const enrolledCount = sql<number>`(select count(*) from enrollments ce where ce.class_id = classes.id and ce.status = 'enrolled')`;

/** Active enrollments of one class now. */
export async function activeEnrollmentCount(db: DbOrTx, classId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(sql`enrollments`)
    .where(sql`class_id = ${classId} and status = 'enrolled'`);
  return Number(n);
}

/** The live faculty profile of a user, if any. */
export async function findOwnFacultyId(db: DbOrTx, userId: string): Promise<string | null> {
  const [me] = await db
    .select({ id: faculty.id })
    .from(faculty)
    .where(and(eq(faculty.userId, userId), isNull(faculty.deletedAt)));
  return me?.id ?? null;
}

/** A live faculty member that satisfies `scope` (a predicate over the faculty table), or null. */
export async function findLiveFaculty(db: DbOrTx, id: string, scope: SQL) {
  const [f] = await db
    .select({ id: faculty.id })
    .from(faculty)
    .where(and(eq(faculty.id, id), isNull(faculty.deletedAt), scope));
  return f ?? null;
}

export async function insertAssignment(db: DbOrTx, values: typeof teachingAssignments.$inferInsert) {
  const [row] = await db.insert(teachingAssignments).values(values).returning();
  return row;
}

/** A page of teaching assignments joined to their class, filtered by `where` (over both tables). */
export async function listAssignments(db: DbOrTx, where: SQL | undefined, w: PageWindow) {
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(teachingAssignments), _total })
        .from(teachingAssignments)
        .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
        .where(where)
        .orderBy(asc(teachingAssignments.createdAt), asc(teachingAssignments.id))
        .limit(w.limit)
        .offset(w.offset),
    db
      .select({ one: sql`1` })
      .from(teachingAssignments)
      .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
      .where(where),
    w,
  );
  return { rows, total };
}

/** One assignment whose class satisfies `classScope`, locked for the transaction. */
export async function lockAssignment(tx: Tx, id: string, classScope: SQL) {
  const [row] = await tx
    .select({ ta: teachingAssignments, orgId: classes.organizationId })
    .from(teachingAssignments)
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .where(and(eq(teachingAssignments.id, id), classScope))
    .for('update', { of: teachingAssignments });
  return row ?? null;
}

export async function deleteAssignment(db: DbOrTx, id: string) {
  await db.delete(teachingAssignments).where(eq(teachingAssignments.id, id));
}

/** The teachers of a class with their faculty profiles, by name. */
export async function classTeachers(db: DbOrTx, classId: string, w: PageWindow) {
  const where = eq(teachingAssignments.classId, classId);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...{ ta: teachingAssignments, f: faculty }, _total })
        .from(teachingAssignments)
        .innerJoin(faculty, eq(faculty.id, teachingAssignments.facultyId))
        .where(where)
        .orderBy(asc(faculty.lastName), asc(faculty.firstName), asc(teachingAssignments.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(teachingAssignments).where(where),
    w,
  );
  return { rows, total };
}

/** A page of the classes one faculty member teaches, narrowed by `scope` (over the classes table). */
export async function classesTaughtBy(db: DbOrTx, facultyId: string, scope: SQL, w: PageWindow) {
  const where = and(
    sql`${classes.id} in (select fta.class_id from teaching_assignments fta where fta.faculty_id = ${facultyId})`,
    scope,
  );
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...{ c: classes, enrolledCount }, _total })
        .from(classes)
        .where(where)
        .orderBy(asc(classes.name), asc(classes.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(classes).where(where),
    w,
  );
  return { rows: rows.map((r): ClassRow => ({ ...r.c, enrolledCount: r.enrolledCount })), total };
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
