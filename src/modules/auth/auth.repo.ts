import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, executePrepared } from '../../db/client.js';
import type { Actor, RoleGrant } from '../../kernel/auth/actor.js';
import type { AccessClaims } from '../../kernel/auth/tokens.js';
import { firstRow, rowsOf } from '../../kernel/sql.js';
import { authSessions, oneTimeCodes, refreshTokens } from './auth.table.js';

/** A user row with its grants, as both identity lookups select it. */
type ActorRow = {
  id: string;
  username: string;
  email: string;
  full_name: string;
  organization_id: string | null;
  allowed_register_ids: unknown;
  roles: RoleGrant[] | string;
};

/** The select list of both identity lookups: the user and its grants with their organization paths. */
const actorColumns = sql`u.id, u.username, u.email, u.full_name, u.organization_id, u.allowed_register_ids,
           coalesce(
             (select json_agg(json_build_object('role', ra.role, 'organizationId', ra.organization_id, 'path', o.path,
                       'subtreeIds', (select json_agg(d.id) from organizations d where d.path like o.path || '%')))
                from role_assignments ra join organizations o on o.id = ra.organization_id
               where ra.user_id = u.id),
             '[]'::json) as roles`;

function toActor(
  r: ActorRow,
  session: { sessionId: string; tokenId: string; tokenExpiresAt: number },
): Actor {
  const roles = (typeof r.roles === 'string' ? JSON.parse(r.roles) : r.roles) as RoleGrant[];
  return {
    userId: r.id,
    username: r.username,
    email: r.email,
    fullName: r.full_name,
    organizationId: r.organization_id,
    roles,
    allowedRegisterIds: parseUuidArray(r.allowed_register_ids),
    ...session,
  };
}

/**
 * The identity lookup of a request whose actor is not cached (kernel/auth/actor-cache.ts): user, role grants
 * with their organization paths and subtrees' ids, and the session's revocation state, in one query.
 * Touches `last_used_at` at most every 5 minutes.
 */
export async function loadActor(
  db: Db,
  claims: AccessClaims,
): Promise<{ actor: Actor; sessionExpiresAt: number } | null> {
  // On every authenticated request: a named prepared statement, planned once per pooled connection.
  const res = await executePrepared(
    db,
    sql`
    select ${actorColumns},
           (s.last_used_at < now() - interval '5 minutes') as stale,
           (extract(epoch from s.expires_at) * 1000)::float8 as session_expires_ms
      from users u
      join auth_sessions s on s.id = ${claims.sid} and s.user_id = u.id
     where u.id = ${claims.sub} and u.is_active and s.revoked_at is null and s.expires_at > now()`,
  );
  const r = firstRow<ActorRow & { stale: boolean | null; session_expires_ms: number | string }>(res);
  if (!r) return null;
  if (r.stale) {
    await db.update(authSessions).set({ lastUsedAt: new Date() }).where(eq(authSessions.id, claims.sid));
  }
  return {
    actor: toActor(r, { sessionId: claims.sid, tokenId: claims.jti, tokenExpiresAt: claims.exp }),
    sessionExpiresAt: Number(r.session_expires_ms),
  };
}

/**
 * A user as an actor without a session, roles as of now (background jobs act for their owner with it);
 * null when the user is gone or inactive. `label` stands in for the session and token ids (logs, audit).
 */
export async function loadUserActor(db: DbOrTx, userId: string, label: string): Promise<Actor | null> {
  const r = firstRow<ActorRow>(
    await db.execute(sql`select ${actorColumns} from users u where u.id = ${userId} and u.is_active`),
  );
  return r ? toActor(r, { sessionId: label, tokenId: label, tokenExpiresAt: Number.MAX_SAFE_INTEGER }) : null;
}

/** Which of these sessions are still live: not revoked, not expired, their user active (one query). */
export async function liveSessionIds(db: DbOrTx, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const res = await db.execute(sql`
    select s.id from auth_sessions s join users u on u.id = s.user_id
     where s.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(sessionIds)}::jsonb))
       and s.revoked_at is null and s.expires_at > now() and u.is_active`);
  return new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
}

function parseUuidArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === 'string') return v.replace(/[{}]/g, '').split(',').filter(Boolean);
  return [];
}

export async function createSession(
  db: DbOrTx,
  v: {
    userId: string;
    ip: string | null;
    userAgent: string | null;
    device: string | null;
    method: string;
    expiresAt: Date;
  },
) {
  const [row] = await db.insert(authSessions).values(v).returning();
  return row;
}

export async function insertRefreshToken(db: DbOrTx, sessionId: string, tokenHash: string, expiresAt: Date) {
  await db.insert(refreshTokens).values({ sessionId, tokenHash, expiresAt });
}

/** Atomically marks an unused, unexpired refresh token used; returns its session or null. */
export async function consumeRefreshToken(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .update(refreshTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(refreshTokens.tokenHash, tokenHash),
        isNull(refreshTokens.usedAt),
        gt(refreshTokens.expiresAt, new Date()),
      ),
    )
    .returning({ sessionId: refreshTokens.sessionId });
  return row ?? null;
}

export async function findRefreshToken(db: DbOrTx, tokenHash: string) {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
  return row ?? null;
}

export async function findLiveSession(db: DbOrTx, sessionId: string) {
  const [row] = await db
    .select()
    .from(authSessions)
    .where(
      and(
        eq(authSessions.id, sessionId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

export async function touchSession(db: DbOrTx, sessionId: string, ip: string | null) {
  await db.update(authSessions).set({ lastUsedAt: new Date(), ip }).where(eq(authSessions.id, sessionId));
}

/** Revokes sessions matching the filter; returns the ids revoked (for the shared denylist). */
export async function revokeSessions(
  db: DbOrTx,
  filter: { sessionId?: string; userId?: string; exceptSessionId?: string },
  reason: string,
): Promise<string[]> {
  const conds = [isNull(authSessions.revokedAt)];
  if (filter.sessionId) conds.push(eq(authSessions.id, filter.sessionId));
  if (filter.userId) conds.push(eq(authSessions.userId, filter.userId));
  if (filter.exceptSessionId) conds.push(sql`${authSessions.id} <> ${filter.exceptSessionId}`);
  const rows = await db
    .update(authSessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(...conds))
    .returning({ id: authSessions.id });
  return rows.map((r) => r.id);
}

export async function listLiveSessions(db: DbOrTx, userId: string) {
  return db
    .select()
    .from(authSessions)
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(authSessions.lastUsedAt))
    .limit(100);
}

export type OtpPurpose = (typeof oneTimeCodes.$inferSelect)['purpose'];

export async function insertCode(
  db: DbOrTx,
  v: { id: string; userId: string; purpose: OtpPurpose; codeHash: string; expiresAt: Date },
) {
  // A new code supersedes older unused ones for the same purpose.
  await db
    .update(oneTimeCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(oneTimeCodes.userId, v.userId),
        eq(oneTimeCodes.purpose, v.purpose),
        isNull(oneTimeCodes.usedAt),
      ),
    );
  await db.insert(oneTimeCodes).values(v);
}

export async function latestLiveCode(db: DbOrTx, userId: string, purpose: OtpPurpose) {
  const [row] = await db
    .select()
    .from(oneTimeCodes)
    .where(
      and(
        eq(oneTimeCodes.userId, userId),
        eq(oneTimeCodes.purpose, purpose),
        isNull(oneTimeCodes.usedAt),
        gt(oneTimeCodes.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(oneTimeCodes.createdAt))
    .limit(1);
  return row ?? null;
}

/** Counts one attempt; null when the code has no attempts left (it is locked). */
export async function spendAttempt(db: DbOrTx, codeId: string, maxAttempts: number) {
  const [row] = await db
    .update(oneTimeCodes)
    .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
    .where(
      and(
        eq(oneTimeCodes.id, codeId),
        sql`${oneTimeCodes.attempts} < ${maxAttempts}`,
        isNull(oneTimeCodes.usedAt),
      ),
    )
    .returning({ attempts: oneTimeCodes.attempts });
  return row ?? null;
}

export async function markCodeUsed(db: DbOrTx, codeId: string) {
  await db.update(oneTimeCodes).set({ usedAt: new Date() }).where(eq(oneTimeCodes.id, codeId));
}
