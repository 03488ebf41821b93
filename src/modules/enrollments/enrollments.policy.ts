import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
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
  /** Send a notification to a class (its students and their guardians): managers and the class's teachers. */
  'classes:notify': ['admin', 'staff', 'principal', 'faculty'],
  'program_enrollments:read': ['admin', 'staff', 'principal', 'student', 'parent'],
  'program_enrollments:write': ['admin', 'staff', 'principal'],
});

/** SQL predicate: the student row `studentIdCol` is the actor's own student profile. */
export function ownStudent(actor: Actor, studentIdCol: Column): SQL {
  return sql`${studentIdCol} in (select ows.id from students ows where ows.user_id = ${actor.userId})`;
}

/**
 * SQL predicate: the actor, as a student, is enrolled in the class `classIdCol` (now or before) — one of their
 * student profiles has an enrollment there.
 */
export function enrolledIn(actor: Actor, classIdCol: Column): SQL {
  return sql`exists (select 1 from enrollments pe join students ps on ps.id = pe.student_id
                      where pe.class_id = ${classIdCol} and ps.user_id = ${actor.userId})`;
}

/** SQL predicate: one of the actor's children (the actor is their linked guardian) is enrolled in the class. */
export function childEnrolledIn(actor: Actor, classIdCol: Column): SQL {
  return sql`exists (select 1 from enrollments pe
                      where pe.class_id = ${classIdCol} and ${guardianOf(actor, sql`pe.student_id`)})`;
}

/**
 * SQL predicate: the actor teaches the student `studentIdCol` — the student is (or was) enrolled in a class
 * the actor teaches.
 */
export function teachesStudent(actor: Actor, studentIdCol: Column): SQL {
  return sql`exists (select 1 from enrollments se
                      where se.student_id = ${studentIdCol} and ${teaches(actor, sql`se.class_id`)})`;
}

/**
 * Enrollments the actor may read: managers in their subtree, teachers in classes they teach, students
 * their own, parents their linked children's.
 */
export function enrollmentReadScope(
  actor: Actor,
  e: { organizationId: Column; classId: Column; studentId: Column },
): SQL {
  const parts: SQL[] = [orgScope(actor, 'enrollments:manage', e.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, e.classId));
  if (hasRole(actor, 'student')) parts.push(ownStudent(actor, e.studentId));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, e.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Program enrollments the actor may read: managers in their subtree, the student, their guardians. */
export function programEnrollmentReadScope(actor: Actor, pe: { organizationId: Column; studentId: Column }) {
  const parts: SQL[] = [orgScope(actor, 'program_enrollments:write', pe.organizationId)];
  if (hasRole(actor, 'student')) parts.push(ownStudent(actor, pe.studentId));
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, pe.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** `orgA` and `orgB` paths lie on one branch of the tree (one contains the other). */
export const sameBranch = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
