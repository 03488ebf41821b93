import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

export const HostelType = StringEnum(['boys', 'girls', 'mixed', 'staff'], {
  description: 'Who lives there: boys, girls, mixed or staff',
  examples: ['girls'],
});
export const RoomType = StringEnum(['single', 'double', 'triple', 'dormitory'], {
  description: 'single, double, triple or dormitory',
  examples: ['double'],
});
export const RoomStatus = StringEnum(['available', 'maintenance', 'closed'], {
  description: 'Only available rooms take new allocations',
  examples: ['available'],
});

const Warden = Type.Object(
  {
    kind: StringEnum(['faculty', 'staff'], {
      description: 'Whether the warden is a faculty or staff member',
    }),
    id: Uuid('The faculty or staff record'),
    name: Type.String({ description: 'Full name', examples: ['Ada Okafor'] }),
  },
  { description: 'The warden in charge of the hostel' },
);

/** A hostel as the API shows it. */
export const Hostel = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid('Organization that runs the hostel'),
    name: Type.String({ examples: ['Nightingale Hall'] }),
    hostel_type: HostelType,
    warden_faculty_id: Nullable(Uuid('Warden, when a faculty member')),
    warden_staff_id: Nullable(Uuid('Warden, when a staff member')),
    warden: Nullable(Warden),
    address: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    description: Nullable(Type.String()),
    is_active: Type.Boolean({ description: 'Inactive hostels take no new allocations' }),
    room_count: Type.Integer({ description: 'Rooms in the hostel' }),
    capacity: Type.Integer({ description: 'Beds in all its rooms' }),
    occupied: Type.Integer({ description: 'Active allocations' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'Hostel' },
);
export type HostelT = Static<typeof Hostel>;

const Name = Type.String({
  minLength: 1,
  maxLength: 120,
  description: 'Name, unique per organization',
  examples: ['Nightingale Hall'],
});
const hostelFields = {
  warden_faculty_id: Type.Optional(Nullable(Uuid('Warden: a faculty member of this organization or above'))),
  warden_staff_id: Type.Optional(Nullable(Uuid('Warden: a staff member of this organization or above'))),
  address: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'Postal address' })),
  ),
  phone: Type.Optional(
    Nullable(Type.String({ minLength: 3, maxLength: 40, description: 'Front desk phone' })),
  ),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'Free text' }))),
  is_active: Type.Optional(Type.Boolean({ description: 'Default true' })),
};

export const CreateHostel = Type.Object(
  {
    organization_id: Uuid('Organization that runs the hostel (in your scope)'),
    name: Name,
    hostel_type: HostelType,
    ...hostelFields,
  },
  { additionalProperties: false },
);
export type CreateHostelT = Static<typeof CreateHostel>;

export const UpdateHostel = Type.Object(
  { name: Type.Optional(Name), hostel_type: Type.Optional(HostelType), ...hostelFields },
  { additionalProperties: false, minProperties: 1, description: 'Only the fields given change' },
);
export type UpdateHostelT = Static<typeof UpdateHostel>;

export const ListHostelsQuery = Type.Object(
  {
    ...PageQueryProps,
    organization_id: Type.Optional(Uuid('Only hostels of this organization')),
    hostel_type: Type.Optional(HostelType),
    is_active: Type.Optional(Type.Boolean({ description: 'Filter by active status' })),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name' })),
  },
  { additionalProperties: false },
);
export type ListHostelsQueryT = Static<typeof ListHostelsQuery>;

/** A room, with its live occupancy. */
export const Room = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    hostel_id: Uuid(),
    hostel_name: Type.String(),
    room_number: Type.String({ examples: ['B-204'] }),
    room_type: RoomType,
    capacity: Type.Integer({ description: 'Beds' }),
    floor: Nullable(Type.Integer()),
    room_status: RoomStatus,
    is_active: Type.Boolean(),
    occupied: Type.Integer({ description: 'Active allocations' }),
    free_beds: Type.Integer({ description: 'capacity − occupied' }),
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'HostelRoom' },
);
export type RoomT = Static<typeof Room>;

const RoomNumber = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9][A-Za-z0-9 ./_-]*$',
  description: 'Room number, unique per hostel (case-insensitive)',
  examples: ['B-204'],
});
const Capacity = Type.Integer({ minimum: 1, maximum: 500, description: 'Beds', examples: [2] });
const Floor = Type.Integer({ minimum: -10, maximum: 200, description: 'Floor', examples: [2] });

export const CreateRoom = Type.Object(
  {
    hostel_id: Uuid('The hostel'),
    room_number: RoomNumber,
    room_type: RoomType,
    capacity: Capacity,
    floor: Type.Optional(Nullable(Floor)),
    room_status: Type.Optional(RoomStatus),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateRoomT = Static<typeof CreateRoom>;

export const UpdateRoom = Type.Object(
  {
    room_number: Type.Optional(RoomNumber),
    room_type: Type.Optional(RoomType),
    capacity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'Beds; never below the current occupancy' }),
    ),
    floor: Type.Optional(Nullable(Floor)),
    room_status: Type.Optional(RoomStatus),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, description: 'Only the fields given change' },
);
export type UpdateRoomT = Static<typeof UpdateRoom>;

export const ListRoomsQuery = Type.Object(
  {
    ...PageQueryProps,
    hostel_id: Type.Optional(Uuid('Only rooms of this hostel')),
    room_type: Type.Optional(RoomType),
    room_status: Type.Optional(RoomStatus),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ListRoomsQueryT = Static<typeof ListRoomsQuery>;

export const AvailableRoomsQuery = Type.Object(
  {
    ...PageQueryProps,
    hostel_id: Type.Optional(Uuid('Only rooms of this hostel')),
    room_type: Type.Optional(RoomType),
    hostel_type: Type.Optional(HostelType),
    min_free_beds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, default: 1, description: 'At least this many free beds' }),
    ),
  },
  { additionalProperties: false },
);
export type AvailableRoomsQueryT = Static<typeof AvailableRoomsQuery>;

export const HostelRoomsQuery = Type.Object(
  { ...PageQueryProps, room_status: Type.Optional(RoomStatus), room_type: Type.Optional(RoomType) },
  { additionalProperties: false },
);
export type HostelRoomsQueryT = Static<typeof HostelRoomsQuery>;
