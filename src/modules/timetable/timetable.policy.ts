import { definePermissions } from '../../kernel/auth/permissions.js';

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
