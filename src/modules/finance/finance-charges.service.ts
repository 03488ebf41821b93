import type { Db, DbOrTx, Tx } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import * as ledger from './finance.repo.js';
import { notifyMoneyEvent } from './finance-notify.service.js';
import { type PayInput, type PaymentSource, type PayResult, pay } from './finance-payments.service.js';

/** A charge another module posts to a student's ledger (a library fine, a hostel fee …). */
export interface ChargeInput {
  organizationId: string;
  studentId: string;
  /** `late_fine` for penalties (library overdue fines), `charge` for fees. */
  entryType: 'charge' | 'late_fine';
  /** Positive minor units in `currency`. */
  amountMinor: number;
  currency: string;
  reason: string;
  dueDate?: string | null;
  createdBy?: string | null;
  occurredAt?: Date;
  /** Notifies the student, their guardians and the finance desk in the same transaction. */
  notice?: { kind: string; title: string; body: string; data?: Record<string, unknown> };
}

/**
 * Posts one charge to the student ledger inside the caller's transaction (so the charge commits or rolls
 * back with the change that caused it). The caller owns idempotency (e.g. one fine per loan).
 */
export function postCharge(tx: DbOrTx, c: ChargeInput): Promise<{ id: string }> {
  return postEntry(tx, c, c.amountMinor);
}

/** A credit another module grants on a student's ledger: a waiver of a fine it charged, a concession. */
export interface CreditInput extends Omit<ChargeInput, 'entryType' | 'dueDate'> {
  entryType: 'waiver' | 'concession';
}

/**
 * Posts one credit (a negative ledger entry of `amountMinor`, given positive) inside the caller's
 * transaction, e.g. the waiver of a library fine. The caller checks it does not exceed what it charged.
 */
export function postCredit(tx: DbOrTx, c: CreditInput): Promise<{ id: string }> {
  return postEntry(tx, { ...c, dueDate: null }, -c.amountMinor);
}

async function postEntry(
  tx: DbOrTx,
  c: Omit<ChargeInput, 'entryType'> & { entryType: ChargeInput['entryType'] | CreditInput['entryType'] },
  signedMinor: number,
): Promise<{ id: string }> {
  const row = await ledger.insertEntry(tx, {
    id: uuidv7(),
    organizationId: c.organizationId,
    studentId: c.studentId,
    entryType: c.entryType,
    amountMinor: signedMinor,
    currency: c.currency,
    dueDate: c.dueDate ?? null,
    reason: c.reason,
    createdBy: c.createdBy ?? null,
    occurredAt: c.occurredAt ?? new Date(),
  });
  if (c.notice) {
    await notifyMoneyEvent(
      tx,
      c.studentId,
      c.notice.kind,
      c.notice.title,
      c.notice.body,
      c.notice.data ?? {},
    );
  }
  return { id: row.id };
}

/**
 * The one payment path (`pay`: Idempotency-Key, gapless receipt, ledger entry, audit, notification) run
 * inside the caller's transaction as a savepoint, so a module that pays for something (a library fine)
 * records its own side of the payment atomically with it.
 */
export function payInTransaction(
  tx: Tx,
  ctx: RequestContext,
  source: PaymentSource,
  input: PayInput,
  key: string,
): Promise<PayResult> {
  // `pay` only opens `db.transaction(...)`; on a transaction handle that is a savepoint.
  return pay(tx as unknown as Db, ctx, source, input, key);
}

export type { PayInput, PaymentSource, PayResult };
