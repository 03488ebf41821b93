import { defineModule } from '../../kernel/module.js';
import { attendancePermissions } from './attendance.policy.js';
import { attendanceRoutes } from './attendance.routes.js';
import { alertGuardians } from './attendance-alerts-guardians.service.js';
import { attendanceAnalyticsRoutes } from './attendance-analytics.routes.js';
import { attendanceStudentsRoutes } from './attendance-students.routes.js';

/** The attendance module: what it adds to the app (see docs/architecture.md). */
export const attendanceModule = defineModule({
  name: 'attendance',
  permissions: attendancePermissions,
  events: { 'attendance.below_threshold': alertGuardians },
  routes: [attendanceRoutes, attendanceAnalyticsRoutes, attendanceStudentsRoutes],
});
