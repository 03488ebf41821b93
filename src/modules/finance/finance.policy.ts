import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';

/** The permissions this module declares, and the roles that hold each. */
export const financePermissions = definePermissions({
  /** The finance desk: record payments, refunds, fee structures, dues and reports. */
  'finance:manage': ['admin', 'staff'],
  /** Concessions, waivers and finance settings need an administrator. */
  'finance:approve': ['admin'],
  /** Read ledgers, payments and receipts; the row-level scope below decides whose. */
  'fees:read': ['admin', 'staff', 'student', 'parent'],
  /** A student's own dues and payments. */
  'fees:self': ['student'],
  /** A guardian pays a linked child's dues (POST /students/{id}/payments; other students answer 404). */
  'fees:guardian': ['parent'],
  'fee_structures:read': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
});

/**
 * Students whose money the actor may see: the finance desk every student in its subtree, a student only
 * themself, a parent their linked children. `st` names the students table or alias columns.
 */
export function feeScope(actor: Actor, st: { id: Column; organizationId: Column; userId: Column }): SQL {
  const parts: SQL[] = [orgScope(actor, 'finance:manage', st.organizationId)];
  if (hasRole(actor, 'student')) parts.push(sql`${st.userId} = ${actor.userId}`);
  if (hasRole(actor, 'parent')) parts.push(guardianOf(actor, st.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}
