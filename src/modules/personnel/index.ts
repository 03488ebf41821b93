export { personnelPermissions, registerScope } from './personnel.policy.js';
export { PersonnelStatus, personnelFields } from './personnel.schemas.js';
export { toPersonnel } from './personnel.service.js';
export {
  PERSONNEL_STATUSES,
  personnel,
  personnelRegisters,
  personnelStatusHistory,
} from './personnel.table.js';
export { PersonnelDashboard } from './personnel-analytics.schemas.js';
export { personnelDashboard } from './personnel-analytics.service.js';
export {
  applyPersonnelImport,
  deactivateMissingPersonnel,
  type ImportField,
  type ImportWrite,
  importRegister,
  missingPersonnel,
  PERSONNEL_IMPORT_FIELDS,
  personnelByKeys,
} from './personnel-import.service.js';
