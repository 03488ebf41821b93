export { entryReadScope, scheduleReadScope } from './exams.policy.js';
export { examSchedules, examTimetableEntries, examVenues } from './exams.table.js';
