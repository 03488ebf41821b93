import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const ASSESSMENT_TYPES = [
  'quiz',
  'assignment',
  'midterm',
  'final',
  'exam',
  'project',
  'practical',
] as const;
export const MARK_STATES = ['scored', 'missing', 'excused', 'absent'] as const;

const Weight = (description: string) =>
  Type.Number({ minimum: 0, maximum: 1000, description, examples: [30] });

export const Category = Type.Object({
  id: Uuid(),
  organization_id: Uuid('Organization of the class'),
  class_id: Uuid('Class whose gradebook this category belongs to'),
  name: Type.String({ description: 'Category name', examples: ['Homework'] }),
  weight: Type.Number({ description: 'Relative weight of the category in the course percentage' }),
  created_at: Timestamp(),
  updated_at: Timestamp(),
});
export type CategoryT = Static<typeof Category>;

export const CreateCategory = Type.Object(
  {
    class_id: Uuid('Class (you must teach it, or manage its organization)'),
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Category name', examples: ['Quizzes'] }),
    weight: Weight('Relative weight (e.g. 30 for 30 %); weights are renormalized over graded categories'),
  },
  { additionalProperties: false },
);
export const UpdateCategory = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Category name' })),
    weight: Type.Optional(Weight('Relative weight')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const ListCategoriesQuery = Type.Object(
  { class_id: Uuid('Class whose categories to list') },
  { additionalProperties: false },
);

export const Assessment = Type.Object({
  id: Uuid(),
  organization_id: Uuid(),
  class_id: Uuid(),
  category_id: Nullable(Uuid('Gradebook category')),
  academic_session_id: Nullable(Uuid('Term or marking period')),
  name: Type.String({ description: 'Title shown in the gradebook' }),
  assessment_type: StringEnum(ASSESSMENT_TYPES, { description: 'Kind of assessment' }),
  max_marks: Type.Number({ description: 'Highest possible marks' }),
  weight: Nullable(
    Type.Number({ description: 'Weight among uncategorized assessments (see docs/grades.md)' }),
  ),
  date: Nullable(DateStr('Date of the assessment')),
  description: Nullable(Type.String()),
  created_by: Nullable(Uuid('User who created it')),
  created_at: Timestamp(),
  updated_at: Timestamp(),
});
export type AssessmentT = Static<typeof Assessment>;

const assessmentFields = {
  category_id: Type.Optional(Nullable(Uuid('Gradebook category of the same class'))),
  academic_session_id: Type.Optional(Nullable(Uuid('Term / marking period (defaults to the class term)'))),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Title', examples: ['Unit test 1'] }),
  assessment_type: StringEnum(ASSESSMENT_TYPES, { description: 'Kind of assessment', examples: ['exam'] }),
  max_marks: Type.Number({
    exclusiveMinimum: 0,
    maximum: 100000,
    description: 'Highest possible marks',
    examples: [100],
  }),
  weight: Type.Optional(Nullable(Weight('Weight among uncategorized assessments'))),
  date: Type.Optional(Nullable(DateStr('Date of the assessment'))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Notes' }))),
};
export const CreateAssessment = Type.Object(
  { class_id: Uuid('Class being assessed (you must teach it)'), ...assessmentFields },
  { additionalProperties: false },
);
export type CreateAssessmentT = Static<typeof CreateAssessment>;
export const UpdateAssessment = Type.Partial(Type.Object(assessmentFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateAssessmentT = Static<typeof UpdateAssessment>;
export const ListAssessmentsQuery = Type.Object(
  {
    ...PageQueryProps,
    class_id: Type.Optional(Uuid('Filter by class')),
    course_offering_id: Type.Optional(Uuid('Seed 004 alias of class_id')),
    assessment_type: Type.Optional(StringEnum(ASSESSMENT_TYPES, { description: 'Filter by type' })),
    academic_session_id: Type.Optional(Uuid('Filter by term / marking period')),
    category_id: Type.Optional(Uuid('Filter by category')),
  },
  { additionalProperties: false },
);
export type ListAssessmentsQueryT = Static<typeof ListAssessmentsQuery>;

export const MarkInput = Type.Object(
  {
    student_id: Uuid('An enrolled student of the class'),
    marks: Type.Optional(
      Nullable(
        Type.Number({ minimum: 0, description: 'Marks obtained (required when scored)', examples: [78.5] }),
      ),
    ),
    state: Type.Optional(
      StringEnum(MARK_STATES, {
        description: 'scored (default) | missing (counts 0) | excused (drops out) | absent (counts 0)',
      }),
    ),
    comment: Type.Optional(
      Nullable(Type.String({ maxLength: 1000, description: 'Comment for the student' })),
    ),
  },
  { additionalProperties: false },
);
export type MarkInputT = Static<typeof MarkInput>;
export const BulkMarks = Type.Object(
  { marks: Type.Array(MarkInput, { minItems: 1, maxItems: 2000, description: 'One entry per student' }) },
  { additionalProperties: false },
);
export const ExamMarks = Type.Object(
  {
    exam_id: Type.Optional(Uuid('The exam-type assessment (alias of assessment_id)')),
    assessment_id: Type.Optional(Uuid('The assessment')),
    marks: Type.Array(MarkInput, { minItems: 1, maxItems: 2000, description: 'One entry per student' }),
  },
  { additionalProperties: false },
);
export const OneMark = Type.Object(
  {
    marks: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'Marks obtained' }))),
    state: Type.Optional(StringEnum(MARK_STATES, { description: 'Mark state' })),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Comment' }))),
    expected_version: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Refuse (409) if the mark changed since this version; 0 = must not exist yet',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OneMarkT = Static<typeof OneMark>;
export const StudentMark = Type.Object(
  {
    student_id: Uuid('Student'),
    assessment_id: Type.Optional(Uuid('Assessment')),
    exam_id: Type.Optional(Uuid('Alias of assessment_id (seed 002)')),
    marks: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'Marks obtained' }))),
    state: Type.Optional(StringEnum(MARK_STATES, { description: 'Mark state' })),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Comment' }))),
  },
  { additionalProperties: false },
);

export const Mark = Type.Object({
  id: Uuid(),
  assessment_id: Uuid(),
  student_id: Uuid(),
  student_number: Type.String(),
  student_name: Type.String(),
  marks: Nullable(Type.Number()),
  state: StringEnum(MARK_STATES),
  percent: Nullable(Type.Number({ description: 'marks / max_marks × 100 (scored only)' })),
  comment: Nullable(Type.String()),
  graded_by: Nullable(Uuid()),
  version: Type.Integer({ description: 'Grows with every change; send as expected_version to edit safely' }),
  updated_at: Timestamp(),
});
export type MarkT = Static<typeof Mark>;

export const MarksResult = Type.Object({
  assessment_id: Uuid(),
  received: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});
export type MarksResultT = Static<typeof MarksResult>;

export const GradebookRow = Type.Object({
  student_id: Uuid(),
  student_number: Type.String(),
  student_name: Type.String(),
  percent: Nullable(Type.Number({ description: 'Running course percentage (scale rounding applied)' })),
  letter: Nullable(Type.String()),
  grade_points: Nullable(Type.Number()),
  counted: Type.Integer({ description: 'Marks counted' }),
  excused: Type.Integer({ description: 'Excused marks (left out)' }),
  rank: Nullable(Type.Integer({ description: 'Rank in class (ties share a rank)' })),
});
export const Gradebook = Type.Object({
  class_id: Uuid(),
  grading_scale_id: Uuid(),
  categories: Type.Array(Category),
  assessments: Type.Array(Assessment),
  students: Type.Array(GradebookRow),
});
export type GradebookT = Static<typeof Gradebook>;

/** What the bulk marks endpoints promise (route descriptions). */
export const BULK_MARKS_DESCRIPTION =
  'All or nothing, in ONE SQL statement whatever the class size: every student must be enrolled in the class, marks ≤ max_marks, no student twice. Unchanged marks are not rewritten.';
