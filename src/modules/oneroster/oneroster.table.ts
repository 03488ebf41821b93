import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';

/**
 * Tombstones of deleted roster records, so delta sync (`filter=dateLastModified>'…'`) can report a hard
 * deletion as `status: tobedeleted`. Filled by AFTER DELETE triggers (oneroster.custom.sql) on organizations,
 * academic sessions, courses, classes, students, faculty, guardians, enrollments and teaching assignments.
 * Soft deletions (students and faculty `deleted_at`, inactive courses and classes, dropped enrollments) stay
 * in their tables and are served from there. No foreign keys: the deleted row is gone. `org_path` is the
 * materialized path of the record's organization at deletion time, for the client's subtree scope.
 */
export const onerosterTombstones = pgTable(
  'oneroster_tombstones',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    /** org | academicSession | course | class | student | teacher | guardian | enrollment | teaching */
    entity: text('entity').notNull(),
    sourcedId: uuid('sourced_id').notNull(),
    organizationId: uuid('organization_id'),
    orgPath: text('org_path').notNull(),
    /** What the collections filter on besides dates (an academic session's type, an org's kind). */
    detail: jsonb('detail'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('oneroster_tombstones_entity_time_idx').on(t.entity, t.deletedAt),
    index('oneroster_tombstones_sourced_idx').on(t.sourcedId),
  ],
);

/**
 * How many people of each OneRoster role (student, teacher, parent) an organization homes, live (status
 * active) or not (soft-deleted: tobedeleted), kept exact by statement-level triggers on students, faculty and
 * guardians (oneroster.custom.sql) in the statement that changes them. `users` pages read their
 * `X-Total-Count` from here when the filter is absent or only `status`, so the count costs the number of
 * organizations in the client's subtree, not the number of people (docs/oneroster.md). Split over a few
 * `shard`s (by transaction id) so concurrent writers of one school rarely wait on the same row; readers sum.
 */
export const onerosterUserCounts = pgTable(
  'oneroster_user_counts',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    live: boolean('live').notNull(),
    shard: smallint('shard').notNull().default(0),
    value: bigint('value', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.role, t.live, t.shard] })],
);
