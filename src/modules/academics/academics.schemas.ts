import { Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

const Code = (example: string) =>
  Type.String({
    minLength: 1,
    maxLength: 40,
    pattern: '^[A-Za-z0-9._-]+$',
    description: 'Human code, unique per organization',
    examples: [example],
  });
const Name = (example: string) => Type.String({ minLength: 1, maxLength: 200, examples: [example] });
const Description = Type.String({ maxLength: 2000, description: 'Free text' });
const OrgId = Uuid('Owning organization; defaults to your only organization');
const Search = Type.String({ minLength: 1, maxLength: 100, description: 'Matches name or code' });
const stamps = { created_at: Timestamp(), updated_at: Timestamp() };
const listProps = { ...PageQueryProps, organization_id: Type.Optional(Uuid('Only this organization')) };
const opt = Type.Optional;

/**
 * A nullable number as one JSON Schema `type: [t, "null"]` (not anyOf): with Ajv's type coercion an anyOf
 * would let an out-of-range 0 fall through to the null branch and be silently coerced to null.
 */
export const NullableNum = (kind: 'integer' | 'number', opts: Record<string, unknown> = {}) =>
  Type.Unsafe<number | null>({ type: [kind, 'null'], ...opts });
const strict = { additionalProperties: false } as const;
const patch = { additionalProperties: false, minProperties: 1 } as const;

// Departments
export const Department = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    code: Type.String({ examples: ['CS'] }),
    name: Type.String({ examples: ['Computer Science'] }),
    description: Nullable(Type.String()),
    head_faculty_id: Nullable(Uuid('Head of department (faculty)')),
    ...stamps,
  },
  { $id: 'Department' },
);
export const CreateDepartment = Type.Object(
  {
    organization_id: opt(OrgId),
    code: Code('CS'),
    name: Name('Computer Science'),
    description: opt(Description),
    head_faculty_id: opt(Nullable(Uuid('Faculty member heading the department'))),
  },
  strict,
);
export const UpdateDepartment = Type.Object(
  {
    code: opt(Code('CS')),
    name: opt(Name('Computer Science')),
    description: opt(Nullable(Description)),
    head_faculty_id: opt(Nullable(Uuid())),
  },
  patch,
);
export const ListDepartmentsQuery = Type.Object({ ...listProps, search: opt(Search) }, strict);

// Programs
export const Program = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    department_id: Nullable(Uuid()),
    code: Type.String({ examples: ['BSC-CS'] }),
    name: Type.String({ examples: ['BSc Computer Science'] }),
    degree_type: Nullable(Type.String({ examples: ['bachelor'] })),
    duration: Nullable(Type.Integer({ description: 'Length in semesters', examples: [8] })),
    total_credits: Nullable(Type.Integer({ examples: [120] })),
    min_entry_score: Nullable(
      Type.String({ description: 'Minimum entry score (decimal)', examples: ['60.00'] }),
    ),
    is_active: Type.Boolean(),
    description: Nullable(Type.String()),
    ...stamps,
  },
  { $id: 'Program' },
);
const programFields = {
  department_id: opt(Nullable(Uuid('Department offering the program'))),
  degree_type: opt(Nullable(Type.String({ minLength: 1, maxLength: 40, examples: ['bachelor'] }))),
  duration: opt(NullableNum('integer', { minimum: 1, maximum: 40, description: 'Semesters', examples: [8] })),
  total_credits: opt(NullableNum('integer', { minimum: 0, maximum: 1000, examples: [120] })),
  min_entry_score: opt(
    Nullable(Type.String({ pattern: '^[0-9]{1,4}(\\.[0-9]{1,2})?$', examples: ['60.00'] })),
  ),
  is_active: opt(Type.Boolean()),
  description: opt(Nullable(Description)),
};
export const CreateProgram = Type.Object(
  { organization_id: opt(OrgId), code: Code('BSC-CS'), name: Name('BSc Computer Science'), ...programFields },
  strict,
);
export const UpdateProgram = Type.Object(
  { code: opt(Code('BSC-CS')), name: opt(Name('BSc Computer Science')), ...programFields },
  patch,
);
export const ListProgramsQuery = Type.Object(
  {
    ...listProps,
    department_id: opt(Uuid()),
    degree_type: opt(Type.String({ maxLength: 40 })),
    is_active: opt(Type.Boolean()),
    search: opt(Search),
  },
  strict,
);

// Courses
export const Course = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    department_id: Nullable(Uuid()),
    code: Type.String({ examples: ['CS101'] }),
    name: Type.String({ examples: ['Introduction to Programming'] }),
    description: Nullable(Type.String()),
    credits: Type.Number({ description: 'Credit hours (a JSON number, e.g. 3 or 1.5)', examples: [3] }),
    fee: Type.String({ description: 'Course fee as a decimal string', examples: ['1250.00'] }),
    currency: Type.String({
      description: 'ISO 4217 (the organization currency when not set)',
      examples: ['USD'],
    }),
    course_type: Nullable(Type.String({ examples: ['core'] })),
    level: Nullable(Type.String({ examples: ['undergraduate'] })),
    is_active: Type.Boolean(),
    ...stamps,
  },
  { $id: 'Course' },
);
const courseFields = {
  department_id: opt(Nullable(Uuid())),
  description: opt(Nullable(Description)),
  credits: opt(Type.Number({ minimum: 0, maximum: 99, multipleOf: 0.5, examples: [3] })),
  fee: opt(Type.String({ pattern: AMOUNT_PATTERN, description: 'Decimal string', examples: ['1250.00'] })),
  currency: opt(Nullable(Type.String({ pattern: '^[A-Z]{3}$', examples: ['USD'] }))),
  course_type: opt(Nullable(Type.String({ minLength: 1, maxLength: 40, examples: ['core'] }))),
  level: opt(Nullable(Type.String({ minLength: 1, maxLength: 40, examples: ['undergraduate'] }))),
  is_active: opt(Type.Boolean()),
};
export const CreateCourse = Type.Object(
  {
    organization_id: opt(OrgId),
    code: Code('CS101'),
    name: Name('Introduction to Programming'),
    ...courseFields,
  },
  strict,
);
export const UpdateCourse = Type.Object(
  { code: opt(Code('CS101')), name: opt(Name('Introduction to Programming')), ...courseFields },
  patch,
);
export const ListCoursesQuery = Type.Object(
  {
    ...listProps,
    department_id: opt(Uuid()),
    course_type: opt(Type.String({ maxLength: 40 })),
    level: opt(Type.String({ maxLength: 40 })),
    is_active: opt(Type.Boolean()),
    search: opt(Search),
  },
  strict,
);
export const PrerequisiteBody = Type.Object(
  { prerequisite_course_id: Uuid('The course that must be passed first') },
  strict,
);
export const PrerequisiteParams = Type.Object({ id: Uuid(), prerequisite_course_id: Uuid() }, strict);

// Subjects
export const Subject = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    code: Type.String({ examples: ['MATH'] }),
    name: Type.String({ examples: ['Mathematics'] }),
    description: Nullable(Type.String()),
    ...stamps,
  },
  { $id: 'Subject' },
);
export const CreateSubject = Type.Object(
  {
    organization_id: opt(OrgId),
    code: Code('MATH'),
    name: Name('Mathematics'),
    description: opt(Description),
  },
  strict,
);
export const UpdateSubject = Type.Object(
  { code: opt(Code('MATH')), name: opt(Name('Mathematics')), description: opt(Nullable(Description)) },
  patch,
);
export const ListSubjectsQuery = Type.Object({ ...listProps, search: opt(Search) }, strict);

// Academic sessions
export const SessionType = StringEnum(['school_year', 'term', 'semester', 'grading_period'], {
  description: 'school_year ▸ term | semester ▸ grading_period',
});
export const AcademicSession = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    parent_id: Nullable(Uuid('Enclosing session')),
    type: SessionType,
    name: Type.String({ examples: ['Fall 2026'] }),
    start_date: DateStr(),
    end_date: DateStr(),
    is_current: Type.Boolean(),
    ...stamps,
  },
  { $id: 'AcademicSession' },
);
export const CreateAcademicSession = Type.Object(
  {
    organization_id: opt(OrgId),
    parent_id: opt(Nullable(Uuid('Enclosing session; its dates must contain this one'))),
    type: SessionType,
    name: Name('Fall 2026'),
    start_date: DateStr('First day'),
    end_date: DateStr('Last day (on or after start_date)'),
    is_current: opt(Type.Boolean()),
  },
  strict,
);
export const UpdateAcademicSession = Type.Object(
  {
    parent_id: opt(Nullable(Uuid())),
    type: opt(SessionType),
    name: opt(Name('Fall 2026')),
    start_date: opt(DateStr()),
    end_date: opt(DateStr()),
    is_current: opt(Type.Boolean()),
  },
  patch,
);
export const ListAcademicSessionsQuery = Type.Object(
  {
    ...listProps,
    type: opt(SessionType),
    parent_id: opt(Uuid()),
    is_current: opt(Type.Boolean()),
    on_date: opt(DateStr('Sessions that include this date')),
    search: opt(Type.String({ minLength: 1, maxLength: 100 })),
  },
  strict,
);

// Sub-resources
export const ProgramCourse = Type.Object({
  program_id: Uuid(),
  course_id: Uuid(),
  semester: Nullable(Type.Integer({ examples: [1] })),
  is_required: Type.Boolean(),
  course: Course,
});
export const AttachProgramCourse = Type.Object(
  {
    course_id: Uuid('Course to add to the program'),
    semester: opt(NullableNum('integer', { minimum: 1, maximum: 40, examples: [1] })),
    is_required: opt(Type.Boolean({ default: true })),
  },
  strict,
);
export const ProgramCourseParams = Type.Object({ id: Uuid(), course_id: Uuid() }, strict);
export const SubPageQuery = Type.Object({ ...PageQueryProps }, strict);
export const DepartmentFaculty = Type.Object({
  id: Uuid(),
  organization_id: Uuid(),
  employee_id: Type.String({ examples: ['E-1001'] }),
  first_name: Type.String(),
  last_name: Type.String(),
  email: Type.String(),
  designation: Nullable(Type.String({ examples: ['Associate Professor'] })),
  faculty_status: Type.String({ examples: ['active'] }),
  is_hod: Type.Boolean(),
});
export const DepartmentStudent = Type.Object({
  id: Uuid(),
  organization_id: Uuid(),
  student_number: Type.String({ examples: ['S-2026-0001'] }),
  first_name: Type.String(),
  last_name: Type.String(),
  program_id: Nullable(Uuid()),
  batch_year: Nullable(Type.Integer()),
  semester: Nullable(Type.Integer()),
  student_status: Type.String({ examples: ['active'] }),
});
