import { defineModule } from '../../kernel/module.js';
import { hostelsPermissions } from './hostels.policy.js';
import { hostelsRoutes } from './hostels.routes.js';
import { hostelAllocationsRoutes } from './hostels-allocations.routes.js';

/** The hostels module: hostels, rooms, allocations, hostel fees (see docs/hostels.md). */
export const hostelsModule = defineModule({
  name: 'hostels',
  permissions: hostelsPermissions,
  routes: [hostelsRoutes, hostelAllocationsRoutes],
});
