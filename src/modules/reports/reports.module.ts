import { defineModule } from '../../kernel/module.js';
import { reportsPermissions } from './reports.policy.js';
import { reportsRoutes } from './reports.routes.js';
import { reportsAnalyticsRoutes } from './reports-analytics.routes.js';
import { reportsExportJob } from './reports-export-job.js';

/** The reports module: the reports, the dashboards and attendance compliance (see docs/reports.md). */
export const reportsModule = defineModule({
  name: 'reports',
  permissions: reportsPermissions,
  routes: [reportsRoutes, reportsAnalyticsRoutes],
  jobs: [reportsExportJob],
});
