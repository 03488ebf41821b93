import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole } from '../../kernel/auth/actor.js';
import { definePermissions } from '../../kernel/auth/permissions.js';
import type { Column } from '../../kernel/scopes.js';
import { teaches } from '../classes/index.js';
import { orgScope } from '../organizations/index.js';

/**
 * The permissions this module declares. Reports only read, so no role changes anything here; which rows a
 * holder sees is decided by the predicates below, in SQL.
 */
export const reportsPermissions = definePermissions({
  /** Class-based reports (performance, attendance, exam results, attendance compliance): managers every
   * class of their subtree, teachers the classes they teach. */
  'reports:read': ['admin', 'staff', 'principal', 'faculty', 'auditor'],
  /** Organization-wide reports (fees, library, hostels, departments) and the organization scope of every
   * report: admins and staff of an organization and its subtree, principals of their school. */
  'reports:org': ['admin', 'staff', 'principal', 'auditor'],
  /** Dashboards, trends and the district view. */
  'analytics:read': ['admin', 'staff', 'principal', 'auditor'],
});

/** SQL predicate: the organization `orgCol` lies in the subtree where the actor reads organization reports. */
export function reportOrgScope(actor: Actor, orgCol: Column): SQL {
  return orgScope(actor, 'reports:org', orgCol);
}

/**
 * SQL predicate for the classes whose data a class-based report may include: every class of the
 * organizations the actor manages, and for faculty the classes they teach (a teacher never sees another
 * teacher's class, even in their own school).
 */
export function reportClassScope(actor: Actor, cls: { id: Column; organizationId: Column }): SQL {
  const parts: SQL[] = [reportOrgScope(actor, cls.organizationId)];
  if (hasRole(actor, 'faculty')) parts.push(teaches(actor, cls.id));
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** SQL predicate for the organizations the dashboards and the district view may read. */
export function analyticsOrgScope(actor: Actor, orgCol: Column): SQL {
  return orgScope(actor, 'analytics:read', orgCol);
}
