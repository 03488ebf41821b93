import { and, asc, desc, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { Db, Tx } from '../../db/client.js';
import { recordAudits } from '../../kernel/audit.js';
import { type Actor, can, hasRole, type RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { listPage, type PageWindow, page } from '../../kernel/pagination.js';
import { withTx } from '../../kernel/tx.js';
import { courses } from '../academics/index.js';
import { classes as cls } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { studentReadScope, students } from '../students/index.js';
import { enrollmentReadScope, ownStudent } from './enrollments.policy.js';
import type * as S from './enrollments.schemas.js';
import { enrollments } from './enrollments.table.js';
import { dropRows, type EnrollMode, enrollPairs, toEnrollment } from './enrollments-rules.service.js';

export { dropRows, enrollPairs, toEnrollment };

// HTTP use cases

export async function createEnrollment(
  db: Db,
  ctx: RequestContext,
  input: { student_id: string; class_id: string },
) {
  return withTx(db, async (tx) => {
    const mode = await modeFor(tx, ctx.actor, input.class_id);
    const [row] = await enrollPairs(
      tx,
      ctx,
      [{ studentId: input.student_id, classId: input.class_id }],
      mode,
    );
    return toEnrollment(row);
  });
}

/** Managers of the class's organization act as managers; a student otherwise enrolls themself. */
async function modeFor(tx: Tx, actor: Actor, classId: string): Promise<EnrollMode> {
  if (can(actor, 'enrollments:manage')) {
    const [hit] = await tx
      .select({ id: cls.id })
      .from(cls)
      .where(and(eq(cls.id, classId), orgScope(actor, 'enrollments:manage', cls.organizationId)));
    if (hit) return 'manage';
  }
  if (hasRole(actor, 'student')) return 'self';
  throw notFound('Class');
}

export async function selfEnroll(db: Db, ctx: RequestContext, classId: string) {
  return withTx(db, async (tx) => {
    const [me] = await tx
      .select({ id: students.id })
      .from(students)
      .where(and(eq(students.userId, ctx.actor.userId), sql`${students.deletedAt} is null`));
    if (!me) throw notFound('Student profile');
    const [row] = await enrollPairs(tx, ctx, [{ studentId: me.id, classId }], 'self');
    return toEnrollment(row);
  });
}

export async function bulkEnroll(
  db: Db,
  ctx: RequestContext,
  items: Array<{ student_id: string; class_id: string }>,
) {
  return withTx(db, async (tx) => {
    const rows = await enrollPairs(
      tx,
      ctx,
      items.map((i) => ({ studentId: i.student_id, classId: i.class_id })),
      'manage',
    );
    return rows.map(toEnrollment);
  });
}

export async function listEnrollments(
  db: Db,
  ctx: RequestContext,
  q: Static<typeof S.ListEnrollmentsQuery>,
  w: PageWindow,
  extra: SQL[] = [],
) {
  const conds: SQL[] = [enrollmentReadScope(ctx.actor, enrollments), ...extra];
  if (q.student_id) conds.push(eq(enrollments.studentId, q.student_id));
  if (q.class_id) conds.push(eq(enrollments.classId, q.class_id));
  if (q.status) conds.push(eq(enrollments.status, q.status));
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({
          ...getTableColumns(enrollments),
          className: cls.name,
          classSection: cls.section,
          courseId: cls.courseId,
          courseCode: courses.code,
          courseName: courses.name,
          _total,
        })
        .from(enrollments)
        .innerJoin(cls, eq(cls.id, enrollments.classId))
        .leftJoin(courses, eq(courses.id, cls.courseId))
        .where(where)
        .orderBy(desc(enrollments.enrolledAt), asc(enrollments.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(enrollments).where(where),
    w,
  );
  const items = rows.map((r) => ({
    ...toEnrollment(r),
    class_name: r.className,
    class_section: r.classSection,
    course_id: r.courseId,
    course_code: r.courseCode,
    course_name: r.courseName,
  }));
  return page(items, total, w);
}

export async function studentEnrollments(
  db: Db,
  ctx: RequestContext,
  studentId: string | 'me',
  q: Static<typeof S.StudentEnrollmentsQuery>,
  w: PageWindow,
) {
  const cond =
    studentId === 'me'
      ? eq(students.userId, ctx.actor.userId)
      : and(eq(students.id, studentId), studentReadScope(ctx.actor, students));
  const [s] = await db
    .select({ id: students.id })
    .from(students)
    .where(and(cond, sql`${students.deletedAt} is null`));
  if (!s) throw notFound('Student');
  return listEnrollments(db, ctx, { ...q, student_id: s.id }, w);
}

export async function getEnrollment(db: Db, ctx: RequestContext, id: string) {
  const [row] = await db
    .select()
    .from(enrollments)
    .where(and(eq(enrollments.id, id), enrollmentReadScope(ctx.actor, enrollments)));
  if (!row) throw notFound('Enrollment');
  return toEnrollment(row);
}

/**
 * Locks an enrollment in scope for a change. The class row is locked first, in the same order as
 * enrollPairs, so a drop and an enrollment in one class can never deadlock.
 */
async function lockEnrollment(tx: Tx, id: string, scope: SQL) {
  const [hit] = await tx
    .select({ classId: enrollments.classId })
    .from(enrollments)
    .where(and(eq(enrollments.id, id), scope));
  if (!hit) throw notFound('Enrollment');
  await tx.select({ id: cls.id }).from(cls).where(eq(cls.id, hit.classId)).for('update');
  const [row] = await tx.select().from(enrollments).where(eq(enrollments.id, id)).for('update');
  return row;
}

export async function updateEnrollment(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: Static<typeof S.UpdateEnrollment>,
) {
  return withTx(db, async (tx) => {
    const before = await lockEnrollment(
      tx,
      id,
      orgScope(ctx.actor, 'enrollments:manage', enrollments.organizationId),
    );
    const next = input.status ?? before.status;
    if (next !== before.status && before.status !== 'enrolled') {
      throw businessRule(
        'invalid_status_transition',
        `A ${before.status} enrollment cannot become ${next}; enroll again instead`,
        [{ field: 'status', message: `cannot change from ${before.status}` }],
      );
    }
    if (next === 'dropped' && before.status === 'enrolled')
      await dropRows(tx, ctx, [id], input.drop_reason ?? null, 'manage');
    const set: Record<string, unknown> = { updatedAt: new Date() };
    if (next === 'completed' && before.status === 'enrolled')
      Object.assign(set, { status: 'completed', completedAt: new Date() });
    if (input.final_grade !== undefined) set.finalGrade = input.final_grade;
    if (input.grade_points !== undefined)
      set.gradePoints = input.grade_points === null ? null : String(input.grade_points);
    if (input.passed !== undefined) set.passed = input.passed;
    if (input.drop_reason !== undefined && next === 'dropped') set.dropReason = input.drop_reason;
    const [row] = await tx.update(enrollments).set(set).where(eq(enrollments.id, id)).returning();
    await recordAudits(tx, ctx, [
      {
        action: 'update',
        entityType: 'enrollment',
        entityId: id,
        organizationId: row.organizationId,
        before: toEnrollment(before),
        after: toEnrollment(row),
      },
    ]);
    return toEnrollment(row);
  });
}

/** Drop (keeps the row): managers in scope; a student their own enrollment in a self-enrollment class. */
export async function dropEnrollment(db: Db, ctx: RequestContext, id: string, reason: string | null) {
  return withTx(db, async (tx) => {
    const manage = orgScope(ctx.actor, 'enrollments:manage', enrollments.organizationId);
    const self = sql`(${ownStudent(ctx.actor, enrollments.studentId)} and exists (select 1 from classes sc where sc.id = ${enrollments.classId} and sc.allow_self_enrollment))`;
    const before = await lockEnrollment(
      tx,
      id,
      hasRole(ctx.actor, 'student') ? sql`(${manage} or ${self})` : manage,
    );
    if (before.status !== 'enrolled') {
      throw businessRule('not_enrolled', `The enrollment is already ${before.status}`, [
        { field: 'id', message: `is ${before.status}` },
      ]);
    }
    const [managed] = await tx
      .select({ id: enrollments.id })
      .from(enrollments)
      .where(and(eq(enrollments.id, id), manage));
    const [row] = await dropRows(tx, ctx, [id], reason, managed ? 'manage' : 'self');
    return toEnrollment(row);
  });
}
