import { and, asc, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { personnel, personnelStatusHistory } from './personnel.table.js';

export type PersonnelRow = typeof personnel.$inferSelect;
export type NewPersonnel = typeof personnel.$inferInsert;
export type HistoryRow = typeof personnelStatusHistory.$inferSelect;
export type NewHistory = typeof personnelStatusHistory.$inferInsert;

/** The search expression; the same text as the trigram index `personnel_search_trgm_idx`. */
const searchText = sql`lower(${personnel.firstName} || ' ' || coalesce(${personnel.middleName}, '') || ' ' || ${personnel.lastName} || ' ' || ${personnel.serviceNumber})`;

export interface ListFilter {
  registerId?: string;
  search?: string;
  status?: PersonnelRow['status'];
}

export async function list(db: DbOrTx, scope: SQL, f: ListFilter, w: PageWindow) {
  const where = and(
    isNull(personnel.deletedAt),
    scope,
    f.registerId ? eq(personnel.registerId, f.registerId) : undefined,
    f.status ? eq(personnel.status, f.status) : undefined,
    f.search ? sql`${searchText} like ${containsPattern(f.search.toLowerCase())}` : undefined,
  );
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(personnel), _total })
        .from(personnel)
        .where(where)
        .orderBy(asc(personnel.lastName), asc(personnel.firstName), asc(personnel.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(personnel).where(where),
    w,
  );
  return { rows, total };
}

export async function find(db: DbOrTx, scope: SQL, id: string, lock = false): Promise<PersonnelRow | null> {
  const q = db
    .select()
    .from(personnel)
    .where(and(eq(personnel.id, id), isNull(personnel.deletedAt), scope));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function insert(db: DbOrTx, v: NewPersonnel): Promise<PersonnelRow> {
  const [row] = await db.insert(personnel).values(v).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, v: Partial<NewPersonnel>): Promise<PersonnelRow> {
  const [row] = await db
    .update(personnel)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(personnel.id, id))
    .returning();
  return row;
}

/** Soft-deletes, in one statement, the live records among `ids` that lie in `scope`. */
export async function softDeleteMany(db: DbOrTx, scope: SQL, ids: string[]) {
  return db
    .update(personnel)
    .set({ deletedAt: new Date(), updatedAt: new Date() })
    .where(and(inArray(personnel.id, ids), isNull(personnel.deletedAt), scope))
    .returning({
      id: personnel.id,
      registerId: personnel.registerId,
      serviceNumber: personnel.serviceNumber,
    });
}

export async function insertHistory(db: DbOrTx, rows: NewHistory[]) {
  if (rows.length === 0) return;
  await db.insert(personnelStatusHistory).values(rows);
}

export async function history(db: DbOrTx, personnelId: string): Promise<HistoryRow[]> {
  return db
    .select()
    .from(personnelStatusHistory)
    .where(eq(personnelStatusHistory.personnelId, personnelId))
    .orderBy(desc(personnelStatusHistory.changedAt), desc(personnelStatusHistory.id));
}
