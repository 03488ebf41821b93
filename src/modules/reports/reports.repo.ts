import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type Actor, grantsFor } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import type { Column } from '../../kernel/scopes.js';
import { firstRow } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { reportOrgScope } from './reports.policy.js';
import type { ReportFilters } from './reports.schemas.js';

/** SQL predicate: `orgCol` is the organization `orgId` or lies below it. */
export function inSubtree(orgCol: Column, orgId: string): SQL {
  return sql`${orgCol} in (select so.id from organizations so
    where so.path like (select sp.path from organizations sp where sp.id = ${orgId}) || '%')`;
}

/** The `organization_id` filter of every report (checked to be in scope beforehand, see orgInScope). */
export function orgFilter(f: ReportFilters, orgCol: Column): SQL {
  return f.organization_id ? inSubtree(orgCol, f.organization_id) : sql`true`;
}

/**
 * Whether the organization `id` is one the actor may report on with `permission` — in the subtree of a
 * grant, or (for teachers) an organization above or at one of their grants, whose report then lists only
 * their classes. Decided in SQL; false answers 404.
 */
export async function orgInScope(db: DbOrTx, actor: Actor, permission: string, id: string): Promise<boolean> {
  const grants = grantsFor(actor, permission);
  if (grants.length === 0) return false;
  const row = firstRow<{ ok: boolean }>(
    await db.execute(sql`select exists (select 1 from organizations o where o.id = ${id}
      and ${orgScope(actor, permission, sql`o.id`)}) as ok`),
  );
  return row?.ok === true;
}

/** Grades, assessments or classes of an academic session (and the sessions directly under it) or year. */
export function sessionFilter(f: ReportFilters, sessionCol: Column): SQL {
  const parts: SQL[] = [];
  if (f.academic_session_id) {
    parts.push(sql`${sessionCol} in (select ss.id from academic_sessions ss
      where ss.id = ${f.academic_session_id} or ss.parent_id = ${f.academic_session_id})`);
  }
  if (f.academic_year) {
    parts.push(sql`${sessionCol} in (select ss.id from academic_sessions ss
      left join academic_sessions sp on sp.id = ss.parent_id
      where ss.name = ${f.academic_year} or sp.name = ${f.academic_year})`);
  }
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** `col` (a date) within from … to, each bound optional. */
export function dateFilter(f: ReportFilters, col: Column): SQL {
  const parts: SQL[] = [];
  if (f.from) parts.push(sql`${col} >= ${f.from}::date`);
  if (f.to) parts.push(sql`${col} <= ${f.to}::date`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** `col` (a timestamp) within the UTC days from … to; an index range on `col`. */
export function instantFilter(f: ReportFilters, col: Column): SQL {
  const parts: SQL[] = [];
  if (f.from) parts.push(sql`${col} >= (${f.from}::date)::timestamp at time zone 'UTC'`);
  if (f.to) parts.push(sql`${col} < (${f.to}::date + 1)::timestamp at time zone 'UTC'`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/** 400 when from is after to. */
export function checkRange(f: ReportFilters): void {
  if (f.from && f.to && f.from > f.to) {
    throw badRequest('from must not be after to', [{ field: 'from', message: 'must be on or before to' }]);
  }
}

/** `100 × part / whole`, rounded to 2 decimals, null when nothing was counted. */
export function rate(part: SQL, whole: SQL): SQL {
  return sql`case when (${whole}) > 0 then round(100.0 * (${part}) / (${whole}), 2)::float8 end`;
}

/** The conditions joined by AND. */
export const and = (conds: SQL[]): SQL => sql.join(conds, sql` and `);

/** Organization-wide reports: the actor's organization scope and the organization_id filter on `col`. */
export function orgConds(actor: Actor, f: ReportFilters, col: SQL): SQL[] {
  return [reportOrgScope(actor, col), orgFilter(f, col)];
}
