import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Actor, managedOrgIds as foldedOrgIds, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { type Column, ScopeExtension } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const studentsPermissions = definePermissions({
  /** Read student records; the row-level scope below decides which. */
  'students:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  'students:write': ['admin', 'staff', 'principal'],
  'guardians:write': ['admin', 'staff', 'principal'],
  'guardians:read': ['admin', 'staff', 'principal', 'parent'],
  /** The signed-in student's own profile (`/students/me`). */
  'students:self': ['student'],
  /** Upload a student photo: managers in scope, or the student their own. */
  'students:photo': ['admin', 'staff', 'principal', 'student'],
  /** Bulk export of student records. */
  'students:export': ['admin', 'staff', 'principal'],
});

/**
 * Who else may read a student, contributed by higher modules (enrollments: the teachers of classes the
 * student is enrolled in). `id` is the student id column.
 */
export const studentAudience = new ScopeExtension<{ id: Column }>('students.audience');

/** The student columns the predicates name: the students table itself, or an alias's columns. */
export interface StudentCols {
  id: Column;
  organizationId: Column;
  userId: Column;
}

/**
 * SQL predicate for the students an actor may read: managers (admin/staff/principal) every student in their
 * subtree; whoever the higher modules add through `studentAudience` (enrollments: faculty the students
 * enrolled, now or before, in classes they teach); a student their own record; a parent their linked children. `st` names the students table or alias columns (id, organization_id,
 * user_id). Applied in the WHERE clause so out-of-scope rows are never read (404, not 403).
 */
export function studentReadScope(actor: Actor, st: StudentCols): SQL {
  return readScopeWith(actor, st, orgScope(actor, 'students:write', st.organizationId));
}

/**
 * The same read scope with the managed organizations already resolved to ids (see `managedOrgIds`): a
 * single `organization_id = $1` lets the planner walk the (organization_id, last_name, first_name, id)
 * indexes in list order instead of joining and sorting the whole tenant. Used by the list, search and export.
 */
export function studentListScope(actor: Actor, st: StudentCols, managedOrgIds: string[]): SQL {
  const managed =
    managedOrgIds.length === 0
      ? sql`false`
      : managedOrgIds.length === 1
        ? sql`${st.organizationId} = ${managedOrgIds[0]}`
        : sql`${st.organizationId} in (${sql.join(
            managedOrgIds.map((id) => sql`${id}`),
            sql`, `,
          )})`;
  return readScopeWith(actor, st, managed);
}

/**
 * `studentReadScope` (with the managed organizations as ids, like `studentListScope`) as a prepared
 * statement's template (kernel/prepared.ts): the organizations and the user are the placeholders `orgs` and
 * `user`, so the SQL text depends only on the actor's roles and how many organizations they manage (none,
 * one: `= $orgs`, which keeps the list's index walk, or several: `= any($orgs)`), which `shape` names;
 * `values` fills them. Null when the managed organizations did not come with the actor (an API client) or a
 * higher module widens the scope for this actor (its predicate carries the actor's own values): the caller
 * builds its query with `studentReadScope` / `studentListScope` then.
 */
export function studentScopeTemplate(
  actor: Actor,
  st: StudentCols,
): { shape: string; scope: () => SQL; values: { orgs: string | string[]; user: string } } | null {
  const orgs = foldedOrgIds(actor, 'students:write');
  if (orgs === null || studentAudience.predicates(actor, { id: st.id }).length > 0) return null;
  const student = hasRole(actor, 'student');
  const parent = hasRole(actor, 'parent');
  const many = orgs.length > 1;
  return {
    shape: `o${Math.min(orgs.length, 2)}${student ? 's' : ''}${parent ? 'p' : ''}`,
    // Built only when the statement of this shape is prepared (once per database handle).
    scope: () => {
      const user = sql.placeholder('user');
      const parts: SQL[] = [
        orgs.length === 0
          ? sql`false`
          : many
            ? sql`${st.organizationId} = any(${sql.placeholder('orgs')}::uuid[])`
            : sql`${st.organizationId} = ${sql.placeholder('orgs')}`,
      ];
      if (student) parts.push(sql`${st.userId} = ${user}`);
      if (parent) parts.push(guardianOfUser(user, st.id));
      return sql`(${sql.join(parts, sql` or `)})`;
    },
    values: { orgs: many ? orgs : (orgs[0] ?? ''), user: actor.userId },
  };
}

function readScopeWith(actor: Actor, st: StudentCols, managed: SQL): SQL {
  const parts: SQL[] = [managed, ...studentAudience.predicates(actor, { id: st.id })];
  if (hasRole(actor, 'student')) parts.push(sql`${st.userId} = ${actor.userId}`);
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, st.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** SQL predicate: the actor is a linked guardian of the student whose id is `studentIdCol`. */
export function guardianOf(actor: Actor, studentIdCol: Column): SQL {
  return guardianOfUser(actor.userId, studentIdCol);
}

function guardianOfUser(userId: string | Placeholder, studentIdCol: Column): SQL {
  return sql`exists (select 1 from student_guardians ssg join guardians sg on sg.id = ssg.guardian_id
                      where ssg.student_id = ${studentIdCol} and sg.user_id = ${userId})`;
}

/** SQL predicate for students the actor may change (managers in their subtree). */
export function studentWriteScope(actor: Actor, st: Pick<StudentCols, 'organizationId'>): SQL {
  return orgScope(actor, 'students:write', st.organizationId);
}

/** SQL predicate for students whose photo the actor may replace: managers in scope, or the student themself. */
export function studentPhotoScope(actor: Actor, st: Pick<StudentCols, 'organizationId' | 'userId'>): SQL {
  const parts: SQL[] = [studentWriteScope(actor, st)];
  if (hasRole(actor, 'student')) parts.push(sql`${st.userId} = ${actor.userId}`);
  return sql`(${sql.join(parts, sql` or `)})`;
}
