import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { classReadScope, classTeachScope, teaches } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const gradesPermissions = definePermissions({
  /** Read assessments and grades; the row scope decides which (students and parents: their own, posted only). */
  'grades:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** The live gradebook: categories, assessments, marks and draft grades of classes one teaches (managers: any in scope). */
  'gradebook:write': ['admin', 'staff', 'principal', 'faculty'],
  /** Read a class's marks (the live gradebook): managers in scope and the class's teachers. */
  'gradebook:read': ['admin', 'staff', 'principal', 'faculty'],
  /** Delete an assessment and its marks (seed 004: admin/staff). */
  'gradebook:delete': ['admin', 'staff', 'principal'],
  /** Publish (post) grades, record transfer credits, read the grade change log and honor roll. */
  'grades:publish': ['admin', 'staff', 'principal'],
  'grades:audit': ['admin', 'staff', 'principal'],
  'transfer_grades:write': ['admin', 'staff'],
  /** Grading scales and settings of an organization. */
  'grading_scales:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  'grading_scales:write': ['admin', 'principal'],
  'grades:settings': ['admin'],
  /** The signed-in student's own posted grades. */
  'grades:self': ['student'],
  'reports:honor_roll': ['admin', 'staff', 'principal', 'faculty'],
  /** All report cards of a class (its teachers, managers) or a school (managers) as one ZIP, in the background. */
  'grades:report_cards': ['admin', 'staff', 'principal', 'faculty'],
});

/** Managers (admin/staff/principal) of the organization, over its whole subtree. */
export const manages = (actor: Actor, orgCol: Column): SQL => orgScope(actor, 'grades:publish', orgCol);

/** Classes whose gradebook the actor may write: managers in subtree, teachers the classes they teach. */
export const gradebookClassScope = (actor: Actor, cls: { id: Column; organizationId: Column }): SQL =>
  classTeachScope(actor, cls);

/** Assessments the actor may see (metadata): whoever may read the class (its students and parents too). */
export const assessmentReadScope = (actor: Actor, cls: { id: Column; organizationId: Column }): SQL =>
  classReadScope(actor, cls);

/** The student is the actor (student role) or the actor's linked child (parent role). */
export function selfOrChild(actor: Actor, studentIdCol: Column): SQL {
  const parts: SQL[] = [];
  if (hasRole(actor, 'student')) {
    parts.push(
      sql`exists (select 1 from students gst where gst.id = ${studentIdCol} and gst.user_id = ${actor.userId})`,
    );
  }
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, studentIdCol));
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}

/**
 * Grades the actor may read: managers in their subtree, teachers of the grade's class (drafts too), and the
 * student or a parent only once it is posted — an unposted grade is invisible to them (404).
 */
export function gradeReadScope(
  actor: Actor,
  g: { organizationId: Column; classId: Column; studentId: Column; status: Column },
): SQL {
  const parts: SQL[] = [manages(actor, g.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, g.classId));
  parts.push(sql`(${g.status} = 'posted' and ${selfOrChild(actor, g.studentId)})`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Grades the actor may change: managers in subtree, teachers of the class. */
export function gradeWriteScope(actor: Actor, g: { organizationId: Column; classId: Column }): SQL {
  const parts: SQL[] = [manages(actor, g.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, g.classId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * Students whose academic record (posted grades, GPA, transcript) the actor may read: managers in subtree,
 * teachers of a class the student is enrolled in, the student, a parent of the student.
 */
export function recordReadScope(actor: Actor, st: { id: Column; organizationId: Column }): SQL {
  const parts: SQL[] = [manages(actor, st.organizationId)];
  if (hasRole(actor, 'faculty')) {
    parts.push(
      sql`exists (select 1 from enrollments ge where ge.student_id = ${st.id} and ${teaches(actor, sql`ge.class_id`)})`,
    );
  }
  parts.push(selfOrChild(actor, st.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The actor sees the live gradebook of a student (managers, teachers), not only posted results. */
export const seesLive = (actor: Actor): boolean => hasRole(actor, 'admin', 'staff', 'principal', 'faculty');
