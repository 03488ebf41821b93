import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const jobsPermissions = definePermissions({
  /** Follow and download one's own jobs (every role). */
  'jobs:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Follow and download every job of one's organization subtree. */
  'jobs:manage': ['admin'],
});

/** Jobs the actor may see: their own, and (admins) every job of an organization in their subtree. */
export function jobScope(actor: Actor, j: { ownerId: Column; organizationId: Column }): SQL {
  return sql`(${j.ownerId} = ${actor.userId} or ${orgScope(actor, 'jobs:manage', j.organizationId)})`;
}
