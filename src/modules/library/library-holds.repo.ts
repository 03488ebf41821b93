import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import type { PatronType } from './library-patrons.repo.js';

export type HoldRow = {
  id: string;
  organization_id: string;
  book_id: string;
  book_title: string;
  patron_type: PatronType;
  student_id: string | null;
  faculty_id: string | null;
  staff_id: string | null;
  patron_name: string;
  status: 'waiting' | 'ready' | 'fulfilled' | 'cancelled';
  queue_position: number | null;
  copy_id: string | null;
  barcode: string | null;
  placed_at: string | Date;
  ready_at: string | Date | null;
  pickup_by: string | null;
  closed_at: string | Date | null;
  loan_id: string | null;
};

/** Alias `h`; patron name from whichever profile the hold names. */
export const HOLD_SELECT = sql`
  h.id, h.organization_id, h.book_id, b.title as book_title, h.patron_type, h.student_id, h.faculty_id,
  h.staff_id, coalesce(ps.first_name || ' ' || ps.last_name, pf.first_name || ' ' || pf.last_name,
  pt.first_name || ' ' || pt.last_name) as patron_name, h.status,
  case when h.status = 'waiting' then (select count(*)::int from library_holds q
        where q.book_id = h.book_id and q.status = 'waiting' and (q.placed_at, q.id) <= (h.placed_at, h.id))
  end as queue_position,
  h.copy_id, c.barcode, h.placed_at, h.ready_at, h.pickup_by::text as pickup_by, h.closed_at, h.loan_id`;

export const HOLD_FROM = sql`
  library_holds h join library_books b on b.id = h.book_id
  left join library_copies c on c.id = h.copy_id
  left join students ps on ps.id = h.student_id
  left join faculty pf on pf.id = h.faculty_id
  left join staff pt on pt.id = h.staff_id`;

/** Alias columns for the patron predicates. */
export const holdCols = {
  organizationId: sql`h.organization_id`,
  studentId: sql`h.student_id`,
  facultyId: sql`h.faculty_id`,
  staffId: sql`h.staff_id`,
};

export async function findHold(db: DbOrTx, cond: SQL): Promise<HoldRow | null> {
  return (
    firstRow<HoldRow>(await db.execute(sql`select ${HOLD_SELECT} from ${HOLD_FROM} where ${cond}`)) ?? null
  );
}

/** Locks a hold row matching `cond` (alias h) and returns its id and state. */
export async function lockHold(db: DbOrTx, cond: SQL) {
  return (
    firstRow<{ id: string; status: HoldRow['status']; copy_id: string | null; organization_id: string }>(
      await db.execute(sql`select h.id, h.status, h.copy_id, h.organization_id from library_holds h
                            where ${cond} for update`),
    ) ?? null
  );
}

export async function listHolds(db: DbOrTx, conds: SQL[], w: PageWindow) {
  const where = sql.join(conds, sql` and `);
  const rows = rowsOf<HoldRow & { total_count: number }>(
    await db.execute(sql`select ${HOLD_SELECT}, count(*) over () as total_count from ${HOLD_FROM}
                          where ${where} order by h.placed_at, h.id limit ${w.limit} offset ${w.offset}`),
  );
  let total = rows.length ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && w.offset > 0) {
    const c = firstRow<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${HOLD_FROM} where ${where}`),
    );
    total = Number(c?.n ?? 0);
  }
  return { rows, total };
}

/** The first waiting hold of a book, locked (a hold being cancelled right now is skipped). */
export async function firstWaiting(db: DbOrTx, bookId: string) {
  return (
    firstRow<{ id: string; organization_id: string; patron_type: PatronType; patron_id: string }>(
      await db.execute(sql`
        select h.id, h.organization_id, h.patron_type, coalesce(h.student_id, h.faculty_id, h.staff_id) as patron_id
          from library_holds h where h.book_id = ${bookId} and h.status = 'waiting'
         order by h.placed_at, h.id limit 1 for update skip locked`),
    ) ?? null
  );
}

/** Serializes hold placement and copy routing of one book (NO KEY UPDATE: loans referencing it still insert). */
export async function lockBook(db: DbOrTx, bookId: string) {
  await db.execute(sql`select id from library_books where id = ${bookId} for no key update`);
}

export async function availableCount(db: DbOrTx, bookId: string): Promise<number> {
  const r = firstRow<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from library_copies where book_id = ${bookId} and state = 'available'`,
    ),
  );
  return Number(r?.n ?? 0);
}

export async function copyBook(db: DbOrTx, copyId: string) {
  return firstRow<{ book_id: string }>(
    await db.execute(sql`select book_id from library_copies where id = ${copyId}`),
  )!;
}

/** The hold is ready: the copy is set aside until today + pickup days. */
export async function markReady(db: DbOrTx, holdId: string, copyId: string, pickupDays: number) {
  await db.execute(sql`
    update library_holds set status = 'ready', copy_id = ${copyId}, ready_at = now(),
           pickup_by = current_date + ${pickupDays}::int
     where id = ${holdId}`);
}

export async function markCancelled(db: DbOrTx, holdId: string) {
  await db.execute(
    sql`update library_holds set status = 'cancelled', closed_at = now() where id = ${holdId}`,
  );
}

/**
 * Closes the ready holds of a book whose pickup date has passed (status expired) and returns them with
 * the copies they had set aside, which the caller routes on (next hold or shelf).
 */
export async function expireDue(db: DbOrTx, bookId: string) {
  return rowsOf<{
    id: string;
    organization_id: string;
    copy_id: string | null;
    patron_type: PatronType;
    patron_id: string;
  }>(
    await db.execute(sql`
      update library_holds h set status = 'expired', closed_at = now()
       where h.book_id = ${bookId} and h.status = 'ready' and h.pickup_by < current_date
      returning h.id, h.organization_id, h.copy_id, h.patron_type,
                coalesce(h.student_id, h.faculty_id, h.staff_id) as patron_id`),
  );
}

/** Books in `scope` (alias h) with ready holds past their pickup date, at most `limit` of them. */
export async function booksWithDueHolds(db: DbOrTx, scope: SQL, limit: number) {
  return rowsOf<{ book_id: string }>(
    await db.execute(sql`
      select distinct h.book_id from library_holds h
       where h.status = 'ready' and h.pickup_by < current_date and ${scope}
       limit ${limit}`),
  ).map((r) => r.book_id);
}
