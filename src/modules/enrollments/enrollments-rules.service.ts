import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { type AuditEntry, recordAudits } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, businessRule, notFound } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import type { Column } from '../../kernel/scopes.js';
import { iso } from '../../kernel/sql.js';
import { classTeachScope, classes as cls } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { students } from '../students/index.js';
import { ownStudent, sameBranch } from './enrollments.policy.js';
import * as repo from './enrollments.repo.js';

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
function classScope(actor: Actor, mode: EnrollMode, cls: { id: Column; organizationId: Column }): SQL {
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
    await publish(tx, ctx, 'enrollments.enrolled', event);
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
    await publish(tx, ctx, 'enrollments.dropped', event);
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
