import { definePermissions } from '../../kernel/auth/permissions.js';

/** The permissions this module declares, and the roles that hold each. */
export const notificationsPermissions = definePermissions({
  /** Send announcements and delete notifications in one's organization subtree. */
  'notifications:send': ['admin', 'staff'],
  /** Receive one's own notifications live (GET /notifications/stream): every role. */
  'notifications:stream': ['admin', 'staff', 'principal', 'faculty', 'student', 'parent'],
});
