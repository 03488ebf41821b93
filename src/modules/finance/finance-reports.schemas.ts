import { type Static, type TSchema, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, PageMeta, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { FeeSummary, Money } from './finance.schemas.js';

export const StudentBalance = Type.Object(
  {
    student_id: Uuid(),
    student_number: Type.String(),
    student_name: Type.String(),
    organization_id: Uuid(),
    ...FeeSummary.properties,
    days_overdue: Type.Integer({
      description: 'Days since the oldest overdue due date (0 when nothing is overdue)',
    }),
    last_contacted_at: Nullable(Timestamp('Last contact action by the finance desk')),
  },
  { $id: 'StudentBalance' },
);

export const StatusRow = Type.Object({
  ...StudentBalance.properties,
  status: StringEnum(['paid', 'unpaid'], { description: 'paid = paid in full (nothing owed)' }),
  result: StringEnum(['pass', 'fail'], { description: "Seed 000's Pass/Fail: pass when paid in full" }),
});

export type StudentBalanceT = Static<typeof StudentBalance>;
export type StatusRowT = Static<typeof StatusRow>;

const Totals = Type.Object({
  currency: Type.String(),
  students: Type.Integer(),
  paid_in_full: Type.Integer(),
  total_charged: Money(),
  total_paid: Money(),
  total_refunded: Money(),
  total_credited: Money(),
  balance: Money(),
  overdue_amount: Money(),
});

export const ReportPageOf = <Row extends TSchema>(row: Row) =>
  Type.Object({
    data: Type.Array(row),
    meta: Type.Object({
      ...PageMeta.properties,
      totals: Type.Array(Totals, {
        description: 'Per currency, over every matching student (not just this page)',
      }),
    }),
  });

const common = {
  ...PageQueryProps,
  organization_id: Type.Optional(Uuid('Only this organization and its subtree')),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name, number or email' })),
  program_id: Type.Optional(Uuid()),
  class_id: Type.Optional(Uuid('Students enrolled (now or before) in this class')),
};
export const DuesQuery = Type.Object(common, { additionalProperties: false });
export const StatusQuery = Type.Object(
  { ...common, status: Type.Optional(StringEnum(['paid', 'unpaid'])) },
  { additionalProperties: false },
);
/** `format` of a finance-desk list that can also be downloaded. */
const fileFormat = {
  format: Type.Optional(
    StringEnum(['json', 'csv', 'xlsx'], {
      default: 'json',
      description:
        'json (default: one page, with totals), or csv / xlsx: every matching row (no paging), streamed as a file',
      examples: ['csv'],
    }),
  ),
};

export const PendingQuery = Type.Object(
  {
    ...fileFormat,
    ...common,
    fee_structure_id: Type.Optional(Uuid('Students charged by this fee structure')),
    payment_status: Type.Optional(
      StringEnum(['unpaid', 'partial'], { description: 'unpaid = nothing paid yet' }),
    ),
  },
  { additionalProperties: false },
);
export const DefaultersQuery = Type.Object(
  {
    ...fileFormat,
    ...common,
    fee_structure_id: Type.Optional(Uuid()),
    min_days_overdue: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const ContactBody = Type.Object(
  {
    channel: Type.Optional(
      StringEnum(['notification', 'email', 'phone', 'sms', 'in_person', 'letter', 'other']),
    ),
    note: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'Internal note for the log' }),
    ),
    message: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'Text sent to the student' }),
    ),
  },
  { additionalProperties: false },
);
export const ContactResult = Type.Object({
  student_id: Uuid(),
  action: Type.Literal('contact'),
  channel: Type.String(),
  note: Nullable(Type.String()),
  contacted_by: Uuid(),
  contacted_at: Timestamp(),
  notification_id: Nullable(Uuid()),
  summary: FeeSummary,
});
