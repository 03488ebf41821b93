import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { classTeachScope } from '../classes/index.js';
import { ownStudent } from '../enrollments/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const attendancePermissions = definePermissions({
  /** Read attendance records and summaries; the row-level scope below decides whose. */
  'attendance:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Take attendance, read sessions, class views and analytics: managers in scope, faculty for their classes. */
  'attendance:take': ['admin', 'staff', 'principal', 'faculty'],
  /** Freeze date and unlock of an organization's attendance. */
  'attendance:manage': ['admin'],
});

/** The classes whose attendance the actor may take and analyse (managers in subtree, teachers their own). */
export const attendanceClassScope = (actor: Actor, cls: { id: Column; organizationId: Column }) =>
  classTeachScope(actor, cls);

/**
 * SQL predicate for attendance rows the actor may read: the class is in their teaching scope, or the row is
 * the student's own, or the student is the parent's child. `r` names (student_id, class_id, organization_id).
 */
export function recordReadScope(
  actor: Actor,
  r: { studentId: Column; classId: Column; organizationId: Column },
): SQL {
  return sql`(${recordTeachScope(actor, r)} or ${studentSelfOrChild(actor, r.studentId)})`;
}

/** The student is the actor (student role) or the actor's linked child (parent role). */
export function studentSelfOrChild(actor: Actor, studentIdCol: Column): SQL {
  const parts: SQL[] = [];
  if (hasRole(actor, 'student')) parts.push(ownStudent(actor, studentIdCol));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, studentIdCol));
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}

/** Records of classes in the actor's teaching scope (managers by organization, faculty by assignment). */
export function recordTeachScope(actor: Actor, r: { classId: Column; organizationId: Column }): SQL {
  return classTeachScope(actor, { id: r.classId, organizationId: r.organizationId });
}
