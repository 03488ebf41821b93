import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const RoleName = StringEnum(
  ['admin', 'staff', 'principal', 'faculty', 'student', 'parent', 'auditor'],
  {
    description:
      'admin, staff, principal, faculty, student, parent or auditor (reads reports and dashboards only)',
  },
);

export const RoleGrantOut = Type.Object({
  role: RoleName,
  organization_id: Uuid(),
});

/** A user as the API shows it: never the password hash, tokens or lockout internals. */
export const User = Type.Object(
  {
    id: Uuid(),
    username: Type.String({ examples: ['maria.lopez'] }),
    email: Type.String({ format: 'email', examples: ['maria.lopez@lincoln.example.edu'] }),
    full_name: Type.String({ examples: ['Maria Lopez'] }),
    organization_id: Nullable(Uuid('Home organization')),
    service_number: Nullable(Type.String({ description: 'Personnel service number (login alternative)' })),
    is_active: Type.Boolean(),
    email_verified: Type.Boolean(),
    roles: Type.Array(RoleGrantOut),
    allowed_register_ids: Type.Array(Uuid(), { description: 'Personnel registers a non-admin may see' }),
    last_login_at: Nullable(Timestamp()),
    created_at: Timestamp(),
  },
  { $id: 'User' },
);
export type UserT = Static<typeof User>;

export const Username = Type.String({
  minLength: 3,
  maxLength: 50,
  pattern: '^[a-z0-9._-]+$',
  description: '3–50 characters of a-z, 0-9, dot, underscore, hyphen',
  examples: ['maria.lopez'],
});
export const Email = Type.String({
  format: 'email',
  maxLength: 254,
  examples: ['maria.lopez@lincoln.example.edu'],
});
export const Password = Type.String({
  minLength: 8,
  maxLength: 128,
  description: 'At least 8 characters',
  examples: ['correct horse battery staple'],
});
export const FullName = Type.String({ minLength: 1, maxLength: 200, examples: ['Maria Lopez'] });

export const CreateUser = Type.Object(
  {
    username: Username,
    email: Email,
    full_name: FullName,
    password: Type.Optional(Password),
    organization_id: Uuid('Home organization (must be one you administer)'),
    service_number: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    roles: Type.Optional(
      Type.Array(Type.Object({ role: RoleName, organization_id: Uuid() }, { additionalProperties: false }), {
        maxItems: 20,
        description: 'Roles to grant; each organization must be in your scope',
      }),
    ),
    allowed_register_ids: Type.Optional(Type.Array(Uuid(), { maxItems: 200 })),
  },
  { additionalProperties: false },
);
export type CreateUserT = Static<typeof CreateUser>;

export const UpdateUser = Type.Object(
  {
    email: Type.Optional(Email),
    full_name: Type.Optional(FullName),
    is_active: Type.Optional(Type.Boolean()),
    service_number: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 50 }))),
    allowed_register_ids: Type.Optional(Type.Array(Uuid(), { maxItems: 200 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserT = Static<typeof UpdateUser>;

export const ListUsersQuery = Type.Object(
  {
    ...PageQueryProps,
    search: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Username, email or name' }),
    ),
    role: Type.Optional(RoleName),
    is_active: Type.Optional(Type.Boolean()),
    organization_id: Type.Optional(Uuid('Users with a role in, or homed at, this organization')),
  },
  { additionalProperties: false },
);
export type ListUsersQueryT = Static<typeof ListUsersQuery>;

export const RoleBody = Type.Object(
  { role: RoleName, organization_id: Uuid() },
  {
    additionalProperties: false,
    examples: [{ role: 'faculty', organization_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d' }],
  },
);
export type RoleBodyT = Static<typeof RoleBody>;

export const AdminResetPassword = Type.Object(
  {
    new_password: Type.Optional(Password),
  },
  {
    additionalProperties: false,
    description:
      'With new_password the password is set directly; without it the user is emailed a reset code',
  },
);

export const AllowedEmail = Type.Object(
  {
    id: Uuid(),
    email: Type.String({ format: 'email' }),
    role: RoleName,
    organization_id: Uuid(),
    created_at: Timestamp(),
  },
  { $id: 'AllowedEmail' },
);
export const CreateAllowedEmail = Type.Object(
  {
    email: Email,
    role: Type.Optional(RoleName),
    organization_id: Uuid(),
  },
  { additionalProperties: false },
);
export const ListAllowedEmailsQuery = Type.Object(
  { ...PageQueryProps, search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);
