import { defineModule } from '../../kernel/module.js';
import { usersPermissions } from './users.policy.js';
import { usersRoutes } from './users.routes.js';

/** The users module: what it adds to the app (see docs/architecture.md). */
export const usersModule = defineModule({
  name: 'users',
  permissions: usersPermissions,
  routes: [usersRoutes],
});
