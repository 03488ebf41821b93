import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { can, type RequestContext } from '../../kernel/auth/actor.js';
import { forbidden, notFound } from '../../kernel/errors.js';
import { parseAmount } from '../../kernel/money.js';
import { cursorPage, decodeCursor } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import { financeSettings } from './finance.table.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';
import * as ledger from './finance-ledger.repo.js';
import { toLedgerEntry, toSummary } from './finance-mappers.js';

type FeesQuery = { cursor?: string; page_size?: number; entry_type?: string };

async function feesOf(db: Db, s: ledger.StudentRef, q: FeesQuery) {
  const size = q.page_size ?? 20;
  const after = decodeCursor(q.cursor);
  const [rows, sum] = await Promise.all([
    ledger.listEntries(db, s.id, size + 1, after, q.entry_type),
    ledger.summaryOf(db, s.id),
  ]);
  const p = cursorPage(rows, size, (r) => [iso(r.occurred_at)!, r.id]);
  return {
    data: p.data.map(toLedgerEntry),
    meta: { ...p.meta, student_id: s.id, summary: toSummary(sum, s.currency) },
  };
}

/** A student's ledger (newest first, keyset) and balance; students see their own, parents their children's. */
export async function studentFees(db: Db, ctx: RequestContext, studentId: string, q: FeesQuery) {
  const s = await ledger.findStudentForFees(db, ctx.actor, studentId);
  if (!s) throw notFound('Student');
  return feesOf(db, s, q);
}

export async function myFees(db: Db, ctx: RequestContext, q: FeesQuery) {
  const s = await ledger.findStudentWhere(db, sql`s.user_id = ${ctx.actor.userId}`);
  if (!s) throw notFound('Student profile');
  return feesOf(db, s, q);
}

/**
 * Concession, waiver (admin approval: the approving admin is recorded) or late fine (finance desk), with a
 * reason, as one ledger entry.
 */
export async function adjust(
  db: Db,
  ctx: RequestContext,
  input: {
    student_id: string;
    entry_type: 'concession' | 'waiver' | 'late_fine';
    amount: string;
    reason: string;
    due_date?: string;
  },
) {
  const needsApproval = input.entry_type !== 'late_fine';
  if (needsApproval && !can(ctx.actor, 'finance:approve')) {
    throw forbidden('Concessions and waivers need an administrator');
  }
  return withTx(db, async (tx) => {
    const perm = needsApproval ? 'finance:approve' : 'finance:manage';
    const s = await ledger.findStudentWhere(
      tx,
      sql`s.id = ${input.student_id} and ${orgScope(ctx.actor, perm, sql`s.organization_id`)}`,
    );
    if (!s) throw notFound('Student');
    const minor = parseAmount(input.amount, s.currency);
    const row = await ledger.insertEntry(tx, {
      organizationId: s.organization_id,
      studentId: s.id,
      entryType: input.entry_type,
      amountMinor: needsApproval ? -minor : minor,
      currency: s.currency,
      dueDate: input.entry_type === 'late_fine' ? (input.due_date ?? null) : null,
      reason: input.reason,
      approvedBy: needsApproval ? ctx.actor.userId : null,
      createdBy: ctx.actor.userId,
    });
    const out = toLedgerEntry(row);
    await recordAudit(tx, ctx, {
      action: input.entry_type,
      entityType: 'ledger_entry',
      entityId: row.id,
      organizationId: s.organization_id,
      after: out,
    });
    await notifyMoneyEvent(
      tx,
      s.id,
      `ledger_${input.entry_type}`,
      input.entry_type === 'late_fine' ? 'Late fine added' : `A ${input.entry_type} was granted`,
      `${money(minor, s.currency)}: ${input.reason}`,
      { ledger_entry_id: row.id },
    );
    return out;
  });
}

function toSettings(orgId: string, r: any) {
  return {
    organization_id: orgId,
    refund_deadline_days: r?.refund_deadline_days ?? r?.refundDeadlineDays ?? 14,
    payment_due_days: r?.payment_due_days ?? r?.paymentDueDays ?? 30,
  };
}

/** The effective settings (own row, else the nearest ancestor's, else defaults). */
export async function getSettings(db: Db, ctx: RequestContext, orgId: string) {
  const res = await db.execute(sql`
    select o.id, (select row_to_json(fs) from finance_settings fs join organizations fo on fo.id = fs.organization_id
                   where o.path like fo.path || '%' order by length(fo.path) desc limit 1) as s
      from organizations o where o.id = ${orgId} and ${orgScope(ctx.actor, 'finance:manage', sql`o.id`)}`);
  const r = res.rows[0] as any;
  if (!r) throw notFound('Organization');
  const s = typeof r.s === 'string' ? JSON.parse(r.s) : r.s;
  return toSettings(orgId, s);
}

export async function updateSettings(
  db: Db,
  ctx: RequestContext,
  input: { organization_id: string; refund_deadline_days?: number; payment_due_days?: number },
) {
  return withTx(db, async (tx) => {
    const before = await getSettings(tx as unknown as Db, ctx, input.organization_id);
    const ok = await tx.execute(
      sql`select 1 from organizations o where o.id = ${input.organization_id} and ${orgScope(ctx.actor, 'finance:approve', sql`o.id`)}`,
    );
    if (ok.rows.length === 0) throw notFound('Organization');
    const values = {
      refundDeadlineDays: input.refund_deadline_days ?? before.refund_deadline_days,
      paymentDueDays: input.payment_due_days ?? before.payment_due_days,
      updatedBy: ctx.actor.userId,
      updatedAt: new Date(),
    };
    const [row] = await tx
      .insert(financeSettings)
      .values({ organizationId: input.organization_id, ...values })
      .onConflictDoUpdate({ target: financeSettings.organizationId, set: values })
      .returning();
    const out = toSettings(input.organization_id, row);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'finance_settings',
      entityId: input.organization_id,
      organizationId: input.organization_id,
      before,
      after: out,
    });
    return out;
  });
}
