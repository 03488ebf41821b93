import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { hashPassword } from '../../kernel/auth/passwords.js';
import type { AppDeps } from '../../kernel/deps.js';
import { businessRule, notFound } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { createRootOrganization, organizations, orgScope } from '../organizations/index.js';
import * as repo from './users.repo.js';
import type { CreateUserT, ListUsersQueryT, RoleBodyT, UpdateUserT, UserT } from './users.schemas.js';
import { users } from './users.table.js';
import { accountCodes } from './users-account-codes.service.js';

export function toUser(r: repo.UserWithRoles): UserT {
  return {
    id: r.id,
    username: r.username,
    email: r.email,
    full_name: r.fullName,
    organization_id: r.organizationId,
    service_number: r.serviceNumber,
    is_active: r.isActive,
    email_verified: r.emailVerifiedAt !== null,
    roles: r.roles as UserT['roles'],
    allowed_register_ids: r.allowedRegisterIds ?? [],
    last_login_at: iso(r.lastLoginAt),
    created_at: iso(r.createdAt)!,
  };
}

/** Throws 404 unless every organization id is inside the actor's scope for `permission`. */
export async function assertOrgsInScope(
  db: DbOrTx,
  ctx: RequestContext,
  permission: string,
  orgIds: string[],
) {
  const unique = [...new Set(orgIds)];
  if (unique.length === 0) return;
  const found = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(inArray(organizations.id, unique), orgScope(ctx.actor, permission, organizations.id)));
  if (found.length !== unique.length) throw notFound('Organization');
}

export interface NewLoginUser {
  username: string;
  email: string;
  fullName: string;
  password?: string | null;
  organizationId: string;
  serviceNumber?: string | null;
  roles: Array<{ role: RoleBodyT['role']; organization_id: string }>;
  allowedRegisterIds?: string[];
}

/**
 * Creates a login user and its role grants inside the caller's transaction. Used by POST /users and by the
 * people modules (students, faculty, staff), which create the profile and its user together.
 */
export async function insertLoginUser(tx: DbOrTx, v: NewLoginUser): Promise<repo.UserWithRoles> {
  const row = await repo.insertUser(tx, {
    username: v.username.toLowerCase(),
    email: v.email.toLowerCase(),
    fullName: v.fullName,
    passwordHash: v.password ? await hashPassword(v.password) : null,
    passwordChangedAt: v.password ? new Date() : null,
    organizationId: v.organizationId,
    serviceNumber: v.serviceNumber ?? null,
    allowedRegisterIds: v.allowedRegisterIds ?? [],
  });
  await repo.insertRoles(
    tx,
    v.roles.map((r) => ({ userId: row.id, role: r.role, organizationId: r.organization_id })),
  );
  return { ...row, roles: v.roles };
}

export async function createUser(deps: AppDeps, ctx: RequestContext, input: CreateUserT) {
  const roles = input.roles ?? [];
  const user = await withTx(deps.db, async (tx) => {
    await assertOrgsInScope(tx, ctx, 'users:write', [input.organization_id]);
    await assertOrgsInScope(
      tx,
      ctx,
      'roles:write',
      roles.map((r) => r.organization_id),
    );
    const created = await insertLoginUser(tx, {
      username: input.username,
      email: input.email,
      fullName: input.full_name,
      password: input.password,
      organizationId: input.organization_id,
      serviceNumber: input.service_number,
      roles,
      allowedRegisterIds: input.allowed_register_ids,
    });
    const out = toUser(created);
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'user',
      entityId: created.id,
      organizationId: input.organization_id,
      after: out,
    });
    return out;
  });
  if (!input.password) await accountCodes.send(deps, { id: user.id, email: user.email }, 'account_setup');
  return user;
}

export async function getUser(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(db, ctx.actor, 'users:read', id);
  if (!row) throw notFound('User');
  return toUser(row);
}

export async function listUsers(db: Db, ctx: RequestContext, q: ListUsersQueryT, w: PageWindow) {
  const { rows, total } = await repo.list(db, ctx.actor, q, w);
  return page(rows.map(toUser), total, w);
}

/** Adds revoked sessions to the shared denylist, so their unexpired access tokens stop at once everywhere. */
async function denylist(deps: AppDeps, sessionIds: string[]) {
  await Promise.all(
    sessionIds.map((sid) => deps.revocations.revokeSession(sid, deps.config.accessTokenTtlSeconds)),
  );
}

export async function updateUser(deps: AppDeps, ctx: RequestContext, id: string, input: UpdateUserT) {
  const ending = { userId: id, reason: 'deactivated', revokedSessionIds: [] as string[] };
  const out = await withTx(deps.db, async (tx) => {
    const before = await repo.findInScope(tx, ctx.actor, 'users:write', id);
    if (!before) throw notFound('User');
    if (input.is_active === false && id === ctx.actor.userId) {
      throw businessRule('cannot_deactivate_self', 'You cannot deactivate your own account');
    }
    const emailChanged = input.email !== undefined && input.email.toLowerCase() !== before.email;
    const row = await repo.updateUser(tx, id, {
      email: input.email?.toLowerCase(),
      emailVerifiedAt: emailChanged ? null : undefined,
      fullName: input.full_name,
      isActive: input.is_active,
      serviceNumber: input.service_number,
      allowedRegisterIds: input.allowed_register_ids,
    });
    const after = toUser({ ...row, roles: before.roles });
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'user',
      entityId: id,
      organizationId: before.organizationId,
      before: toUser(before),
      after,
    });
    // One email per person: the profiles (student, guardian, faculty, staff) of this login follow.
    if (emailChanged) await publish(tx, ctx, 'users.email_changed', { userId: id, email: row.email });
    // Deactivating signs the user out everywhere, in this transaction (the auth module revokes the sessions).
    if (input.is_active === false) await publish(tx, ctx, 'users.deactivated', ending);
    return after;
  });
  await denylist(deps, ending.revokedSessionIds);
  return out;
}

export async function deactivateUser(deps: AppDeps, ctx: RequestContext, id: string) {
  await updateUser(deps, ctx, id, { is_active: false });
}

/** Admin password reset: set a new password directly, or email the user a reset code. */
export async function adminResetPassword(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  newPassword: string | undefined,
): Promise<'password_set' | 'code_sent'> {
  const ending = { userId: id, reason: 'password_reset_by_admin', revokedSessionIds: [] as string[] };
  const target = await withTx(deps.db, async (tx) => {
    const user = await repo.findInScope(tx, ctx.actor, 'users:write', id);
    if (!user) throw notFound('User');
    if (newPassword) {
      await repo.updateUser(tx, id, {
        passwordHash: await hashPassword(newPassword),
        passwordChangedAt: new Date(),
        failedLoginCount: 0,
        lockedUntil: null,
      });
      await publish(tx, ctx, 'users.password_reset', ending);
    }
    await recordAudit(tx, ctx, {
      action: newPassword ? 'reset_password' : 'send_password_reset_code',
      entityType: 'user',
      entityId: id,
      organizationId: user.organizationId,
    });
    return user;
  });
  if (newPassword) {
    await denylist(deps, ending.revokedSessionIds);
    return 'password_set';
  }
  await accountCodes.send(deps, { id: target.id, email: target.email }, 'password_reset');
  return 'code_sent';
}

export async function addRole(db: Db, ctx: RequestContext, userId: string, body: RoleBodyT) {
  return withTx(db, async (tx) => {
    const user = await repo.findInScope(tx, ctx.actor, 'users:read', userId);
    if (!user) throw notFound('User');
    await assertOrgsInScope(tx, ctx, 'roles:write', [body.organization_id]);
    await repo.insertRoles(tx, [{ userId, role: body.role, organizationId: body.organization_id }]);
    await recordAudit(tx, ctx, {
      action: 'grant_role',
      entityType: 'user',
      entityId: userId,
      organizationId: body.organization_id,
      after: { role: body.role, organization_id: body.organization_id },
    });
    return toUser((await repo.findWithRoles(tx, eq(users.id, userId)))!);
  });
}

export async function removeRole(db: Db, ctx: RequestContext, userId: string, body: RoleBodyT) {
  return withTx(db, async (tx) => {
    const user = await repo.findInScope(tx, ctx.actor, 'users:read', userId);
    if (!user) throw notFound('User');
    await assertOrgsInScope(tx, ctx, 'roles:write', [body.organization_id]);
    if (userId === ctx.actor.userId && body.role === 'admin') {
      throw businessRule('cannot_remove_own_admin', 'You cannot remove your own admin role');
    }
    const removed = await repo.deleteRole(tx, userId, body.role, body.organization_id);
    if (!removed) throw notFound('Role assignment');
    await recordAudit(tx, ctx, {
      action: 'revoke_role',
      entityType: 'user',
      entityId: userId,
      organizationId: body.organization_id,
      before: { role: body.role, organization_id: body.organization_id },
    });
    return toUser((await repo.findWithRoles(tx, eq(users.id, userId)))!);
  });
}

/**
 * When a person's profile (student, faculty, staff) is deleted, their login goes with it, in the same
 * transaction: the account is deactivated and every session revoked. Access tokens stop at once because
 * each request re-reads `is_active`.
 */
export async function deactivateLogin(tx: DbOrTx, userId: string | null, reason: string): Promise<void> {
  if (!userId) return;
  await repo.updateUser(tx, userId, { isActive: false });
  await publish(tx, null, 'users.deactivated', { userId, reason, revokedSessionIds: [] });
}

/**
 * First start: with an empty users table and BOOTSTRAP_ADMIN_* set, creates the root organization and its
 * admin. Concurrent starts race on the unique username; the loser simply finds the admin there.
 */
export async function bootstrapAdmin(deps: AppDeps, log: FastifyBaseLogger): Promise<void> {
  const boot = deps.config.bootstrapAdmin;
  if (!boot) return;
  if ((await repo.countUsers(deps.db)) > 0) return;
  try {
    await withTx(deps.db, async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(727274002)`);
      if ((await repo.countUsers(tx)) > 0) return;
      const org = await createRootOrganization(tx, { name: boot.organizationName, kind: 'office' });
      const user = await insertLoginUser(tx, {
        username: boot.username,
        email: boot.email,
        fullName: 'Administrator',
        password: boot.password,
        organizationId: org.id,
        roles: [{ role: 'admin', organization_id: org.id }],
      });
      await recordAudit(tx, null, {
        action: 'bootstrap',
        entityType: 'user',
        entityId: user.id,
        organizationId: org.id,
        after: { username: user.username, organization: org.name },
      });
      log.info({ username: user.username, organization_id: org.id }, 'bootstrap admin created');
    });
  } catch (err) {
    log.error({ err }, 'bootstrap admin failed');
    throw err;
  }
}

// Lookups and updates the auth module needs (through this module's index).
export const findForLogin = repo.findForLogin;
export const findUserById = repo.findById;
export const findUserByEmail = repo.findByEmail;
export const findAllowedEmail = repo.findAllowedEmail;
export const recordLoginSuccess = repo.recordLoginSuccess;
export function findUserWithRoles(db: DbOrTx, id: string) {
  return repo.findWithRoles(db, eq(users.id, id));
}
export function recordLoginFailure(
  db: DbOrTx,
  userId: string,
  cfg: { maxFailures: number; lockoutMinutes: number },
) {
  return repo.recordLoginFailure(db, userId, cfg.maxFailures, cfg.lockoutMinutes);
}
export async function setPassword(db: DbOrTx, userId: string, passwordHash: string) {
  await repo.updateUser(db, userId, {
    passwordHash,
    passwordChangedAt: new Date(),
    failedLoginCount: 0,
    lockedUntil: null,
  });
}
export async function markEmailVerified(db: DbOrTx, userId: string) {
  await repo.updateUser(db, userId, { emailVerifiedAt: new Date() });
}

/**
 * A person profile's email changed (a student, guardian, faculty or staff member): the login's email follows,
 * unverified again, so the person and their login have one email. A clash with another login's email is the
 * users_email_uq violation (409 from the caller's unique mapping). No-op without a login or a change.
 */
export async function syncLoginEmail(tx: DbOrTx, userId: string | null, email: string | null | undefined) {
  if (!userId || !email) return;
  await repo.setEmailIfChanged(tx, userId, email.toLowerCase());
}
