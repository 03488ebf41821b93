import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { teaches } from '../classes/index.js';
import { ownStudent } from '../enrollments/index.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const examsPermissions = definePermissions({
  /** Read exam schedules and timetable entries; the row scope decides which (drafts: managers only). */
  'exams:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Create and change exam schedules, venues and timetable entries (seed 004: admin/staff). */
  'exams:write': ['admin', 'staff', 'principal'],
  /** Export the exam timetable as CSV/XLSX: managers in scope, teachers their classes' entries. */
  'exams:export': ['admin', 'staff', 'principal', 'faculty'],
  /** Read exam venues and their capacities. */
  'exam_venues:read': ['admin', 'staff', 'principal', 'faculty'],
  /** The signed-in student's own exam timetable. */
  'exams:self': ['student'],
});

/** Managers (admin/staff/principal) of the organization, over its whole subtree. */
export const managesExams = (actor: Actor, orgCol: Column): SQL => orgScope(actor, 'exams:write', orgCol);

/**
 * Exam schedules the actor may read: managers every schedule in their subtree; everyone else with a role
 * there (teachers, students, parents) the schedules that are no longer drafts.
 */
export function scheduleReadScope(actor: Actor, s: { organizationId: Column; status: Column }): SQL {
  return sql`(${managesExams(actor, s.organizationId)}
              or (${s.status} <> 'draft' and ${orgScope(actor, 'exams:read', s.organizationId)}))`;
}

/**
 * Timetable entries the actor may read: managers in their subtree; once the schedule is out of draft, the
 * teachers of the entry's class, the students enrolled in it and their linked parents.
 */
export function entryReadScope(
  actor: Actor,
  x: { organizationId: Column; classId: Column; scheduleStatus: Column },
): SQL {
  const parts: SQL[] = [];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, x.classId));
  const own: SQL[] = [];
  if (hasRole(actor, 'student')) own.push(ownStudent(actor, sql`xe.student_id`));
  if (hasRole(actor, 'parent')) own.push(guardianOf(actor, sql`xe.student_id`));
  if (own.length) {
    parts.push(sql`exists (select 1 from enrollments xe where xe.class_id = ${x.classId}
                            and xe.status = 'enrolled' and (${sql.join(own, sql` or `)}))`);
  }
  const others = parts.length
    ? sql` or (${x.scheduleStatus} <> 'draft' and (${sql.join(parts, sql` or `)}))`
    : sql``;
  return sql`(${managesExams(actor, x.organizationId)}${others})`;
}
