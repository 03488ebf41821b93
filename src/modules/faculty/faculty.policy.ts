import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import { orgScope } from '../organizations/index.js';
import { faculty, staff } from './faculty.table.js';

/** The permissions this module declares, and the roles that hold each. */
export const facultyPermissions = definePermissions({
  /** Read faculty profiles of the organizations you belong to or manage. */
  'faculty:read': ['admin', 'staff', 'principal', 'faculty'],
  'faculty:write': ['admin', 'staff', 'principal'],
  /** Read one's own faculty record (GET /faculty/me). */
  'faculty:self': ['faculty'],
  /** Upload a faculty photo: managers in scope, or the faculty member their own. */
  'faculty:photo': ['admin', 'staff', 'principal', 'faculty'],
  'staff:read': ['admin', 'staff', 'principal'],
  /** Staff hold broad management rights, so only admins create or change them. */
  'staff:write': ['admin'],
});

/** Faculty the actor may read: everyone in the subtrees of their faculty:read grants. */
export const facultyReadScope = (actor: Actor): SQL =>
  orgScope(actor, 'faculty:read', faculty.organizationId);

/** Faculty the actor may change: managers in their subtree. */
export const facultyWriteScope = (actor: Actor): SQL =>
  orgScope(actor, 'faculty:write', faculty.organizationId);

/**
 * A faculty member's own teaching data (courses, students, photo): managers in their subtree, or the
 * faculty member themself — not their colleagues.
 */
export function facultySelfScope(actor: Actor): SQL {
  const parts: SQL[] = [facultyWriteScope(actor)];
  if (hasRole(actor, 'faculty')) parts.push(sql`${faculty.userId} = ${actor.userId}`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Staff records the actor may read: managers in their subtree. */
export const staffReadScope = (actor: Actor): SQL => orgScope(actor, 'staff:read', staff.organizationId);

/** Staff records the actor may change: admins in their subtree. */
export const staffWriteScope = (actor: Actor): SQL => orgScope(actor, 'staff:write', staff.organizationId);
