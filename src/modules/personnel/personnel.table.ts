import { sql } from 'drizzle-orm';
import { date, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

/** The statuses of seed 003; `filter` on the register list takes the same names (plus `all`). */
export const PERSONNEL_STATUSES = ['active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse'] as const;
export const personnelStatus = pgEnum('personnel_status', PERSONNEL_STATUSES);

/**
 * A personnel register (seed 003's "database"): a named roster owned by an organization. Deleting it
 * deletes its personnel and their history (ON DELETE CASCADE), which is why the API asks for confirmation.
 */
export const personnelRegisters = pgTable(
  'personnel_registers',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Upper-case, unique per organization. */
    shortCode: text('short_code').notNull(),
    description: text('description'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('personnel_registers_org_code_uq').on(t.organizationId, t.shortCode),
    index('personnel_registers_org_name_idx').on(t.organizationId, t.name, t.id),
  ],
);

/** One person on a register. Soft-deleted (`deleted_at`); the service number is unique among live rows. */
export const personnel = pgTable(
  'personnel',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    registerId: uuid('register_id')
      .notNull()
      .references(() => personnelRegisters.id, { onDelete: 'cascade' }),
    serviceNumber: text('service_number').notNull(),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    lastName: text('last_name').notNull(),
    rank: text('rank'),
    unit: text('unit'),
    status: personnelStatus('status').notNull().default('active'),
    statusDate: date('status_date'),
    phone: text('phone'),
    dateOfBirth: date('date_of_birth'),
    joiningDate: date('joining_date'),
    remarks: text('remarks'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Natural key of imports and the create conflict check; live rows only, so a number can be reused
    // after its holder was deleted.
    uniqueIndex('personnel_register_service_number_uq')
      .on(t.registerId, t.serviceNumber)
      .where(sql`${t.deletedAt} is null`),
    // The register list in its default order, and the status filter before the same order.
    index('personnel_register_name_idx')
      .on(t.registerId, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    index('personnel_register_status_name_idx')
      .on(t.registerId, t.status, t.lastName, t.firstName, t.id)
      .where(sql`${t.deletedAt} is null`),
    // All registers at once (an admin's /personnel without register_id).
    index('personnel_name_idx').on(t.lastName, t.firstName, t.id).where(sql`${t.deletedAt} is null`),
    // `search`: trigram index over the names and the service number, for ILIKE '%term%'.
    index('personnel_search_trgm_idx').using(
      'gin',
      sql`(lower(${t.firstName} || ' ' || coalesce(${t.middleName}, '') || ' ' || ${t.lastName} || ' ' || ${t.serviceNumber})) gin_trgm_ops`,
    ),
  ],
);

/**
 * Every status a person has had: the creation (`from_status` null), each change, written in the same
 * transaction as the change. The month-over-month analytics are computed from it.
 */
export const personnelStatusHistory = pgTable(
  'personnel_status_history',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    personnelId: uuid('personnel_id')
      .notNull()
      .references(() => personnel.id, { onDelete: 'cascade' }),
    registerId: uuid('register_id')
      .notNull()
      .references(() => personnelRegisters.id, { onDelete: 'cascade' }),
    fromStatus: personnelStatus('from_status'),
    toStatus: personnelStatus('to_status').notNull(),
    statusDate: date('status_date'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    reason: text('reason'),
  },
  (t) => [
    index('personnel_status_history_person_idx').on(t.personnelId, t.changedAt),
    index('personnel_status_history_register_idx').on(t.registerId, t.changedAt),
    index('personnel_status_history_changed_by_idx').on(t.changedBy),
  ],
);
