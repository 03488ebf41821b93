import { defineModule } from '../../kernel/module.js';
import { enrollmentsPermissions } from './enrollments.policy.js';
import { enrollmentsRoutes } from './enrollments.routes.js';
import { programEnrollmentsRoutes } from './enrollments-programs.routes.js';
import { rosterRoutes } from './enrollments-roster.routes.js';

/** The enrollments module: what it adds to the app (see docs/architecture.md). */
export const enrollmentsModule = defineModule({
  name: 'enrollments',
  permissions: enrollmentsPermissions,
  routes: [enrollmentsRoutes, rosterRoutes, programEnrollmentsRoutes],
});
