import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateRangeProps, DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const ATTEMPT_TYPES = ['regular', 'repeat', 'improvement', 'supplementary'] as const;

export const Grade = Type.Object({
  id: Uuid(),
  organization_id: Uuid(),
  student_id: Uuid(),
  class_id: Uuid(),
  enrollment_id: Nullable(Uuid()),
  course_id: Nullable(Uuid()),
  academic_session_id: Nullable(Uuid('Term / semester')),
  assessment_id: Nullable(Uuid('The assessment this grade comes from (e.g. a supplementary exam)')),
  grading_scale_id: Nullable(Uuid()),
  semester_no: Nullable(Type.Integer({ description: "The student's semester number when graded" })),
  attempt_type: StringEnum(ATTEMPT_TYPES, { description: 'regular | repeat | improvement | supplementary' }),
  percent: Nullable(Type.Number({ description: 'Course percentage (scale rounding applied)' })),
  letter: Type.String({ description: 'Letter grade' }),
  grade_points: Type.Number({ description: 'Grade points of the letter' }),
  is_passing: Type.Boolean(),
  credits_attempted: Type.Number(),
  credits_earned: Type.Number(),
  remarks: Nullable(Type.String()),
  status: StringEnum(['draft', 'posted'] as const, {
    description: 'draft (teacher only) | posted (frozen, visible to student and parents)',
  }),
  graded_by: Nullable(Uuid()),
  posted_by: Nullable(Uuid()),
  posted_at: Nullable(Timestamp()),
  version: Type.Integer(),
  created_at: Timestamp(),
  updated_at: Timestamp(),
});
export type GradeT = Static<typeof Grade>;
/** A grade as lists show it: the row and the names of its class, course and term (joined in SQL). */
export const GradeListItem = Type.Object(
  {
    ...Grade.properties,
    class_name: Type.String({ description: 'The class', examples: ['Algebra I (A)'] }),
    course_code: Nullable(Type.String({ examples: ['MATH101'] })),
    course_name: Nullable(Type.String({ examples: ['Algebra I'] })),
    academic_session_name: Nullable(
      Type.String({ description: 'The term or semester', examples: ['Term 1'] }),
    ),
  },
  { description: 'A grade with the names of its class, course and term' },
);
export type GradeListItemT = Static<typeof GradeListItem>;

const valueFields = {
  percent: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Course percentage; letter and points come from the scale',
    }),
  ),
  letter: Type.Optional(
    Type.String({ minLength: 1, maxLength: 10, description: 'A letter of the scale (instead of percent)' }),
  ),
  remarks: Type.Optional(Nullable(Type.String({ maxLength: 1000, description: 'Remarks' }))),
};
export const GradeInput = Type.Object(
  {
    enrollment_id: Type.Optional(Uuid('The enrollment graded (or student_id + class_id)')),
    student_id: Type.Optional(Uuid('Student')),
    class_id: Type.Optional(Uuid('Class')),
    assessment_id: Type.Optional(Uuid('The assessment the grade comes from (optional)')),
    attempt_type: Type.Optional(StringEnum(ATTEMPT_TYPES, { description: 'Default regular' })),
    semester_no: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20, description: "Defaults to the student's current semester" }),
    ),
    ...valueFields,
  },
  { additionalProperties: false },
);
export type GradeInputT = Static<typeof GradeInput>;
export const BulkGrades = Type.Object(
  {
    grades: Type.Array(GradeInput, {
      minItems: 1,
      maxItems: 1000,
      description: 'Draft grades to create or replace',
    }),
  },
  { additionalProperties: false },
);
export const UpdateGrade = Type.Object(
  {
    ...valueFields,
    reason: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 1000,
        description: 'Required once the grade is posted (422 without)',
      }),
    ),
    expected_version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Refuse (409) if the grade changed since this version' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateGradeT = Static<typeof UpdateGrade>;
export const ListGradesQuery = Type.Object(
  {
    ...PageQueryProps,
    enrollment_id: Type.Optional(Uuid('Filter by enrollment')),
    course_id: Type.Optional(Uuid('Filter by course')),
    assessment_id: Type.Optional(Uuid('Filter by assessment')),
    student_id: Type.Optional(Uuid('Filter by student')),
    class_id: Type.Optional(Uuid('Filter by class')),
    academic_session_id: Type.Optional(Uuid('Filter by term / semester')),
    status: Type.Optional(StringEnum(['draft', 'posted'] as const, { description: 'Filter by status' })),
  },
  { additionalProperties: false },
);
export type ListGradesQueryT = Static<typeof ListGradesQuery>;

export const Publish = Type.Object(
  {
    class_id: Type.Optional(Uuid('Publish one class')),
    academic_session_id: Type.Optional(Uuid('Publish every class of a term / semester in your scope')),
  },
  { additionalProperties: false, description: 'Exactly one of class_id, academic_session_id' },
);
export const PublishResult = Type.Object({
  classes: Type.Integer({ description: 'Classes published' }),
  computed: Type.Integer({ description: 'Grades computed from the gradebook for students without one' }),
  posted: Type.Integer({ description: 'Grades posted (frozen) now' }),
  without_marks: Type.Array(Uuid(), {
    description: 'Enrolled students with no counted mark and no grade: not posted',
  }),
  semester_results: Type.Integer({ description: 'Semester results (SGPA) stored' }),
  posted_at: Timestamp(),
});

export const GradeChange = Type.Object({
  id: Uuid(),
  grade_id: Uuid(),
  student_id: Uuid(),
  organization_id: Uuid(),
  old_value: Type.Object(
    {},
    { additionalProperties: true, description: 'percent, letter, grade_points, is_passing, remarks before' },
  ),
  new_value: Type.Object({}, { additionalProperties: true, description: 'the same fields after' }),
  reason: Type.String(),
  changed_by: Nullable(Uuid()),
  changed_at: Timestamp(),
});
export const ListChangesQuery = Type.Object(
  {
    ...PageQueryProps,
    grade_id: Type.Optional(Uuid('Filter by grade')),
    student_id: Type.Optional(Uuid('Filter by student')),
    changed_by: Type.Optional(Uuid('Filter by the user who changed')),
    ...DateRangeProps('Changed on or after', 'Changed on or before'),
  },
  { additionalProperties: false },
);
export type ListChangesQueryT = Static<typeof ListChangesQuery>;

export const GpaCourse = Type.Object({
  grade_id: Nullable(Uuid()),
  transfer_grade_id: Nullable(Uuid()),
  course_id: Nullable(Uuid()),
  class_id: Nullable(Uuid()),
  title: Type.String(),
  academic_session_id: Nullable(Uuid()),
  attempt_type: Type.String(),
  letter: Type.String(),
  grade_points: Type.Number(),
  credits: Type.Number(),
  is_passing: Type.Boolean(),
  counted: Type.Boolean({ description: 'False: replaced by another attempt of the course (repeat policy)' }),
  in_gpa: Type.Boolean({
    description: 'False: credits only (transfer not in GPA, or failure left out by the scale)',
  }),
});
const GpaFields = {
  credits_attempted: Type.Number(),
  credits_earned: Type.Number(),
  gpa_credits: Type.Number({ description: 'Credits in the denominator' }),
  quality_points: Type.Number({ description: 'Σ credits × grade points' }),
  repeat_policy: StringEnum(['best', 'latest'] as const),
};
export const Sgpa = Type.Object({
  student_id: Uuid(),
  semester: Type.String({ description: 'The semester asked for (academic_session_id or semester number)' }),
  sgpa: Nullable(Type.Number()),
  ...GpaFields,
  courses: Type.Array(GpaCourse),
});
export const Cgpa = Type.Object({
  student_id: Uuid(),
  cgpa: Nullable(Type.Number()),
  ...GpaFields,
  transfer_credits: Type.Number({ description: 'Credits earned from transfer grades' }),
  semesters: Type.Array(
    Type.Object({
      academic_session_id: Nullable(Uuid()),
      name: Nullable(Type.String()),
      sgpa: Nullable(Type.Number()),
      credits_attempted: Type.Number(),
      credits_earned: Type.Number(),
    }),
  ),
  courses: Type.Array(GpaCourse),
});
export const SgpaQuery = Type.Object(
  {
    student_id: Uuid('Student'),
    semester: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'An academic_session_id (UUID), or the semester number (1, 2, …) recorded on the grades',
    }),
  },
  { additionalProperties: false },
);
export const CgpaQuery = Type.Object({ student_id: Uuid('Student') }, { additionalProperties: false });

export const TransferGrade = Type.Object({
  id: Uuid(),
  organization_id: Uuid(),
  student_id: Uuid(),
  institution_name: Type.String(),
  course_code: Nullable(Type.String()),
  course_title: Type.String(),
  equivalent_course_id: Nullable(Uuid()),
  term_label: Nullable(Type.String()),
  credits: Type.Number(),
  letter: Type.String(),
  grade_points: Type.Number(),
  is_passing: Type.Boolean(),
  counts_in_gpa: Type.Boolean(),
  completed_on: Nullable(DateStr()),
  created_at: Timestamp(),
});
export const CreateTransferGrade = Type.Object(
  {
    student_id: Uuid('Student'),
    institution_name: Type.String({ minLength: 1, maxLength: 200, description: 'The prior school' }),
    course_code: Type.Optional(
      Nullable(Type.String({ maxLength: 50, description: 'Code at the prior school' })),
    ),
    course_title: Type.String({ minLength: 1, maxLength: 200, description: 'Title at the prior school' }),
    equivalent_course_id: Type.Optional(
      Nullable(Uuid('Local course it is equivalent to (repeat rules then apply)')),
    ),
    term_label: Type.Optional(Nullable(Type.String({ maxLength: 50, description: 'e.g. Fall 2024' }))),
    credits: Type.Number({ minimum: 0, maximum: 100, description: 'Credits granted' }),
    letter: Type.String({ minLength: 1, maxLength: 10, description: 'Letter as recorded' }),
    grade_points: Type.Number({
      minimum: 0,
      maximum: 10,
      description: 'Grade points on this organization’s scale',
    }),
    is_passing: Type.Optional(Type.Boolean({ description: 'Default true' })),
    counts_in_gpa: Type.Optional(
      Type.Boolean({ description: 'Default false: credits count, points do not' }),
    ),
    completed_on: Type.Optional(Nullable(DateStr('When it was completed'))),
  },
  { additionalProperties: false },
);
export type CreateTransferGradeT = Static<typeof CreateTransferGrade>;
export const ListTransferQuery = Type.Object(
  { ...PageQueryProps, student_id: Type.Optional(Uuid('Filter by student')) },
  { additionalProperties: false },
);
