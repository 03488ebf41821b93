export { classReschedules, classSchedules, timetableSlots } from './timetable.table.js';
export { type Conflict, detectConflicts, type Placement } from './timetable-conflicts.js';
export { IcsResponse, sendIcs } from './timetable-feed.js';
export { renderCalendar } from './timetable-ical.js';
