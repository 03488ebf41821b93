import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { type AuditEntry, recordAudits } from '../../kernel/audit.js';
import { type Actor, can, hasRole, orgScope, type RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { classTeachScope, classes as cls } from '../classes/index.js';
import { studentReadScope } from '../students/students.policy.js';
import { students } from '../students/students.table.js';
import { enrollmentHooks } from './enrollments.hooks.js';
import { enrollmentReadScope, ownStudent, sameBranch } from './enrollments.policy.js';
import * as repo from './enrollments.repo.js';
import { enrollments } from './enrollments.table.js';

export type EnrollMode = 'manage' | 'teach' | 'self';
export interface Pair {
  studentId: string;
  classId: string;
}

export function toEnrollment(r: repo.EnrollmentRow) {
  return {
    id: r.id,
    organization_id: r.organizationId,
    student_id: r.studentId,
    class_id: r.classId,
    status: r.status,
    enrolled_at: iso(r.enrolledAt)!,
    dropped_at: iso(r.droppedAt),
    completed_at: iso(r.completedAt),
    drop_reason: r.dropReason,
    final_grade: r.finalGrade,
    grade_points: r.gradePoints,
    passed: r.passed,
    created_by: r.createdBy,
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

/** Which classes the actor may enroll into, per mode. */
function classScope(actor: Actor, mode: EnrollMode, cls: any): SQL {
  if (mode === 'manage') return orgScope(actor, 'enrollments:manage', cls.organizationId);
  if (mode === 'teach') return classTeachScope(actor, cls);
  return orgScope(actor, 'enrollments:self', cls.organizationId);
}

const pairKey = (s: string, c: string) => `${s}:${c}`;

/**
 * The one enrollment path (single, bulk, roster add/replace, self-enrollment): set-based checks, then one
 * INSERT, hooks and audit rows, all in the caller's transaction. Classes are locked first, so capacity holds
 * under concurrency. Any failed rule throws (and the whole batch rolls back).
 */
export async function enrollPairs(tx: Tx, ctx: RequestContext, pairs: Pair[], mode: EnrollMode) {
  if (pairs.length === 0) return [];
  const seen = new Set<string>();
  for (const [i, p] of pairs.entries()) {
    const k = pairKey(p.studentId, p.classId);
    if (seen.has(k))
      throw badRequest('Duplicate enrollment in the request', [
        { field: `enrollments.${i}`, message: 'is repeated' },
      ]);
    seen.add(k);
  }
  const classIds = [...new Set(pairs.map((p) => p.classId))];
  const studentIds = [...new Set(pairs.map((p) => p.studentId))];
  const locked = await repo.lockClasses(tx, classIds, classScope(ctx.actor, mode, cls));
  const byClass = new Map(locked.map((c) => [c.id, c]));
  const missingClass = classIds.filter((id) => !byClass.has(id));
  if (missingClass.length) throw notFound('Class');
  for (const c of locked) {
    if (mode === 'self' && !c.allowSelfEnrollment) {
      throw businessRule('self_enrollment_not_allowed', 'This class does not accept self-enrollment', [
        { field: 'class_id', message: 'does not allow self-enrollment' },
      ]);
    }
    if (!c.isActive) {
      throw businessRule('class_inactive', 'The class is not active', [
        { field: 'class_id', message: 'is inactive', class_id: c.id },
      ]);
    }
  }

  const studentScope =
    mode === 'self'
      ? ownStudent(ctx.actor, students.id)
      : mode === 'manage'
        ? orgScope(ctx.actor, 'enrollments:manage', students.organizationId)
        : orgScope(ctx.actor, 'rosters:write', students.organizationId); // teachers: students of their organizations
  const found = await repo.findStudents(tx, studentIds, studentScope);
  const byStudent = new Map(found.map((s) => [s.id, s]));
  const missingStudents = studentIds.filter((id) => !byStudent.has(id));
  if (missingStudents.length) {
    const e = notFound('Student');
    e.details.push(
      ...missingStudents.map((id) => ({ field: 'student_id', message: 'not found', student_id: id })),
    );
    throw e;
  }
  const inactive = found.filter((s) => s.status !== 'active');
  if (inactive.length) {
    throw businessRule(
      'student_inactive',
      'Only active students can be enrolled',
      inactive.map((s) => ({ field: 'student_id', message: `is ${s.status}`, student_id: s.id })),
    );
  }
  const mismatched = pairs.filter(
    (p) => !sameBranch(byStudent.get(p.studentId)!.path, byClass.get(p.classId)!.path),
  );
  if (mismatched.length) {
    throw businessRule(
      'organization_mismatch',
      'The student and the class belong to different organizations',
      mismatched.map((p) => ({
        field: 'class_id',
        message: 'is outside the student organization',
        student_id: p.studentId,
        class_id: p.classId,
      })),
    );
  }

  const dup = await repo.activePairs(tx, pairs);
  if (dup.length) {
    throw businessRule(
      'already_enrolled',
      'The student is already enrolled in this class',
      dup.map((d) => ({
        field: 'student_id',
        message: 'is already enrolled',
        student_id: d.student_id,
        class_id: d.class_id,
      })),
    );
  }
  const missing = await repo.missingPrerequisites(tx, pairs);
  if (missing.length) {
    throw businessRule(
      'prerequisite_not_met',
      'A prerequisite course has not been passed',
      missing.map((m) => ({
        field: 'class_id',
        message: 'requires a course the student has not passed',
        student_id: m.student_id,
        class_id: m.class_id,
        prerequisite_course_id: m.prerequisite_course_id,
      })),
    );
  }
  const counts = await repo.activeCounts(tx, classIds);
  const adding = new Map<string, number>();
  for (const p of pairs) adding.set(p.classId, (adding.get(p.classId) ?? 0) + 1);
  const full = locked.filter(
    (c) => c.capacity !== null && (counts.get(c.id) ?? 0) + adding.get(c.id)! > c.capacity,
  );
  if (full.length) {
    throw businessRule(
      'class_full',
      'The class has no free seats',
      full.map((c) => ({
        field: 'class_id',
        message: `capacity ${c.capacity} reached`,
        class_id: c.id,
        seats_left: Math.max(0, c.capacity! - (counts.get(c.id) ?? 0)),
      })),
    );
  }

  const rows = await repo.insertMany(
    tx,
    pairs.map((p) => ({
      studentId: p.studentId,
      classId: p.classId,
      organizationId: byClass.get(p.classId)!.organizationId,
      createdBy: ctx.actor.userId,
    })),
  );
  for (const r of rows) {
    const event = {
      enrollmentId: r.id,
      studentId: r.studentId,
      classId: r.classId,
      organizationId: r.organizationId,
      courseId: byClass.get(r.classId)!.courseId,
      at: r.enrolledAt,
    };
    for (const hook of enrollmentHooks.onEnrolled) await hook(tx, ctx, event);
  }
  await audit(
    tx,
    ctx,
    mode,
    rows.map((r) => ({
      action: 'enroll',
      entityType: 'enrollment',
      entityId: r.id,
      organizationId: r.organizationId,
      after: toEnrollment(r),
    })),
  );
  return rows;
}

/**
 * Every enrollment change is audited, self-enrollments included: they move money (the finance hook charges
 * the fee), so who did what must be traceable whoever the actor was. One INSERT per batch.
 */
async function audit(tx: Tx, ctx: RequestContext, _mode: EnrollMode, entries: AuditEntry[]) {
  await recordAudits(tx, ctx, entries);
}

/** Drops active enrollments (rows kept, `dropped_at` set), running the onDropped hooks. */
export async function dropRows(
  tx: Tx,
  ctx: RequestContext,
  ids: string[],
  reason: string | null,
  mode: EnrollMode,
) {
  const rows = await repo.dropMany(tx, ids, reason);
  if (rows.length === 0) return rows;
  const courseOf = new Map(
    (
      await tx
        .select({ id: cls.id, courseId: cls.courseId })
        .from(cls)
        .where(sql`${cls.id} = any(${repo.uuidArray([...new Set(rows.map((r) => r.classId))])})`)
    ).map((c) => [c.id, c.courseId]),
  );
  for (const r of rows) {
    const event = {
      enrollmentId: r.id,
      studentId: r.studentId,
      classId: r.classId,
      organizationId: r.organizationId,
      courseId: courseOf.get(r.classId) ?? null,
      at: r.droppedAt ?? new Date(),
    };
    for (const hook of enrollmentHooks.onDropped) await hook(tx, ctx, event);
  }
  await audit(
    tx,
    ctx,
    mode,
    rows.map((r) => ({
      action: 'drop',
      entityType: 'enrollment',
      entityId: r.id,
      organizationId: r.organizationId,
      before: { status: 'enrolled' },
      after: { status: 'dropped', dropped_at: iso(r.droppedAt), drop_reason: r.dropReason },
    })),
  );
  return rows;
}

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

export async function listEnrollments(db: Db, ctx: RequestContext, q: any, w: PageWindow, extra: SQL[] = []) {
  const conds: SQL[] = [enrollmentReadScope(ctx.actor, enrollments), ...extra];
  if (q.student_id) conds.push(eq(enrollments.studentId, q.student_id));
  if (q.class_id) conds.push(eq(enrollments.classId, q.class_id));
  if (q.status) conds.push(eq(enrollments.status, q.status));
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(enrollments)
      .where(where)
      .orderBy(desc(enrollments.enrolledAt), asc(enrollments.id))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(enrollments).where(where),
  ]);
  return page(rows.map(toEnrollment), total, w);
}

export async function studentEnrollments(
  db: Db,
  ctx: RequestContext,
  studentId: string | 'me',
  q: any,
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

export async function updateEnrollment(db: Db, ctx: RequestContext, id: string, input: any) {
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
