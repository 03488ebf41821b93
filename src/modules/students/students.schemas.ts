import { type Static, Type } from 'typebox';
import { CountQueryProps, PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Email, Password, Username } from '../users/index.js';

export const StudentStatus = StringEnum(['active', 'inactive', 'graduated', 'suspended', 'withdrawn'], {
  description: 'active, inactive, graduated, suspended or withdrawn',
  examples: ['active'],
});

const Name = (example: string) => Type.String({ minLength: 1, maxLength: 100, examples: [example] });
const StudentNumber = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'Human student number / admission number, unique per organization',
  examples: ['U2026-0042'],
});
const Phone = Type.String({ minLength: 3, maxLength: 40, examples: ['+1 555 0100'] });
const BatchYear = Type.Integer({
  minimum: 1900,
  maximum: 2200,
  description: 'Intake year',
  examples: [2026],
});
const Semester = Type.Integer({ minimum: 1, maximum: 20, description: 'Current semester', examples: [3] });
const Category = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'Admission category (general, scholarship, international …)',
  examples: ['general'],
});

/** A student as the API shows it (never the photo storage key). */
export const Student = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization the student belongs to'),
    user_id: Nullable(Uuid('Login user of the student; null for a student without a login')),
    student_number: Type.String({ examples: ['U2026-0042'] }),
    first_name: Type.String({ examples: ['Maria'] }),
    last_name: Type.String({ examples: ['Lopez'] }),
    email: Nullable(Type.String({ examples: ['maria.lopez@student.example.edu'] })),
    phone: Nullable(Type.String()),
    date_of_birth: Nullable(DateStr('Date of birth')),
    gender: Nullable(Type.String({ examples: ['female'] })),
    department_id: Nullable(Uuid()),
    program_id: Nullable(Uuid()),
    batch_year: Nullable(Type.Integer({ examples: [2026] })),
    semester: Nullable(Type.Integer({ examples: [3] })),
    grade_level: Nullable(Type.String({ description: 'K-12 grade level', examples: ['10'] })),
    category: Nullable(Type.String({ examples: ['general'] })),
    roll_no: Nullable(Type.String({ examples: ['42'] })),
    address: Nullable(Type.String()),
    admission_date: Nullable(DateStr('Admission date')),
    student_status: StudentStatus,
    has_photo: Type.Boolean({ description: 'A photo was uploaded (GET /students/{id}/photo)' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Student' },
);
export type StudentT = Static<typeof Student>;

const optionalProfile = {
  date_of_birth: Type.Optional(Nullable(DateStr('Date of birth'))),
  gender: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 30, examples: ['female'] }))),
  department_id: Type.Optional(Nullable(Uuid('Department (same organization tree)'))),
  program_id: Type.Optional(Nullable(Uuid('Program (same organization tree)'))),
  batch_year: Type.Optional(Nullable(BatchYear)),
  semester: Type.Optional(Nullable(Semester)),
  category: Type.Optional(Nullable(Category)),
  roll_no: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40, examples: ['42'] }))),
  grade_level: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20, examples: ['10'] }))),
  phone: Type.Optional(Nullable(Phone)),
  address: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
  admission_date: Type.Optional(Nullable(DateStr('Admission date'))),
};

export const CreateStudent = Type.Object(
  {
    organization_id: Uuid('Organization (must be in your scope)'),
    first_name: Name('Maria'),
    last_name: Name('Lopez'),
    email: Type.Optional(Nullable(Email)),
    student_number: StudentNumber,
    create_login: Type.Optional(
      Type.Boolean({
        description:
          'Create a login user (student role) with the student. Defaults to true when `email` is given, ' +
          'false without one; true without an email is a 400. A login can be added later with ' +
          'POST /students/{id}/account.',
        examples: [false],
      }),
    ),
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    ...optionalProfile,
  },
  {
    additionalProperties: false,
    description:
      'Creates the student, and with an email (unless `create_login` is false) its login user (student ' +
      'role) in the same transaction. `username` defaults to the organization code and the student number ' +
      '(`<code>.<number>`, lower-cased; see docs/students.md), so two schools of a district never collide; ' +
      'without a password the student is emailed a setup code. A student without a login and without an ' +
      'email (a young child, a family sharing one email) is a student like any other.',
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        first_name: 'Maria',
        last_name: 'Lopez',
        email: 'maria.lopez@student.example.edu',
        student_number: 'U2026-0042',
        batch_year: 2026,
        semester: 1,
        category: 'general',
      },
    ],
  },
);
export type CreateStudentT = Static<typeof CreateStudent>;

export const CreateStudentAccount = Type.Object(
  {
    email: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description: "The login's email; defaults to the student's email",
        examples: ['maria.lopez@student.example.edu'],
      }),
    ),
    username: Type.Optional(Username),
    password: Type.Optional(Password),
  },
  {
    additionalProperties: false,
    description:
      'Adds a login user (student role in the student’s organization) to a student who has none. ' +
      '`email` defaults to the student’s email and is required when the student has none (it becomes the ' +
      'student’s email too); `username` defaults like at creation; without a password a setup code is ' +
      'emailed.',
    examples: [{ email: 'maria.lopez@student.example.edu' }, { username: 'rhs.u2026-0042' }],
  },
);
export type CreateStudentAccountT = Static<typeof CreateStudentAccount>;

export const UpdateStudent = Type.Object(
  {
    first_name: Type.Optional(Name('Maria')),
    last_name: Type.Optional(Name('Lopez')),
    email: Type.Optional(Nullable(Email)),
    student_number: Type.Optional(StudentNumber),
    student_status: Type.Optional(StudentStatus),
    ...optionalProfile,
  },
  { additionalProperties: false, minProperties: 1, examples: [{ semester: 4, student_status: 'active' }] },
);
export type UpdateStudentT = Static<typeof UpdateStudent>;

export const StudentFilterProps = {
  organization_id: Type.Optional(
    Uuid('Only students of this organization and its sub-organizations (e.g. one school of a district)'),
  ),
  student_status: Type.Optional(StudentStatus),
  department_id: Type.Optional(Uuid('Only students of this department')),
  program_id: Type.Optional(Uuid('Only students of this program')),
  batch_year: Type.Optional(BatchYear),
  semester: Type.Optional(Semester),
  category: Type.Optional(Category),
  search: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'Matches name, student number or email (substring, case-insensitive). With `search`, `count=capped` counts up to 200 matches (then `meta.total` is a lower bound and `meta.total_exact` false); `count=exact` counts all.',
      examples: ['lopez'],
    }),
  ),
};
export type StudentFilters = {
  organization_id?: string;
  student_status?: StudentT['student_status'];
  department_id?: string;
  program_id?: string;
  batch_year?: number;
  semester?: number;
  category?: string;
  search?: string;
};

export const ListStudentsQuery = Type.Object(
  { ...PageQueryProps, ...CountQueryProps, ...StudentFilterProps },
  { additionalProperties: false },
);
export type ListStudentsQueryT = Static<typeof ListStudentsQuery>;

export const SearchStudentsQuery = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Name, student number or email fragment',
      examples: ['lop'],
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Max results' })),
  },
  { additionalProperties: false },
);

export const StudentHit = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    student_number: Type.String({ examples: ['U2026-0042'] }),
    first_name: Type.String({ examples: ['Maria'] }),
    last_name: Type.String({ examples: ['Lopez'] }),
    email: Nullable(Type.String({ examples: ['maria.lopez@student.example.edu'] })),
    student_status: StudentStatus,
  },
  { $id: 'StudentHit', description: 'A compact search result' },
);

export const ExportStudentsQuery = Type.Object(
  {
    format: Type.Optional(
      StringEnum(['csv', 'xlsx'], {
        default: 'csv',
        description: 'csv (default) or xlsx',
        examples: ['csv'],
      }),
    ),
    ...StudentFilterProps,
  },
  { additionalProperties: false },
);

/** Querystring of GET /departments/{id}/students: the page only. */
export const DepartmentSubPageQuery = Type.Object({ ...PageQueryProps }, { additionalProperties: false });

/** A student in a department's list (GET /departments/{id}/students). */
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
export type DepartmentStudentT = Static<typeof DepartmentStudent>;
