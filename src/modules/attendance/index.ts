export type { BelowThresholdEvent } from './attendance.events.js';
export {
  attendanceRecords,
  attendanceSessions,
  attendanceSettings,
  attendanceTallies,
} from './attendance.table.js';
export { percentage } from './attendance-alerts.service.js';
