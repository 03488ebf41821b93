import { defineModule } from '../../kernel/module.js';
import { timetablePermissions } from './timetable.policy.js';
import { timetableRoutes } from './timetable.routes.js';
import { timetableFeedsRoutes } from './timetable-feeds.routes.js';
import { timetableViewRoutes } from './timetable-views.routes.js';

/** The timetable module: what it adds to the app (see docs/architecture.md). */
export const timetableModule = defineModule({
  name: 'timetable',
  permissions: timetablePermissions,
  routes: [timetableRoutes, timetableViewRoutes, timetableFeedsRoutes],
});
