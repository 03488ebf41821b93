import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Email, Password, Username } from '../users/index.js';
import { EmployeeId, PersonName, Phone } from './faculty.schemas.js';

export const StaffStatus = StringEnum(['active', 'on_leave', 'inactive', 'terminated'], {
  description: 'active, on_leave, inactive or terminated',
  examples: ['active'],
});

export const Staff = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    user_id: Uuid('Login user (staff role)'),
    employee_id: Type.String({ examples: ['ST-0012'] }),
    first_name: Type.String({ examples: ['Grace'] }),
    last_name: Type.String({ examples: ['Hopper'] }),
    email: Type.String({ examples: ['grace.hopper@univ.example.edu'] }),
    phone: Nullable(Type.String()),
    department_id: Nullable(Uuid()),
    job_title: Nullable(Type.String({ examples: ['Registrar officer'] })),
    staff_status: StaffStatus,
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Staff' },
);
export type StaffT = Static<typeof Staff>;

const optional = {
  phone: Type.Optional(Nullable(Phone)),
  department_id: Type.Optional(Nullable(Uuid('Department (in your organizations)'))),
  job_title: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: 100, examples: ['Registrar officer'] })),
  ),
  staff_status: Type.Optional(StaffStatus),
};

export const CreateStaff = Type.Object(
  {
    organization_id: Uuid('Organization (must be one you administer)'),
    first_name: PersonName('Grace'),
    last_name: PersonName('Hopper'),
    email: Email,
    employee_id: EmployeeId,
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    ...optional,
  },
  {
    additionalProperties: false,
    description:
      'Creates the login user (staff role) and the staff profile together. `username` defaults to the ' +
      'lower-cased employee id; without a password a setup code is emailed.',
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        first_name: 'Grace',
        last_name: 'Hopper',
        email: 'grace.hopper@univ.example.edu',
        employee_id: 'ST-0012',
        job_title: 'Registrar officer',
      },
    ],
  },
);
export type CreateStaffT = Static<typeof CreateStaff>;

export const UpdateStaff = Type.Object(
  {
    first_name: Type.Optional(PersonName('Grace')),
    last_name: Type.Optional(PersonName('Hopper')),
    email: Type.Optional(Email),
    employee_id: Type.Optional(EmployeeId),
    ...optional,
  },
  { additionalProperties: false, minProperties: 1, examples: [{ job_title: 'Head of admissions' }] },
);
export type UpdateStaffT = Static<typeof UpdateStaff>;

export const ListStaffQuery = Type.Object(
  {
    ...PageQueryProps,
    staff_status: Type.Optional(StaffStatus),
    department_id: Type.Optional(Uuid()),
    search: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Matches name, email, employee id or job title',
        examples: ['hopper'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListStaffQueryT = Static<typeof ListStaffQuery>;
