import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';

export const orgKind = pgEnum('org_kind', ['district', 'school', 'university', 'campus', 'office']);

/**
 * The organization tree. `path` is the materialized path of ids (`/root/child/…/self/`) so a subtree is one
 * indexed prefix match; it is maintained by the service on insert and re-parenting.
 */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    parentId: uuid('parent_id').references((): AnyPgColumn => organizations.id, { onDelete: 'restrict' }),
    kind: orgKind('kind').notNull(),
    name: text('name').notNull(),
    code: text('code'),
    path: text('path').notNull(),
    currency: text('currency').notNull().default('USD'),
    timezone: text('timezone').notNull().default('UTC'),
    allowSelfRegistration: boolean('allow_self_registration').notNull().default(false),
    settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organizations_parent_idx').on(t.parentId),
    index('organizations_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    uniqueIndex('organizations_parent_code_uq').on(t.parentId, t.code),
  ],
);
