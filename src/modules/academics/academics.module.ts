import { defineModule } from '../../kernel/module.js';
import { academicsPermissions } from './academics.policy.js';
import { academicsRoutes } from './academics.routes.js';

/** The academics module: what it adds to the app (see docs/architecture.md). */
export const academicsModule = defineModule({
  name: 'academics',
  permissions: academicsPermissions,
  routes: [academicsRoutes],
});
