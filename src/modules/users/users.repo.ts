import { and, asc, count, eq, ilike, ne, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import type { Role } from '../../kernel/auth/permissions.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { containsPattern } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';
import type { ListUsersQueryT } from './users.schemas.js';
import { allowedEmails, roleAssignments, users } from './users.table.js';

export type UserRow = typeof users.$inferSelect;
export type UserWithRoles = UserRow & { roles: Array<{ role: string; organization_id: string }> };

// Qualified by hand: in a select list Drizzle renders `users.id` as a bare "id", which inside this
// subquery would bind to role_assignments.id and yield no roles at all.
const rolesAgg = sql<Array<{ role: string; organization_id: string }>>`coalesce((
  select json_agg(json_build_object('role', ra.role, 'organization_id', ra.organization_id) order by ra.created_at)
    from role_assignments ra where ra.user_id = "users"."id"), '[]'::json)`.as('roles');

/** Users visible to the actor for `permission`: homed in, or holding a role in, the actor's subtree. */
export function userScope(actor: Actor, permission: string): SQL {
  return or(
    orgScope(actor, permission, users.organizationId),
    sql`exists (select 1 from role_assignments sra where sra.user_id = ${users.id}
                 and ${orgScope(actor, permission, sql`sra.organization_id`)})`,
  )!;
}

function normalizeRoles(rows: Array<{ user: UserRow; roles: unknown }>): UserWithRoles[] {
  return rows.map((r) => ({
    ...r.user,
    roles: (typeof r.roles === 'string' ? JSON.parse(r.roles) : r.roles) as UserWithRoles['roles'],
  }));
}

export async function findWithRoles(db: DbOrTx, where: SQL): Promise<UserWithRoles | null> {
  const rows = await db.select({ user: users, roles: rolesAgg }).from(users).where(where).limit(1);
  return normalizeRoles(rows)[0] ?? null;
}

export function findInScope(db: DbOrTx, actor: Actor, permission: string, id: string) {
  return findWithRoles(db, and(eq(users.id, id), userScope(actor, permission))!);
}

export async function list(db: DbOrTx, actor: Actor, q: ListUsersQueryT, w: PageWindow) {
  const conds: SQL[] = [userScope(actor, 'users:read')];
  if (q.search) {
    const p = containsPattern(q.search);
    conds.push(or(ilike(users.username, p), ilike(users.email, p), ilike(users.fullName, p))!);
  }
  if (q.is_active !== undefined) conds.push(eq(users.isActive, q.is_active));
  if (q.role) {
    conds.push(
      sql`exists (select 1 from role_assignments fr where fr.user_id = ${users.id} and fr.role = ${q.role})`,
    );
  }
  if (q.organization_id) {
    conds.push(
      or(
        eq(users.organizationId, q.organization_id),
        sql`exists (select 1 from role_assignments fo where fo.user_id = ${users.id} and fo.organization_id = ${q.organization_id})`,
      )!,
    );
  }
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ user: users, roles: rolesAgg })
      .from(users)
      .where(where)
      .orderBy(asc(users.username))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { rows: normalizeRoles(rows), total };
}

/** Login lookup: username or email (lower-case) or personnel service number. */
export async function findForLogin(db: DbOrTx, identifier: string) {
  const lower = identifier.toLowerCase();
  const [row] = await db
    .select()
    .from(users)
    .where(or(eq(users.username, lower), eq(users.email, lower), eq(users.serviceNumber, identifier)))
    .limit(1);
  return row ?? null;
}

export async function findByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row ?? null;
}

export async function findById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function insertUser(db: DbOrTx, v: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(v).returning();
  return row;
}

export async function updateUser(db: DbOrTx, id: string, v: Partial<typeof users.$inferInsert>) {
  const [row] = await db
    .update(users)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(users);
  return n;
}

export async function insertRoles(db: DbOrTx, rows: Array<typeof roleAssignments.$inferInsert>) {
  if (rows.length === 0) return;
  await db.insert(roleAssignments).values(rows).onConflictDoNothing();
}

export async function deleteRole(db: DbOrTx, userId: string, role: Role, organizationId: string) {
  const rows = await db
    .delete(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, userId),
        eq(roleAssignments.role, role),
        eq(roleAssignments.organizationId, organizationId),
      ),
    )
    .returning({ id: roleAssignments.id });
  return rows.length;
}

/** Failed-login bookkeeping in one statement: count, and lock once the limit is reached. */
export async function recordLoginFailure(
  db: DbOrTx,
  userId: string,
  maxFailures: number,
  lockoutMinutes: number,
) {
  await db
    .update(users)
    .set({
      failedLoginCount: sql`case when ${users.failedLoginCount} + 1 >= ${maxFailures} then 0 else ${users.failedLoginCount} + 1 end`,
      lockedUntil: sql`case when ${users.failedLoginCount} + 1 >= ${maxFailures}
                       then now() + make_interval(mins => ${lockoutMinutes}) else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, userId));
}

export async function recordLoginSuccess(db: DbOrTx, userId: string) {
  await db
    .update(users)
    .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() })
    .where(eq(users.id, userId));
}

// Allow-list
export async function findAllowedEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(allowedEmails).where(eq(allowedEmails.email, email.toLowerCase()));
  return row ?? null;
}

export async function listAllowedEmails(db: DbOrTx, actor: Actor, search: string | undefined, w: PageWindow) {
  const conds: SQL[] = [orgScope(actor, 'allowed_emails:manage', allowedEmails.organizationId)];
  if (search) conds.push(ilike(allowedEmails.email, containsPattern(search)));
  const where = and(...conds);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(allowedEmails)
      .where(where)
      .orderBy(asc(allowedEmails.email))
      .limit(w.limit)
      .offset(w.offset),
    db.select({ total: count() }).from(allowedEmails).where(where),
  ]);
  return { rows, total };
}

export async function insertAllowedEmail(db: DbOrTx, v: typeof allowedEmails.$inferInsert) {
  const [row] = await db.insert(allowedEmails).values(v).returning();
  return row;
}

export async function deleteAllowedEmailInScope(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db
    .delete(allowedEmails)
    .where(
      and(eq(allowedEmails.id, id), orgScope(actor, 'allowed_emails:manage', allowedEmails.organizationId)),
    )
    .returning();
  return row ?? null;
}

/** Sets the login's email (and clears its verification) only when it differs. */
export async function setEmailIfChanged(db: DbOrTx, id: string, email: string) {
  await db
    .update(users)
    .set({ email, emailVerifiedAt: null, updatedAt: new Date() })
    .where(and(eq(users.id, id), ne(users.email, email)));
}
