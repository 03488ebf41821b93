import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/**
 * Who may import. Running an import needs `imports:run`; what it may write is decided per row by the
 * target's own scope (a register user: allowed registers; a principal: that school). Faculty, students
 * and parents have no access.
 */
export const importsPermissions = definePermissions({
  'imports:run': ['admin', 'staff', 'principal'],
  /** See every import of an organization (not only one's own): admins. */
  'imports:audit': ['admin'],
});

/** SQL predicate: imports the actor may see — their own, or any of an organization they administer. */
export function importScope(actor: Actor, t: { createdBy: Column; organizationId: Column }): SQL {
  return sql`(${t.createdBy} = ${actor.userId} or ${orgScope(actor, 'imports:audit', t.organizationId)})`;
}
