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
  /** Replace/add/remove roster entries: managers anywhere in scope, faculty only in classes they teach. */
  'rosters:write': ['admin', 'staff', 'principal', 'faculty'],
});

/**
 * SQL predicate: the actor teaches the class whose id is `classIdCol` (a teaching assignment links their
 * faculty profile to it).
 */
export function teaches(actor: Actor, classIdCol: SQL | any): SQL {
  return sql`exists (select 1 from teaching_assignments pta join faculty pf on pf.id = pta.faculty_id
                      where pta.class_id = ${classIdCol} and pf.user_id = ${actor.userId})`;
}

/**
 * Who else may read a class, contributed by higher modules (enrollments: its enrolled students and their
 * guardians). `id` is the class id column.
 */
export const classAudience = new ScopeExtension<{ id: Column }>('classes.audience');

/**
 * Which classes the actor may see: managers (admin/staff/principal) every class in their subtree; faculty
 * the classes they teach; students the classes they are enrolled in; parents their children's classes.
 * `cls` names the classes table or alias columns (id, organization_id).
 */
export function classReadScope(actor: Actor, cls: { id: SQL | any; organizationId: SQL | any }): SQL {
  const parts: SQL[] = [orgScope(actor, 'classes:write', cls.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, cls.id));
  if (hasRole(actor, 'student')) {
    parts.push(sql`exists (select 1 from enrollments pe join students ps on ps.id = pe.student_id
                            where pe.class_id = ${cls.id} and ps.user_id = ${actor.userId})`);
  }
  if (hasRole(actor, 'parent')) {
    parts.push(sql`exists (select 1 from enrollments pe
                             join student_guardians psg on psg.student_id = pe.student_id
                             join guardians pg on pg.id = psg.guardian_id
                            where pe.class_id = ${cls.id} and pg.user_id = ${actor.userId})`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * Classes the actor may act on as a teacher would (take attendance, edit the roster, enter marks):
 * managers in their subtree, faculty only the classes they teach.
 */
export function classTeachScope(actor: Actor, cls: { id: SQL | any; organizationId: SQL | any }): SQL {
  const parts: SQL[] = [orgScope(actor, 'classes:write', cls.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, cls.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}
