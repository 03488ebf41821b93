import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { NullableNum } from '../academics/index.js';

const opt = Type.Optional;
const strict = { additionalProperties: false } as const;
export const BULK_LIMIT = 500;

export const EnrollmentStatus = StringEnum(['enrolled', 'dropped', 'completed'], {
  description: 'enrolled (active) · dropped (kept as history) · completed',
});
export const Enrollment = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    student_id: Uuid(),
    class_id: Uuid(),
    status: EnrollmentStatus,
    enrolled_at: Timestamp(),
    dropped_at: Nullable(Timestamp('When it was dropped')),
    completed_at: Nullable(Timestamp()),
    drop_reason: Nullable(Type.String({ examples: ['schedule conflict'] })),
    final_grade: Nullable(Type.String({ examples: ['A-'] })),
    grade_points: Nullable(Type.String({ examples: ['3.70'] })),
    passed: Nullable(Type.Boolean({ description: 'Passed the course (prerequisite checks use this)' })),
    created_by: Nullable(Uuid('User who created it')),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { description: 'A student in a class' },
);
/** An enrollment as lists show it: the row and the names of its class and course (joined in SQL). */
export const EnrollmentListItem = Type.Object(
  {
    ...Enrollment.properties,
    class_name: Type.String({ description: 'The class', examples: ['Algebra I (A)'] }),
    class_section: Nullable(Type.String({ examples: ['A'] })),
    course_id: Nullable(Uuid('The course the class teaches, when it has one')),
    course_code: Nullable(Type.String({ examples: ['MATH101'] })),
    course_name: Nullable(Type.String({ examples: ['Algebra I'] })),
  },
  { description: 'A student in a class, with the class and course names' },
);
export const CreateEnrollment = Type.Object(
  { student_id: Uuid('Student to enroll (a student may only name themself)'), class_id: Uuid('Class') },
  strict,
);
export const SelfEnroll = Type.Object(
  { class_id: Uuid('Class to join (must allow self-enrollment)') },
  strict,
);
export const BulkEnroll = Type.Object(
  {
    enrollments: Type.Array(CreateEnrollment, {
      minItems: 1,
      maxItems: BULK_LIMIT,
      description: `Up to ${BULK_LIMIT} pairs; all succeed or none do`,
    }),
  },
  {
    ...strict,
    examples: [
      {
        enrollments: [
          {
            student_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
            class_id: '0193a4f2-7d00-7c3a-9d2b-5f1e2a3b4c5e',
          },
        ],
      },
    ],
  },
);
export const UpdateEnrollment = Type.Object(
  {
    status: opt(EnrollmentStatus),
    drop_reason: opt(Nullable(Type.String({ maxLength: 500, examples: ['schedule conflict'] }))),
    final_grade: opt(Nullable(Type.String({ maxLength: 10, examples: ['B+'] }))),
    grade_points: opt(NullableNum('number', { minimum: 0, maximum: 99, examples: [3.7] })),
    passed: opt(Nullable(Type.Boolean())),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const DropQuery = Type.Object(
  {
    reason: opt(Type.String({ minLength: 1, maxLength: 500, description: 'Why the enrollment is dropped' })),
  },
  strict,
);
export const ListEnrollmentsQuery = Type.Object(
  { ...PageQueryProps, student_id: opt(Uuid()), class_id: opt(Uuid()), status: opt(EnrollmentStatus) },
  strict,
);
export const StudentEnrollmentsQuery = Type.Object(
  { ...PageQueryProps, class_id: opt(Uuid()), status: opt(EnrollmentStatus) },
  strict,
);

// Roster
export const RosterEntry = Type.Object({
  enrollment_id: Uuid(),
  student_id: Uuid(),
  student_number: Type.String({ examples: ['S-2026-0001'] }),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Nullable(Type.String({ description: 'Null for a student without an email' })),
  status: EnrollmentStatus,
  enrolled_at: Timestamp(),
  dropped_at: Nullable(Timestamp()),
});
export const RosterQuery = Type.Object({ ...PageQueryProps, status: opt(EnrollmentStatus) }, strict);
const RosterKey = (what: string, example: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 50, examples: [example] }), {
    maxItems: 1000,
    uniqueItems: true,
    description: `Or: the students by ${what} in the class's organization`,
  });
export const RosterBody = Type.Object(
  {
    student_ids: opt(
      Type.Array(Uuid(), {
        maxItems: 1000,
        uniqueItems: true,
        description: 'The complete roster (PUT) or the students to add (POST); give one of the three lists',
      }),
    ),
    student_numbers: opt(RosterKey('student number', 'U2026-0042')),
    roll_numbers: opt(RosterKey('roll number', '17')),
  },
  {
    ...strict,
    description:
      'Exactly one of student_ids, student_numbers or roll_numbers. Numbers are looked up among the ' +
      "students of the class's own organization; an unknown or ambiguous number is 422 naming it.",
    examples: [{ student_numbers: ['U2026-0042', 'U2026-0043'] }],
  },
);
export const RosterResult = Type.Object({
  class_id: Uuid(),
  student_ids: Type.Array(Uuid()),
  added: Type.Array(Enrollment),
  dropped: Type.Array(Enrollment),
});
export const RosterStudentParams = Type.Object({ id: Uuid(), student_id: Uuid() }, strict);

// Program enrollments
export const ProgramEnrollmentStatus = StringEnum(['active', 'completed', 'withdrawn', 'suspended']);
const Score = Type.String({
  pattern: '^[0-9]{1,4}(\\.[0-9]{1,2})?$',
  description: 'Entry score (decimal)',
  examples: ['72.50'],
});
export const ProgramEnrollment = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    student_id: Uuid(),
    program_id: Uuid(),
    status: ProgramEnrollmentStatus,
    admission_date: DateStr(),
    batch_year: Nullable(Type.Integer({ examples: [2026] })),
    entry_score: Nullable(Score),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'ProgramEnrollment' },
);
export const Admit = Type.Object(
  {
    student_id: Uuid(),
    program_id: Uuid(),
    admission_date: opt(DateStr('Defaults to today')),
    batch_year: opt(Type.Integer({ minimum: 1900, maximum: 2200, examples: [2026] })),
    entry_score: opt(Score),
  },
  strict,
);
export const UpdateProgramEnrollment = Type.Object(
  {
    status: opt({ ...ProgramEnrollmentStatus, examples: ['withdrawn'] }),
    batch_year: opt(Nullable(Type.Integer({ minimum: 1900, maximum: 2200 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const ListProgramEnrollmentsQuery = Type.Object(
  {
    ...PageQueryProps,
    student_id: opt(Uuid()),
    program_id: opt(Uuid()),
    status: opt(ProgramEnrollmentStatus),
  },
  strict,
);
export const EligibilityQuery = Type.Object(
  { student_id: Uuid(), program_id: Uuid(), entry_score: opt(Score) },
  strict,
);
export const Eligibility = Type.Object({
  eligible: Type.Boolean(),
  student_id: Uuid(),
  program_id: Uuid(),
  checks: Type.Array(
    Type.Object({
      check: Type.String({ examples: ['not_already_admitted'] }),
      passed: Type.Boolean(),
      message: Type.String(),
    }),
  ),
});

export const NotifyClass = Type.Object(
  {
    title: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Title',
      examples: ['Field trip on Friday'],
    }),
    body: Type.String({
      minLength: 1,
      maxLength: 5000,
      description: 'Message',
      examples: ['Bring a packed lunch and walking shoes.'],
    }),
    include_guardians: Type.Optional(
      Type.Boolean({
        description: "Also the students' linked guardians who receive notifications (default true)",
      }),
    ),
  },
  strict,
);
export type NotifyClassT = Static<typeof NotifyClass>;
export const ClassNotification = Type.Object({
  id: Uuid('The notification'),
  class_id: Uuid(),
  title: Type.String(),
  body: Type.String(),
  include_guardians: Type.Boolean(),
  recipient_count: Type.Integer({ description: 'Students and guardians it reached' }),
});
export type ClassNotificationT = Static<typeof ClassNotification>;
