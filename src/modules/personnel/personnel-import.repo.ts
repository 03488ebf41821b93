import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../kernel/sql.js';
import type { NewHistory, NewPersonnel, PersonnelRow } from './personnel.repo.js';
import { personnel, personnelStatusHistory } from './personnel.table.js';

/** Live records of the register with these service numbers (locked when `lock`, for the commit). */
export async function byServiceNumbers(db: DbOrTx, registerId: string, keys: string[], lock: boolean) {
  if (keys.length === 0) return [];
  const q = db
    .select()
    .from(personnel)
    .where(
      and(
        eq(personnel.registerId, registerId),
        isNull(personnel.deletedAt),
        inArray(personnel.serviceNumber, keys),
      ),
    );
  return lock ? q.for('update') : q;
}

export async function insertMany(db: DbOrTx, rows: NewPersonnel[]): Promise<PersonnelRow[]> {
  if (rows.length === 0) return [];
  // A concurrent import of the same file may have inserted a row since this batch was compared: the unique
  // index decides, and the row is simply not created twice.
  return db.insert(personnel).values(rows).onConflictDoNothing().returning();
}

/** One UPDATE for the whole batch: the new values travel as one JSON array (no parameter limit). */
export async function updateMany(db: DbOrTx, scope: SQL, rows: Array<Record<string, string | null>>) {
  if (rows.length === 0) return 0;
  const res = await db.execute(sql`
    update personnel p set
      service_number = x.service_number, first_name = x.first_name, middle_name = x.middle_name,
      last_name = x.last_name, rank = x.rank, unit = x.unit, status = x.status::personnel_status,
      status_date = x.status_date::date, phone = x.phone, date_of_birth = x.date_of_birth::date,
      joining_date = x.joining_date::date, remarks = x.remarks, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
      id uuid, service_number text, first_name text, middle_name text, last_name text, rank text, unit text,
      status text, status_date text, phone text, date_of_birth text, joining_date text, remarks text)
    where p.id = x.id and p.deleted_at is null and ${scope}
    returning p.id`);
  return rowsOf<{ id: string }>(res).length;
}

export async function insertHistoryMany(db: DbOrTx, rows: NewHistory[]) {
  for (let i = 0; i < rows.length; i += 2000)
    await db.insert(personnelStatusHistory).values(rows.slice(i, i + 2000));
}

/** Live records of the register whose service number is not among `presentKeys` (a subquery of text). */
export async function missingCounts(db: DbOrTx, registerId: string, presentKeys: SQL) {
  const res = await db.execute(sql`
    select count(*) filter (where p.service_number not in (${presentKeys}) and p.status = 'active')::int as missing,
           count(*)::int as existing
      from personnel p where p.register_id = ${registerId} and p.deleted_at is null`);
  return rowsOf<{ missing: number; existing: number }>(res)[0] ?? { missing: 0, existing: 0 };
}

/** Sets the missing records inactive in one statement; returns their ids and previous statuses. */
export async function deactivateMissing(db: DbOrTx, registerId: string, presentKeys: SQL, scope: SQL) {
  const res = await db.execute(sql`
    with m as (
      select p.id, p.status from personnel p
       where p.register_id = ${registerId} and p.deleted_at is null and p.status = 'active'
         and p.service_number not in (${presentKeys}) and ${scope}
       for update)
    update personnel p set status = 'inactive', status_date = current_date, updated_at = now()
      from m where p.id = m.id
    returning p.id, m.status as from_status, p.service_number`);
  return rowsOf<{ id: string; from_status: PersonnelRow['status']; service_number: string }>(res);
}
