import { type Static, Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Barcode, Currency, Money, PatronOut, PatronProps, PatronType } from './library.schemas.js';

export const Loan = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    book_id: Uuid(),
    book_title: Type.String(),
    isbn: Nullable(Type.String()),
    copy_id: Uuid(),
    barcode: Type.String(),
    ...PatronOut,
    issue_date: DateStr('Day the copy was lent'),
    due_date: DateStr('Day it is due back'),
    return_date: Nullable(DateStr('Day it came back (null while on loan)')),
    renewals: Type.Integer({ description: 'Renewals so far' }),
    status: StringEnum(['active', 'overdue', 'returned', 'lost'], {
      description: 'Derived from the dates; lost when the desk declared the copy lost (the loan is closed)',
    }),
    days_overdue: Type.Integer({
      description: 'Days past due (today for open loans, the return day otherwise)',
    }),
    fine: Nullable(
      Type.Object({
        id: Uuid(),
        amount: Money(),
        paid: Money(),
        currency: Currency,
        status: StringEnum(['outstanding', 'paid', 'waived']),
      }),
    ),
    lost_at: Nullable(Timestamp('When the desk declared the copy lost')),
    replacement_charge: Nullable(Money('Replacement charge of the lost copy (students: on the ledger)')),
    created_at: Timestamp(),
  },
  { $id: 'LibraryLoan' },
);
export type LoanT = Static<typeof Loan>;

export const OverdueLoan = Type.Object(
  {
    ...Loan.properties,
    accrued_fine: Money('What the fine would be if returned today (rule of the patron category)'),
    currency: Currency,
  },
  { $id: 'LibraryOverdueLoan' },
);
export type OverdueLoanT = Static<typeof OverdueLoan>;

export const IssueBody = Type.Object(
  {
    book_id: Type.Optional(Uuid('Book: the desk picks an available copy (give book_id or barcode)')),
    barcode: Type.Optional(Barcode),
    ...PatronProps,
    issue_date: Type.Optional(
      DateStr('Defaults to today; a past date records a loan carried over from a paper register'),
    ),
    due_date: Type.Optional(DateStr("Defaults to issue_date + the rule's loan days")),
  },
  {
    additionalProperties: false,
    examples: [
      { book_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d', student_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5e' },
    ],
  },
);
export type IssueBodyT = Static<typeof IssueBody>;

export const ReturnBody = Type.Object(
  {
    loan_id: Type.Optional(Uuid('The loan (give loan_id or barcode)')),
    barcode: Type.Optional(Barcode),
    return_date: Type.Optional(DateStr('Defaults to today (a past date for a late-recorded return)')),
  },
  { additionalProperties: false, examples: [{ barcode: 'ACC-000123' }] },
);
export type ReturnBodyT = Static<typeof ReturnBody>;

export const LostBody = Type.Object(
  {
    loan_id: Type.Optional(Uuid('The open loan (give loan_id or barcode)')),
    barcode: Type.Optional(Barcode),
    replacement_charge: Type.Optional(
      Type.String({
        pattern: AMOUNT_PATTERN,
        maxLength: 17,
        description:
          "What the borrower pays for the lost copy; a student's goes on the finance ledger as a charge",
        examples: ['45.00'],
      }),
    ),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Kept in the audit log' })),
  },
  {
    additionalProperties: false,
    examples: [{ barcode: 'ACC-000123', replacement_charge: '45.00', note: 'Reported lost by the student' }],
  },
);
export type LostBodyT = Static<typeof LostBody>;

export const RenewBody = Type.Object(
  {
    loan_id: Type.Optional(Uuid('The loan (give loan_id or barcode)')),
    barcode: Type.Optional(Barcode),
  },
  { additionalProperties: false, examples: [{ loan_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' }] },
);
export type RenewBodyT = Static<typeof RenewBody>;

export const ListLoansQuery = Type.Object(
  {
    ...PageQueryProps,
    status: Type.Optional(
      StringEnum(['active', 'returned', 'all'], { default: 'active', description: 'Open loans by default' }),
    ),
    patron_type: Type.Optional(PatronType),
    student_id: Type.Optional(Uuid('Loans of one student')),
    faculty_id: Type.Optional(Uuid('Loans of one faculty member')),
    staff_id: Type.Optional(Uuid('Loans of one staff member')),
    book_id: Type.Optional(Uuid('Loans of one book')),
    organization_id: Type.Optional(Uuid('Loans of one organization')),
    due_before: Type.Optional(DateStr('Only loans due before this day')),
  },
  { additionalProperties: false },
);
export type ListLoansQueryT = Static<typeof ListLoansQuery>;

export const OverdueQuery = Type.Object(
  {
    ...PageQueryProps,
    patron_type: Type.Optional(PatronType),
    student_id: Type.Optional(Uuid('Overdue loans of one student')),
    organization_id: Type.Optional(Uuid('Overdue loans of one organization')),
    min_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'At least this many days overdue' }),
    ),
  },
  { additionalProperties: false },
);
export type OverdueQueryT = Static<typeof OverdueQuery>;
