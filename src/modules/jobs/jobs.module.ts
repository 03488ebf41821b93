import { defineModule } from '../../kernel/module.js';
import { jobsPermissions } from './jobs.policy.js';
import { jobsRoutes } from './jobs.routes.js';

/** The jobs module: job records, the pg-boss worker and the job routes (see docs/jobs.md). */
export const jobsModule = defineModule({
  name: 'jobs',
  permissions: jobsPermissions,
  routes: [jobsRoutes],
});
