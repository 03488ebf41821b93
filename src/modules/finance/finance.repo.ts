import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import { feeScope } from './finance.policy.js';
import { financeSettings, ledgerEntries } from './finance.table.js';

export type LedgerRow = typeof ledgerEntries.$inferSelect;
export type SettingsRow = typeof financeSettings.$inferSelect;

/** A bigint or count as the driver returns it (string from node-postgres, number from PGlite). */
type Num = number | string;

/** Per-student money columns from the ledger (alias `l`); the identity balance = charged − paid + refunded − credited. */
export const AGG_COLUMNS = sql`
  coalesce(sum(l.amount_minor) filter (where l.entry_type in ('charge', 'late_fine')), 0)::bigint as charged,
  coalesce(-sum(l.amount_minor) filter (where l.entry_type = 'payment'), 0)::bigint as paid,
  coalesce(sum(l.amount_minor) filter (where l.entry_type = 'refund'), 0)::bigint as refunded,
  coalesce(-sum(l.amount_minor) filter (where l.entry_type in ('concession', 'waiver', 'reversal', 'revocation')), 0)::bigint as credited,
  coalesce(sum(l.amount_minor), 0)::bigint as balance,
  coalesce(sum(l.amount_minor) filter (where l.entry_type in ('charge', 'late_fine')
           and coalesce(l.due_date, l.occurred_at::date) < current_date), 0)::bigint as due_before_today,
  min(coalesce(l.due_date, l.occurred_at::date)) filter (where l.entry_type in ('charge', 'late_fine')
           and coalesce(l.due_date, l.occurred_at::date) < current_date) as oldest_due_date`;

/** The columns of AGG_COLUMNS. */
export type AggRow = {
  charged: Num;
  paid: Num;
  refunded: Num;
  credited: Num;
  balance: Num;
  due_before_today: Num;
  oldest_due_date: Date | string | null;
};

export type StudentRef = {
  id: string;
  organization_id: string;
  user_id: string | null;
  student_number: string;
  first_name: string;
  last_name: string;
  currency: string;
  org_name: string;
};

const studentCols = sql`s.id, s.organization_id, s.user_id, s.student_number, s.first_name, s.last_name,
  o.currency, o.name as org_name`;

/** A student whose money the actor may see (fees:read scope), or null. */
export async function findStudentForFees(db: DbOrTx, actor: Actor, id: string): Promise<StudentRef | null> {
  const res = await db.execute(sql`
    select ${studentCols} from students s join organizations o on o.id = s.organization_id
     where s.id = ${id} and s.deleted_at is null
       and ${feeScope(actor, { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` })}`);
  return firstRow<StudentRef>(res) ?? null;
}

/** A student in an organization where the actor may act for `permission` (finance desk), or null. */
export async function findStudentWhere(db: DbOrTx, cond: SQL): Promise<StudentRef | null> {
  const res = await db.execute(sql`
    select ${studentCols} from students s join organizations o on o.id = s.organization_id
     where s.deleted_at is null and ${cond}`);
  return firstRow<StudentRef>(res) ?? null;
}

/** The organization and login of a student (who a money notification goes to), or null. */
export async function studentContact(db: DbOrTx, studentId: string) {
  const res = await db.execute(sql`select organization_id, user_id from students where id = ${studentId}`);
  return firstRow<{ organization_id: string; user_id: string | null }>(res) ?? null;
}

/** Locks the student row: a student's own payments serialize here. */
export async function lockStudent(db: DbOrTx, studentId: string) {
  await db.execute(sql`select id from students where id = ${studentId} for update`);
}

export async function insertEntry(db: DbOrTx, values: typeof ledgerEntries.$inferInsert) {
  const [row] = await db.insert(ledgerEntries).values(values).returning();
  return row;
}

export async function summaryOf(db: DbOrTx, studentId: string): Promise<AggRow> {
  const res = await db.execute(
    sql`select ${AGG_COLUMNS} from ledger_entries l where l.student_id = ${studentId}`,
  );
  return rowsOf<AggRow>(res)[0];
}

/** Newest first, keyset over (occurred_at, id). */
export async function listEntries(
  db: DbOrTx,
  studentId: string,
  limit: number,
  after: { sortKey: string | number; id: string } | null,
  entryType?: LedgerRow['entryType'],
): Promise<LedgerRow[]> {
  const l = ledgerEntries;
  const conds: SQL[] = [eq(l.studentId, studentId)];
  if (after)
    conds.push(sql`(${l.occurredAt}, ${l.id}) < (${String(after.sortKey)}::timestamptz, ${after.id}::uuid)`);
  if (entryType) conds.push(eq(l.entryType, entryType));
  return db
    .select()
    .from(l)
    .where(and(...conds))
    .orderBy(desc(l.occurredAt), desc(l.id))
    .limit(limit);
}

/**
 * The organization (if in the actor's `finance:manage` scope) and its effective settings row: its own, else
 * the nearest ancestor's (null when none has one).
 */
export async function effectiveSettings(db: DbOrTx, actor: Actor, orgId: string) {
  const res = await db.execute(sql`
    select o.id, (select row_to_json(fs) from finance_settings fs join organizations fo on fo.id = fs.organization_id
                   where o.path like fo.path || '%' order by length(fo.path) desc limit 1) as s
      from organizations o where o.id = ${orgId} and ${orgScope(actor, 'finance:manage', sql`o.id`)}`);
  const r = firstRow<{ id: string; s: unknown }>(res);
  if (!r) return null;
  const s = (typeof r.s === 'string' ? JSON.parse(r.s) : r.s) as {
    refund_deadline_days: number;
    payment_due_days: number;
  } | null;
  return { id: r.id, settings: s };
}

/** Whether the organization is in the actor's scope for `permission`. */
export async function orgInScope(db: DbOrTx, actor: Actor, permission: string, orgId: string) {
  const res = await db.execute(
    sql`select 1 from organizations o where o.id = ${orgId} and ${orgScope(actor, permission, sql`o.id`)}`,
  );
  return res.rows.length > 0;
}

export async function upsertSettings(
  db: DbOrTx,
  orgId: string,
  values: Omit<typeof financeSettings.$inferInsert, 'organizationId'>,
): Promise<SettingsRow> {
  const [row] = await db
    .insert(financeSettings)
    .values({ organizationId: orgId, ...values })
    .onConflictDoUpdate({ target: financeSettings.organizationId, set: values })
    .returning();
  return row;
}
