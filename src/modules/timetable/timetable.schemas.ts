import { type Static, Type } from 'typebox';
import { PageQueryProps } from '../../kernel/pagination.js';
import { DateStr, Nullable, StringEnum, Timestamp, Uuid } from '../../kernel/schemas.js';

const Time = (description: string) =>
  Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$', description, examples: ['09:00'] });
const Room = Type.String({ minLength: 1, maxLength: 40, examples: ['B-204'] });
export const SlotType = StringEnum(['lecture', 'lab', 'tutorial', 'seminar', 'break', 'other']);

export const Slot = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    name: Nullable(Type.String()),
    day_of_week: Type.Integer({ description: 'ISO day: 1 = Monday … 7 = Sunday' }),
    start_time: Type.String({ examples: ['09:00'] }),
    end_time: Type.String({ examples: ['09:50'] }),
    slot_type: SlotType,
    created_at: Timestamp(),
    updated_at: Timestamp(),
  },
  { $id: 'TimetableSlot' },
);

export const CreateSlot = Type.Object(
  {
    organization_id: Uuid(),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['Period 1'] })),
    day_of_week: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO day: 1 = Monday … 7 = Sunday' }),
    start_time: Time('Local start time'),
    end_time: Time('Local end time (after start)'),
    slot_type: Type.Optional(SlotType),
  },
  { additionalProperties: false },
);
export type CreateSlotT = Static<typeof CreateSlot>;

export const UpdateSlot = Type.Object(
  {
    name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    start_time: Type.Optional(Time('Local start time')),
    end_time: Type.Optional(Time('Local end time')),
    slot_type: Type.Optional(SlotType),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListSlotsQuery = Type.Object(
  {
    ...PageQueryProps,
    organization_id: Type.Optional(Uuid()),
    day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  },
  { additionalProperties: false },
);

export const Schedule = Type.Object(
  {
    id: Uuid(),
    organization_id: Uuid(),
    class_id: Uuid(),
    class_name: Type.String(),
    course_code: Nullable(Type.String()),
    course_name: Nullable(Type.String()),
    slot_id: Uuid(),
    day_of_week: Type.Integer(),
    start_time: Type.String(),
    end_time: Type.String(),
    slot_type: SlotType,
    room_no: Nullable(Type.String()),
    effective_from: DateStr(),
    effective_to: Nullable(DateStr()),
    is_active: Type.Boolean(),
  },
  { $id: 'ClassSchedule' },
);

export const GenerateItem = Type.Object(
  { class_id: Uuid(), slot_id: Uuid(), room_no: Type.Optional(Nullable(Room)) },
  { additionalProperties: false },
);
export const Generate = Type.Object(
  {
    items: Type.Array(GenerateItem, { minItems: 1, maxItems: 2000 }),
    effective_from: Type.Optional(DateStr('First day the schedules apply (default today)')),
    effective_to: Type.Optional(DateStr('Last day (default open-ended)')),
  },
  { additionalProperties: false },
);
export type GenerateT = Static<typeof Generate>;

export const UpdateSchedule = Type.Object(
  {
    slot_id: Type.Optional(Uuid()),
    room_no: Type.Optional(Nullable(Room)),
    effective_from: Type.Optional(DateStr()),
    effective_to: Type.Optional(Nullable(DateStr())),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateScheduleT = Static<typeof UpdateSchedule>;

export const ListSchedulesQuery = Type.Object(
  {
    ...PageQueryProps,
    class_id: Type.Optional(Uuid()),
    slot_id: Type.Optional(Uuid()),
    room_no: Type.Optional(Room),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const Reschedule = Type.Object(
  {
    id: Uuid(),
    class_id: Uuid(),
    schedule_id: Uuid(),
    original_date: DateStr(),
    action: StringEnum(['cancel', 'move']),
    new_date: Nullable(DateStr()),
    new_start_time: Nullable(Type.String()),
    new_end_time: Nullable(Type.String()),
    new_room_no: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    created_by: Nullable(Uuid()),
    created_at: Timestamp(),
  },
  { $id: 'ClassReschedule' },
);

export const CreateReschedule = Type.Object(
  {
    schedule_id: Uuid('The weekly schedule whose meeting changes'),
    original_date: DateStr('Date of the meeting being changed'),
    action: StringEnum(['cancel', 'move']),
    new_date: Type.Optional(DateStr('move: new date')),
    new_start_time: Type.Optional(Time('move: new start')),
    new_end_time: Type.Optional(Time('move: new end')),
    new_room_no: Type.Optional(Room),
    reason: Type.Optional(Type.String({ maxLength: 500, examples: ['Teacher at a conference'] })),
  },
  { additionalProperties: false },
);
export type CreateRescheduleT = Static<typeof CreateReschedule>;

export const RoomParams = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: 40, pattern: '^[^/]+$' }) },
  { additionalProperties: false },
);
