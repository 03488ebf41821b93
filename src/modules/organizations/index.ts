export type { TreeChangedEvent } from './organizations.events.js';
export { orgScope } from './organizations.policy.js';
export {
  findById as findOrganizationById,
  findInScope as findOrganizationInScope,
} from './organizations.repo.js';
export { organizationsRoutes } from './organizations.routes.js';
export { createRootOrganization, toOrganization } from './organizations.service.js';
export { organizations } from './organizations.table.js';
