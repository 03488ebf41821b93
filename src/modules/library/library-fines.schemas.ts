import { type Static, Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Currency, Money, PatronOut, PatronType } from './library.schemas.js';

export const FineStatus = StringEnum(['outstanding', 'paid', 'waived'], {
  description:
    'outstanding; paid (in full); waived (nothing outstanding, part or all of it waived by the desk)',
});

export const Fine = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    loan_id: Uuid(),
    book_title: Type.String(),
    ...PatronOut,
    days_late: Type.Integer({ description: 'Days the loan came back after its due date' }),
    amount: Money('(days late − grace days) × fine per day, capped at the maximum fine'),
    paid: Money(),
    waived: Money('Waived by the desk (with a reason); outstanding = amount − paid − waived'),
    waive_reason: Nullable(Type.String({ description: 'Why the desk waived it (the last waiver)' })),
    waived_at: Nullable(Timestamp()),
    outstanding: Money(),
    currency: Currency,
    status: FineStatus,
    on_ledger: Type.Boolean({
      description: "Students: also a late_fine charge on the student's finance ledger",
    }),
    ledger_entry_id: Nullable(Uuid()),
    payment_id: Nullable(Uuid('Last finance payment applied to it (students)')),
    settlement_method: Nullable(Type.String({ description: 'Faculty/staff: how the desk collected it' })),
    paid_at: Nullable(Timestamp()),
    created_at: Timestamp(),
  },
  { $id: 'LibraryFine' },
);
export type FineT = Static<typeof Fine>;

export const ListFinesQuery = Type.Object(
  {
    ...PageQueryProps,
    status: Type.Optional(FineStatus),
    patron_type: Type.Optional(PatronType),
    student_id: Type.Optional(Uuid('Fines of one student')),
    organization_id: Type.Optional(Uuid('Fines of one organization')),
  },
  { additionalProperties: false },
);
export type ListFinesQueryT = Static<typeof ListFinesQuery>;

export const PayFineBody = Type.Object(
  {
    fine_id: Type.Optional(Uuid('The fine (give fine_id or loan_id)')),
    loan_id: Type.Optional(Uuid('Or: the loan whose fine to pay')),
    amount: Type.Optional(
      Type.String({
        pattern: AMOUNT_PATTERN,
        maxLength: 17,
        description: 'Defaults to what is outstanding; never more than that',
        examples: ['30.00'],
      }),
    ),
    method: Type.Optional(
      StringEnum(['cash', 'card', 'bank_transfer', 'cheque', 'online', 'other'], {
        description: 'How it was paid (desk); a student paying online: online',
      }),
    ),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Slip or transaction id' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ fine_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d', method: 'cash' }],
  },
);
export type PayFineBodyT = Static<typeof PayFineBody>;

export const PaymentSummary = Type.Object({
  id: Uuid('Finance payment (GET /fee-payments/{id}; receipt at /fee-payments/{id}/receipt)'),
  receipt_no: Type.String({ examples: ['RCPT-2026-000042'] }),
  amount: Money(),
  currency: Currency,
  method: Type.String(),
  paid_at: Timestamp(),
});

export const PayFineResult = Type.Object({
  fine: Fine,
  payment: Nullable(PaymentSummary),
});

export const WaiveFineBody = Type.Object(
  {
    amount: Type.Optional(
      Type.String({
        pattern: AMOUNT_PATTERN,
        maxLength: 17,
        description: 'How much to waive; defaults to all that is outstanding',
        examples: ['10.00'],
      }),
    ),
    reason: Type.String({
      minLength: 3,
      maxLength: 500,
      description: 'Why (kept on the fine, in the audit log and on the ledger entry)',
      examples: ['Book returned late because the library was closed for exams'],
    }),
  },
  { additionalProperties: false, examples: [{ reason: 'Library closed during the exam week' }] },
);
export type WaiveFineBodyT = Static<typeof WaiveFineBody>;
