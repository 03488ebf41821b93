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
  revokeAllSessions,
  setPassword,
  toUser,
} from './users.service.js';
export { roleAssignments, users } from './users.table.js';
export { countUsersAt } from './users-counts.repo.js';
