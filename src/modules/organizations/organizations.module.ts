import { defineModule } from '../../kernel/module.js';
import { organizationsPermissions } from './organizations.policy.js';
import { organizationsRoutes } from './organizations.routes.js';

/** The organizations module: what it adds to the app (see docs/architecture.md). */
export const organizationsModule = defineModule({
  name: 'organizations',
  permissions: organizationsPermissions,
  routes: [organizationsRoutes],
});
