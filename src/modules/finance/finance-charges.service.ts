import type { DbOrTx } from '../../db/client.js';
import { uuidv7 } from '../../kernel/ids.js';
import { formatMinor } from '../../kernel/money.js';
import { ledgerEntries } from './finance.table.js';
import { money, notifyMoneyEvent } from './finance-events.js';

/** What another module charges to a student's ledger (hostel fee, library fine …). */
export interface ChargeInput {
  /** The student's organization (the ledger's tenant). */
  organizationId: string;
  studentId: string;
  /** Positive minor units. */
  amountMinor: number;
  currency: string;
  /** Shown on the ledger line and in the notification, e.g. "Hostel fee 2026-2027: Hall A, room 12". */
  reason: string;
  /** YYYY-MM-DD. */
  dueDate?: string | null;
  createdBy?: string | null;
  /** What caused the charge, echoed in the notification data (e.g. { type: 'hostel_allocation', id }). */
  source?: { type: string; id: string };
}

/**
 * Posts one charge to the student's ledger in the caller's transaction and notifies the student, their
 * guardians and the finance desk. The caller owns idempotency (it records the returned entry id).
 */
export async function postCharge(tx: DbOrTx, c: ChargeInput): Promise<{ id: string }> {
  const id = uuidv7();
  await tx.insert(ledgerEntries).values({
    id,
    organizationId: c.organizationId,
    studentId: c.studentId,
    entryType: 'charge',
    amountMinor: c.amountMinor,
    currency: c.currency,
    dueDate: c.dueDate ?? null,
    reason: c.reason,
    createdBy: c.createdBy ?? null,
  });
  await notifyMoneyEvent(
    tx,
    c.studentId,
    c.source ? `${c.source.type}_charged` : 'charge_posted',
    'New charge',
    `${c.reason}: ${money(c.amountMinor, c.currency)} added to your dues.`,
    {
      ledger_entry_id: id,
      amount: formatMinor(c.amountMinor, c.currency),
      currency: c.currency,
      ...(c.source ? { source_type: c.source.type, source_id: c.source.id } : {}),
    },
  );
  return { id };
}
