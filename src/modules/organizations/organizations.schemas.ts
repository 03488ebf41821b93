import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const OrgKind = StringEnum(['district', 'school', 'university', 'campus', 'office'], {
  description: 'district ▸ school, university ▸ campus, office',
});

export const Organization = Type.Object(
  {
    id: Uuid(),
    parent_id: Nullable(Uuid('Parent organization')),
    kind: OrgKind,
    name: Type.String(),
    code: Nullable(Type.String()),
    currency: Type.String({
      description: 'ISO 4217 currency for money in this organization',
      examples: ['USD'],
    }),
    timezone: Type.String({ examples: ['America/New_York'] }),
    allow_self_registration: Type.Boolean({
      description: 'Students may self-register into this organization',
    }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Organization' },
);
export type OrganizationT = Static<typeof Organization>;

const Code = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9._-]+$',
  examples: ['LINCOLN-HS'],
});
const Currency = Type.String({ pattern: '^[A-Z]{3}$', examples: ['USD'] });
const Tz = Type.String({ minLength: 1, maxLength: 64, examples: ['Europe/London'] });

export const CreateOrganization = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Lincoln High School'] }),
    kind: OrgKind,
    parent_id: Type.Optional(
      Uuid('Parent; defaults to your own organization when you administer exactly one'),
    ),
    code: Type.Optional(Code),
    currency: Type.Optional(Currency),
    timezone: Type.Optional(Tz),
    allow_self_registration: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateOrganizationT = Static<typeof CreateOrganization>;

export const UpdateOrganization = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    code: Type.Optional(Nullable(Code)),
    currency: Type.Optional(Currency),
    timezone: Type.Optional(Tz),
    allow_self_registration: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateOrganizationT = Static<typeof UpdateOrganization>;

export const MoveOrganization = Type.Object(
  {
    parent_id: Uuid(
      'The new parent. You must administer both the organization and the new parent; its kind must allow the move (a school under a district or an office, a campus under a university, …)',
    ),
  },
  { additionalProperties: false },
);
export type MoveOrganizationT = Static<typeof MoveOrganization>;

export const ListOrganizationsQuery = Type.Object(
  {
    ...PageQueryProps,
    kind: Type.Optional(OrgKind),
    parent_id: Type.Optional(Uuid()),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Matches name or code' })),
  },
  { additionalProperties: false },
);
export type ListOrganizationsQueryT = Static<typeof ListOrganizationsQuery>;
