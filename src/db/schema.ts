// Every table, re-exported from the module that owns it. drizzle-kit reads this file to generate migrations.

export * from '../kernel/audit.table.js';
export * from '../kernel/mail/outbox.table.js';
export * from '../modules/auth/auth.table.js';
export * from '../modules/organizations/organizations.table.js';
export * from '../modules/users/users.table.js';
