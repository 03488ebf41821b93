import { date, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from '../organizations/index.js';

/**
 * Running counts per organization (students, faculty, departments, programs, courses, active enrollments,
 * books, hostel beds and occupied beds, attendance and posted-grade sums), kept exact by statement-level
 * triggers on the fact tables (reports.custom.sql) in the statement that changes them. The dashboards and
 * the district view read these rows instead of counting the fact tables: their cost follows the number of
 * organizations, not of students.
 *
 * Each counter is split over a few `shard`s (chosen by transaction id) so concurrent writers in one school
 * rarely wait on the same row; a reader sums the shards.
 */
export const reportCounters = pgTable(
  'report_counters',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    shard: smallint('shard').notNull().default(0),
    value: numeric('value').notNull().default('0'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.metric, t.shard] })],
);

/**
 * Monthly tallies per organization for the trends: enrollments created, attendance (attended and counted
 * records by the month of the attendance date), fee payments and refunds per currency (by the month the
 * ledger entry occurred, UTC). Kept by the same triggers; `currency` is '' for counts.
 */
export const reportMonthly = pgTable(
  'report_monthly',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    month: date('month').notNull(),
    metric: text('metric').notNull(),
    currency: text('currency').notNull().default(''),
    shard: smallint('shard').notNull().default(0),
    value: numeric('value').notNull().default('0'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The trends read a window of months per organization: a range scan of the primary key.
  (t) => [primaryKey({ columns: [t.organizationId, t.month, t.metric, t.currency, t.shard] })],
);
