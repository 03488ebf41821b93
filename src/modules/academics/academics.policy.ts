import { type SQL, sql } from 'drizzle-orm';
import { type Actor, grantsFor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const academicsPermissions = definePermissions({
  /** Read the academic catalog (departments, programs, courses, subjects, sessions). */
  'academics:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
  /** Manage the academic catalog in the organizations one administers. */
  'academics:write': ['admin', 'staff', 'principal'],
});

/**
 * Catalog visibility: records of organizations in the subtree of the actor's grants AND of their
 * ancestors (a school's teachers and students see the district's subjects and sessions).
 */
export function catalogReadScope(actor: Actor, orgColumn: Column): SQL {
  const grants = grantsFor(actor, 'academics:read');
  if (grants.length === 0) return sql`false`;
  const parts = grants.map((g) => sql`(so.path like ${`${g.path}%`} or ${g.path} like so.path || '%')`);
  return sql`${orgColumn} in (select so.id from organizations so where ${sql.join(parts, sql` or `)})`;
}

/** Catalog changes: only in the subtree of an organization where the actor holds academics:write. */
export function catalogWriteScope(actor: Actor, orgColumn: Column): SQL {
  return orgScope(actor, 'academics:write', orgColumn);
}

/** SQL predicate: `orgColumn` is the organization with materialized path `orgPath` or one of its ancestors. */
export function orgIsSelfOrAncestor(orgColumn: Column, orgPath: string): SQL {
  return sql`${orgColumn} in (select so.id from organizations so where ${orgPath} like so.path || '%')`;
}

/** SQL predicate: `orgColumn` lies in the subtree of the organization with path `orgPath`. */
export function orgInSubtree(orgColumn: Column, orgPath: string): SQL {
  return sql`${orgColumn} in (select so.id from organizations so where so.path like ${`${orgPath}%`})`;
}
