import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import { guardianOf } from '../students/index.js';
import * as ledger from './finance.repo.js';
import type { PaymentT } from './finance.schemas.js';
import { feePayments } from './finance.table.js';
import { claimOrReplay } from './finance-idempotency.service.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';
import * as repo from './finance-payments.repo.js';

export type PaymentSource = 'desk' | 'external' | 'self' | 'guardian';
const ENDPOINT: Record<PaymentSource, string> = {
  desk: 'POST /fee-payments',
  external: 'POST /finance/record-payment',
  self: 'POST /students/me/payments',
  guardian: 'POST /students/{id}/payments',
};

/** The student a payment is for, as SQL over `students s`: whose dues each source may pay. */
function payerScope(ctx: RequestContext, source: PaymentSource, studentId: string | undefined): SQL {
  if (source === 'self') return sql`s.user_id = ${ctx.actor.userId}`;
  // A guardian: only a linked child (another student answers 404, like one that does not exist).
  if (source === 'guardian') return sql`s.id = ${studentId} and ${guardianOf(ctx.actor, sql`s.id`)}`;
  return sql`s.id = ${studentId} and ${orgScope(ctx.actor, 'finance:manage', sql`s.organization_id`)}`;
}

export function toPayment(r: repo.PaymentRow): PaymentT {
  const amount = Number(r.amount_minor);
  const refunded = Number(r.refunded_minor ?? 0);
  const c = r.currency;
  return {
    id: r.id,
    organization_id: r.organization_id,
    student_id: r.student_id,
    student_number: r.student_number,
    student_name: `${r.first_name} ${r.last_name}`,
    amount: formatMinor(amount, c),
    currency: c,
    method: r.method,
    reference: r.reference ?? null,
    fee_structure_id: r.fee_structure_id ?? null,
    source: r.source,
    receipt_no: r.receipt_no,
    paid_at: iso(r.paid_at)!,
    recorded_by: r.recorded_by ?? null,
    refunded_amount: formatMinor(refunded, c),
    refundable_amount: formatMinor(amount - refunded, c),
    payment_status: refunded === 0 ? 'completed' : refunded < amount ? 'partially_refunded' : 'refunded',
  };
}

export interface PayInput {
  student_id?: string;
  amount: string;
  method?: PaymentT['method'];
  reference?: string;
  fee_structure_id?: string;
  paid_at?: string;
}

export interface PayResult {
  status: number;
  body: { data: PaymentT };
  replayed: boolean;
}

/**
 * Records a payment exactly once per Idempotency-Key: claims the key first (a concurrent twin waits on the
 * unique index, then replays the stored response), takes the next gapless receipt number, writes the
 * payment and its ledger entry, notifies, audits and stores the response, all in one transaction.
 */
export async function pay(
  db: Db,
  ctx: RequestContext,
  source: PaymentSource,
  input: PayInput,
  key: string,
): Promise<PayResult> {
  return withTx(db, async (tx) => {
    const s = await ledger.findStudentWhere(tx, payerScope(ctx, source, input.student_id));
    if (!s) throw notFound(source === 'self' ? 'Student profile' : 'Student');
    const claim = await claimOrReplay<PayResult['body']>(tx, {
      organizationId: s.organization_id,
      endpoint: ENDPOINT[source],
      key,
      actorId: ctx.actor.userId,
      parts: [
        s.id,
        input.amount,
        input.method ?? null,
        input.reference ?? null,
        input.fee_structure_id ?? null,
        input.paid_at ?? null,
      ],
      noun: 'payment',
    });
    if ('replayed' in claim) return claim;
    const { keyId } = claim;
    const minor = parseAmount(input.amount, s.currency);
    if (minor <= 0) {
      throw businessRule('invalid_amount', 'The amount must be greater than zero', [
        { field: 'amount', message: 'must be greater than zero' },
      ]);
    }
    if (input.fee_structure_id) {
      if (!(await repo.feeStructureApplies(tx, input.fee_structure_id, s.organization_id))) {
        throw notFound('Fee structure');
      }
    }
    if (source === 'self' || source === 'guardian') {
      // Serialize a student's own (and their guardians') payments so two tabs cannot both pay the same dues.
      await ledger.lockStudent(tx, s.id);
      const sum = await ledger.summaryOf(tx, s.id);
      if (minor > Number(sum.balance)) {
        const owes = source === 'self' ? 'you owe' : 'is owed';
        throw businessRule('payment_exceeds_balance', `The amount is more than ${owes}`, [
          {
            field: 'amount',
            message: `must be at most ${formatMinor(Math.max(0, Number(sum.balance)), s.currency)}`,
          },
        ]);
      }
    }
    const year = new Date().getUTCFullYear();
    const no = await repo.nextReceiptNo(tx, s.organization_id, year);
    const receiptNo = `RCPT-${year}-${String(no).padStart(6, '0')}`;
    const paidAt = input.paid_at ? new Date(input.paid_at) : new Date();
    const [p] = await tx
      .insert(feePayments)
      .values({
        organizationId: s.organization_id,
        studentId: s.id,
        amountMinor: minor,
        currency: s.currency,
        method: input.method ?? 'online',
        reference: input.reference ?? null,
        feeStructureId: input.fee_structure_id ?? null,
        source,
        receiptNo,
        receiptYear: year,
        paidAt,
        recordedBy: ctx.actor.userId,
      })
      .returning();
    await ledger.insertEntry(tx, {
      organizationId: s.organization_id,
      studentId: s.id,
      entryType: 'payment',
      amountMinor: -minor,
      currency: s.currency,
      paymentId: p.id,
      feeStructureId: input.fee_structure_id ?? null,
      reason: `Payment ${receiptNo} (${p.method})`,
      createdBy: ctx.actor.userId,
      occurredAt: paidAt,
    });
    const saved = await repo.findById(tx, p.id);
    if (!saved) throw notFound('Payment');
    const out = toPayment(saved);
    await recordAudit(tx, ctx, {
      action: source === 'external' ? 'record_external_payment' : 'payment',
      entityType: 'fee_payment',
      entityId: p.id,
      organizationId: s.organization_id,
      after: out,
    });
    await notifyMoneyEvent(
      tx,
      s.id,
      'payment_received',
      'Payment received',
      `We received ${money(minor, s.currency)} (${p.method}), receipt ${receiptNo}.`,
      { payment_id: p.id, receipt_no: receiptNo, amount: out.amount, currency: s.currency },
    );
    const body = { data: out };
    await repo.saveKeyResponse(tx, keyId, 201, body);
    return { status: 201, body, replayed: false };
  });
}

export async function getPayment(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findVisible(db, ctx.actor, id);
  if (!row) throw notFound('Payment');
  return toPayment(row);
}

export async function listPayments(db: Db, ctx: RequestContext, q: repo.PaymentFilters, w: PageWindow) {
  const { rows, total } = await repo.list(db, ctx.actor, q, w);
  return page(rows.map(toPayment), total, w);
}
