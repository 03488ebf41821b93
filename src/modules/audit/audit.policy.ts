import { definePermissions } from '../../kernel/auth/permissions.js';

/** The permissions this module declares, and the roles that hold each. */
export const auditPermissions = definePermissions({
  'audit:read': ['admin'],
});
