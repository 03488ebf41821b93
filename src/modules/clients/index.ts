export { ONEROSTER_SCOPES, type OneRosterScope, SCOPE } from './clients.policy.js';
export {
  authenticateClient,
  type ClientPrincipal,
  clientActor,
  exchangeToken,
  OAuthError,
  type TokenRequest,
} from './clients.service.js';
export { apiClients } from './clients.table.js';
