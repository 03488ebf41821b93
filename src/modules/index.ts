import type { FastifyInstance } from 'fastify';
import { academicsRoutes } from './academics/index.js';
import { attendanceRoutes } from './attendance/index.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/index.js';
import { classesRoutes } from './classes/index.js';
import { enrollmentsRoutes } from './enrollments/index.js';
import { facultyRoutes, staffRoutes } from './faculty/index.js';
import { financeRoutes } from './finance/index.js';
import { notificationsRoutes } from './notifications/index.js';
import { organizationsRoutes } from './organizations/index.js';
import { guardiansRoutes, studentsRoutes } from './students/index.js';
import { timetableRoutes } from './timetable/index.js';
import { usersRoutes } from './users/index.js';

/** Every API module's routes plugin, registered under /api/v1 in this order. */
export const apiModules: Array<(app: FastifyInstance) => Promise<void>> = [
  authRoutes,
  usersRoutes,
  organizationsRoutes,
  auditRoutes,
  financeRoutes,
  notificationsRoutes,
  studentsRoutes,
  guardiansRoutes,
  facultyRoutes,
  staffRoutes,
  academicsRoutes,
  classesRoutes,
  enrollmentsRoutes,
  attendanceRoutes,
  timetableRoutes,
];
