import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../kernel/deps.js';
import { authenticateClient, type ClientPrincipal, SCOPE } from '../clients/index.js';
import { orError, orUnauthorized } from './oneroster-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * OneRoster routes: the scopes of which the client's token must hold at least one. The route's kernel
     * permission is `public` (no user token); this hook authenticates the API client instead.
     */
    oneRosterScopes?: readonly string[];
  }
  interface FastifyRequest {
    apiClient: ClientPrincipal | null;
  }
}

/** Which scopes open which endpoints (the binding: core data, all rostering, demographics, gradebook). */
export const SCOPES = {
  core: [SCOPE.rosterCore, SCOPE.roster],
  roster: [SCOPE.roster],
  demographics: [SCOPE.demographics],
  gradebookRead: [SCOPE.gradebookRead, SCOPE.gradebookWrite],
  gradebookWrite: [SCOPE.gradebookWrite],
} as const;

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(h);
  return m ? m[1] : null;
}

/**
 * The onRequest hook of the OneRoster routes: a valid, unrevoked client token (401 otherwise) holding one of
 * the route's scopes (403 otherwise). The client is then `request.apiClient`.
 */
export function clientAuthHook(deps: AppDeps) {
  return async (request: FastifyRequest) => {
    const need = request.routeOptions.config?.oneRosterScopes;
    if (!need) return;
    const token = bearer(request);
    if (!token) throw orUnauthorized();
    const client = await authenticateClient(deps, token);
    if (!client) throw orUnauthorized('The access token is invalid, expired or revoked');
    if (!need.some((s) => client.scopes.has(s))) {
      throw orError(403, 'forbidden', `This endpoint needs one of the scopes: ${need.join(' ')}`);
    }
    request.apiClient = client;
  };
}

/** The authenticated client of a OneRoster route. */
export function principalOf(request: FastifyRequest): ClientPrincipal {
  if (!request.apiClient) throw orUnauthorized();
  return request.apiClient;
}
