import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Uuid } from '../../kernel/schemas.js';
import { GpaCourse } from './grades.schemas.js';

export const Performance = Type.Object({
  student_id: Uuid(),
  student_name: Type.String(),
  courses: Type.Array(
    Type.Object({
      class_id: Uuid(),
      class_name: Type.String(),
      course_id: Nullable(Uuid()),
      subject_id: Nullable(Uuid()),
      source: StringEnum(['gradebook', 'posted'] as const, {
        description:
          'gradebook: live marks (teachers, managers); posted: the published grade (students, parents)',
      }),
      percent: Nullable(Type.Number()),
      letter: Nullable(Type.String()),
      grade_points: Nullable(Type.Number()),
      rank: Nullable(
        Type.Integer({ description: 'Rank in the class by percentage; ties share a rank (1, 1, 3)' }),
      ),
      class_size: Type.Integer({ description: 'Students ranked' }),
      assessments: Type.Array(
        Type.Object({
          assessment_id: Uuid(),
          name: Type.String(),
          assessment_type: Type.String(),
          max_marks: Type.Number(),
          marks: Nullable(Type.Number()),
          state: Nullable(Type.String()),
        }),
        { description: 'Live marks (gradebook source only)' },
      ),
    }),
  ),
});
export type PerformanceT = Static<typeof Performance>;

export const ReportCardQuery = Type.Object(
  { academic_session_id: Uuid('The term of the report card') },
  { additionalProperties: false },
);
const StudentHead = Type.Object({
  id: Uuid(),
  name: Type.String(),
  student_number: Type.String(),
  program: Nullable(Type.String()),
});
export const ReportCard = Type.Object({
  institution: Type.String(),
  student: StudentHead,
  term: Type.Object({ id: Uuid(), name: Type.String() }),
  sgpa: Nullable(Type.Number()),
  credits_attempted: Type.Number(),
  credits_earned: Type.Number(),
  cgpa: Nullable(Type.Number()),
  courses: Type.Array(GpaCourse),
});
export const Transcript = Type.Object({
  institution: Type.String(),
  student: StudentHead,
  cgpa: Nullable(Type.Number()),
  credits_attempted: Type.Number(),
  credits_earned: Type.Number(),
  transfer_credits: Type.Number(),
  repeat_policy: Type.String(),
  terms: Type.Array(
    Type.Object({
      academic_session_id: Nullable(Uuid()),
      name: Nullable(Type.String()),
      sgpa: Nullable(Type.Number()),
      credits_attempted: Type.Number(),
      credits_earned: Type.Number(),
      courses: Type.Array(GpaCourse),
    }),
  ),
  transfer: Type.Array(GpaCourse),
});

export const HonorRollQuery = Type.Object(
  {
    ...PageQueryProps,
    academic_session_id: Uuid('Term'),
    min_gpa: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 10,
        description: "Threshold (default: the organization's honor_roll_min_gpa)",
      }),
    ),
  },
  { additionalProperties: false },
);
export const HonorRollEntry = Type.Object({
  rank: Type.Integer({ description: 'By SGPA; ties share a rank' }),
  student_id: Uuid(),
  student_number: Type.String(),
  student_name: Type.String(),
  sgpa: Type.Number(),
  credits_earned: Type.Number(),
});

export const StudentGradesQuery = Type.Object(
  {
    ...PageQueryProps,
    academic_session_id: Type.Optional(Uuid('Filter by term')),
    course_id: Type.Optional(Uuid('Filter by course')),
  },
  { additionalProperties: false },
);
