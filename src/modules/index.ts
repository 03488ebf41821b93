import type { FastifyInstance } from 'fastify';
import { attendanceRoutes } from './attendance/index.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/index.js';
import { organizationsRoutes } from './organizations/index.js';
import { timetableRoutes } from './timetable/index.js';
import { usersRoutes } from './users/index.js';

/** Every API module's routes plugin, registered under /api/v1 in this order. */
export const apiModules: Array<(app: FastifyInstance) => Promise<void>> = [
  authRoutes,
  usersRoutes,
  organizationsRoutes,
  auditRoutes,
  attendanceRoutes,
  timetableRoutes,
];
