import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { teachingAssignments } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const timetablePermissions = definePermissions({
  /** Weekly views and calendar feeds; row-level scope decides whose. */
  'timetable:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Slots, schedule generation and changes. */
  'timetable:write': ['admin', 'staff', 'principal'],
  /** Room views (staff and teachers). */
  'timetable:rooms': ['admin', 'staff', 'principal', 'faculty'],
  /** One-time cancel/move of a class meeting: managers, or the class's teacher. */
  'timetable:reschedule': ['admin', 'staff', 'principal', 'faculty'],
});

/** Slots (alias `s`) in organizations where the actor holds `permission`. */
export const slotScope = (actor: Actor, permission: string): SQL =>
  orgScope(actor, permission, sql`s.organization_id`);

/**
 * The faculty member `facultyId` teaches the class whose id is `classIdCol`. Written over the classes
 * module's exported teaching_assignments table: classes exports `teaches(actor, …)` for the signed-in
 * actor only, not for a given faculty id.
 */
export const taughtBy = (facultyId: string, classIdCol: SQL): SQL =>
  sql`exists (select 1 from ${teachingAssignments} where ${teachingAssignments.classId} = ${classIdCol}
                and ${teachingAssignments.facultyId} = ${facultyId})`;
