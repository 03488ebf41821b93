export { onerosterTombstones } from './oneroster.table.js';
export {
  type OrCurrent,
  orApply,
  orCourseCodesTaken,
  orCurrent,
  orExisting,
  orNumbersTaken,
  orOrgs,
  orStudentEnrollments,
  orTakenElsewhere,
  orUsersCurrent,
} from './oneroster-import.js';
