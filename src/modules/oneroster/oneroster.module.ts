import { defineModule } from '../../kernel/module.js';
import { onerosterRoutes } from './oneroster.routes.js';
import { moveTombstonePaths } from './oneroster-tombstones.js';

/** The OneRoster 1.2 provider: rostering, gradebook, CSV (see docs/oneroster.md). */
export const onerosterModule = defineModule({
  name: 'oneroster',
  prefix: '/ims/oneroster',
  routes: [onerosterRoutes],
  events: { 'organizations.tree_changed': moveTombstonePaths },
});
