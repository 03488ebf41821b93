import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { PERSONNEL_STATUSES } from './personnel.table.js';
import { LimitProp } from './personnel-registers.schemas.js';

export const PersonnelStatus = StringEnum(PERSONNEL_STATUSES, {
  description: 'active, inactive, awol, death, rtu (returned to unit), posted or cse',
});
export type PersonnelStatusT = Static<typeof PersonnelStatus>;

export const Personnel = Type.Object(
  {
    id: Uuid(),
    register_id: Uuid('The register the person is on'),
    service_number: Type.String({
      description: 'Unique per register; also a sign-in name',
      examples: ['NA/12345'],
    }),
    first_name: Type.String({ examples: ['Kwame'] }),
    middle_name: Nullable(Type.String()),
    last_name: Type.String({ examples: ['Mensah'] }),
    rank: Nullable(Type.String({ examples: ['Sergeant'] })),
    unit: Nullable(Type.String({ examples: ['B Company'] })),
    status: PersonnelStatus,
    status_date: Nullable(DateStr('Effective date of the current status')),
    phone: Nullable(Type.String()),
    date_of_birth: Nullable(DateStr()),
    joining_date: Nullable(DateStr()),
    remarks: Nullable(Type.String()),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Personnel' },
);
export type PersonnelT = Static<typeof Personnel>;

const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });
const OptText = (max: number, description: string) =>
  Type.Optional(Nullable(Type.String({ maxLength: max, description })));

/** The editable fields, shared by create, update and the import's row validation. */
export const personnelFields = {
  service_number: Text(50, 'Service number, unique per register'),
  first_name: Text(100, 'First name'),
  middle_name: OptText(100, 'Middle name'),
  last_name: Text(100, 'Last name'),
  rank: OptText(100, 'Rank'),
  unit: OptText(200, 'Unit'),
  status: PersonnelStatus,
  status_date: Type.Optional(Nullable(DateStr('Effective date of the status'))),
  phone: OptText(40, 'Phone number'),
  date_of_birth: Type.Optional(Nullable(DateStr('Date of birth'))),
  joining_date: Type.Optional(Nullable(DateStr('Date of joining'))),
  remarks: OptText(2000, 'Remarks'),
};

export const CreatePersonnel = Type.Object(
  {
    register_id: Uuid('A register you may use'),
    ...personnelFields,
    status: Type.Optional(PersonnelStatus),
    status_reason: Type.Optional(Type.String({ maxLength: 500, description: 'Kept in the status history' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        register_id: '0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d',
        service_number: 'NA/12345',
        first_name: 'Kwame',
        last_name: 'Mensah',
        rank: 'Sergeant',
        status: 'active',
      },
    ],
  },
);
export type CreatePersonnelT = Static<typeof CreatePersonnel>;

export const UpdatePersonnel = Type.Object(
  {
    service_number: Type.Optional(personnelFields.service_number),
    first_name: Type.Optional(personnelFields.first_name),
    middle_name: personnelFields.middle_name,
    last_name: Type.Optional(personnelFields.last_name),
    rank: personnelFields.rank,
    unit: personnelFields.unit,
    status: Type.Optional(PersonnelStatus),
    status_date: personnelFields.status_date,
    phone: personnelFields.phone,
    date_of_birth: personnelFields.date_of_birth,
    joining_date: personnelFields.joining_date,
    remarks: personnelFields.remarks,
    status_reason: Type.Optional(
      Type.String({ maxLength: 500, description: 'Why the status changed (kept in the status history)' }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    examples: [{ status: 'awol', status_reason: 'Absent since 3 May' }],
  },
);
export type UpdatePersonnelT = Static<typeof UpdatePersonnel>;

export const FILTERS = ['all', ...PERSONNEL_STATUSES] as const;

const listProps = {
  ...PageQueryProps,
  ...LimitProp,
  search: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Part of the first, middle or last name or of the service number',
    }),
  ),
  filter: Type.Optional(
    StringEnum(FILTERS, { default: 'all', description: 'Status filter (all = every status)' }),
  ),
};

export const ListPersonnelQuery = Type.Object(
  { ...listProps, register_id: Type.Optional(Uuid('Only this register')) },
  { additionalProperties: false },
);
export type ListPersonnelQueryT = Static<typeof ListPersonnelQuery>;

export const RegisterPersonnelQuery = Type.Object(listProps, { additionalProperties: false });

export const RegisterParams = Type.Object(
  { register_id: Uuid('A register') },
  { additionalProperties: false },
);

export const BulkDelete = Type.Object(
  {
    ids: Type.Array(Uuid(), { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'Personnel ids' }),
  },
  { additionalProperties: false },
);

export const BulkDeleteResult = Type.Object({
  requested: Type.Integer({ description: 'Ids in the request' }),
  deleted: Type.Integer({ description: 'Records deleted now (in your registers and not already deleted)' }),
  deleted_ids: Type.Array(Uuid()),
});

export const StatusChange = Type.Object({
  id: Uuid(),
  from_status: Nullable(PersonnelStatus),
  to_status: PersonnelStatus,
  status_date: Nullable(DateStr()),
  changed_at: Timestamp(),
  changed_by: Nullable(Uuid('The user who made the change')),
  reason: Nullable(Type.String()),
});
