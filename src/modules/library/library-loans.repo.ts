import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { libraryLoans } from './library.table.js';
import type { PatronType } from './library-patrons.repo.js';

export type LoanRow = {
  id: string;
  organization_id: string;
  book_id: string;
  book_title: string;
  isbn: string | null;
  is_reference: boolean;
  copy_id: string;
  barcode: string;
  patron_type: PatronType;
  student_id: string | null;
  faculty_id: string | null;
  staff_id: string | null;
  patron_name: string;
  issue_date: string;
  due_date: string;
  return_date: string | null;
  renewals: number;
  days_overdue: number;
  created_at: string | Date;
  fine_id: string | null;
  fine_amount_minor: number | string | null;
  fine_paid_minor: number | string | null;
  fine_currency: string | null;
  fine_status: 'outstanding' | 'paid' | 'waived' | null;
  lost_at: string | Date | null;
  replacement_minor: number | string | null;
  replacement_currency: string | null;
};

/** Alias `l`; dates as text (YYYY-MM-DD) so no time zone shifts them. */
const LOAN_SELECT = sql`
  l.id, l.organization_id, l.book_id, b.title as book_title, b.isbn, b.is_reference, l.copy_id, c.barcode,
  l.patron_type, l.student_id, l.faculty_id, l.staff_id,
  coalesce(ps.first_name || ' ' || ps.last_name, pf.first_name || ' ' || pf.last_name,
           pt.first_name || ' ' || pt.last_name) as patron_name,
  l.issue_date::text as issue_date, l.due_date::text as due_date, l.return_date::text as return_date,
  l.renewals, greatest(0, coalesce(l.return_date, current_date) - l.due_date)::int as days_overdue, l.created_at,
  f.id as fine_id, f.amount_minor as fine_amount_minor, f.paid_minor as fine_paid_minor,
  f.currency as fine_currency, f.status as fine_status,
  l.lost_at, l.replacement_minor, l.replacement_currency`;

const LOAN_FROM = sql`
  library_loans l join library_books b on b.id = l.book_id join library_copies c on c.id = l.copy_id
  left join students ps on ps.id = l.student_id
  left join faculty pf on pf.id = l.faculty_id
  left join staff pt on pt.id = l.staff_id
  left join library_fines f on f.loan_id = l.id`;

export const loanCols = {
  organizationId: sql`l.organization_id`,
  studentId: sql`l.student_id`,
  facultyId: sql`l.faculty_id`,
  staffId: sql`l.staff_id`,
};

export async function findLoan(db: DbOrTx, cond: SQL): Promise<LoanRow | null> {
  return (
    firstRow<LoanRow>(await db.execute(sql`select ${LOAN_SELECT} from ${LOAN_FROM} where ${cond}`)) ?? null
  );
}

/** Locks the loan row (a return and a renewal of the same loan serialize here) and returns its id. */
export async function lockLoan(db: DbOrTx, cond: SQL) {
  return (
    firstRow<{ id: string; return_date: string | null }>(
      await db.execute(sql`select l.id, l.return_date::text as return_date from library_loans l
                             join library_copies c on c.id = l.copy_id
                            where ${cond} order by l.return_date nulls first limit 1 for update of l`),
    ) ?? null
  );
}

export async function listLoans(db: DbOrTx, conds: SQL[], w: PageWindow, order: SQL) {
  const where = sql.join(conds, sql` and `);
  const rows = rowsOf<LoanRow & { total_count: number }>(
    await db.execute(sql`select ${LOAN_SELECT}, count(*) over () as total_count from ${LOAN_FROM}
                          where ${where} order by ${order} limit ${w.limit} offset ${w.offset}`),
  );
  let total = rows.length ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && w.offset > 0) {
    const c = firstRow<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${LOAN_FROM} where ${where}`),
    );
    total = Number(c?.n ?? 0);
  }
  return { rows, total };
}

export async function openLoanCount(db: DbOrTx, type: PatronType, patronId: string): Promise<number> {
  const col = sql.raw(`${type}_id`);
  const r = firstRow<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from library_loans where ${col} = ${patronId} and return_date is null`,
    ),
  );
  return Number(r?.n ?? 0);
}

/**
 * Takes one available copy of the book atomically: the row is locked with SKIP LOCKED (a concurrent issue
 * takes another copy instead of waiting) and flipped to on_loan only while still available.
 */
export async function takeAvailableCopy(db: DbOrTx, bookId: string) {
  return (
    firstRow<{ id: string }>(
      await db.execute(sql`
        update library_copies set state = 'on_loan', updated_at = now()
         where id = (select id from library_copies where book_id = ${bookId} and state = 'available'
                      order by barcode limit 1 for update skip locked)
           and state = 'available'
        returning id`),
    ) ?? null
  );
}

/** Flips one given copy to on_loan if it is in `from` (a conditional update: never lends a copy twice). */
export async function takeCopy(db: DbOrTx, copyId: string, from: 'available' | 'on_hold') {
  return (
    firstRow<{ id: string }>(
      await db.execute(sql`update library_copies set state = 'on_loan', updated_at = now()
                            where id = ${copyId} and state = ${from} returning id`),
    ) ?? null
  );
}

export type CopyLookup = {
  id: string;
  book_id: string;
  state: string;
  organization_id: string;
  org_path: string;
  is_reference: boolean;
};

/** Copies in scope with this barcode (one per organization, so several in a multi-school scope). */
export async function copiesByBarcode(db: DbOrTx, scope: SQL, barcode: string) {
  return rowsOf<CopyLookup>(
    await db.execute(sql`select c.id, c.book_id, c.state, c.organization_id, o.path as org_path, b.is_reference
                           from library_copies c join library_books b on b.id = c.book_id
                           join organizations o on o.id = c.organization_id
                          where c.barcode = ${barcode} and b.deleted_at is null and ${scope} limit 2`),
  );
}

export async function bookForIssue(db: DbOrTx, scope: SQL, bookId: string) {
  return (
    firstRow<{ id: string; organization_id: string; org_path: string; is_reference: boolean }>(
      await db.execute(sql`select b.id, b.organization_id, o.path as org_path, b.is_reference
                             from library_books b join organizations o on o.id = b.organization_id
                            where b.id = ${bookId} and b.deleted_at is null and ${scope}`),
    ) ?? null
  );
}

/** The patron's ready hold of a book (locked), if any. */
export async function readyHoldOf(db: DbOrTx, bookId: string, type: PatronType, patronId: string) {
  const col = sql.raw(`${type}_id`);
  return (
    firstRow<{ id: string; copy_id: string }>(
      await db.execute(sql`select id, copy_id from library_holds
                            where book_id = ${bookId} and ${col} = ${patronId} and status = 'ready'
                            for update`),
    ) ?? null
  );
}

export async function closeHold(db: DbOrTx, holdId: string, loanId: string) {
  await db.execute(sql`update library_holds set status = 'fulfilled', closed_at = now(), loan_id = ${loanId}
                        where id = ${holdId}`);
}

export async function hasWaitingHold(db: DbOrTx, bookId: string): Promise<boolean> {
  const { rows } = await db.execute(
    sql`select 1 from library_holds where book_id = ${bookId} and status = 'waiting' limit 1`,
  );
  return rows.length > 0;
}

export async function insertLoan(db: DbOrTx, v: typeof libraryLoans.$inferInsert) {
  await db.insert(libraryLoans).values(v);
}

export async function markReturned(db: DbOrTx, id: string, returnDate: string, by: string) {
  await db.execute(sql`update library_loans set return_date = ${returnDate}::date, returned_by = ${by},
                              updated_at = now() where id = ${id}`);
}

export async function extendDue(db: DbOrTx, id: string, days: number) {
  await db.execute(sql`update library_loans set due_date = due_date + ${days}::int, renewals = renewals + 1,
                              updated_at = now() where id = ${id}`);
}

/** Today as the database sees it (YYYY-MM-DD), so every date comparison uses one clock. */
export async function today(db: DbOrTx): Promise<string> {
  const r = firstRow<{ d: string }>(await db.execute(sql`select current_date::text as d`));
  return r!.d;
}

/** Closes a loan as lost on `returnDate`, with its replacement charge (if any). */
export async function markLost(
  db: DbOrTx,
  id: string,
  v: { returnDate: string; by: string; minor: number | null; currency: string; ledgerEntryId: string | null },
) {
  await db.execute(sql`
    update library_loans set return_date = ${v.returnDate}, returned_by = ${v.by}, lost_at = now(),
           replacement_minor = ${v.minor}, replacement_currency = ${v.minor === null ? null : v.currency},
           replacement_ledger_entry_id = ${v.ledgerEntryId}, updated_at = now()
     where id = ${id}`);
}
