import { type Static, Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Currency, Money, PatronType } from './library.schemas.js';

const Amount = (description: string) =>
  Type.String({ pattern: AMOUNT_PATTERN, maxLength: 17, description, examples: ['10.00'] });

export const LibraryRule = Type.Object(
  {
    organization_id: Uuid('Organization the rule applies to (and its sub-organizations without their own)'),
    source_organization_id: Nullable(Uuid('Organization whose row defines it; null = built-in defaults')),
    patron_type: PatronType,
    loan_days: Type.Integer({ description: 'Days a loan lasts (issue date + loan days = due date)' }),
    max_loans: Type.Integer({ description: 'Open loans a patron may hold at once' }),
    max_renewals: Type.Integer({ description: 'Renewals allowed per loan' }),
    fine_per_day: Money('Fine per day late beyond the grace days'),
    grace_days: Type.Integer({ description: 'Days late that are not fined' }),
    max_fine: Nullable(Money("Cap of one loan's fine; null = no cap")),
    hold_pickup_days: Type.Integer({ description: 'Days a ready hold waits for pickup' }),
    currency: Currency,
    updated_at: Nullable(Timestamp()),
  },
  { $id: 'LibraryRule' },
);
export type LibraryRuleT = Static<typeof LibraryRule>;

export const RulesQuery = Type.Object(
  { organization_id: Uuid('Organization whose effective rules to show') },
  { additionalProperties: false },
);

export const PutRule = Type.Object(
  {
    organization_id: Uuid('Organization (in your scope)'),
    patron_type: PatronType,
    loan_days: Type.Integer({ minimum: 1, maximum: 365, description: 'Loan period in days', examples: [14] }),
    max_loans: Type.Integer({ minimum: 0, maximum: 100, description: 'Open loans at once', examples: [5] }),
    max_renewals: Type.Integer({ minimum: 0, maximum: 20, description: 'Renewals per loan', examples: [2] }),
    fine_per_day: Amount('Fine per day late beyond the grace days'),
    grace_days: Type.Integer({ minimum: 0, maximum: 60, description: 'Days late not fined', examples: [2] }),
    max_fine: Type.Optional(Nullable(Amount("Cap of one loan's fine; null or absent = no cap"))),
    hold_pickup_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 60, default: 7, description: 'Days a ready hold is kept' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        patron_type: 'student',
        loan_days: 14,
        max_loans: 5,
        max_renewals: 2,
        fine_per_day: '10.00',
        grace_days: 2,
        max_fine: '200.00',
      },
    ],
  },
);
export type PutRuleT = Static<typeof PutRule>;
