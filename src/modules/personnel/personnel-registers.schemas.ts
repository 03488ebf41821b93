import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';

/** `limit` is seed 003's name for `page_size`; both are accepted (limit wins when given). */
export const LimitProp = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'Seed 003 name for page_size; when given it wins over page_size',
    }),
  ),
};

export const Register = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('The organization that owns the register'),
    name: Type.String({ description: 'Display name', examples: ['1st Signal Battalion'] }),
    short_code: Type.String({
      description: 'Short code, upper-case, unique per organization',
      examples: ['1SB'],
    }),
    description: Nullable(Type.String({ description: 'Free text' })),
    personnel_count: Type.Integer({ description: 'Live (not deleted) personnel on the register' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'PersonnelRegister' },
);
export type RegisterT = Static<typeof Register>;

const Name = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Display name',
  examples: ['1st Signal Battalion'],
});
const ShortCode = Type.String({
  minLength: 1,
  maxLength: 20,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'Letters, digits, dot, underscore, hyphen; stored upper-case; unique per organization',
  examples: ['1SB'],
});

export const CreateRegister = Type.Object(
  {
    name: Name,
    short_code: ShortCode,
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Free text' }))),
    organization_id: Type.Optional(
      Uuid('Owning organization (one you administer); defaults to your home organization'),
    ),
  },
  { additionalProperties: false, examples: [{ name: '1st Signal Battalion', short_code: '1SB' }] },
);
export type CreateRegisterT = Static<typeof CreateRegister>;

export const UpdateRegister = Type.Object(
  {
    name: Type.Optional(Name),
    short_code: Type.Optional(ShortCode),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Free text' }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRegisterT = Static<typeof UpdateRegister>;

export const ListRegistersQuery = Type.Object(
  {
    ...PageQueryProps,
    ...LimitProp,
    search: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or the short code' }),
    ),
  },
  { additionalProperties: false },
);
export type ListRegistersQueryT = Static<typeof ListRegistersQuery>;

export const DeleteRegisterQuery = Type.Object(
  {
    confirm: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Required (true) when the register still has personnel: they are deleted with it',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeletedRegister = Type.Object({
  id: Uuid(),
  personnel_deleted: Type.Integer({ description: 'Personnel records removed with the register' }),
});
