import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  pgEnum,
  pgTable,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { classes } from '../classes/index.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

export const slotType = pgEnum('slot_type', ['lecture', 'lab', 'tutorial', 'seminar', 'break', 'other']);

/** A weekly time slot of an organization: ISO day of week (1 = Monday … 7 = Sunday) and local times. */
export const timetableSlots = pgTable(
  'timetable_slots',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    name: text('name'),
    dayOfWeek: smallint('day_of_week').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    slotType: slotType('slot_type').notNull().default('lecture'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('timetable_slots_org_day_start_end_uq').on(
      t.organizationId,
      t.dayOfWeek,
      t.startTime,
      t.endTime,
    ),
    check('timetable_slots_day_check', sql`${t.dayOfWeek} between 1 and 7`),
    check('timetable_slots_time_check', sql`${t.endTime} > ${t.startTime}`),
  ],
);

/** A class meets weekly in a slot and a room, between effective dates. */
export const classSchedules = pgTable(
  'class_schedules',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => timetableSlots.id, { onDelete: 'restrict' }),
    roomNo: text('room_no'),
    effectiveFrom: date('effective_from').notNull(),
    effectiveTo: date('effective_to'),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('class_schedules_class_idx').on(t.classId),
    index('class_schedules_slot_idx').on(t.slotId),
    index('class_schedules_org_room_idx').on(t.organizationId, sql`upper(${t.roomNo})`),
    check(
      'class_schedules_dates_check',
      sql`${t.effectiveTo} is null or ${t.effectiveTo} >= ${t.effectiveFrom}`,
    ),
  ],
);

export const rescheduleAction = pgEnum('reschedule_action', ['cancel', 'move']);

/** A one-time change to one meeting of a weekly schedule: cancelled, or moved to another date/time/room. */
export const classReschedules = pgTable(
  'class_reschedules',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => classSchedules.id, { onDelete: 'cascade' }),
    originalDate: date('original_date').notNull(),
    action: rescheduleAction('action').notNull(),
    newDate: date('new_date'),
    newStartTime: time('new_start_time'),
    newEndTime: time('new_end_time'),
    newRoomNo: text('new_room_no'),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('class_reschedules_schedule_date_uq').on(t.scheduleId, t.originalDate),
    index('class_reschedules_class_idx').on(t.classId, t.originalDate),
    check(
      'class_reschedules_move_check',
      sql`${t.action} = 'cancel' or (${t.newDate} is not null and ${t.newStartTime} is not null and ${t.newEndTime} is not null and ${t.newEndTime} > ${t.newStartTime})`,
    ),
  ],
);

/**
 * A calendar feed link (docs/timetable-feeds.md): a secret in the URL lets a phone's calendar subscribe to one
 * of its owner's `.ics` feeds without a Bearer token. Only the secret's SHA-256 is stored; reading the feed
 * applies the owner's access as of now (a deactivated user's or out-of-scope feed answers 404).
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Which feed: `student` / `faculty` (target = the id) or `room` (target = the room number). */
    kind: text('kind').notNull(),
    target: text('target').notNull(),
    /** SHA-256 (hex) of the URL secret; the secret itself is shown once, on create and rotate. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('calendar_feeds_token_hash_uq').on(t.tokenHash),
    index('calendar_feeds_user_idx').on(t.userId),
    check('calendar_feeds_kind_check', sql`${t.kind} in ('student', 'faculty', 'room')`),
  ],
);
