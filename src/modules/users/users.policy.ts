import { definePermissions } from '../../kernel/auth/permissions.js';

/** The permissions this module declares, and the roles that hold each. */
export const usersPermissions = definePermissions({
  'users:read': ['admin', 'staff', 'principal'],
  'users:write': ['admin'],
  'roles:write': ['admin'],
  'allowed_emails:manage': ['admin'],
});
