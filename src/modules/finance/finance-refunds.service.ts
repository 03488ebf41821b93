import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { withTx } from '../../kernel/tx.js';
import { orgScope } from '../organizations/index.js';
import * as ledger from './finance.repo.js';
import type { PaymentT } from './finance.schemas.js';
import { claimOrReplay } from './finance-idempotency.service.js';
import { toLedgerEntry } from './finance-mappers.js';
import { money, notifyMoneyEvent } from './finance-notify.service.js';
import * as repo from './finance-payments.repo.js';
import { toPayment } from './finance-payments.service.js';

const ENDPOINT = 'POST /fee-payments/refund';

export interface RefundResult {
  status: number;
  body: { data: { refund: ReturnType<typeof toLedgerEntry>; payment: PaymentT } };
  replayed: boolean;
}

/**
 * Refunds part or all of what a payment has left, exactly once per Idempotency-Key (the payments' rule: a
 * repeat of the same request returns the first result, the key with a different request is 422
 * `idempotency_key_reused`). The payment row is locked FOR UPDATE first, so concurrent refunds of one
 * payment queue up and each sees the refunds committed before it: the total never exceeds it.
 */
export async function refund(
  db: Db,
  ctx: RequestContext,
  input: { payment_id: string; amount: string; reason: string },
  key: string,
): Promise<RefundResult> {
  return withTx(db, async (tx) => {
    const ok = await repo.lockForRefund(
      tx,
      orgScope(ctx.actor, 'finance:manage', sql`p.organization_id`),
      input.payment_id,
    );
    if (!ok) throw notFound('Payment');
    const p = await repo.findById(tx, input.payment_id);
    if (!p) throw notFound('Payment');
    const claim = await claimOrReplay<RefundResult['body']>(tx, {
      organizationId: p.organization_id,
      endpoint: ENDPOINT,
      key,
      actorId: ctx.actor.userId,
      parts: [p.id, input.amount, input.reason],
      noun: 'refund',
    });
    if ('replayed' in claim) return claim;
    const { keyId } = claim;
    const minor = parseAmount(input.amount, p.currency);
    const left = Number(p.amount_minor) - Number(p.refunded_minor);
    if (minor <= 0) {
      throw businessRule('invalid_amount', 'The amount must be greater than zero', [
        { field: 'amount', message: 'must be greater than zero' },
      ]);
    }
    if (minor > left) {
      throw businessRule('refund_exceeds_paid', 'The refund is more than the payment has left', [
        {
          field: 'amount',
          message: `must be at most ${formatMinor(left, p.currency)}`,
          refundable: formatMinor(left, p.currency),
        },
      ]);
    }
    const row = await ledger.insertEntry(tx, {
      organizationId: p.organization_id,
      studentId: p.student_id,
      entryType: 'refund',
      amountMinor: minor,
      currency: p.currency,
      paymentId: p.id,
      feeStructureId: p.fee_structure_id ?? null,
      reason: input.reason,
      createdBy: ctx.actor.userId,
    });
    const entry = toLedgerEntry(row);
    const after = await repo.findById(tx, p.id);
    if (!after) throw notFound('Payment');
    const payment = toPayment(after);
    await recordAudit(tx, ctx, {
      action: 'refund',
      entityType: 'fee_payment',
      entityId: p.id,
      organizationId: p.organization_id,
      after: {
        refund: entry,
        payment_status: payment.payment_status,
        refunded_amount: payment.refunded_amount,
      },
    });
    await notifyMoneyEvent(
      tx,
      p.student_id,
      'refund_issued',
      'Refund issued',
      `${money(minor, p.currency)} of payment ${p.receipt_no} was refunded: ${input.reason}`,
      { payment_id: p.id, ledger_entry_id: row.id },
    );
    const body = { data: { refund: entry, payment } };
    await repo.saveKeyResponse(tx, keyId, 201, body);
    return { status: 201, body, replayed: false };
  });
}
