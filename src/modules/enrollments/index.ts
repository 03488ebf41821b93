export type { EnrollmentEvent } from './enrollments.events.js';
export {
  childEnrolledIn,
  enrolledIn,
  enrollmentReadScope,
  ownStudent,
  teachesStudent,
} from './enrollments.policy.js';
export { enrollPairs } from './enrollments.service.js';
export { enrollments, programEnrollments } from './enrollments.table.js';
export {
  applyRosterImport,
  CLASS_ROSTER_IMPORT_FIELDS,
  dropMissingRosterRows,
  importRosterSchool,
  missingRosterRows,
  rosterBatchErrors,
  rosterCurrent,
  rosterKey,
} from './enrollments-import.service.js';
