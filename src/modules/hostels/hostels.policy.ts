import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const hostelsPermissions = definePermissions({
  /** Browse hostels and rooms of the organizations you belong to. */
  'hostels:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** The hostel office: hostels, rooms, fees, settings, allocations, transfers, vacating. */
  'hostels:manage': ['admin', 'staff'],
  /** Read allocations; the row-level scope decides whose (managers, the student, their guardians). */
  'hostel_allocations:read': ['admin', 'staff', 'principal', 'student', 'parent'],
});

/** Hostels and rooms the actor may read: any organization of their hostels:read grants (and below). */
export const hostelReadScope = (actor: Actor, orgColumn: Column): SQL =>
  orgScope(actor, 'hostels:read', orgColumn);

/** Hostels, rooms and allocations the actor may change: the hostel office of the organization or above. */
export const hostelManageScope = (actor: Actor, orgColumn: Column): SQL =>
  orgScope(actor, 'hostels:manage', orgColumn);

/**
 * Allocations the actor may read: managers and principals in their subtree, a student their own, a parent
 * their linked children's. `a` names the allocation's organization and student columns.
 */
export function allocationReadScope(actor: Actor, a: { organizationId: Column; studentId: Column }): SQL {
  // hostel_allocations:read is also held by students and parents; their grants must not open the subtree.
  const parts: SQL[] = [managerAllocationScope(actor, a.organizationId)];
  if (hasRole(actor, 'student')) {
    parts.push(
      sql`exists (select 1 from students has where has.id = ${a.studentId} and has.user_id = ${actor.userId})`,
    );
  }
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, a.studentId));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** Only the grants of managing roles (admin, staff, principal) widen the allocation scope to an org subtree. */
function managerAllocationScope(actor: Actor, orgColumn: Column): SQL {
  const managing = actor.roles.filter(
    (g) => g.role === 'admin' || g.role === 'staff' || g.role === 'principal',
  );
  if (managing.length === 0) return sql`false`;
  return orgScope({ ...actor, roles: managing }, 'hostel_allocations:read', orgColumn);
}
