import { formatMinor } from '../../kernel/money.js';
import { iso } from '../../kernel/sql.js';
import type { AggRow, LedgerRow } from './finance.repo.js';

const DEBITS = new Set(['charge', 'late_fine', 'refund', 'revocation']);

/** Dates from the driver come as Date (PGlite) or string (pg); both map to YYYY-MM-DD. */
export function dateOnly(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** A ledger row as JSON. */
export function toLedgerEntry(r: LedgerRow) {
  const type = r.entryType;
  const currency = r.currency;
  return {
    id: r.id,
    student_id: r.studentId,
    entry_type: type,
    direction: (DEBITS.has(type) ? 'debit' : 'credit') as 'debit' | 'credit',
    amount: formatMinor(Number(r.amountMinor), currency),
    currency,
    enrollment_id: r.enrollmentId ?? null,
    fee_structure_id: r.feeStructureId ?? null,
    installment_no: r.installmentNo ?? null,
    payment_id: r.paymentId ?? null,
    due_date: dateOnly(r.dueDate),
    reason: r.reason ?? null,
    approved_by: r.approvedBy ?? null,
    created_by: r.createdBy ?? null,
    reverses_entry_id: r.reversesEntryId ?? null,
    occurred_at: iso(r.occurredAt)!,
  };
}

/** Money summary of a student (or any aggregate row with the AGG_COLUMNS). */
export function toSummary(r: AggRow, currency: string) {
  const n = (v: unknown) => Number(v ?? 0);
  const balance = n(r.balance);
  const netCredits = n(r.paid) - n(r.refunded) + n(r.credited);
  const overdue = Math.max(0, n(r.due_before_today) - netCredits);
  return {
    currency,
    total_charged: formatMinor(n(r.charged), currency),
    total_paid: formatMinor(n(r.paid), currency),
    total_refunded: formatMinor(n(r.refunded), currency),
    total_credited: formatMinor(n(r.credited), currency),
    balance: formatMinor(balance, currency),
    overdue_amount: formatMinor(overdue, currency),
    oldest_due_date: overdue > 0 ? dateOnly(r.oldest_due_date) : null,
    dues_status: (balance <= 0
      ? 'paid'
      : n(r.paid) - n(r.refunded) > 0 || n(r.credited) > 0
        ? 'partial'
        : 'unpaid') as 'paid' | 'partial' | 'unpaid',
  };
}
