import { and, asc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { rowsOf } from '../../kernel/sql.js';
import { classes, teachingAssignments } from '../classes/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { enrollments } from './enrollments.table.js';

export type EnrollmentRow = typeof enrollments.$inferSelect;

/** A Postgres uuid[] literal; ids are schema-validated UUIDs, and this binds as one parameter. */
export const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

export interface LockedClass {
  id: string;
  organizationId: string;
  courseId: string | null;
  capacity: number | null;
  allowSelfEnrollment: boolean;
  isActive: boolean;
  path: string;
}

/**
 * Locks the classes (FOR UPDATE, in id order so concurrent batches cannot deadlock) that satisfy `scope`;
 * every capacity check that follows in the transaction sees a count no one else can change.
 */
export async function lockClasses(db: DbOrTx, ids: string[], scope: SQL): Promise<LockedClass[]> {
  return db
    .select({
      id: classes.id,
      organizationId: classes.organizationId,
      courseId: classes.courseId,
      capacity: classes.capacity,
      allowSelfEnrollment: classes.allowSelfEnrollment,
      isActive: classes.isActive,
      path: organizations.path,
    })
    .from(classes)
    .innerJoin(organizations, eq(organizations.id, classes.organizationId))
    .where(and(inArray(classes.id, ids), scope))
    .orderBy(classes.id)
    .for('update', { of: classes });
}

export async function findStudents(db: DbOrTx, ids: string[], scope: SQL) {
  return db
    .select({
      id: students.id,
      organizationId: students.organizationId,
      status: students.studentStatus,
      path: organizations.path,
    })
    .from(students)
    .innerJoin(organizations, eq(organizations.id, students.organizationId))
    .where(and(inArray(students.id, ids), sql`${students.deletedAt} is null`, scope));
}

const pairsSql = (pairs: Array<{ studentId: string; classId: string }>) =>
  sql`unnest(${uuidArray(pairs.map((p) => p.studentId))}, ${uuidArray(pairs.map((p) => p.classId))}) as p(sid, cid)`;

/** Pairs that already have an active enrollment. */
export async function activePairs(db: DbOrTx, pairs: Array<{ studentId: string; classId: string }>) {
  const res = await db.execute(sql`
    select p.sid as student_id, p.cid as class_id from ${pairsSql(pairs)}
     where exists (select 1 from enrollments e where e.student_id = p.sid and e.class_id = p.cid and e.status = 'enrolled')`);
  return rowsOf<{ student_id: string; class_id: string }>(res);
}

/**
 * Prerequisites each pair lacks: a prerequisite of the class's course is met by an earlier enrollment in
 * any class of that course with status `completed` and `passed` not false.
 */
export async function missingPrerequisites(db: DbOrTx, pairs: Array<{ studentId: string; classId: string }>) {
  const res = await db.execute(sql`
    select p.sid as student_id, p.cid as class_id, cp.prerequisite_course_id
      from ${pairsSql(pairs)}
      join classes c on c.id = p.cid
      join course_prerequisites cp on cp.course_id = c.course_id
     where not exists (
       select 1 from enrollments e join classes c2 on c2.id = e.class_id
        where e.student_id = p.sid and c2.course_id = cp.prerequisite_course_id
          and e.status = 'completed' and e.passed is not false)`);
  return rowsOf<{ student_id: string; class_id: string; prerequisite_course_id: string }>(res);
}

/** Active enrollment counts of the given classes. */
export async function activeCounts(db: DbOrTx, classIds: string[]) {
  const rows = await db
    .select({ classId: enrollments.classId, n: sql<number>`count(*)::int` })
    .from(enrollments)
    .where(and(inArray(enrollments.classId, classIds), eq(enrollments.status, 'enrolled')))
    .groupBy(enrollments.classId);
  return new Map(rows.map((r) => [r.classId, Number(r.n)]));
}

export async function insertMany(db: DbOrTx, values: Array<typeof enrollments.$inferInsert>) {
  return db.insert(enrollments).values(values).returning();
}

/** Drops the given active enrollments in one statement; returns the rows it changed. */
export async function dropMany(db: DbOrTx, ids: string[], reason: string | null) {
  if (ids.length === 0) return [];
  return db
    .update(enrollments)
    .set({ status: 'dropped', droppedAt: new Date(), dropReason: reason, updatedAt: new Date() })
    .where(and(inArray(enrollments.id, ids), eq(enrollments.status, 'enrolled')))
    .returning();
}

/** Live students actively enrolled in any class the faculty member teaches (each once), by name. */
export async function studentsTaught(db: DbOrTx, facultyId: string, w: PageWindow) {
  const where = and(
    isNull(students.deletedAt),
    sql`exists (select 1 from ${enrollments} e join ${teachingAssignments} ta on ta.class_id = e.class_id
                 where e.student_id = ${students.id} and ta.faculty_id = ${facultyId}
                   and e.status = 'enrolled')`,
  );
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(students), _total })
        .from(students)
        .where(where)
        .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(students).where(where),
    w,
  );
  return { rows, total };
}
