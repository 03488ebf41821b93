import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';

/**
 * Who may use personnel registers. Admins manage registers and every personnel record of the registers of
 * their organization subtree; staff and principals read and change personnel of the registers listed in
 * their `allowed_register_ids` (and only of registers of their own subtree). Faculty, students and parents
 * have no access (403).
 */
export const personnelPermissions = definePermissions({
  /** Create, rename and delete registers. */
  'registers:manage': ['admin'],
  /** Read registers and personnel (row scope: `registerScope`). */
  'personnel:read': ['admin', 'staff', 'principal'],
  /** Create, change, delete and import personnel (row scope: `registerScope`). */
  'personnel:write': ['admin', 'staff', 'principal'],
});

/**
 * SQL predicate: the register whose id is `registerIdColumn` is one the actor may use — a register of an
 * organization the actor administers, or one listed in the actor's `allowed_register_ids` inside the
 * subtree where the actor holds `personnel:write`. Applied in the WHERE clause of every personnel query,
 * so records of other registers are never read and answer 404.
 */
export function registerScope(actor: Actor, registerIdColumn: Column): SQL {
  const parts: SQL[] = [
    sql`${registerIdColumn} in (select spr.id from personnel_registers spr
          where ${orgScope(actor, 'registers:manage', sql`spr.organization_id`)})`,
  ];
  if (actor.allowedRegisterIds.length > 0) {
    const ids = sql.join(
      actor.allowedRegisterIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    parts.push(sql`${registerIdColumn} in (select spr.id from personnel_registers spr
          where spr.id in (${ids}) and ${orgScope(actor, 'personnel:write', sql`spr.organization_id`)})`);
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** SQL predicate: the register row's organization is one the actor administers (register management). */
export function registerManageScope(actor: Actor, orgColumn: Column): SQL {
  return orgScope(actor, 'registers:manage', orgColumn);
}
