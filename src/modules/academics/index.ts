export { type CrudSpec, crudRoutes, crudService, type OrgRef } from './academics.crud.js';
export type { DepartmentHeadAssigned } from './academics.events.js';
export {
  catalogReadScope,
  catalogWriteScope,
  orgInSubtree,
  orgIsSelfOrAncestor,
} from './academics.policy.js';
export { assertRef } from './academics.repo.js';
export { academicsRoutes } from './academics.routes.js';
export { NullableNum } from './academics.schemas.js';
export { coursesSvc, toCourse } from './academics.service.js';
export * from './academics.table.js';
