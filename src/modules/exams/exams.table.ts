import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
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
import { academicSessions, courses } from '../academics/index.js';
import { classes } from '../classes/index.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

const id = () =>
  uuid('id')
    .primaryKey()
    .$defaultFn(() => uuidv7());
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'restrict' });
const stamps = () => ({
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const examType = pgEnum('exam_type', ['midterm', 'final', 'supplementary', 'improvement']);
export const examStatus = pgEnum('exam_status', ['draft', 'scheduled', 'ongoing', 'completed', 'cancelled']);

/** An exam schedule (seed 004): one sitting of exams of an organization, e.g. "Fall 2026 finals". */
export const examSchedules = pgTable(
  'exam_schedules',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    examType: examType('exam_type').notNull(),
    status: examStatus('status').notNull().default('draft'),
    /** Set when the schedule is for one course only; its timetable entries must then be classes of it. */
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'restrict' }),
    academicSessionId: uuid('academic_session_id').references(() => academicSessions.id, {
      onDelete: 'set null',
    }),
    academicYear: text('academic_year').notNull(),
    semester: smallint('semester'),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    description: text('description'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    index('exam_schedules_org_start_idx').on(t.organizationId, t.startDate),
    index('exam_schedules_org_year_sem_idx').on(t.organizationId, t.academicYear, t.semester),
    index('exam_schedules_course_idx').on(t.courseId),
    index('exam_schedules_session_idx').on(t.academicSessionId),
    index('exam_schedules_created_by_idx').on(t.createdBy),
    check('exam_schedules_dates_check', sql`${t.endDate} >= ${t.startDate}`),
    check('exam_schedules_semester_check', sql`${t.semester} is null or ${t.semester} between 1 and 12`),
  ],
);

/**
 * A room or hall exams are written in, with its seating capacity. The weekly timetable only knows room
 * numbers as text, without capacity, so exam venues are a small table of their own per organization.
 */
export const examVenues = pgTable(
  'exam_venues',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    capacity: integer('capacity').notNull(),
    location: text('location'),
    isActive: boolean('is_active').notNull().default(true),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('exam_venues_org_name_uq').on(t.organizationId, sql`upper(${t.name})`),
    check('exam_venues_capacity_check', sql`${t.capacity} > 0`),
  ],
);

/**
 * One paper of an exam schedule: a class writes it on a date, from a local start time, for a duration, in a
 * venue. `starts_at`/`ends_at` are the same times as instants (the organization's time zone applied when
 * the entry is written); clash checks compare them, so two organizations in different zones compare right.
 */
export const examTimetableEntries = pgTable(
  'exam_timetable_entries',
  {
    id: id(),
    organizationId: orgId(),
    examScheduleId: uuid('exam_schedule_id')
      .notNull()
      .references(() => examSchedules.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => examVenues.id, { onDelete: 'restrict' }),
    examDate: date('exam_date').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    maxMarks: numeric('max_marks', { precision: 8, scale: 2 }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...stamps(),
  },
  (t) => [
    uniqueIndex('exam_timetable_entries_schedule_class_uq').on(t.examScheduleId, t.classId),
    index('exam_timetable_entries_class_idx').on(t.classId),
    index('exam_timetable_entries_starts_idx').on(t.startsAt),
    index('exam_timetable_entries_venue_starts_idx').on(t.venueId, t.startsAt),
    index('exam_timetable_entries_org_date_idx').on(t.organizationId, t.examDate, t.startTime),
    index('exam_timetable_entries_created_by_idx').on(t.createdBy),
    check('exam_timetable_entries_duration_check', sql`${t.durationMinutes} between 15 and 720`),
    check(
      'exam_timetable_entries_same_day_check',
      sql`extract(epoch from ${t.startTime}) + ${t.durationMinutes} * 60 < 86400`,
    ),
    check('exam_timetable_entries_instants_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('exam_timetable_entries_max_marks_check', sql`${t.maxMarks} > 0`),
  ],
);
