import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../../kernel/ids.js';
import { organizations } from '../organizations/index.js';
import { users } from '../users/index.js';

/**
 * Registered API clients (OAuth 2.0 client credentials). The secret is stored only as an argon2id hash, like
 * a password. `credential_id` changes on every rotation and is the `sid` of the client's access tokens: a
 * rotated or revoked client's tokens stop at once (the per-request lookup requires the current credential,
 * and the shared revocation store is told too). `service_user_id` is an inactive login-less user that stands
 * for the client where other modules record who did something (marks' graded_by, audit rows).
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id')
      .primaryKey()
      .$defaultFn(() => uuidv7()),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    clientId: text('client_id').notNull(),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    secretHash: text('secret_hash').notNull(),
    credentialId: uuid('credential_id').notNull(),
    serviceUserId: uuid('service_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastTokenAt: timestamp('last_token_at', { withTimezone: true }),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('api_clients_client_id_uq').on(t.clientId),
    index('api_clients_org_idx').on(t.organizationId, t.createdAt),
    uniqueIndex('api_clients_service_user_uq').on(t.serviceUserId),
    index('api_clients_created_by_idx').on(t.createdBy),
  ],
);
