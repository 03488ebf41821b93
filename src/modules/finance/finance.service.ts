import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import { can, type RequestContext } from '../../kernel/auth/actor.js';
import { forbidden, notFound } from '../../kernel/errors.js';
import { parseAmount } from '../../kernel/money.js';
import { cursorPage, decodeCursor } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import * as ledger from './finance.repo.js';
import { toLedgerEntry, toSummary } from './finance-mappers.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';

type FeesQuery = { cursor?: string; page_size?: number; entry_type?: ledger.LedgerRow['entryType'] };

async function feesOf(db: Db, s: ledger.StudentRef, q: FeesQuery) {
  const size = q.page_size ?? 20;
  const after = decodeCursor(q.cursor);
  const [rows, sum] = await Promise.all([
    ledger.listEntries(db, s.id, size + 1, after, q.entry_type),
    ledger.summaryOf(db, s.id),
  ]);
  const p = cursorPage(rows, size, (r) => [iso(r.occurredAt)!, r.id]);
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

function toSettings(
  orgId: string,
  r: { refund_deadline_days?: number; payment_due_days?: number } | null,
): { organization_id: string; refund_deadline_days: number; payment_due_days: number } {
  return {
    organization_id: orgId,
    refund_deadline_days: r?.refund_deadline_days ?? 14,
    payment_due_days: r?.payment_due_days ?? 30,
  };
}

/** The effective settings (own row, else the nearest ancestor's, else defaults). */
export async function getSettings(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const r = await ledger.effectiveSettings(db, ctx.actor, orgId);
  if (!r) throw notFound('Organization');
  return toSettings(orgId, r.settings);
}

export async function updateSettings(
  db: Db,
  ctx: RequestContext,
  input: { organization_id: string; refund_deadline_days?: number; payment_due_days?: number },
) {
  return withTx(db, async (tx) => {
    const before = await getSettings(tx, ctx, input.organization_id);
    if (!(await ledger.orgInScope(tx, ctx.actor, 'finance:approve', input.organization_id))) {
      throw notFound('Organization');
    }
    const values = {
      refundDeadlineDays: input.refund_deadline_days ?? before.refund_deadline_days,
      paymentDueDays: input.payment_due_days ?? before.payment_due_days,
      updatedBy: ctx.actor.userId,
      updatedAt: new Date(),
    };
    const row = await ledger.upsertSettings(tx, input.organization_id, values);
    const out = toSettings(input.organization_id, {
      refund_deadline_days: row.refundDeadlineDays,
      payment_due_days: row.paymentDueDays,
    });
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
