import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { feeScope } from './finance.policy.js';
import type { feePayments } from './finance.table.js';

type Num = number | string;
type PaymentCols = typeof feePayments.$inferSelect;

/** A row of PAYMENT_SELECT: the payment (snake_case), its student and what has been refunded. */
export type PaymentRow = {
  id: string;
  organization_id: string;
  student_id: string;
  amount_minor: Num;
  currency: string;
  method: PaymentCols['method'];
  reference: string | null;
  fee_structure_id: string | null;
  source: 'desk' | 'external' | 'self' | 'guardian';
  receipt_no: string;
  paid_at: Date | string;
  recorded_by: string | null;
  student_number: string;
  first_name: string;
  last_name: string;
  student_user_id: string | null;
  refunded_minor: Num;
};

/** Payment columns plus what has been refunded (derived from the ledger, never stored). */
export const PAYMENT_SELECT = sql`
  p.*, s.student_number, s.first_name, s.last_name, s.user_id as student_user_id,
  coalesce((select sum(r.amount_minor) from ledger_entries r
             where r.payment_id = p.id and r.entry_type = 'refund'), 0)::bigint as refunded_minor`;

const statusOf = sql`(case when x.refunded_minor = 0 then 'completed'
                          when x.refunded_minor < x.amount_minor then 'partially_refunded'
                          else 'refunded' end)`;

const scopeOf = (actor: Actor) =>
  feeScope(actor, { id: sql`s.id`, organizationId: sql`s.organization_id`, userId: sql`s.user_id` });

export async function findVisible(db: DbOrTx, actor: Actor, id: string) {
  const res = await db.execute(sql`
    select ${PAYMENT_SELECT}, o.name as org_name
      from fee_payments p join students s on s.id = p.student_id join organizations o on o.id = p.organization_id
     where p.id = ${id} and ${scopeOf(actor)}`);
  return firstRow<PaymentRow & { org_name: string }>(res) ?? null;
}

/** Locks the payment row (refunds of one payment serialize here), within the actor's desk scope. */
export async function lockForRefund(db: DbOrTx, scope: SQL, id: string) {
  const res = await db.execute(sql`
    select p.id from fee_payments p where p.id = ${id} and ${scope} for update`);
  return res.rows.length > 0;
}

/** A payment by id (callers have checked scope), or null. */
export async function findById(db: DbOrTx, id: string): Promise<PaymentRow | null> {
  const res = await db.execute(sql`
    select ${PAYMENT_SELECT} from fee_payments p join students s on s.id = p.student_id where p.id = ${id}`);
  return firstRow<PaymentRow>(res) ?? null;
}

/** Whether the fee structure belongs to the organization or one of its ancestors. */
export async function feeStructureApplies(db: DbOrTx, feeStructureId: string, organizationId: string) {
  const res = await db.execute(sql`
    select 1 from fee_structures fs join organizations fo on fo.id = fs.organization_id
     where fs.id = ${feeStructureId}
       and (select path from organizations where id = ${organizationId}) like fo.path || '%'`);
  return res.rows.length > 0;
}

export interface PaymentFilters {
  student_id?: string;
  fee_structure_id?: string;
  payment_status?: string;
  method?: string;
  from?: string;
  to?: string;
}

export async function list(db: DbOrTx, actor: Actor, f: PaymentFilters, w: PageWindow) {
  const conds: SQL[] = [scopeOf(actor)];
  if (f.student_id) conds.push(sql`p.student_id = ${f.student_id}`);
  if (f.fee_structure_id) conds.push(sql`p.fee_structure_id = ${f.fee_structure_id}`);
  if (f.method) conds.push(sql`p.method = ${f.method}`);
  if (f.from) conds.push(sql`p.paid_at >= ${f.from}::date`);
  if (f.to) conds.push(sql`p.paid_at < ${f.to}::date + 1`);
  const inner = sql`select ${PAYMENT_SELECT} from fee_payments p join students s on s.id = p.student_id
                     where ${sql.join(conds, sql` and `)}`;
  const outer = f.payment_status ? sql`where ${statusOf} = ${f.payment_status}` : sql``;
  const res = await db.execute(sql`
    select x.*, count(*) over () as total_count from (${inner}) x ${outer}
     order by x.paid_at desc, x.id desc limit ${w.limit} offset ${w.offset}`);
  const rows = rowsOf<PaymentRow & { total_count: Num }>(res);
  let total = rows.length ? Number(rows[0].total_count) : 0;
  if (rows.length === 0 && w.offset > 0) {
    const c = await db.execute(sql`select count(*)::int as n from (${inner}) x ${outer}`);
    total = Number(firstRow<{ n: number }>(c)?.n ?? 0);
  }
  return { rows, total };
}

/** Claims an idempotency key (insert-first: a concurrent twin blocks on the unique index until we commit). */
export async function claimKey(
  db: DbOrTx,
  v: {
    id: string;
    organizationId: string;
    endpoint: string;
    key: string;
    actorId: string;
    requestHash: string;
  },
) {
  const res = await db.execute(sql`
    insert into idempotency_keys (id, organization_id, endpoint, key, actor_id, request_hash)
    values (${v.id}, ${v.organizationId}, ${v.endpoint}, ${v.key}, ${v.actorId}, ${v.requestHash})
    on conflict (organization_id, endpoint, key) do nothing returning id`);
  return res.rows.length > 0;
}

export async function storedKey(db: DbOrTx, organizationId: string, endpoint: string, key: string) {
  const res = await db.execute(sql`
    select request_hash, status_code, response from idempotency_keys
     where organization_id = ${organizationId} and endpoint = ${endpoint} and key = ${key}`);
  return firstRow<{ request_hash: string; status_code: number | null; response: unknown }>(res) ?? null;
}

export async function saveKeyResponse(db: DbOrTx, id: string, status: number, response: unknown) {
  await db.execute(sql`update idempotency_keys set status_code = ${status}, response = ${JSON.stringify(response)}::jsonb
                        where id = ${id}`);
}

/** Next receipt number of the organization and year: gapless because the bump commits with the payment. */
export async function nextReceiptNo(db: DbOrTx, organizationId: string, year: number): Promise<number> {
  const res = await db.execute(sql`
    insert into receipt_counters (organization_id, year, last_no) values (${organizationId}, ${year}, 1)
    on conflict (organization_id, year) do update set last_no = receipt_counters.last_no + 1
    returning last_no`);
  return Number(firstRow<{ last_no: number }>(res)?.last_no);
}
