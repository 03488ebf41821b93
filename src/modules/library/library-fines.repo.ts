import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { libraryFines } from './library.table.js';
import type { PatronType } from './library-patrons.repo.js';

export type FineRow = {
  id: string;
  organization_id: string;
  loan_id: string;
  book_title: string;
  patron_type: PatronType;
  student_id: string | null;
  faculty_id: string | null;
  staff_id: string | null;
  patron_name: string;
  days_late: number;
  amount_minor: number | string;
  paid_minor: number | string;
  waived_minor: number | string;
  waive_reason: string | null;
  waived_at: string | Date | null;
  currency: string;
  status: 'outstanding' | 'paid' | 'waived';
  ledger_entry_id: string | null;
  payment_id: string | null;
  settlement_method: string | null;
  settlement_key: string | null;
  paid_at: string | Date | null;
  created_at: string | Date;
};

const FINE_SELECT = sql`
  f.id, f.organization_id, f.loan_id, b.title as book_title, f.patron_type, f.student_id, f.faculty_id, f.staff_id,
  coalesce(ps.first_name || ' ' || ps.last_name, pf.first_name || ' ' || pf.last_name,
           pt.first_name || ' ' || pt.last_name) as patron_name,
  f.days_late, f.amount_minor, f.paid_minor, f.waived_minor, f.waive_reason, f.waived_at, f.currency, f.status, f.ledger_entry_id, f.payment_id,
  f.settlement_method, f.settlement_key, f.paid_at, f.created_at`;

const FINE_FROM = sql`
  library_fines f join library_loans l on l.id = f.loan_id join library_books b on b.id = l.book_id
  left join students ps on ps.id = f.student_id
  left join faculty pf on pf.id = f.faculty_id
  left join staff pt on pt.id = f.staff_id`;

export const fineCols = {
  organizationId: sql`f.organization_id`,
  studentId: sql`f.student_id`,
  facultyId: sql`f.faculty_id`,
  staffId: sql`f.staff_id`,
};

export async function findFine(db: DbOrTx, cond: SQL): Promise<FineRow | null> {
  return (
    firstRow<FineRow>(await db.execute(sql`select ${FINE_SELECT} from ${FINE_FROM} where ${cond}`)) ?? null
  );
}

/** Locks the fine (payments of one fine serialize here) and returns its id. */
export async function lockFine(db: DbOrTx, cond: SQL) {
  return (
    firstRow<{ id: string }>(
      await db.execute(sql`select f.id from library_fines f where ${cond} for update`),
    ) ?? null
  );
}

export async function listFines(db: DbOrTx, conds: SQL[], w: PageWindow) {
  const where = sql.join(conds, sql` and `);
  const rows = rowsOf<FineRow & { total_count: number }>(
    await db.execute(sql`select ${FINE_SELECT}, count(*) over () as total_count from ${FINE_FROM}
                          where ${where} order by f.created_at desc, f.id desc limit ${w.limit} offset ${w.offset}`),
  );
  let total = rows.length ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && w.offset > 0) {
    const c = firstRow<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${FINE_FROM} where ${where}`),
    );
    total = Number(c?.n ?? 0);
  }
  return { rows, total };
}

export async function insertFine(db: DbOrTx, v: typeof libraryFines.$inferInsert) {
  await db.insert(libraryFines).values(v);
}

export async function applyPayment(
  db: DbOrTx,
  id: string,
  v: {
    minor: number;
    paymentId: string | null;
    method?: string | null;
    reference?: string | null;
    key?: string | null;
    by: string;
  },
) {
  await db.execute(sql`
    update library_fines set paid_minor = paid_minor + ${v.minor},
           status = case when paid_minor + waived_minor + ${v.minor} >= amount_minor
                         then (case when waived_minor > 0 then 'waived' else 'paid' end)::library_fine_status
                         else status end,
           paid_at = case when paid_minor + waived_minor + ${v.minor} >= amount_minor then now() else paid_at end,
           payment_id = coalesce(${v.paymentId}, payment_id),
           settlement_method = coalesce(${v.method ?? null}, settlement_method),
           settlement_reference = coalesce(${v.reference ?? null}, settlement_reference),
           settlement_key = coalesce(${v.key ?? null}, settlement_key),
           settled_by = ${v.by}, updated_at = now()
     where id = ${id}`);
}

/** Waives `minor` of the fine (the caller checked it is at most what is outstanding). */
export async function applyWaiver(db: DbOrTx, id: string, v: { minor: number; reason: string; by: string }) {
  await db.execute(sql`
    update library_fines set waived_minor = waived_minor + ${v.minor}, waive_reason = ${v.reason},
           waived_by = ${v.by}, waived_at = now(),
           status = case when paid_minor + waived_minor + ${v.minor} >= amount_minor
                         then 'waived'::library_fine_status else status end,
           updated_at = now()
     where id = ${id}`);
}

/** True when the fine satisfies `cond` (alias `f`). */
export async function fineMatches(db: DbOrTx, id: string, cond: SQL): Promise<boolean> {
  const { rows } = await db.execute(sql`select 1 from library_fines f where f.id = ${id} and ${cond}`);
  return rows.length > 0;
}
