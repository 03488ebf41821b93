import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { JOB_STATES } from '../../kernel/jobs.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

export const jobState = pgEnum('job_state', JOB_STATES);

/**
 * A background job as people follow it: its owner, state, progress and result file. The queue library
 * (pg-boss, its own schema) holds the scheduling; this row is the truth about what the job produced, so
 * a retried or duplicated attempt never produces a second result (see docs/jobs.md).
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    state: jobState('state').notNull().default('queued'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    progress: integer('progress').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    error: text('error'),
    /** Storage key of the result (kernel/storage.ts); never leaves the server. */
    resultKey: text('result_key'),
    resultFileName: text('result_file_name'),
    resultContentType: text('result_content_type'),
    resultSize: bigint('result_size', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('jobs_owner_created_idx').on(t.ownerId, t.createdAt, t.id),
    index('jobs_org_created_idx').on(t.organizationId, t.createdAt),
    check('jobs_progress_check', sql`${t.progress} between 0 and 100`),
    check('jobs_attempts_check', sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1`),
    check('jobs_result_check', sql`(${t.state} = 'succeeded') = (${t.resultKey} is not null)`),
  ],
);
