import { and, eq } from 'drizzle-orm';
import { createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import type { DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { invalidateActors } from '../../kernel/auth/actor-cache.js';
import { hashPassword, verifyPassword } from '../../kernel/auth/passwords.js';
import { newOpaqueToken, sha256 } from '../../kernel/auth/tokens.js';
import type { AppDeps } from '../../kernel/deps.js';
import {
  AppError,
  badRequest,
  businessRule,
  forbidden,
  notFound,
  tooManyRequests,
  unauthenticated,
} from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { organizations } from '../organizations/index.js';
import * as users from '../users/index.js';
import * as repo from './auth.repo.js';
import { checkCode, sendCode } from './auth-otp.service.js';
import type { LoginThrottle } from './auth-throttle.js';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const INVALID_CREDENTIALS = () =>
  new AppError(
    401,
    'invalid_credentials',
    'Invalid username or password, or the account is temporarily locked',
  );
const INVALID_CODE = () => badRequest('The code is invalid, expired or used up', [], 'invalid_code');

/** A short human label for the sessions list ("Firefox on Linux"). */
export function deviceLabel(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl\//i.test(ua)
            ? 'curl'
            : null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

async function issuePair(deps: AppDeps, db: DbOrTx, sessionId: string, userId: string) {
  const refresh = newOpaqueToken();
  await repo.insertRefreshToken(
    db,
    sessionId,
    sha256(refresh),
    new Date(Date.now() + deps.config.refreshTokenTtlSeconds * 1000),
  );
  const access = await deps.tokens.signAccess(userId, sessionId);
  const user = await users.findUserWithRoles(db, userId);
  return {
    access_token: access.token,
    refresh_token: refresh,
    token_type: 'Bearer' as const,
    expires_in: deps.config.accessTokenTtlSeconds,
    user: users.toUser(user!),
  };
}

async function openSession(deps: AppDeps, userId: string, client: ClientInfo, method: string) {
  return withTx(deps.db, async (tx) => {
    const session = await repo.createSession(tx, {
      userId,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
      device: deviceLabel(client.userAgent),
      method,
      expiresAt: new Date(Date.now() + deps.config.refreshTokenTtlSeconds * 1000),
    });
    return issuePair(deps, tx, session.id, userId);
  });
}

export async function login(
  deps: AppDeps,
  identifier: string,
  password: string,
  client: ClientInfo,
  throttle?: LoginThrottle,
) {
  const ip = client.ip ?? 'unknown';
  const wait = throttle ? await throttle.blockedFor(ip) : 0;
  if (wait > 0)
    throw tooManyRequests('Too many failed sign-in attempts from this address; try again later', wait);
  const user = await users.findForLogin(deps.db, identifier.trim());
  const locked = user?.lockedUntil && user.lockedUntil.getTime() > Date.now();
  const usable = user?.isActive && !locked;
  const ok = await verifyPassword(usable ? user.passwordHash : null, password);
  if (!ok || !user) {
    if (usable) await users.recordLoginFailure(deps.db, user.id, deps.config.login);
    await throttle?.fail(ip);
    throw INVALID_CREDENTIALS();
  }
  await users.recordLoginSuccess(deps.db, user.id);
  return openSession(deps, user.id, client, 'password');
}

/** Rotates a refresh token. A token presented twice means theft: its whole session family is revoked. */
export async function refresh(deps: AppDeps, token: string, client: ClientInfo) {
  const hash = sha256(token);
  const result = await withTx(deps.db, async (tx) => {
    const consumed = await repo.consumeRefreshToken(tx, hash);
    if (!consumed) return { reused: await repo.findRefreshToken(tx, hash) };
    const session = await repo.findLiveSession(tx, consumed.sessionId);
    if (!session) return { reused: null };
    const u = await users.findUserById(tx, session.userId);
    if (!u?.isActive) return { reused: null };
    await repo.touchSession(tx, session.id, client.ip);
    return { pair: await issuePair(deps, tx, session.id, session.userId) };
  });
  if (result.pair) return result.pair;
  const reused = result.reused;
  if (reused?.usedAt) {
    await repo.revokeSessions(deps.db, { sessionId: reused.sessionId }, 'refresh_token_reuse');
    await deps.revocations.revokeSession(reused.sessionId, deps.config.accessTokenTtlSeconds);
    throw unauthenticated(
      'Refresh token was already used; the session has been revoked',
      'refresh_token_reused',
    );
  }
  throw unauthenticated('Invalid or expired refresh token', 'invalid_token');
}

/** Revokes the current session: its access token and its refresh family stop working at once. */
export async function logout(deps: AppDeps, ctx: RequestContext) {
  await repo.revokeSessions(deps.db, { sessionId: ctx.actor.sessionId }, 'logout');
  const ttl = ctx.actor.tokenExpiresAt - Math.floor(Date.now() / 1000);
  await deps.revocations.revokeSession(ctx.actor.sessionId, ttl + 5);
}

export async function me(deps: AppDeps, ctx: RequestContext) {
  const u = await users.findUserWithRoles(deps.db, ctx.actor.userId);
  if (!u) throw notFound('User');
  return users.toUser(u);
}

export async function changePassword(deps: AppDeps, ctx: RequestContext, current: string, next: string) {
  const u = await users.findUserById(deps.db, ctx.actor.userId);
  if (!u || !(await verifyPassword(u.passwordHash, current))) {
    throw badRequest(
      'The current password is wrong',
      [{ field: 'current_password', message: 'is wrong' }],
      'invalid_password',
    );
  }
  if (current === next) {
    throw badRequest('Choose a different password', [{ field: 'new_password', message: 'must differ' }]);
  }
  await withTx(deps.db, async (tx) => {
    await users.setPassword(tx, u.id, await hashPassword(next));
    await recordAudit(tx, ctx, {
      action: 'change_password',
      entityType: 'user',
      entityId: u.id,
      organizationId: u.organizationId,
    });
  });
  await revokeAllSessions(deps, u.id, 'password_changed', ctx.actor.sessionId);
}

/** Revokes every session of a user in the database and the shared denylist. */
export async function revokeAllSessions(
  deps: AppDeps,
  userId: string,
  reason: string,
  exceptSessionId?: string,
) {
  const ids = await repo.revokeSessions(deps.db, { userId, exceptSessionId }, reason);
  await Promise.all(ids.map((sid) => deps.revocations.revokeSession(sid, deps.config.accessTokenTtlSeconds)));
}

/**
 * A user's sessions end (`users.deactivated`, `users.password_reset`): revoked in the publisher's
 * transaction; the ids go back in the payload for the publisher's denylist.
 */
export async function endSessions(
  tx: DbOrTx,
  _ctx: RequestContext | null,
  e: users.SessionsEndingEvent,
): Promise<void> {
  e.revokedSessionIds.push(...(await repo.revokeSessions(tx, { userId: e.userId }, e.reason)));
  // Deactivation paths without a denylist to fill (a deleted profile) rely on this eviction too.
  invalidateActors(tx, { userId: e.userId });
}

/** A user's grants changed (`users.roles_changed`): their cached actors go in every process on commit. */
export async function forgetUserActors(
  tx: DbOrTx,
  _ctx: RequestContext | null,
  e: users.RolesChangedEvent,
): Promise<void> {
  invalidateActors(tx, { userId: e.userId });
}

/**
 * An organization was added or removed (`organizations.tree_changed`): the subtrees loaded with every
 * cached actor may be stale, so every process forgets them all on commit (a rare, administrative change).
 */
export async function forgetAllActors(tx: DbOrTx): Promise<void> {
  invalidateActors(tx, 'all');
}

/** Always succeeds from the caller's view, so the answer never reveals whether the email is registered. */
export async function forgotPassword(deps: AppDeps, email: string) {
  const u = await users.findUserByEmail(deps.db, email);
  if (!u?.isActive) return;
  await sendCode(deps, { id: u.id, email: u.email }, 'password_reset');
}

export async function resetPassword(deps: AppDeps, email: string, otp: string, newPassword: string) {
  const u = await users.findUserByEmail(deps.db, email);
  if (!u?.isActive) throw INVALID_CODE();
  const ok = await withTx(deps.db, async (tx) => {
    if (!(await checkCode(deps, tx, u.id, ['password_reset', 'account_setup'], otp))) return false;
    await users.setPassword(tx, u.id, await hashPassword(newPassword));
    // Receiving the code proves the mailbox: mark the email verified as well.
    await users.markEmailVerified(tx, u.id);
    await recordAudit(tx, null, {
      action: 'reset_password',
      entityType: 'user',
      entityId: u.id,
      organizationId: u.organizationId,
    });
    return true;
  });
  if (!ok) throw INVALID_CODE();
  await revokeAllSessions(deps, u.id, 'password_reset');
}

export async function requestEmailVerification(deps: AppDeps, ctx: RequestContext) {
  const u = await users.findUserById(deps.db, ctx.actor.userId);
  if (!u) throw notFound('User');
  if (u.emailVerifiedAt) throw businessRule('already_verified', 'The email address is already verified');
  await sendCode(deps, { id: u.id, email: u.email }, 'email_verification');
}

export async function verifyEmail(deps: AppDeps, email: string, otp: string) {
  const u = await users.findUserByEmail(deps.db, email);
  if (!u) throw INVALID_CODE();
  const ok = await withTx(deps.db, async (tx) => {
    if (!(await checkCode(deps, tx, u.id, ['email_verification'], otp))) return false;
    await users.markEmailVerified(tx, u.id);
    return true;
  });
  if (!ok) throw INVALID_CODE();
}

export async function listSessions(deps: AppDeps, ctx: RequestContext) {
  const rows = await repo.listLiveSessions(deps.db, ctx.actor.userId);
  return rows.map((s) => ({
    id: s.id,
    device: s.device,
    user_agent: s.userAgent,
    ip: s.ip,
    method: s.method,
    created_at: iso(s.createdAt)!,
    last_used_at: iso(s.lastUsedAt)!,
    expires_at: iso(s.expiresAt)!,
    current: s.id === ctx.actor.sessionId,
  }));
}

export async function revokeSession(deps: AppDeps, ctx: RequestContext, sessionId: string) {
  const ids = await withTx(deps.db, async (tx) => {
    const s = await repo.findLiveSession(tx, sessionId);
    if (!s || s.userId !== ctx.actor.userId) throw notFound('Session');
    return repo.revokeSessions(tx, { sessionId, userId: ctx.actor.userId }, 'revoked_by_user');
  });
  await Promise.all(ids.map((id) => deps.revocations.revokeSession(id, deps.config.accessTokenTtlSeconds)));
}

/** Self-registration as a student in an organization that allows it. */
export async function register(
  deps: AppDeps,
  input: { username: string; email: string; password: string; full_name: string; organization_id?: string },
  client: ClientInfo,
) {
  if (!deps.config.allowSelfRegistration) throw forbidden('Self-registration is turned off');
  const candidates = await deps.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      input.organization_id
        ? and(eq(organizations.id, input.organization_id), eq(organizations.allowSelfRegistration, true))
        : eq(organizations.allowSelfRegistration, true),
    )
    .limit(2);
  if (candidates.length === 0) {
    throw businessRule('registration_closed', 'No organization accepts self-registration', [
      { field: 'organization_id', message: 'does not accept self-registration' },
    ]);
  }
  if (candidates.length > 1) {
    throw badRequest('organization_id is required', [{ field: 'organization_id', message: 'is required' }]);
  }
  const orgId = candidates[0].id;
  const user = await withTx(deps.db, async (tx) => {
    const created = await users.insertLoginUser(tx, {
      username: input.username,
      email: input.email,
      fullName: input.full_name,
      password: input.password,
      organizationId: orgId,
      roles: [{ role: 'student', organization_id: orgId }],
    });
    await publish(tx, null, 'auth.registered', {
      userId: created.id,
      organizationId: orgId,
      fullName: input.full_name,
      email: created.email,
    });
    await recordAudit(tx, null, {
      action: 'register',
      entityType: 'user',
      entityId: created.id,
      organizationId: orgId,
      after: { username: created.username, email: created.email, ip: client.ip },
    });
    return users.toUser(created);
  });
  await sendCode(deps, { id: user.id, email: user.email }, 'email_verification');
  return user;
}

/** A user registered themself (POST /auth/register). */
export interface RegisteredEvent {
  userId: string;
  organizationId: string;
  fullName: string;
  email: string;
}

declare module '../../kernel/events.js' {
  interface DomainEvents {
    /**
     * Published inside the registration's transaction, so another module (students) adds the new user's
     * profile atomically with the account; a handler that throws rolls the registration back.
     */
    'auth.registered': RegisteredEvent;
  }
}

const jwksCache = new Map<string, JWTVerifyGetKey>();

/** OpenID Connect sign-in with a Google ID token, for emails on the allow-list. */
export async function oidcGoogle(deps: AppDeps, idToken: string, client: ClientInfo) {
  const cfg = deps.config.oidcGoogle;
  if (!cfg.clientId) throw new AppError(404, 'oidc_not_configured', 'Google sign-in is not configured');
  let jwks = jwksCache.get(cfg.jwksUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(cfg.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    jwksCache.set(cfg.jwksUrl, jwks);
  }
  const issuers =
    cfg.issuer === 'https://accounts.google.com' ? [cfg.issuer, 'accounts.google.com'] : [cfg.issuer];
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(idToken, jwks, {
      issuer: issuers,
      audience: cfg.clientId,
      algorithms: ['RS256', 'ES256'],
      clockTolerance: 30,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JOSEError)
      throw unauthenticated('The ID token is not valid', 'invalid_id_token');
    throw err;
  }
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null;
  if (!email || claims.email_verified !== true) {
    throw unauthenticated('The ID token has no verified email', 'invalid_id_token');
  }
  const allowed = await users.findAllowedEmail(deps.db, email);
  if (!allowed) throw forbidden('This email is not allowed to sign in');
  let user = await users.findUserByEmail(deps.db, email);
  if (!user) {
    user = await withTx(deps.db, async (tx) => {
      const base =
        email
          .split('@')[0]
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '')
          .slice(0, 40) || 'user';
      const username = (await users.findForLogin(tx, base)) ? `${base}-${Date.now().toString(36)}` : base;
      const created = await users.insertLoginUser(tx, {
        username,
        email,
        fullName: typeof claims.name === 'string' ? claims.name.slice(0, 200) : email,
        organizationId: allowed.organizationId,
        roles: [{ role: allowed.role, organization_id: allowed.organizationId }],
      });
      await users.markEmailVerified(tx, created.id);
      await recordAudit(tx, null, {
        action: 'oidc_signup',
        entityType: 'user',
        entityId: created.id,
        organizationId: allowed.organizationId,
        after: { username, email, provider: 'google' },
      });
      return created;
    });
  }
  if (!user.isActive) throw INVALID_CREDENTIALS();
  await users.recordLoginSuccess(deps.db, user.id);
  return openSession(deps, user.id, client, 'oidc');
}
