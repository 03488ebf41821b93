import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { type Column, ScopeExtension } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const classesPermissions = definePermissions({
  'classes:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  'classes:write': ['admin', 'staff', 'principal'],
  /** Create a class: managers, and teachers, who then teach the class they created (seed 001). */
  'classes:create': ['admin', 'staff', 'principal', 'faculty'],
  /**
   * Edit a class's details (PUT/PATCH /classes/{id}): managers in scope, and the faculty member who owns the
   * class (its `owner` teaching assignment: whoever created it). See docs/academics.md, "Who may edit a class".
   */
  'classes:edit': ['admin', 'staff', 'principal', 'faculty'],
  /** Replace/add/remove roster entries: managers anywhere in scope, faculty only in classes they teach. */
  'rosters:write': ['admin', 'staff', 'principal', 'faculty'],
});

/**
 * SQL predicate: the actor teaches the class whose id is `classIdCol` (a teaching assignment links one of
 * their faculty profiles to it). The one definition of "this faculty member teaches this class": other
 * modules build on it (enrollments' `teachesStudent`, attendance, timetable).
 */
export function teaches(actor: Actor, classIdCol: Column): SQL {
  return sql`exists (select 1 from teaching_assignments pta
                      where pta.class_id = ${classIdCol}
                        and pta.faculty_id in (select pf.id from faculty pf where pf.user_id = ${actor.userId}))`;
}

/**
 * Who else may read a class, contributed by higher modules (enrollments: its enrolled students and their
 * guardians). `id` is the class id column.
 */
export const classAudience = new ScopeExtension<{ id: Column }>('classes.audience');

/** Managers in their subtree, and faculty the classes they teach. */
function teachParts(actor: Actor, cls: { id: Column; organizationId: Column }): SQL[] {
  const parts: SQL[] = [orgScope(actor, 'classes:write', cls.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, cls.id));
  return parts;
}

/**
 * Which classes the actor may see: managers (admin/staff/principal) every class in their subtree; faculty
 * the classes they teach; and the class audience contributed by higher modules (enrollments: students the
 * classes they are enrolled in, parents their children's classes). `cls` names the classes table or alias
 * columns (id, organization_id).
 */
export function classReadScope(actor: Actor, cls: { id: Column; organizationId: Column }): SQL {
  const parts = [...teachParts(actor, cls), ...classAudience.predicates(actor, { id: cls.id })];
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * Classes the actor may act on as a teacher would (take attendance, edit the roster, enter marks):
 * managers in their subtree, faculty only the classes they teach.
 */
export function classTeachScope(actor: Actor, cls: { id: Column; organizationId: Column }): SQL {
  return sql`(${sql.join(teachParts(actor, cls), sql` or `)})`;
}

/**
 * Classes the actor may edit (PUT/PATCH): managers in their subtree, and faculty the classes they own (the
 * `owner` teaching assignment made when a teacher creates a class, or given by a manager). Teaching
 * assignments, deletion and other teachers' classes stay with managers.
 */
export function classEditScope(actor: Actor, cls: { id: Column; organizationId: Column }): SQL {
  const parts: SQL[] = [orgScope(actor, 'classes:write', cls.organizationId)];
  if (hasRole(actor, 'faculty')) {
    parts.push(sql`exists (select 1 from teaching_assignments ota
                            where ota.class_id = ${cls.id} and ota.role = 'owner'
                              and ota.faculty_id in (select ef.id from faculty ef where ef.user_id = ${actor.userId}))`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}
