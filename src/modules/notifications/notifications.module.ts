import { defineModule } from '../../kernel/module.js';
import { notificationsPermissions } from './notifications.policy.js';
import { notificationsRoutes } from './notifications.routes.js';
import { notificationsStreamRoutes } from './notifications-stream.routes.js';

/** The notifications module: what it adds to the app (see docs/architecture.md). */
export const notificationsModule = defineModule({
  name: 'notifications',
  permissions: notificationsPermissions,
  routes: [notificationsStreamRoutes, notificationsRoutes],
});
