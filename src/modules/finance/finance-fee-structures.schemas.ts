import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { AmountIn, Money } from './finance.schemas.js';

const Component = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, examples: ['Tuition'] }), amount: AmountIn() },
  { additionalProperties: false },
);
const Installment = Type.Object(
  { due_date: DateStr('When this installment falls due'), amount: AmountIn() },
  { additionalProperties: false },
);

export const FeeStructure = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    name: Type.String(),
    program_id: Nullable(Uuid()),
    class_id: Nullable(Uuid()),
    course_id: Nullable(Uuid()),
    academic_year: Type.String({ examples: ['2026-2027'] }),
    semester: Nullable(Type.Integer()),
    components: Type.Array(Type.Object({ name: Type.String(), amount: Money() })),
    total: Money('Sum of the components'),
    currency: Type.String(),
    due_date: DateStr(),
    installments: Nullable(Type.Array(Type.Object({ due_date: DateStr(), amount: Money() }))),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'FeeStructure' },
);
export type FeeStructureT = Static<typeof FeeStructure>;

export const CreateFeeStructure = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, examples: ['BSc CS year 1 fees'] })),
    program_id: Type.Optional(Uuid('Charge students of this program (exactly one of program/class/course)')),
    class_id: Type.Optional(Uuid('Charge students enrolled in this class')),
    course_id: Type.Optional(Uuid('Charge students enrolled in any class of this course')),
    academic_year: Type.String({ minLength: 4, maxLength: 20, examples: ['2026-2027'] }),
    semester: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    components: Type.Array(Component, { minItems: 1, maxItems: 50 }),
    due_date: DateStr('When the fee (or its first installment) falls due'),
    installments: Type.Optional(
      Type.Array(Installment, { minItems: 1, maxItems: 24, description: 'Must add up to the total' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateFeeStructureT = Static<typeof CreateFeeStructure>;

export const UpdateFeeStructure = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    academic_year: Type.Optional(Type.String({ minLength: 4, maxLength: 20 })),
    semester: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 20 }))),
    components: Type.Optional(Type.Array(Component, { minItems: 1, maxItems: 50 })),
    due_date: Type.Optional(DateStr()),
    installments: Type.Optional(Nullable(Type.Array(Installment, { minItems: 1, maxItems: 24 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateFeeStructureT = Static<typeof UpdateFeeStructure>;

export const ListFeeStructuresQuery = Type.Object(
  {
    ...PageQueryProps,
    program_id: Type.Optional(Uuid()),
    class_id: Type.Optional(Uuid()),
    course_id: Type.Optional(Uuid()),
    academic_year: Type.Optional(Type.String({ maxLength: 20 })),
    semester: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false },
);

export const ApplyResult = Type.Object({
  fee_structure_id: Uuid(),
  students_targeted: Type.Integer({ description: 'Students the structure applies to' }),
  students_charged: Type.Integer({ description: 'Students charged by this call' }),
  entries_created: Type.Integer({ description: 'Ledger charges created (one per installment)' }),
  already_charged: Type.Integer({ description: 'Students charged by an earlier call (skipped)' }),
});
