import { and, asc, count, eq, ilike, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { registerScope } from './personnel.policy.js';
import { personnel, personnelRegisters } from './personnel.table.js';

export type RegisterRow = typeof personnelRegisters.$inferSelect & { personnelCount: number };

// Qualified by hand: in a select list Drizzle renders the column as a bare "id", which inside the
// subquery would bind to personnel.id.
const liveCount = sql<number>`(select count(*)::int from personnel sp
  where sp.register_id = "personnel_registers"."id" and sp.deleted_at is null)`;

const cols = { ...getCols(), personnelCount: liveCount };
function getCols() {
  const { id, organizationId, name, shortCode, description, createdBy, createdAt, updatedAt } =
    personnelRegisters;
  return { id, organizationId, name, shortCode, description, createdBy, createdAt, updatedAt };
}

/** The registers the actor may use (see `registerScope`). */
export const inScope = (actor: Actor): SQL => registerScope(actor, personnelRegisters.id);

export async function list(db: DbOrTx, scope: SQL, search: string | undefined, w: PageWindow) {
  const where = and(
    scope,
    search
      ? or(
          ilike(personnelRegisters.name, containsPattern(search)),
          ilike(personnelRegisters.shortCode, containsPattern(search)),
        )
      : undefined,
  );
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...cols, _total })
        .from(personnelRegisters)
        .where(where)
        .orderBy(asc(personnelRegisters.name), asc(personnelRegisters.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(personnelRegisters).where(where),
    w,
  );
  return { rows, total };
}

export async function find(db: DbOrTx, scope: SQL, id: string): Promise<RegisterRow | null> {
  const [row] = await db
    .select(cols)
    .from(personnelRegisters)
    .where(and(eq(personnelRegisters.id, id), scope));
  return row ?? null;
}

/** Locks the register row (delete and update serialize with concurrent writers). */
export async function findForUpdate(db: DbOrTx, scope: SQL, id: string): Promise<RegisterRow | null> {
  const [row] = await db
    .select(cols)
    .from(personnelRegisters)
    .where(and(eq(personnelRegisters.id, id), scope))
    .for('update');
  return row ?? null;
}

export async function insert(db: DbOrTx, v: typeof personnelRegisters.$inferInsert) {
  const [row] = await db.insert(personnelRegisters).values(v).returning();
  return { ...row, personnelCount: 0 };
}

export async function update(db: DbOrTx, id: string, v: Partial<typeof personnelRegisters.$inferInsert>) {
  const [row] = await db
    .update(personnelRegisters)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(personnelRegisters.id, id))
    .returning(cols);
  return row;
}

/** Deletes the register; its personnel and their history go with it (ON DELETE CASCADE). */
export async function remove(db: DbOrTx, id: string) {
  await db.delete(personnelRegisters).where(eq(personnelRegisters.id, id));
}

/** Every personnel row of the register, deleted or not (what the cascade removes). */
export async function countAllPersonnel(db: DbOrTx, registerId: string): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(personnel).where(eq(personnel.registerId, registerId));
  return n;
}

export async function countLive(db: DbOrTx, registerId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(personnel)
    .where(and(eq(personnel.registerId, registerId), isNull(personnel.deletedAt)));
  return n;
}
