import { type Static, Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { CursorQueryProps, PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

/** Money in requests: a positive decimal string in the organization's currency. */
export const AmountIn = (description = 'Amount as a decimal string in the organization currency') =>
  Type.String({ pattern: AMOUNT_PATTERN, maxLength: 17, description, examples: ['1250.00'] });
/** Money in responses: a decimal string (may be negative for credits/balances). */
export const Money = (description = 'Decimal string in `currency`') =>
  Type.String({ description, examples: ['1250.00'] });
const Currency = Type.String({ description: 'ISO 4217 currency of the organization', examples: ['USD'] });

export const EntryType = StringEnum(
  ['charge', 'payment', 'refund', 'concession', 'waiver', 'late_fine', 'reversal', 'revocation'],
  {
    description:
      'charge/late_fine/refund raise the balance; payment/concession/waiver/reversal lower it; a revocation ' +
      'cancels a concession or waiver (raises it again)',
  },
);
export const PaymentMethod = StringEnum(['cash', 'card', 'bank_transfer', 'cheque', 'online', 'other'], {
  description: 'How the money was paid',
});
export const PaymentStatus = StringEnum(['completed', 'partially_refunded', 'refunded'], {
  description: 'Derived from the refunds recorded against the payment',
});

export const LedgerEntry = Type.Object(
  {
    id: Uuid(),
    student_id: Uuid(),
    entry_type: EntryType,
    direction: StringEnum(['debit', 'credit'], {
      description: 'debit raises what is owed, credit lowers it',
    }),
    amount: Money('Signed amount: positive for debits, negative for credits'),
    currency: Currency,
    enrollment_id: Nullable(Uuid('Enrollment that caused a course-fee charge or reversal')),
    fee_structure_id: Nullable(Uuid('Fee structure that caused the charge')),
    installment_no: Nullable(Type.Integer({ description: 'Installment of the fee structure (1-based)' })),
    payment_id: Nullable(Uuid('Payment (for payment and refund entries)')),
    due_date: Nullable(DateStr('When a charge falls due')),
    reason: Nullable(Type.String()),
    approved_by: Nullable(Uuid('Administrator who approved a concession or waiver')),
    created_by: Nullable(Uuid('Who recorded it; null for automatic entries')),
    reverses_entry_id: Nullable(Uuid('A revocation: the concession or waiver it cancels')),
    occurred_at: Timestamp(),
  },
  { $id: 'LedgerEntry' },
);

export const FeeSummary = Type.Object(
  {
    currency: Currency,
    total_charged: Money('Charges and late fines'),
    total_paid: Money('Payments received'),
    total_refunded: Money('Refunds paid back'),
    total_credited: Money('Concessions, waivers and reversals'),
    balance: Money('What is owed now (= sum of the ledger; negative is a credit)'),
    overdue_amount: Money('Part of the balance past its due date'),
    oldest_due_date: Nullable(DateStr('Oldest overdue due date')),
    dues_status: StringEnum(['paid', 'partial', 'unpaid'], { description: 'paid = nothing owed' }),
  },
  { $id: 'FeeSummary' },
);

export const StudentFeesPage = Type.Object({
  data: Type.Array(LedgerEntry),
  meta: Type.Object({
    page_size: Type.Integer(),
    has_next_page: Type.Boolean(),
    next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` to get the next page' })),
    student_id: Uuid(),
    summary: FeeSummary,
  }),
});

export const StudentFeesQuery = Type.Object(
  { ...CursorQueryProps, entry_type: Type.Optional(EntryType) },
  { additionalProperties: false },
);

export const Payment = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    student_id: Uuid(),
    student_number: Type.String(),
    student_name: Type.String(),
    amount: Money(),
    currency: Currency,
    method: PaymentMethod,
    reference: Nullable(Type.String({ description: 'Cheque number, transaction id, …' })),
    fee_structure_id: Nullable(Uuid()),
    source: StringEnum(['desk', 'external', 'self', 'guardian'], {
      description:
        'desk = recorded by staff, external = from another system, self = paid by the student, guardian = paid by a linked parent or guardian',
    }),
    receipt_no: Type.String({
      description: 'Unique per organization and year, without gaps',
      examples: ['RCPT-2026-000123'],
    }),
    paid_at: Timestamp(),
    recorded_by: Nullable(Uuid()),
    refunded_amount: Money('Refunded so far'),
    refundable_amount: Money('What may still be refunded'),
    payment_status: PaymentStatus,
  },
  { $id: 'Payment' },
);
export type PaymentT = Static<typeof Payment>;

const paymentProps = {
  student_id: Uuid('Student who pays'),
  amount: AmountIn(),
  method: PaymentMethod,
  reference: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['CHQ-004512'] })),
  fee_structure_id: Type.Optional(Uuid('Fee structure the payment is for')),
};
export const CreatePayment = Type.Object(paymentProps, { additionalProperties: false });
export type CreatePaymentT = Static<typeof CreatePayment>;
export const RecordExternalPayment = Type.Object(
  { ...paymentProps, paid_at: Type.Optional(Timestamp('When the money was received (defaults to now)')) },
  { additionalProperties: false },
);
export const SelfPayment = Type.Object(
  {
    amount: AmountIn(),
    method: Type.Optional(PaymentMethod),
    reference: paymentProps.reference,
    fee_structure_id: paymentProps.fee_structure_id,
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object(
  {
    'idempotency-key': Type.String({
      minLength: 8,
      maxLength: 200,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: 'Unique per payment attempt; a repeat returns the first result instead of paying twice',
      examples: ['0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d'],
    }),
  },
  { additionalProperties: true },
);

export const ListPaymentsQuery = Type.Object(
  {
    ...PageQueryProps,
    student_id: Type.Optional(Uuid()),
    fee_structure_id: Type.Optional(Uuid()),
    payment_status: Type.Optional(PaymentStatus),
    method: Type.Optional(PaymentMethod),
    from: Type.Optional(DateStr('Paid on or after')),
    to: Type.Optional(DateStr('Paid on or before')),
  },
  { additionalProperties: false },
);

export const RefundBody = Type.Object(
  {
    payment_id: Uuid(),
    amount: AmountIn('Amount to refund (partial refunds allowed)'),
    reason: Type.String({ minLength: 3, maxLength: 500, examples: ['Course cancelled'] }),
  },
  { additionalProperties: false },
);
export const RefundResult = Type.Object({ refund: LedgerEntry, payment: Payment });

export const RevokeBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 500, examples: ['Granted to the wrong student'] }) },
  { additionalProperties: false },
);

export const Adjustment = Type.Object(
  {
    student_id: Uuid(),
    entry_type: StringEnum(['concession', 'waiver', 'late_fine'], {
      description: 'concession/waiver lower the balance (admin approval); late_fine raises it',
    }),
    amount: AmountIn(),
    reason: Type.String({ minLength: 3, maxLength: 500, examples: ['Merit scholarship 2026'] }),
    due_date: Type.Optional(DateStr('For a late fine: when it falls due')),
  },
  { additionalProperties: false },
);

export const Settings = Type.Object({
  organization_id: Uuid(),
  refund_deadline_days: Type.Integer({
    description: 'A drop within this many days of the class start reverses its fee',
  }),
  payment_due_days: Type.Integer({ description: 'Enrollment charges fall due this many days later' }),
});
export const UpdateSettings = Type.Object(
  {
    organization_id: Uuid(),
    refund_deadline_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    payment_due_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  },
  { additionalProperties: false, minProperties: 2 },
);
export const SettingsQuery = Type.Object({ organization_id: Uuid() }, { additionalProperties: false });

export const StudentIdParams = Type.Object({ student_id: Uuid() }, { additionalProperties: false });
