import { defineModule } from '../../kernel/module.js';
import { platformRoutes } from './platform.routes.js';

/** The platform module: what it adds to the app (see docs/architecture.md). */
export const platformModule = defineModule({
  name: 'platform',
  routes: [platformRoutes],
});
