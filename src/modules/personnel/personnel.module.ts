import { defineModule } from '../../kernel/module.js';
import { personnelPermissions } from './personnel.policy.js';
import { personnelRoutes } from './personnel.routes.js';
import { personnelAnalyticsRoutes } from './personnel-analytics.routes.js';
import { personnelRegistersRoutes } from './personnel-registers.routes.js';

/** The personnel module: registers, personnel, their status history and analytics (seed 003). */
export const personnelModule = defineModule({
  name: 'personnel',
  permissions: personnelPermissions,
  routes: [personnelRegistersRoutes, personnelRoutes, personnelAnalyticsRoutes],
});
