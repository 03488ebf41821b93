import { defineModule } from '../../kernel/module.js';
import { authRoutes } from './auth.routes.js';

/** The auth module: what it adds to the app (see docs/architecture.md). */
export const authModule = defineModule({
  name: 'auth',
  routes: [authRoutes],
});
