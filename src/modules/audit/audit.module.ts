import { defineModule } from '../../kernel/module.js';
import { auditPermissions } from './audit.policy.js';
import { auditRoutes } from './audit.routes.js';

/** The audit module: what it adds to the app (see docs/architecture.md). */
export const auditModule = defineModule({
  name: 'audit',
  permissions: auditPermissions,
  routes: [auditRoutes],
});
