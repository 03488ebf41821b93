import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { feeScope } from './finance.policy.js';
import { ledgerEntries } from './finance.table.js';

export type LedgerRow = typeof ledgerEntries.$inferSelect;

/** Per-student money columns from the ledger (alias `l`); the identity balance = charged − paid + refunded − credited. */
export const AGG_COLUMNS = sql`
  coalesce(sum(l.amount_minor) filter (where l.entry_type in ('charge', 'late_fine')), 0)::bigint as charged,
  coalesce(-sum(l.amount_minor) filter (where l.entry_type = 'payment'), 0)::bigint as paid,
  coalesce(sum(l.amount_minor) filter (where l.entry_type = 'refund'), 0)::bigint as refunded,
  coalesce(-sum(l.amount_minor) filter (where l.entry_type in ('concession', 'waiver', 'reversal')), 0)::bigint as credited,
  coalesce(sum(l.amount_minor), 0)::bigint as balance,
  coalesce(sum(l.amount_minor) filter (where l.entry_type in ('charge', 'late_fine')
           and coalesce(l.due_date, l.occurred_at::date) < current_date), 0)::bigint as due_before_today,
  min(coalesce(l.due_date, l.occurred_at::date)) filter (where l.entry_type in ('charge', 'late_fine')
           and coalesce(l.due_date, l.occurred_at::date) < current_date) as oldest_due_date`;

export interface StudentRef {
  id: string;
  organization_id: string;
  user_id: string | null;
  student_number: string;
  first_name: string;
  last_name: string;
  currency: string;
  org_name: string;
}

const studentCols = sql`s.id, s.organization_id, s.user_id, s.student_number, s.first_name, s.last_name,
  o.currency, o.name as org_name`;

/** A student whose money the actor may see (fees:read scope), or null. */
export async function findStudentForFees(db: DbOrTx, actor: Actor, id: string): Promise<StudentRef | null> {
  const res = await db.execute(sql`
    select ${studentCols} from students s join organizations o on o.id = s.organization_id
     where s.id = ${id} and s.deleted_at is null
       and ${feeScope(actor, { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` })}`);
  return (res.rows[0] as any) ?? null;
}

/** A student in an organization where the actor may act for `permission` (finance desk), or null. */
export async function findStudentWhere(db: DbOrTx, cond: SQL): Promise<StudentRef | null> {
  const res = await db.execute(sql`
    select ${studentCols} from students s join organizations o on o.id = s.organization_id
     where s.deleted_at is null and ${cond}`);
  return (res.rows[0] as any) ?? null;
}

export async function insertEntry(db: DbOrTx, values: typeof ledgerEntries.$inferInsert) {
  const [row] = await db.insert(ledgerEntries).values(values).returning();
  return row;
}

export async function summaryOf(db: DbOrTx, studentId: string) {
  const res = await db.execute(
    sql`select ${AGG_COLUMNS} from ledger_entries l where l.student_id = ${studentId}`,
  );
  return res.rows[0] as any;
}

/** Newest first, keyset over (occurred_at, id). */
export async function listEntries(
  db: DbOrTx,
  studentId: string,
  limit: number,
  after: { sortKey: string | number; id: string } | null,
  entryType?: string,
) {
  const conds: SQL[] = [sql`l.student_id = ${studentId}`];
  if (after)
    conds.push(sql`(l.occurred_at, l.id) < (${String(after.sortKey)}::timestamptz, ${after.id}::uuid)`);
  if (entryType) conds.push(sql`l.entry_type = ${entryType}`);
  const res = await db.execute(sql`
    select l.* from ledger_entries l where ${sql.join(conds, sql` and `)}
     order by l.occurred_at desc, l.id desc limit ${limit}`);
  return res.rows as any[];
}
