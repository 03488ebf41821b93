import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

/** One message, written once; who receives it lives in `user_notifications` (one row per recipient). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** all | students | faculty | staff | specific | event (system events: finance, enrollment). */
    targetAudience: text('target_audience').notNull(),
    targetIds: uuid('target_ids').array(),
    /** Machine kind of system events (`payment_received`, `enrollment_charged`, …); `announcement` otherwise. */
    kind: text('kind').notNull().default('announcement'),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_org_created_idx').on(t.organizationId, t.createdAt)],
);

/** Delivery of a notification to one user, with its read state. */
export const userNotifications = pgTable(
  'user_notifications',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Delivery order: the live stream's event id (`id:`), so `Last-Event-ID` replays the deliveries after
     * it. One sequence for every user, hence increasing for each user.
     */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    uniqueIndex('user_notifications_notification_user_uq').on(t.notificationId, t.userId),
    index('user_notifications_user_seq_idx').on(t.userId, t.seq),
    index('user_notifications_user_created_idx').on(t.userId, t.createdAt, t.notificationId),
    index('user_notifications_user_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);
