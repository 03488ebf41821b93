import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole, orgScope } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';

definePermissions({
  /** Read student records; the row-level scope below decides which. */
  'students:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  'students:write': ['admin', 'staff', 'principal'],
  'guardians:write': ['admin', 'staff', 'principal'],
});

/**
 * SQL predicate for the students an actor may read: managers (admin/staff/principal) every student in their
 * subtree; faculty the students enrolled (now or before) in classes they teach; a student their own record;
 * a parent their linked children. `st` names the students table or alias columns (id, organization_id,
 * user_id). Applied in the WHERE clause so out-of-scope rows are never read (404, not 403).
 */
export function studentReadScope(
  actor: Actor,
  st: { id: SQL | any; organizationId: SQL | any; userId: SQL | any },
): SQL {
  const parts: SQL[] = [orgScope(actor, 'students:write', st.organizationId)];
  if (hasRole(actor, 'faculty')) {
    parts.push(sql`exists (select 1 from enrollments se
                             join teaching_assignments sta on sta.class_id = se.class_id
                             join faculty sf on sf.id = sta.faculty_id
                            where se.student_id = ${st.id} and sf.user_id = ${actor.userId})`);
  }
  if (hasRole(actor, 'student')) parts.push(sql`${st.userId} = ${actor.userId}`);
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, st.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** SQL predicate: the actor is a linked guardian of the student whose id is `studentIdCol`. */
export function guardianOf(actor: Actor, studentIdCol: SQL | any): SQL {
  return sql`exists (select 1 from student_guardians ssg join guardians sg on sg.id = ssg.guardian_id
                      where ssg.student_id = ${studentIdCol} and sg.user_id = ${actor.userId})`;
}

/** SQL predicate for students the actor may change (managers in their subtree). */
export function studentWriteScope(actor: Actor, st: { organizationId: SQL | any }): SQL {
  return orgScope(actor, 'students:write', st.organizationId);
}
