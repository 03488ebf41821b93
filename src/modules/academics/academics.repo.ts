import { and, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { CrudTable } from '../../kernel/crud.js';
import { businessRule } from '../../kernel/errors.js';
import { firstRow } from '../../kernel/sql.js';
import { orgInSubtree, orgIsSelfOrAncestor } from './academics.policy.js';

/**
 * Ensures a referenced record (department, course, subject, session …) exists in the organization at
 * `orgPath` or one of its ancestors (a district's subjects serve its schools); 422 invalid_reference if not.
 */
export async function assertRef<T extends CrudTable>(
  db: DbOrTx,
  table: T,
  id: string,
  orgPath: string,
  field: string,
  label: string,
  opts?: { alsoSubtree?: boolean },
): Promise<T['$inferSelect']>;
export async function assertRef<T extends CrudTable>(
  db: DbOrTx,
  table: T,
  id: string | null | undefined,
  orgPath: string,
  field: string,
  label: string,
  opts?: { alsoSubtree?: boolean },
): Promise<T['$inferSelect'] | null>;
export async function assertRef<T extends CrudTable>(
  db: DbOrTx,
  table: T,
  id: string | null | undefined,
  orgPath: string,
  field: string,
  label: string,
  opts: { alsoSubtree?: boolean } = {},
): Promise<T['$inferSelect'] | null> {
  if (id === null || id === undefined) return null;
  const inTree = opts.alsoSubtree
    ? or(orgIsSelfOrAncestor(table.organizationId, orgPath), orgInSubtree(table.organizationId, orgPath))
    : orgIsSelfOrAncestor(table.organizationId, orgPath);
  const t: CrudTable = table;
  // `select()` of a table returns its $inferSelect rows; the generic parameter only names which table.
  const [row] = (await db
    .select()
    .from(t)
    .where(and(eq(t.id, id), inTree))) as Array<T['$inferSelect']>;
  if (!row) {
    throw businessRule('invalid_reference', `${label} does not exist in this organization`, [
      { field, message: 'does not exist in this organization' },
    ]);
  }
  return row;
}

/** Serializes prerequisite-graph changes of one organization (cycle checks must not race). */
export async function lockPrerequisiteGraph(db: DbOrTx, organizationId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`course_prerequisites:${organizationId}`}))`);
}

/** True when `fromCourse` already (transitively) requires `toCourse`: adding toCourse→fromCourse would loop. */
export async function requiresTransitively(db: DbOrTx, fromCourse: string, toCourse: string) {
  const hit = firstRow<{ hit: number }>(
    await db.execute(sql`
    with recursive reach(id) as (
      select prerequisite_course_id from course_prerequisites where course_id = ${fromCourse}
      union
      select cp.prerequisite_course_id from course_prerequisites cp join reach r on cp.course_id = r.id
    )
    select 1 as hit from reach where id = ${toCourse} limit 1`),
  );
  return hit !== undefined;
}
