import { type SQL, sql } from 'drizzle-orm';
import { type Actor, grantsFor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';

/**
 * The scope filter every module uses: an SQL predicate restricting `orgColumn` to organizations in the
 * subtree of the actor's grants for `permission`. Evaluated by the database, so out-of-scope rows are never
 * read (they answer 404, never 403).
 */
export function orgScope(actor: Actor, permission: string, orgColumn: Column): SQL {
  const grants = grantsFor(actor, permission);
  if (grants.length === 0) return sql`false`;
  const likes = sql.join(
    grants.map((g) => sql`so.path like ${`${g.path}%`}`),
    sql` or `,
  );
  return sql`${orgColumn} in (select so.id from organizations so where ${likes})`;
}

/** The permissions this module declares, and the roles that hold each. */
export const organizationsPermissions = definePermissions({
  'organizations:read': ['admin', 'staff', 'principal', 'faculty'],
  'organizations:write': ['admin'],
});
