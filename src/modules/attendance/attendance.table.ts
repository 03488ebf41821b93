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
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { classes } from '../classes/index.js';
import { organizations } from '../organizations/index.js';
import { students } from '../students/index.js';
import { users } from '../users/index.js';

export const attendanceStatus = pgEnum('attendance_status', ['present', 'absent', 'late', 'excused']);

/**
 * One roll call: a class on a date (optionally a numbered period). Records hang off it. At most one session
 * per class, date and period (a missing period counts as period 0, the "whole day" session).
 */
export const attendanceSessions = pgTable(
  'attendance_sessions',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'restrict' }),
    sessionDate: date('session_date').notNull(),
    period: smallint('period'),
    /** URL of the processed classroom photo the AI recognition ran on (seed 001 `processedImageUrl`). */
    evidenceUrl: text('evidence_url'),
    takenBy: uuid('taken_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attendance_sessions_class_date_period_uq').on(
      t.classId,
      t.sessionDate,
      sql`(coalesce(${t.period}, 0))`,
    ),
    index('attendance_sessions_org_date_idx').on(t.organizationId, t.sessionDate),
    check('attendance_sessions_period_check', sql`${t.period} is null or ${t.period} between 1 and 24`),
  ],
);

/**
 * One student's status in one session: the biggest table (students × school days × periods). Denormalized
 * class_id / organization_id / attendance_date so every hot query (a class on a date, a student over a term,
 * an org's report for a month) is one index range scan without joining sessions. See
 * docs/attendance-scale.md for the partition-by-date plan.
 */
export const attendanceRecords = pgTable(
  'attendance_records',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => attendanceSessions.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'restrict' }),
    classId: uuid('class_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    attendanceDate: date('attendance_date').notNull(),
    status: attendanceStatus('status').notNull(),
    minutesLate: integer('minutes_late'),
    remarks: text('remarks'),
    recognizedByAi: boolean('recognized_by_ai').notNull().default(false),
    /** Face-match similarity (0–100) reported by the recognition model. */
    similarityScore: numeric('similarity_score', { precision: 5, scale: 2 }),
    markedBy: uuid('marked_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attendance_records_session_student_uq').on(t.sessionId, t.studentId),
    index('attendance_records_class_date_idx').on(t.classId, t.attendanceDate, t.id),
    index('attendance_records_student_date_idx').on(t.studentId, t.attendanceDate, t.id),
    index('attendance_records_org_date_idx').on(t.organizationId, t.attendanceDate, t.id),
    check('attendance_records_minutes_late_check', sql`${t.minutesLate} is null or ${t.minutesLate} >= 0`),
    check(
      'attendance_records_similarity_check',
      sql`${t.similarityScore} is null or ${t.similarityScore} between 0 and 100`,
    ),
  ],
);

/**
 * Running totals per (class, student): one row per student who has records in a class, kept exact by
 * statement-level triggers on attendance_records (migration 0005) in the same statement that writes the
 * records. Reports without a date range (defaulters, summaries, class reports) read these instead of
 * aggregating the whole records table, so their cost follows the number of enrollments, not of school days.
 */
export const attendanceTallies = pgTable(
  'attendance_tallies',
  {
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').notNull(),
    present: integer('present').notNull().default(0),
    absent: integer('absent').notNull().default(0),
    late: integer('late').notNull().default(0),
    excused: integer('excused').notNull().default(0),
    /** Attended (present + late) over counted (present + late + absent), unrounded; null before any count. */
    percentage: numeric('percentage').generatedAlwaysAs(
      sql`case when present + late + absent > 0 then 100.0 * (present + late) / (present + late + absent) end`,
    ),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.classId, t.studentId] }),
    index('attendance_tallies_student_idx').on(t.studentId),
    // Defaulters in their page order (percentage, then student and class: ties never need a sort, so a page
    // costs the same however many students share the lowest percentage); the counts let the exact
    // below-threshold comparison and the capped count of a page run as an index-only scan.
    index('attendance_tallies_org_pct_idx').on(
      t.organizationId,
      t.percentage,
      t.studentId,
      t.classId,
      t.present,
      t.late,
      t.absent,
    ),
  ],
);

/**
 * Per-organization attendance rules (owned here rather than in organizations.settings): records dated before
 * `freeze_before` are locked unless an admin has unlocked the organization until `unlocked_until`. The
 * setting of an organization also covers its whole subtree (a district freeze locks every school).
 */
export const attendanceSettings = pgTable('attendance_settings', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  freezeBefore: date('freeze_before'),
  unlockedUntil: timestamp('unlocked_until', { withTimezone: true }),
  /** Percentage under which guardians are alerted (attendanceHooks.onBelowThreshold). */
  alertThreshold: numeric('alert_threshold', { precision: 5, scale: 2 }).notNull().default('75'),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
