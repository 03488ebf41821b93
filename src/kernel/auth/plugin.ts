import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthenticated } from '../errors.js';
import { type Actor, can } from './actor.js';
import type { ActorCache, CachedActor } from './actor-cache.js';
import { isKnownPermission, type RoutePermission } from './permissions.js';
import type { RevocationStore } from './revocation.js';
import type { AccessClaims, TokenService } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Mandatory on every route: `public`, `authenticated`, or a permission name. */
    permission?: RoutePermission;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface AuthPluginOptions {
  tokens: TokenService;
  revocations: RevocationStore;
  /**
   * Loads the user, their grants (with the organization ids of each subtree) and the session state in one
   * query; null = unknown/inactive/revoked. `sessionExpiresAt` (epoch ms) caps how long it may be cached.
   */
  loadActor(claims: AccessClaims): Promise<{ actor: CachedActor; sessionExpiresAt: number } | null>;
  /** The verified actors of recent sessions (kernel/auth/actor-cache.ts). */
  actors: ActorCache;
  /** Routes outside the API that third-party plugins register (the docs UI) are exempt. */
  exemptPrefixes: string[];
}

function bearer(request: FastifyRequest): string | null {
  const h = request.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(h);
  return m ? m[1] : null;
}

/** Resolves the actor from the Authorization header; throws 401 for a missing, bad or revoked token. */
export async function authenticate(request: FastifyRequest, opts: AuthPluginOptions): Promise<Actor> {
  const token = bearer(request);
  if (!token) throw unauthenticated();
  const claims = await opts.tokens.verifyAccess(token);
  if (!claims) throw unauthenticated('Invalid or expired token', 'invalid_token');
  // With Redis the shared denylist is asked on every request (a revocation is refused everywhere at once,
  // whatever a cache holds); without it, this store cannot tell and the actor's own lookup decides.
  if ((await opts.revocations.isSessionRevoked(claims.sid)) === true) {
    throw unauthenticated('Token has been revoked', 'token_revoked');
  }
  // A cached actor was verified against the database within its short lifetime, and every change of what
  // it may do evicts it in every process (kernel/auth/actor-cache.ts): no query on a hit.
  const base = await opts.actors.load(claims.sid, claims.sub, () => opts.loadActor(claims));
  if (!base) throw unauthenticated('Invalid or expired token', 'invalid_token');
  return { ...base, tokenId: claims.jti, tokenExpiresAt: claims.exp };
}

/**
 * Enforces the per-route permission declaration: boot fails when a route has none (so an unprotected
 * endpoint cannot ship by accident), and every request is authenticated and authorized before validation.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, opts) => {
    app.decorateRequest('actor', null);
    app.addHook('onRoute', (route) => {
      if (opts.exemptPrefixes.some((p) => route.url.startsWith(p))) return;
      const perm = route.config?.permission;
      if (!perm) {
        throw new Error(`Route ${route.method} ${route.url} declares no permission (config.permission)`);
      }
      if (!isKnownPermission(perm)) {
        throw new Error(`Route ${route.method} ${route.url} uses unknown permission "${perm}"`);
      }
    });
    app.addHook('onRequest', async (request) => {
      const perm = request.routeOptions.config?.permission;
      if (!perm || perm === 'public') return;
      request.actor = await authenticate(request, opts);
      if (perm !== 'authenticated' && !can(request.actor, perm)) throw forbidden();
    });
  },
  { name: 'registrar-auth' },
);
