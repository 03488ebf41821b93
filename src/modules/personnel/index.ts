export { personnelPermissions, registerScope } from './personnel.policy.js';
export { PersonnelStatus, personnelFields } from './personnel.schemas.js';
export { toPersonnel } from './personnel.service.js';
export { PERSONNEL_STATUSES, personnel, personnelRegisters, personnelStatusHistory } from './personnel.table.js';
