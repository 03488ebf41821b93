import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Email, Password, Username } from '../users/index.js';

export const FacultyStatus = StringEnum(['active', 'on_leave', 'retired', 'terminated', 'inactive'], {
  description: 'active, on_leave, retired, terminated or inactive',
  examples: ['active'],
});
export const EmploymentType = StringEnum(['full_time', 'part_time', 'contract', 'visiting'], {
  description: 'full_time, part_time, contract or visiting',
  examples: ['full_time'],
});

export const EmployeeId = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'Human employee id, unique per organization',
  examples: ['EMP-0107'],
});
export const PersonName = (example: string) =>
  Type.String({ minLength: 1, maxLength: 100, examples: [example] });
export const Phone = Type.String({ minLength: 3, maxLength: 40, examples: ['+1 555 0100'] });

export const Faculty = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    user_id: Uuid('Login user (faculty role)'),
    employee_id: Type.String({ examples: ['EMP-0107'] }),
    first_name: Type.String({ examples: ['Alan'] }),
    last_name: Type.String({ examples: ['Turing'] }),
    email: Type.String({ examples: ['alan.turing@univ.example.edu'] }),
    phone: Nullable(Type.String()),
    department_id: Nullable(Uuid()),
    designation: Nullable(Type.String({ examples: ['Associate Professor'] })),
    faculty_status: FacultyStatus,
    employment_type: EmploymentType,
    is_hod: Type.Boolean({ description: 'Head of department' }),
    joining_date: Nullable(DateStr('Joining date')),
    qualification: Nullable(Type.String({ examples: ['PhD'] })),
    specialization: Nullable(Type.String({ examples: ['Computability'] })),
    has_photo: Type.Boolean({ description: 'A photo was uploaded (GET /faculty/{id}/photo)' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Faculty' },
);
export type FacultyT = Static<typeof Faculty>;

const optional = {
  department_id: Type.Optional(Nullable(Uuid('Department (in your organizations)'))),
  designation: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, examples: ['Lecturer'] }))),
  faculty_status: Type.Optional(FacultyStatus),
  employment_type: Type.Optional(EmploymentType),
  is_hod: Type.Optional(Type.Boolean({ description: 'Head of department' })),
  phone: Type.Optional(Nullable(Phone)),
  joining_date: Type.Optional(Nullable(DateStr('Joining date'))),
  qualification: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, examples: ['PhD'] }))),
  specialization: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
};

export const CreateFaculty = Type.Object(
  {
    organization_id: Uuid('Organization (must be in your scope)'),
    first_name: PersonName('Alan'),
    last_name: PersonName('Turing'),
    email: Email,
    employee_id: EmployeeId,
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    ...optional,
  },
  {
    additionalProperties: false,
    description:
      'Creates the login user (faculty role) and the faculty profile together. `username` defaults to the ' +
      'lower-cased employee id; without a password a setup code is emailed.',
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        first_name: 'Alan',
        last_name: 'Turing',
        email: 'alan.turing@univ.example.edu',
        employee_id: 'EMP-0107',
        designation: 'Associate Professor',
        faculty_status: 'active',
        employment_type: 'full_time',
        is_hod: false,
      },
    ],
  },
);
export type CreateFacultyT = Static<typeof CreateFaculty>;

export const UpdateFaculty = Type.Object(
  {
    first_name: Type.Optional(PersonName('Alan')),
    last_name: Type.Optional(PersonName('Turing')),
    email: Type.Optional(Email),
    employee_id: Type.Optional(EmployeeId),
    ...optional,
  },
  { additionalProperties: false, minProperties: 1, examples: [{ designation: 'Professor', is_hod: true }] },
);
export type UpdateFacultyT = Static<typeof UpdateFaculty>;

export const ListFacultyQuery = Type.Object(
  {
    ...PageQueryProps,
    faculty_status: Type.Optional(FacultyStatus),
    department_id: Type.Optional(Uuid()),
    employment_type: Type.Optional(EmploymentType),
    is_hod: Type.Optional(Type.Boolean()),
    search: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Matches name, email, employee id or designation',
        examples: ['turing'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListFacultyQueryT = Static<typeof ListFacultyQuery>;

export const FacultyCourse = Type.Object(
  {
    id: Uuid(),
    code: Type.String({ examples: ['CS101'] }),
    name: Type.String({ examples: ['Introduction to Computer Science'] }),
    credits: Type.String({ description: 'Decimal credits', examples: ['3.0'] }),
    class_count: Type.Integer({ description: 'Classes of the course this faculty member teaches' }),
  },
  { $id: 'FacultyCourse' },
);

/** Querystring of GET /departments/{id}/faculty: the page only. */
export const DepartmentSubPageQuery = Type.Object({ ...PageQueryProps }, { additionalProperties: false });

/** A faculty member in a department's list (GET /departments/{id}/faculty). */
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
export type DepartmentFacultyT = Static<typeof DepartmentFaculty>;
