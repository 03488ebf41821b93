export type { DepartmentHeadAssigned } from './academics.events.js';
export {
  catalogReadScope,
  catalogWriteScope,
  orgInSubtree,
  orgIsSelfOrAncestor,
} from './academics.policy.js';
export { assertRef } from './academics.repo.js';
export { DepartmentFaculty, DepartmentStudent, NullableNum, SubPageQuery } from './academics.schemas.js';
export { coursesSvc, crudOrgs, departmentsSvc, toCourse } from './academics.service.js';
export * from './academics.table.js';
