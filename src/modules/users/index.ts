export type { EmailChangedEvent, SessionsEndingEvent } from './users.events.js';
export { Email, FullName, Password, User, Username } from './users.schemas.js';
export {
  assertOrgsInScope,
  bootstrapAdmin,
  deactivateLogin,
  findAllowedEmail,
  findForLogin,
  findUserByEmail,
  findUserById,
  findUserWithRoles,
  insertLoginUser,
  markEmailVerified,
  type NewLoginUser,
  recordLoginFailure,
  recordLoginSuccess,
  setPassword,
  syncLoginEmail,
  toUser,
} from './users.service.js';
export { roleAssignments, users } from './users.table.js';
export {
  type AccountCodePurpose,
  accountCodes,
  type SendAccountCode,
} from './users-account-codes.service.js';
export { type BulkLogin, defaultUsername, insertLoginUsers, takenLogins } from './users-bulk.repo.js';
export { countUsersAt } from './users-counts.repo.js';
export {
  type PersonColumns,
  type PersonColumnsFor,
  type PersonLogin,
  type ProvisionSpec,
  provisionPerson,
  rethrowUnique,
} from './users-provisioning.service.js';
