import type { FastifyInstance } from 'fastify';
import './attendance.policy.js';
import { attendanceRoutes as recordRoutes } from './attendance.routes.js';
import { attendanceAnalyticsRoutes } from './attendance-analytics.routes.js';

export type { BelowThresholdEvent } from './attendance.events.js';
export {
  attendanceRecords,
  attendanceSessions,
  attendanceSettings,
  attendanceTallies,
} from './attendance.table.js';
export { percentage } from './attendance-alerts.js';

/** Every attendance route: sessions, records, analytics and the freeze settings. */
export async function attendanceRoutes(app: FastifyInstance) {
  await recordRoutes(app);
  await attendanceAnalyticsRoutes(app);
}
