import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { teaches } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const enrollmentsPermissions = definePermissions({
  /** Read enrollments; the row scope below decides which. */
  'enrollments:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Create/drop enrollments: managers in their subtree, students for themselves where allowed. */
  'enrollments:write': ['admin', 'staff', 'principal', 'student'],
  /** Bulk enrollment, status/grade changes: managers only. */
  'enrollments:manage': ['admin', 'staff', 'principal'],
  /** A signed-in student acting on their own enrollments (`/students/enroll`, `/students/me/enrollments`). */
  'enrollments:self': ['student'],
  /** See a class roster: managers and teachers (the scope narrows teachers to their classes). */
  'rosters:read': ['admin', 'staff', 'principal', 'faculty'],
  'program_enrollments:read': ['admin', 'staff', 'principal', 'student', 'parent'],
  'program_enrollments:write': ['admin', 'staff', 'principal'],
});

/** SQL predicate: the student row `studentIdCol` is the actor's own student profile. */
export function ownStudent(actor: Actor, studentIdCol: SQL | any): SQL {
  return sql`${studentIdCol} in (select ows.id from students ows where ows.user_id = ${actor.userId})`;
}

/**
 * Enrollments the actor may read: managers in their subtree, teachers in classes they teach, students
 * their own, parents their linked children's.
 */
export function enrollmentReadScope(
  actor: Actor,
  e: { organizationId: SQL | any; classId: SQL | any; studentId: SQL | any },
): SQL {
  const parts: SQL[] = [orgScope(actor, 'enrollments:manage', e.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, e.classId));
  if (hasRole(actor, 'student')) parts.push(ownStudent(actor, e.studentId));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, e.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Program enrollments the actor may read: managers in their subtree, the student, their guardians. */
export function programEnrollmentReadScope(
  actor: Actor,
  pe: { organizationId: SQL | any; studentId: SQL | any },
) {
  const parts: SQL[] = [orgScope(actor, 'program_enrollments:write', pe.organizationId)];
  if (hasRole(actor, 'student')) parts.push(ownStudent(actor, pe.studentId));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, pe.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** `orgA` and `orgB` paths lie on one branch of the tree (one contains the other). */
export const sameBranch = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
