import { and, asc, eq, getTableColumns, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { orgScope } from './organizations.policy.js';
import type { ListOrganizationsQueryT } from './organizations.schemas.js';
import { organizations } from './organizations.table.js';

export type OrganizationRow = typeof organizations.$inferSelect;

/** One organization, only if it lies in the actor's scope for `permission`. */
export async function findInScope(db: DbOrTx, actor: Actor, permission: string, id: string) {
  const [row] = await db
    .select()
    .from(organizations)
    .where(and(eq(organizations.id, id), orgScope(actor, permission, organizations.id)));
  return row ?? null;
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
