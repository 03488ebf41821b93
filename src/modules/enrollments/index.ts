import type { FastifyInstance } from 'fastify';
import { enrollmentsRoutes as coreRoutes } from './enrollments.routes.js';
import { programEnrollmentsRoutes } from './enrollments-programs.routes.js';
import { rosterRoutes } from './enrollments-roster.routes.js';

export type { EnrollmentEvent } from './enrollments.events.js';
export { enrollmentReadScope, ownStudent } from './enrollments.policy.js';
export { enrollPairs } from './enrollments.service.js';
export { enrollments, programEnrollments } from './enrollments.table.js';

/** Enrollments, class rosters and program admissions. */
export async function enrollmentsRoutes(app: FastifyInstance) {
  await coreRoutes(app);
  await rosterRoutes(app);
  await programEnrollmentsRoutes(app);
}
