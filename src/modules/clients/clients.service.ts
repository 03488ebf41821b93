import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, RequestContext } from '../../kernel/auth/actor.js';
import { hashPassword, verifyPassword } from '../../kernel/auth/passwords.js';
import { newOpaqueToken } from '../../kernel/auth/tokens.js';
import type { AppDeps } from '../../kernel/deps.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { assertOrgsInScope, users } from '../users/index.js';
import type { OneRosterScope } from './clients.policy.js';
import * as repo from './clients.repo.js';
import type {
  ApiClientT,
  ApiClientWithSecretT,
  CreateApiClientT,
  ListApiClientsQueryT,
} from './clients.schemas.js';
import { ClientTokens } from './clients-tokens.js';

export function toApiClient(r: repo.ApiClientRow): ApiClientT {
  return {
    id: r.id,
    client_id: r.clientId,
    name: r.name,
    organization_id: r.organizationId,
    scopes: r.scopes as OneRosterScope[],
    created_by: r.createdBy,
    last_token_at: iso(r.lastTokenAt),
    rotated_at: iso(r.rotatedAt),
    revoked_at: iso(r.revokedAt),
    created_at: iso(r.createdAt)!,
    updated_at: iso(r.updatedAt)!,
  };
}

const tokenServices = new WeakMap<AppDeps, ClientTokens>();

/** The app's client token service (one per app: its JWT secret, issuer and access-token lifetime). */
export function clientTokens(deps: AppDeps): ClientTokens {
  let t = tokenServices.get(deps);
  if (!t) {
    t = new ClientTokens(deps.config.jwtSecret, deps.config.jwtIssuer, deps.tokens.accessTtlSeconds);
    tokenServices.set(deps, t);
  }
  return t;
}

const newClientId = () => `or_${randomBytes(12).toString('base64url')}`;

/** Registers a client: the row, its stand-in service user (inactive, no password) and the audit row. */
export async function createClient(
  db: Db,
  ctx: RequestContext,
  input: CreateApiClientT,
): Promise<ApiClientWithSecretT> {
  const secret = newOpaqueToken();
  const secretHash = await hashPassword(secret);
  return withTx(db, async (tx) => {
    await assertOrgsInScope(tx, ctx, 'api_clients:manage', [input.organization_id]);
    const clientId = newClientId();
    const [svcUser] = await tx
      .insert(users)
      .values({
        organizationId: input.organization_id,
        username: `api-client.${clientId.toLowerCase()}`,
        email: `${clientId.toLowerCase()}@api-clients.invalid`,
        fullName: `API client: ${input.name}`,
        passwordHash: null,
        isActive: false,
      })
      .returning({ id: users.id });
    const row = await repo.insertClient(tx, {
      organizationId: input.organization_id,
      clientId,
      name: input.name,
      scopes: [...new Set(input.scopes)],
      secretHash,
      credentialId: uuidv7(),
      serviceUserId: svcUser.id,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'api_client.create',
      entityType: 'api_client',
      entityId: row.id,
      organizationId: row.organizationId,
      after: { client_id: row.clientId, name: row.name, scopes: row.scopes },
    });
    return { client: toApiClient(row), client_secret: secret };
  });
}

export async function listClients(db: Db, ctx: RequestContext, q: ListApiClientsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listClients(
    db,
    ctx.actor,
    { organizationId: q.organization_id, includeRevoked: q.include_revoked },
    w,
  );
  return page(rows.map(toApiClient), total, w);
}

export async function getClient(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.clientInScope(db, ctx.actor, id);
  if (!row) throw notFound('API client');
  return toApiClient(row);
}

/** New secret and credential: tokens issued under the old credential stop at once. */
export async function rotateClient(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
): Promise<ApiClientWithSecretT> {
  const secret = newOpaqueToken();
  const secretHash = await hashPassword(secret);
  const { row, old } = await withTx(deps.db, async (tx) => {
    const before = await repo.clientInScope(tx, ctx.actor, id, true);
    if (!before) throw notFound('API client');
    if (before.revokedAt) throw conflict('The API client is revoked; register a new one', 'client_revoked');
    const after = await repo.updateClient(tx, id, {
      secretHash,
      credentialId: uuidv7(),
      rotatedAt: new Date(),
    });
    await recordAudit(tx, ctx, {
      action: 'api_client.rotate',
      entityType: 'api_client',
      entityId: id,
      organizationId: after.organizationId,
      after: { rotated_at: after.rotatedAt },
    });
    return { row: after, old: before.credentialId };
  });
  await deps.revocations.revokeSession(old, clientTokens(deps).ttlSeconds);
  return { client: toApiClient(row), client_secret: secret };
}

/** Revokes a client: it can no longer obtain tokens, and its live tokens stop at once. */
export async function revokeClient(deps: AppDeps, ctx: RequestContext, id: string) {
  const { row, old } = await withTx(deps.db, async (tx) => {
    const before = await repo.clientInScope(tx, ctx.actor, id, true);
    if (!before) throw notFound('API client');
    if (before.revokedAt) return { row: before, old: null };
    const after = await repo.updateClient(tx, id, { revokedAt: new Date() });
    await recordAudit(tx, ctx, {
      action: 'api_client.revoke',
      entityType: 'api_client',
      entityId: id,
      organizationId: after.organizationId,
      after: { revoked_at: after.revokedAt },
    });
    return { row: after, old: before.credentialId };
  });
  if (old) await deps.revocations.revokeSession(old, clientTokens(deps).ttlSeconds);
  return toApiClient(row);
}

/** An RFC 6749 §5.2 error of the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
}

/** The client credentials grant: checks the client and its secret, narrows the scopes, signs a token. */
export async function exchangeToken(deps: AppDeps, req: TokenRequest) {
  if (!req.grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
  if (req.grantType !== 'client_credentials') {
    throw new OAuthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
  }
  if (!req.clientId || !req.clientSecret) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
  }
  const row = req.clientId.length <= 100 ? await repo.liveClientByClientId(deps.db, req.clientId) : undefined;
  // verifyPassword spends the same time on a missing client, so response times reveal nothing.
  const ok = await verifyPassword(row?.secretHash, req.clientSecret.slice(0, 200));
  if (!row || !ok) throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
  let scopes = row.scopes;
  if (req.scope !== undefined && req.scope.trim() !== '') {
    const asked = [...new Set(req.scope.trim().split(/\s+/))];
    const refused = asked.filter((s) => !row.scopes.includes(s));
    if (refused.length) throw new OAuthError(400, 'invalid_scope', `Scope not granted: ${refused.join(' ')}`);
    scopes = asked;
  }
  const tokens = clientTokens(deps);
  const { token } = await tokens.sign({
    clientId: row.id,
    credentialId: row.credentialId,
    organizationId: row.organizationId,
    scopes,
  });
  await repo.touchTokenIssued(deps.db, row.id);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: tokens.ttlSeconds,
    scope: scopes.join(' '),
  };
}

/** The authenticated API client of a request. */
export interface ClientPrincipal {
  id: string;
  clientId: string;
  name: string;
  organizationId: string;
  /** Materialized path of the client's organization; its subtree is a prefix match. */
  orgPath: string;
  scopes: ReadonlySet<string>;
  serviceUserId: string;
  credentialId: string;
  tokenId: string;
  tokenExpiresAt: number;
}

const scopeList = (v: string[] | string): string[] =>
  Array.isArray(v) ? v : v.replace(/[{}"]/g, '').split(',').filter(Boolean);

/**
 * Resolves a bearer token to its client, or null (401): a bad or expired token, a revoked credential (the
 * shared revocation store, then the database row: revoked, rotated), a deleted client. The scopes are those
 * of the token that the client still holds.
 */
export async function authenticateClient(deps: AppDeps, token: string): Promise<ClientPrincipal | null> {
  const claims = await clientTokens(deps).verify(token);
  if (!claims) return null;
  if ((await deps.revocations.isSessionRevoked(claims.sid)) === true) return null;
  const row = await repo.principalFor(deps.db, claims.sub, claims.sid);
  if (!row) return null;
  const held = new Set(scopeList(row.scopes));
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    organizationId: row.organization_id,
    orgPath: row.path,
    scopes: new Set(claims.scope.split(' ').filter((s) => held.has(s))),
    serviceUserId: row.service_user_id,
    credentialId: claims.sid,
    tokenId: claims.jti,
    tokenExpiresAt: claims.exp,
  };
}

/**
 * The client as an actor of other modules' services (grade passback): a manager (staff grant) of its
 * organization subtree, whose user id is its service user, named `api-client:<client_id>` in audit rows.
 */
export function clientActor(p: ClientPrincipal): Actor {
  return {
    userId: p.serviceUserId,
    username: `api-client:${p.clientId}`,
    email: `${p.clientId.toLowerCase()}@api-clients.invalid`,
    fullName: p.name,
    organizationId: p.organizationId,
    roles: [{ role: 'staff', organizationId: p.organizationId, path: p.orgPath }],
    allowedRegisterIds: [],
    sessionId: p.credentialId,
    tokenId: p.tokenId,
    tokenExpiresAt: p.tokenExpiresAt,
  };
}
