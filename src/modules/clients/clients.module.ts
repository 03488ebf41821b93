import { defineModule } from '../../kernel/module.js';
import { clientsPermissions } from './clients.policy.js';
import { clientsRoutes } from './clients.routes.js';

/** API clients: OAuth 2.0 client credentials for OneRoster consumers (see docs/oneroster.md). */
export const clientsModule = defineModule({
  name: 'clients',
  permissions: clientsPermissions,
  routes: [clientsRoutes],
});
