import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { Email, Password, Username } from '../users/index.js';
import { StudentStatus } from './students.schemas.js';

export const Guardian = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    user_id: Nullable(Uuid('Parent login, when the guardian has one')),
    first_name: Type.String({ examples: ['Rosa'] }),
    last_name: Type.String({ examples: ['Lopez'] }),
    email: Nullable(Type.String({ examples: ['rosa.lopez@example.com'] })),
    phone: Nullable(Type.String({ examples: ['+1 555 0101'] })),
    address: Nullable(Type.String()),
    occupation: Nullable(Type.String({ examples: ['Nurse'] })),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Guardian' },
);
export type GuardianT = Static<typeof Guardian>;

const Name = (example: string) => Type.String({ minLength: 1, maxLength: 100, examples: [example] });
const editable = {
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 40, examples: ['+1 555 0101'] }))),
  address: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
  occupation: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, examples: ['Nurse'] }))),
};

export const CreateGuardian = Type.Object(
  {
    organization_id: Uuid('Organization (must be in your scope)'),
    first_name: Name('Rosa'),
    last_name: Name('Lopez'),
    ...editable,
    login: Type.Optional(
      Type.Object(
        {
          username: Username,
          password: Type.Optional(Password),
        },
        {
          additionalProperties: false,
          description:
            'Also create a parent login (parent role in the organization; `email` is then required). ' +
            'Without a password a setup code is emailed.',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        first_name: 'Rosa',
        last_name: 'Lopez',
        email: 'rosa.lopez@example.com',
        login: { username: 'rosa.lopez' },
      },
    ],
  },
);
export type CreateGuardianT = Static<typeof CreateGuardian>;

export const UpdateGuardian = Type.Object(
  { first_name: Type.Optional(Name('Rosa')), last_name: Type.Optional(Name('Lopez')), ...editable },
  { additionalProperties: false, minProperties: 1, examples: [{ phone: '+1 555 0199' }] },
);
export type UpdateGuardianT = Static<typeof UpdateGuardian>;

export const ListGuardiansQuery = Type.Object(
  {
    ...PageQueryProps,
    search: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Matches name or email',
        examples: ['lopez'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListGuardiansQueryT = Static<typeof ListGuardiansQuery>;

const Relationship = Type.String({
  minLength: 1,
  maxLength: 40,
  description: 'mother, father, guardian, grandparent …',
  examples: ['mother'],
});

export const LinkGuardian = Type.Object(
  {
    guardian_id: Uuid('Guardian to link'),
    relationship: Relationship,
    is_primary: Type.Optional(
      Type.Boolean({ default: false, description: 'Primary contact (at most one per student)' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { guardian_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d', relationship: 'mother', is_primary: true },
    ],
  },
);
export type LinkGuardianT = Static<typeof LinkGuardian>;

/** A guardian as linked to one student. */
export const StudentGuardian = Type.Object(
  {
    ...Guardian.properties,
    relationship: Relationship,
    is_primary: Type.Boolean(),
  },
  { $id: 'StudentGuardian' },
);
export type StudentGuardianT = Static<typeof StudentGuardian>;

/** A student as linked to one guardian. */
export const GuardianStudent = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    student_number: Type.String({ examples: ['U2026-0042'] }),
    first_name: Type.String({ examples: ['Maria'] }),
    last_name: Type.String({ examples: ['Lopez'] }),
    student_status: StudentStatus,
    relationship: Relationship,
    is_primary: Type.Boolean(),
  },
  { $id: 'GuardianStudent' },
);

export const StudentGuardianParams = Type.Object(
  { id: Uuid('Student'), guardian_id: Uuid('Guardian') },
  { additionalProperties: false },
);
