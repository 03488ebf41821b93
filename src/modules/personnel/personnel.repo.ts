import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { containsPattern, isoText } from '../../kernel/sql.js';
import { personnel, personnelStatusHistory } from './personnel.table.js';

export type PersonnelRow = typeof personnel.$inferSelect;
export type NewPersonnel = typeof personnel.$inferInsert;
export type HistoryRow = typeof personnelStatusHistory.$inferSelect;
export type NewHistory = typeof personnelStatusHistory.$inferInsert;

/** The search expression; the same text as the trigram index `personnel_search_trgm_idx`. */
const searchText = sql`lower(${personnel.firstName} || ' ' || coalesce(${personnel.middleName}, '') || ' ' || ${personnel.lastName} || ' ' || ${personnel.serviceNumber})`;

/** A person as the API answers it (PersonnelT), shaped by the select: the fields `toPersonnel` builds. */
export const personnelOut = {
  id: personnel.id,
  register_id: personnel.registerId,
  service_number: personnel.serviceNumber,
  first_name: personnel.firstName,
  middle_name: personnel.middleName,
  last_name: personnel.lastName,
  rank: personnel.rank,
  unit: personnel.unit,
  status: personnel.status,
  status_date: personnel.statusDate,
  phone: personnel.phone,
  date_of_birth: personnel.dateOfBirth,
  joining_date: personnel.joiningDate,
  remarks: personnel.remarks,
  created_at: isoText(personnel.createdAt),
  updated_at: isoText(personnel.updatedAt),
};

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
        .select({ ...personnelOut, _total })
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
