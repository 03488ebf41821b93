import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

export const IMPORT_TARGETS = [
  'personnel',
  'students',
  'faculty',
  'guardians',
  'class_rosters',
  'oneroster',
] as const;
export const IMPORT_MODES = ['dry_run', 'all_or_nothing', 'valid_only'] as const;
export const IMPORT_STATES = [
  'validating',
  'validated',
  'committing',
  'committed',
  'rejected',
  'failed',
] as const;
export const ROW_ACTIONS = ['create', 'update', 'unchanged', 'error'] as const;

export const importTarget = pgEnum('import_target', IMPORT_TARGETS);
export const importMode = pgEnum('import_mode', IMPORT_MODES);
export const importState = pgEnum('import_state', IMPORT_STATES);
export const importRowAction = pgEnum('import_row_action', ROW_ACTIONS);

/** One uploaded file and what became of it: its state, progress counters, and the summary of the diff. */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    /** The organization the import writes into (the register's or the school's), for listing and audit. */
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    target: importTarget('target').notNull(),
    mode: importMode('mode').notNull(),
    state: importState('state').notNull().default('validating'),
    /** The target's scope: the register (personnel) or the school (students) every row goes into. */
    scopeId: uuid('scope_id').notNull(),
    fileName: text('file_name').notNull(),
    fileFormat: text('file_format').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileSize: integer('file_size').notNull(),
    /** Storage key of the uploaded file; never returned by the API. */
    fileKey: text('file_key').notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    complete: boolean('complete').notNull().default(false),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsValidated: integer('rows_validated').notNull().default(0),
    rowsInvalid: integer('rows_invalid').notNull().default(0),
    rowsWritten: integer('rows_written').notNull().default(0),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    failure: text('failure'),
    /** The background job of a large commit (`imports.commit`), when one was queued. */
    jobId: uuid('job_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    /** Kept so the history still names who ran an import after the user is gone. */
    createdByUsername: text('created_by_username'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('imports_org_created_idx').on(t.organizationId, t.createdAt, t.id),
    index('imports_created_by_idx').on(t.createdBy),
  ],
);

/**
 * The staged rows of an import: the normalized values, the action the dry run found (create, update,
 * unchanged, error) and its details. The commit reads them back in batches, so the file is parsed once.
 */
export const importRows = pgTable(
  'import_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** The row as a spreadsheet shows it (the header is row 1 in CSV and XLSX; element 1 in JSON). */
    rowNumber: integer('row_number').notNull(),
    naturalKey: text('natural_key'),
    action: importRowAction('action').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    changedFields: text('changed_fields').array(),
    /** `[{column, value, message}]` for rows in error. */
    errors: jsonb('errors').$type<Array<{ column: string | null; value: string | null; message: string }>>(),
    targetId: uuid('target_id'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNumber] }),
    index('import_rows_action_idx').on(t.importId, t.action, t.rowNumber),
  ],
);
