import { and, asc, eq, getTableColumns, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { orgScope } from './organizations.policy.js';
import type { ListOrganizationsQueryT } from './organizations.schemas.js';
import { organizations } from './organizations.table.js';

export type OrganizationRow = typeof organizations.$inferSelect;

/**
 * One organization, only if it lies in the actor's scope for `permission`. `lock: 'share'` (inside a
 * transaction) holds the row against a concurrent move until commit and reads its latest path, so a child
 * created under it gets the path its parent has once both commit.
 */
export async function findInScope(db: DbOrTx, actor: Actor, permission: string, id: string, lock?: 'share') {
  const q = db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, id), orgScope(actor, permission, organizations.id)));
  const [row] = lock ? await q.for(lock) : await q;
  return row ?? null;
}

/**
 * Moves an organization and its subtree under a new parent in one statement: every path that starts with
 * `fromPath` starts with `toPath` instead (the `organizations_path_idx` prefix scan), the organization's
 * `parent_id` changes, and the moved organization and both parents get a new `updated_at` (their
 * `parent`/`children` changed for delta sync). Returns the moved organization's row.
 */
export async function moveSubtree(
  db: DbOrTx,
  m: { id: string; parentId: string; oldParentId: string; fromPath: string; toPath: string },
) {
  // First lock the subtree (waiting for a create that holds a parent in it FOR SHARE to commit); the
  // UPDATE is then a new statement whose snapshot includes the children such a create added.
  await db.execute(
    sql`select id from organizations where path like ${`${m.fromPath}%`} order by path for update`,
  );
  await db.execute(sql`
    update organizations
       set path = case when path like ${`${m.fromPath}%`}
                       then ${m.toPath} || substr(path, ${m.fromPath.length + 1}) else path end,
           parent_id = case when id = ${m.id} then ${m.parentId}::uuid else parent_id end,
           updated_at = case when id in (${m.id}, ${m.parentId}, ${m.oldParentId}) then now() else updated_at end
     where path like ${`${m.fromPath}%`} or id in (${m.parentId}, ${m.oldParentId})`);
  return findById(db, m.id);
}

/** Serializes tree moves (rare, administrative) so two crossing moves cannot make a cycle. */
export async function lockTreeMoves(db: DbOrTx): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('registrar.organizations.move'))`);
}

export async function findById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row ?? null;
}

export async function list(db: DbOrTx, actor: Actor, q: ListOrganizationsQueryT, w: PageWindow) {
  const conds: SQL[] = [orgScope(actor, 'organizations:read', organizations.id)];
  if (q.kind) conds.push(eq(organizations.kind, q.kind));
  if (q.parent_id) conds.push(eq(organizations.parentId, q.parent_id));
  if (q.search) {
    const p = containsPattern(q.search);
    conds.push(or(ilike(organizations.name, p), ilike(organizations.code, p))!);
  }
  const where = and(...conds);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(organizations), _total })
        .from(organizations)
        .where(where)
        .orderBy(asc(organizations.path))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(organizations).where(where),
    w,
  );
  return { rows, total };
}

export async function insert(db: DbOrTx, values: typeof organizations.$inferInsert) {
  const [row] = await db.insert(organizations).values(values).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof organizations.$inferInsert>) {
  const [row] = await db
    .update(organizations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(organizations.id, id))
    .returning();
  return row;
}

export async function remove(db: DbOrTx, id: string) {
  await db.delete(organizations).where(eq(organizations.id, id));
}

export async function hasChildren(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(organizations)
    .where(eq(organizations.parentId, id))
    .limit(1);
  return rows.length > 0;
}
