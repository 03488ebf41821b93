import { type Static, Type } from 'typebox';
import { AMOUNT_PATTERN } from '../../kernel/money.js';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';
import { RoomType } from './hostels.schemas.js';

export const AllocationStatus = StringEnum(['active', 'vacated', 'transferred'], {
  description: "The seed's ACTIVE, VACATED, TRANSFERRED",
  examples: ['active'],
});

const AcademicYear = Type.String({
  minLength: 4,
  maxLength: 20,
  pattern: '^[0-9]{4}([-/][0-9]{2,4})?$',
  description: 'Academic year, e.g. 2026-2027 or 2026',
  examples: ['2026-2027'],
});
const Remarks = Type.String({ minLength: 1, maxLength: 500, description: 'Free text kept with the history' });

/** One stay of a student in a room. */
export const Allocation = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization of the hostel'),
    student_id: Uuid(),
    student_name: Type.String({ examples: ['Maria Lopez'] }),
    student_number: Type.String({ examples: ['U2026-0042'] }),
    hostel_id: Uuid(),
    hostel_name: Type.String(),
    room_id: Uuid(),
    room_number: Type.String(),
    academic_year: Nullable(Type.String({ examples: ['2026-2027'] })),
    status: AllocationStatus,
    start_date: DateStr('First night in the room'),
    end_date: Nullable(DateStr('Day the student left the room (vacated or transferred)')),
    transferred_from_id: Nullable(Uuid('The previous allocation when this one comes from a transfer')),
    remarks: Nullable(Type.String()),
    charge: Nullable(
      Type.String({
        description: 'Hostel fee charged to the ledger for this allocation',
        examples: ['1200.00'],
      }),
    ),
    currency: Nullable(Type.String({ examples: ['USD'] })),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'HostelAllocation' },
);
export type AllocationT = Static<typeof Allocation>;

export const CreateAllocation = Type.Object(
  {
    student_id: Uuid('The student'),
    room_id: Uuid('The room; it must be available with a free bed'),
    academic_year: Type.Optional(AcademicYear),
    start_date: Type.Optional(DateStr('Default today')),
    remarks: Type.Optional(Remarks),
  },
  { additionalProperties: false },
);
export type CreateAllocationT = Static<typeof CreateAllocation>;

export const TransferAllocation = Type.Object(
  {
    room_id: Uuid('The new room'),
    transfer_date: Type.Optional(DateStr('Default today: end of the old stay and start of the new one')),
    remarks: Type.Optional(Remarks),
  },
  { additionalProperties: false },
);
export type TransferAllocationT = Static<typeof TransferAllocation>;

export const VacateQuery = Type.Object(
  {
    end_date: Type.Optional(DateStr('Default today')),
    remarks: Type.Optional(Remarks),
  },
  { additionalProperties: false },
);
export type VacateQueryT = Static<typeof VacateQuery>;

const StatusFilter = StringEnum(['active', 'vacated', 'transferred', 'ACTIVE', 'VACATED', 'TRANSFERRED'], {
  description: 'Filter by status (either case)',
});

export const ListAllocationsQuery = Type.Object(
  {
    ...PageQueryProps,
    student_id: Type.Optional(Uuid('Filter by student')),
    hostel_id: Type.Optional(Uuid('Filter by hostel')),
    room_id: Type.Optional(Uuid('Filter by room')),
    status: Type.Optional(StatusFilter),
    allocation_status: Type.Optional(StatusFilter),
    academic_year: Type.Optional(AcademicYear),
  },
  { additionalProperties: false },
);
export type ListAllocationsQueryT = Static<typeof ListAllocationsQuery>;

export const StudentParams = Type.Object(
  { student_id: Uuid('The student') },
  { additionalProperties: false },
);

/** A hostel fee for an academic year (one room type, or the whole hostel). */
export const HostelFee = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    hostel_id: Uuid(),
    room_type: Nullable(RoomType),
    academic_year: Type.String({ examples: ['2026-2027'] }),
    amount: Type.String({ examples: ['1200.00'] }),
    currency: Type.String({ examples: ['USD'] }),
    period_start: DateStr('First day the fee covers'),
    period_end: DateStr('Last day the fee covers'),
    created_at: Timestamp(),
  },
  { $id: 'HostelFee' },
);
export type HostelFeeT = Static<typeof HostelFee>;

export const CreateHostelFee = Type.Object(
  {
    hostel_id: Uuid('The hostel'),
    room_type: Type.Optional(Nullable(RoomType)),
    academic_year: AcademicYear,
    amount: Type.String({
      pattern: AMOUNT_PATTERN,
      description: "Decimal string in the hostel organization's currency",
      examples: ['1200.00'],
    }),
    period_start: DateStr('First day the fee covers'),
    period_end: DateStr('Last day the fee covers'),
  },
  { additionalProperties: false },
);
export type CreateHostelFeeT = Static<typeof CreateHostelFee>;

export const ListFeesQuery = Type.Object(
  { ...PageQueryProps, hostel_id: Type.Optional(Uuid()), academic_year: Type.Optional(AcademicYear) },
  { additionalProperties: false },
);
export type ListFeesQueryT = Static<typeof ListFeesQuery>;

export const HostelSettings = Type.Object({
  organization_id: Uuid(),
  prorate_fees: Type.Boolean({
    description: 'A late allocation pays only the remaining days of the fee period',
  }),
  fee_due_days: Type.Integer({ description: 'Hostel charges fall due this many days after allocation' }),
  inherited: Type.Boolean({
    description: 'True when the values come from an ancestor organization or the defaults',
  }),
});
export type HostelSettingsT = Static<typeof HostelSettings>;

export const PutHostelSettings = Type.Object(
  {
    prorate_fees: Type.Boolean({ description: 'Pro-rate by remaining days' }),
    fee_due_days: Type.Integer({
      minimum: 0,
      maximum: 365,
      description: 'Days until a hostel charge is due',
    }),
  },
  { additionalProperties: false },
);
export type PutHostelSettingsT = Static<typeof PutHostelSettings>;

export const OrgParams = Type.Object(
  { organization_id: Uuid('The organization') },
  { additionalProperties: false },
);
