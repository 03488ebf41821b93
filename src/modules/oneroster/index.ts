export { onerosterTombstones } from './oneroster.table.js';
export {
  type OrCurrent,
  orApply,
  orCourseCodesTaken,
  orCurrent,
  orExisting,
  orNumbersTaken,
  orOrgCodesTaken,
  orOrgs,
  orStudentEnrollments,
  orTakenElsewhere,
  orUsersCurrent,
} from './oneroster-import.js';
