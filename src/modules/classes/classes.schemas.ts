import { Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { NullableNum } from '../academics/index.js';

const opt = Type.Optional;
const strict = { additionalProperties: false } as const;

export const Class = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    name: Type.String({ examples: ['CS101 — Section A'] }),
    course_id: Nullable(Uuid('Course this class offers')),
    subject_id: Nullable(Uuid('K-12 subject')),
    grade_level: Nullable(Type.String({ examples: ['9'] })),
    section: Nullable(Type.String({ examples: ['A'] })),
    academic_session_id: Nullable(Uuid('Term / semester')),
    capacity: Nullable(
      Type.Integer({ description: 'Maximum active enrollments; null = unlimited', examples: [30] }),
    ),
    room: Nullable(Type.String({ examples: ['B-204'] })),
    allow_self_enrollment: Type.Boolean({ description: 'Students may enroll themselves' }),
    is_active: Type.Boolean(),
    enrolled_count: Type.Integer({ description: 'Active enrollments now' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Class' },
);

const fields = {
  course_id: opt(Nullable(Uuid('Course offered (university offering)'))),
  subject_id: opt(Nullable(Uuid('Subject (K-12 class)'))),
  grade_level: opt(Nullable(Type.String({ minLength: 1, maxLength: 20, examples: ['9'] }))),
  section: opt(Nullable(Type.String({ minLength: 1, maxLength: 20, examples: ['A'] }))),
  academic_session_id: opt(Nullable(Uuid('Academic session (term, semester)'))),
  capacity: opt(
    NullableNum('integer', { minimum: 0, maximum: 100000, description: 'null = unlimited', examples: [30] }),
  ),
  room: opt(Nullable(Type.String({ minLength: 1, maxLength: 60, examples: ['B-204'] }))),
  allow_self_enrollment: opt(Type.Boolean()),
  is_active: opt(Type.Boolean()),
};
const Name = Type.String({ minLength: 1, maxLength: 200, examples: ['CS101 — Section A'] });

export const CreateClass = Type.Object(
  { organization_id: opt(Uuid('Owning organization; defaults to your only one')), name: Name, ...fields },
  strict,
);
export const UpdateClass = Type.Object(
  { name: opt(Name), ...fields },
  { additionalProperties: false, minProperties: 1 },
);
export const ListClassesQuery = Type.Object(
  {
    ...PageQueryProps,
    organization_id: opt(Uuid()),
    course_id: opt(Uuid()),
    subject_id: opt(Uuid()),
    academic_session_id: opt(Uuid()),
    grade_level: opt(Type.String({ maxLength: 20 })),
    is_active: opt(Type.Boolean()),
    search: opt(Type.String({ minLength: 1, maxLength: 100, description: 'Matches name, section or room' })),
  },
  strict,
);

export const TeachingAssignment = Type.Object(
  {
    id: Uuid(),
    faculty_id: Uuid(),
    class_id: Uuid(),
    subject_id: Nullable(Uuid()),
    role: Type.String({ examples: ['teacher'] }),
    created_at: Timestamp(),
  },
  { $id: 'TeachingAssignment' },
);
export const CreateTeachingAssignment = Type.Object(
  {
    faculty_id: Uuid('Faculty member who teaches'),
    class_id: Uuid('Class taught'),
    subject_id: opt(Nullable(Uuid('Subject taught within the class'))),
    role: opt(
      Type.String({ minLength: 1, maxLength: 40, default: 'teacher', examples: ['teacher', 'assistant'] }),
    ),
  },
  strict,
);
export const ListTeachingAssignmentsQuery = Type.Object(
  { ...PageQueryProps, faculty_id: opt(Uuid()), class_id: opt(Uuid()) },
  strict,
);
export const ClassTeacher = Type.Object({
  assignment_id: Uuid(),
  faculty_id: Uuid(),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
  designation: Nullable(Type.String()),
  subject_id: Nullable(Uuid()),
  role: Type.String({ examples: ['teacher'] }),
});
export const PageOnlyQuery = Type.Object({ ...PageQueryProps }, strict);

/** A course of the classes a faculty member teaches (GET /faculty/{id}/courses). */
export const FacultyCourse = Type.Object(
  {
    id: Uuid(),
    code: Type.String({ examples: ['CS101'] }),
    name: Type.String({ examples: ['Introduction to Computer Science'] }),
    credits: Type.Number({ description: 'Credit hours (a JSON number)', examples: [3] }),
    class_count: Type.Integer({ description: 'Classes of the course this faculty member teaches' }),
  },
  { $id: 'FacultyCourse' },
);
