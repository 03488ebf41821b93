import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { faculty, staff } from '../faculty/index.js';
import { ledgerEntries } from '../finance/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

export const hostelType = pgEnum('hostel_type', ['boys', 'girls', 'mixed', 'staff']);
export const hostelRoomType = pgEnum('hostel_room_type', ['single', 'double', 'triple', 'dormitory']);
export const hostelRoomStatus = pgEnum('hostel_room_status', ['available', 'maintenance', 'closed']);
/** The seed's ACTIVE / VACATED / TRANSFERRED; rows are never deleted, so the history stays whole. */
export const hostelAllocationStatus = pgEnum('hostel_allocation_status', [
  'active',
  'vacated',
  'transferred',
]);

const orgRef = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'restrict' });
const stamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A residence hall. The warden is a faculty member or a staff member (at most one of the two columns). */
export const hostels = pgTable(
  'hostels',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    name: text('name').notNull(),
    hostelType: hostelType('hostel_type').notNull(),
    wardenFacultyId: uuid('warden_faculty_id').references(() => faculty.id, { onDelete: 'set null' }),
    wardenStaffId: uuid('warden_staff_id').references(() => staff.id, { onDelete: 'set null' }),
    address: text('address'),
    phone: text('phone'),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('hostels_org_name_uq').on(t.organizationId, sql`lower(${t.name})`),
    index('hostels_org_type_idx').on(t.organizationId, t.hostelType),
    index('hostels_warden_faculty_idx').on(t.wardenFacultyId),
    index('hostels_warden_staff_idx').on(t.wardenStaffId),
    check('hostels_one_warden_check', sql`num_nonnulls(${t.wardenFacultyId}, ${t.wardenStaffId}) <= 1`),
  ],
);

/** A room of a hostel; `capacity` beds. The organization is the hostel's (copied for scope filters). */
export const hostelRooms = pgTable(
  'hostel_rooms',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    hostelId: uuid('hostel_id')
      .notNull()
      .references(() => hostels.id, { onDelete: 'restrict' }),
    roomNumber: text('room_number').notNull(),
    roomType: hostelRoomType('room_type').notNull(),
    capacity: integer('capacity').notNull(),
    floor: integer('floor'),
    roomStatus: hostelRoomStatus('room_status').notNull().default('available'),
    isActive: boolean('is_active').notNull().default(true),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('hostel_rooms_hostel_room_number_uq').on(t.hostelId, sql`lower(${t.roomNumber})`),
    index('hostel_rooms_org_idx').on(t.organizationId, t.roomType, t.roomStatus),
    check('hostel_rooms_capacity_check', sql`${t.capacity} between 1 and 500`),
  ],
);

/**
 * One stay of a student in a room. A transfer ends the row (transferred) and starts a new one that points
 * back at it; a vacate ends it (vacated). At most one active row per student (partial unique index).
 */
export const hostelAllocations = pgTable(
  'hostel_allocations',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    hostelId: uuid('hostel_id')
      .notNull()
      .references(() => hostels.id, { onDelete: 'restrict' }),
    roomId: uuid('room_id')
      .notNull()
      .references(() => hostelRooms.id, { onDelete: 'restrict' }),
    academicYear: text('academic_year'),
    status: hostelAllocationStatus('status').notNull().default('active'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date'),
    transferredFromId: uuid('transferred_from_id').references((): AnyPgColumn => hostelAllocations.id, {
      onDelete: 'restrict',
    }),
    remarks: text('remarks'),
    /** The hostel fee charged to the ledger for this allocation, if any. */
    chargeEntryId: uuid('charge_entry_id').references(() => ledgerEntries.id, { onDelete: 'restrict' }),
    chargeMinor: bigint('charge_minor', { mode: 'number' }),
    allocatedBy: uuid('allocated_by').references(() => users.id, { onDelete: 'set null' }),
    endedBy: uuid('ended_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('hostel_allocations_student_active_uq').on(t.studentId).where(sql`${t.status} = 'active'`),
    index('hostel_allocations_student_idx').on(t.studentId, t.startDate, t.createdAt),
    index('hostel_allocations_room_status_idx').on(t.roomId, t.status),
    index('hostel_allocations_hostel_status_idx').on(t.hostelId, t.status),
    index('hostel_allocations_org_year_idx').on(t.organizationId, t.academicYear, t.status),
    index('hostel_allocations_from_idx').on(t.transferredFromId),
    index('hostel_allocations_charge_idx').on(t.chargeEntryId),
    check('hostel_allocations_dates_check', sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check('hostel_allocations_end_check', sql`(${t.status} = 'active') = (${t.endDate} is null)`),
  ],
);

/**
 * The hostel fee of an academic year: for a whole hostel (room_type null) or one room type of it (wins over
 * the hostel-wide fee). `period_start`..`period_end` is the year, used to pro-rate a late allocation.
 */
export const hostelFees = pgTable(
  'hostel_fees',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: orgRef(),
    hostelId: uuid('hostel_id')
      .notNull()
      .references(() => hostels.id, { onDelete: 'cascade' }),
    roomType: hostelRoomType('room_type'),
    academicYear: text('academic_year').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('hostel_fees_hostel_year_type_uq')
      .on(t.hostelId, t.academicYear, t.roomType)
      .where(sql`${t.roomType} is not null`),
    uniqueIndex('hostel_fees_hostel_year_uq')
      .on(t.hostelId, t.academicYear)
      .where(sql`${t.roomType} is null`),
    index('hostel_fees_org_year_idx').on(t.organizationId, t.academicYear),
    check('hostel_fees_amount_check', sql`${t.amountMinor} > 0`),
    check('hostel_fees_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

/** Per-organization hostel rules; the nearest organization (self, then ancestors) with a row applies. */
export const hostelSettings = pgTable('hostel_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** Charge a late allocation only the remaining days of the fee period (else the full fee). */
  prorateFees: boolean('prorate_fees').notNull().default(false),
  /** Hostel charges fall due this many days after the allocation. */
  feeDueDays: integer('fee_due_days').notNull().default(30),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
