import { type Static, type TSchema, Type } from 'typebox';
import { DateStr, Nullable, StringEnum } from '../../kernel/schemas.js';

/**
 * `T | null` as a JSON Schema type list. Not `anyOf [T, null]`: with type coercion on, Ajv would coerce a
 * null to the first branch's type (null → 0, null → "") and accept that.
 */
const OrNull = <T extends TSchema>(s: T) =>
  Type.Unsafe<Static<T> | null>({ ...s, type: [(s as unknown as { type: string }).type, 'null'] });

/** A GUID reference in a request: only `sourcedId` counts. */
const RefIn = (description: string) =>
  Type.Object(
    {
      sourcedId: Type.String({ minLength: 1, maxLength: 100, description: 'sourcedId of the record' }),
      href: Type.Optional(Type.String({ maxLength: 2000 })),
      type: Type.Optional(Type.String({ maxLength: 50 })),
    },
    { additionalProperties: false, description },
  );

/** Fields of the binding a provider receives but does not store. */
const ignored = {
  sourcedId: Type.Optional(Type.String({ maxLength: 100, description: 'Must equal the path id when given' })),
  status: Type.Optional(StringEnum(['active', 'tobedeleted'], { description: 'Ignored (always active)' })),
  dateLastModified: Type.Optional(Type.String({ maxLength: 40, description: 'Ignored (set by Registrar)' })),
  metadata: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true, description: 'Ignored' }))),
  learningObjectiveSet: Type.Optional(
    Nullable(Type.Array(Type.Unknown(), { maxItems: 100, description: 'Ignored' })),
  ),
  scoreScale: Type.Optional(Nullable(RefIn('Ignored: the course or organization scale applies'))),
};

export const LineItemIn = Type.Object(
  {
    ...ignored,
    title: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Title of the assessment',
      examples: ['Essay 1'],
    }),
    description: Type.Optional(OrNull(Type.String({ maxLength: 2000, description: 'Notes' }))),
    assignDate: Type.Optional(OrNull(DateStr('Date of the assessment'))),
    dueDate: Type.Optional(
      OrNull(DateStr('Due date (stored as the assessment date when assignDate is absent)')),
    ),
    class: RefIn('The class (must stay the same on update)'),
    school: Type.Optional(Nullable(RefIn('Ignored: the class decides the school'))),
    category: Type.Optional(Nullable(RefIn('A gradebook category of the class'))),
    gradingPeriod: Type.Optional(Nullable(RefIn('The term or grading period'))),
    resultValueMin: Type.Optional(
      Type.Number({ minimum: 0, maximum: 0, description: 'Must be 0 when given' }),
    ),
    resultValueMax: Type.Number({
      exclusiveMinimum: 0,
      maximum: 100000,
      description: 'Highest possible score',
      examples: [100],
    }),
  },
  { additionalProperties: false },
);
export type LineItemInT = Static<typeof LineItemIn>;

export const PutLineItemBody = Type.Object(
  { lineItem: LineItemIn },
  {
    additionalProperties: false,
    examples: [
      {
        lineItem: {
          title: 'Essay 1',
          assignDate: '2026-10-01',
          class: { sourcedId: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' },
          resultValueMax: 20,
        },
      },
    ],
  },
);

export const PostLineItemsBody = Type.Object(
  {
    lineItems: Type.Array(Type.Omit(LineItemIn, ['class']), {
      minItems: 1,
      maxItems: 100,
      description: 'Line items of the class in the path (give sourcedId to name them)',
    }),
  },
  { additionalProperties: false },
);

export const SCORE_STATUSES = [
  'exempt',
  'fully graded',
  'not submitted',
  'partially graded',
  'submitted',
] as const;

export const ResultIn = Type.Object(
  {
    ...ignored,
    lineItem: RefIn('The line item (assessment)'),
    student: RefIn("The student (enrolled in the line item's class)"),
    class: Type.Optional(Nullable(RefIn('Ignored: the line item decides the class'))),
    scoreStatus: StringEnum(SCORE_STATUSES, {
      description: 'exempt → excused; not submitted → missing; the others need a score (scored)',
    }),
    score: Type.Optional(
      OrNull(Type.Number({ minimum: 0, maximum: 100000, description: 'Score', examples: [17.5] })),
    ),
    textScore: Type.Optional(OrNull(Type.String({ maxLength: 50, description: 'Ignored' }))),
    scoreDate: Type.Optional(
      OrNull(Type.String({ maxLength: 40, description: 'Ignored (set by Registrar)' })),
    ),
    comment: Type.Optional(OrNull(Type.String({ maxLength: 1000, description: 'Comment for the student' }))),
  },
  { additionalProperties: false },
);
export type ResultInT = Static<typeof ResultIn>;

export const PutResultBody = Type.Object(
  { result: ResultIn },
  {
    additionalProperties: false,
    examples: [
      {
        result: {
          lineItem: { sourcedId: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' },
          student: { sourcedId: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5e' },
          scoreStatus: 'fully graded',
          score: 17.5,
        },
      },
    ],
  },
);

export const PostResultsBody = Type.Object(
  {
    results: Type.Array(Type.Omit(ResultIn, ['lineItem']), {
      minItems: 1,
      maxItems: 2000,
      description: 'Results of the line item in the path, one per student',
    }),
  },
  { additionalProperties: false },
);

export const SourcedIdPairs = Type.Object({
  sourcedIdPairs: Type.Array(
    Type.Object({
      suppliedSourcedId: Nullable(
        Type.String({ description: 'The sourcedId the consumer sent (null: none)' }),
      ),
      allocatedSourcedId: Type.String({ description: 'The sourcedId Registrar keeps' }),
    }),
  ),
});

export const LineItem = Type.Partial(
  Type.Object({
    sourcedId: Type.String(),
    status: Type.String(),
    dateLastModified: Type.String({ format: 'date-time' }),
    title: Nullable(Type.String()),
    description: Nullable(Type.String()),
    assignDate: Nullable(Type.String()),
    dueDate: Nullable(Type.String()),
    class: Type.Unknown({ description: 'GUID reference of the class' }),
    school: Type.Unknown({ description: 'GUID reference of the school' }),
    category: Type.Unknown({ description: 'GUID reference of the category (or null)' }),
    gradingPeriod: Type.Unknown({ description: 'GUID reference of the term (or null)' }),
    resultValueMin: Nullable(Type.Number()),
    resultValueMax: Nullable(Type.Number()),
  }),
  { $id: 'OneRosterLineItem', description: 'A line item: a Registrar assessment' },
);

export const Result = Type.Partial(
  Type.Object({
    sourcedId: Type.String(),
    status: Type.String(),
    dateLastModified: Type.String({ format: 'date-time' }),
    lineItem: Type.Unknown({ description: 'GUID reference of the line item' }),
    student: Type.Unknown({ description: 'GUID reference of the student' }),
    class: Type.Unknown({ description: 'GUID reference of the class' }),
    score: Nullable(Type.Number()),
    scoreStatus: Nullable(Type.String()),
    scoreDate: Nullable(Type.String()),
    comment: Nullable(Type.String()),
  }),
  { $id: 'OneRosterResult', description: 'A result: a Registrar mark' },
);

export const Category = Type.Partial(
  Type.Object({
    sourcedId: Type.String(),
    status: Type.String(),
    dateLastModified: Type.String({ format: 'date-time' }),
    title: Nullable(Type.String()),
    weight: Nullable(Type.Number()),
  }),
  { $id: 'OneRosterCategory', description: 'A category: a Registrar assessment category' },
);

export const ScoreScale = Type.Partial(
  Type.Object({
    sourcedId: Type.String(),
    status: Type.String(),
    dateLastModified: Type.String({ format: 'date-time' }),
    title: Nullable(Type.String()),
    type: Nullable(Type.String()),
    scoreScaleValue: Type.Array(
      Type.Object({ itemValueLHS: Type.String(), itemValueRHS: Type.String(), description: Type.String() }),
    ),
  }),
  {
    $id: 'OneRosterScoreScale',
    description: 'A score scale: a Registrar grading scale (letter from a percent)',
  },
);
