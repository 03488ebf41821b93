import type { FastifyInstance } from 'fastify';
import './timetable.policy.js';
import { timetableRoutes as scheduleRoutes } from './timetable.routes.js';
import { timetableViewRoutes } from './timetable-views.routes.js';

export { type Conflict, detectConflicts, type Placement } from './timetable.conflicts.js';
export { renderCalendar } from './timetable.ical.js';
export { classReschedules, classSchedules, timetableSlots } from './timetable.table.js';

/** Slots, schedules, generation, weekly views, reschedules and calendar feeds. */
export async function timetableRoutes(app: FastifyInstance) {
  await scheduleRoutes(app);
  await timetableViewRoutes(app);
}
