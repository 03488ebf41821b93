import { defineModule } from '../../kernel/module.js';
import { classesPermissions } from './classes.policy.js';
import { classesRoutes } from './classes.routes.js';
import { classesTeachingRoutes } from './classes-teaching.routes.js';

/** The classes module: what it adds to the app (see docs/architecture.md). */
export const classesModule = defineModule({
  name: 'classes',
  permissions: classesPermissions,
  routes: [classesRoutes, classesTeachingRoutes],
});
