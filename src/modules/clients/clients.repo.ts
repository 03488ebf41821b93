import { and, desc, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { firstRow } from '../../kernel/sql.js';
import { clientScope } from './clients.policy.js';
import { apiClients } from './clients.table.js';

export type ApiClientRow = typeof apiClients.$inferSelect;

export async function insertClient(db: DbOrTx, v: typeof apiClients.$inferInsert): Promise<ApiClientRow> {
  const [row] = await db.insert(apiClients).values(v).returning();
  return row;
}

/** One client in the actor's admin scope (locked for update inside a transaction when `lock`). */
export async function clientInScope(db: DbOrTx, actor: Actor, id: string, lock = false) {
  const q = db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.id, id), clientScope(actor, apiClients.organizationId)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function listClients(
  db: DbOrTx,
  actor: Actor,
  f: { organizationId?: string; includeRevoked?: boolean },
  w: PageWindow,
) {
  const where: SQL[] = [clientScope(actor, apiClients.organizationId)];
  if (f.organizationId) where.push(eq(apiClients.organizationId, f.organizationId));
  if (!f.includeRevoked) where.push(isNull(apiClients.revokedAt));
  const cond = and(...where);
  return listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(apiClients), _total })
        .from(apiClients)
        .where(cond)
        .orderBy(desc(apiClients.createdAt), desc(apiClients.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(apiClients).where(cond),
    w,
  );
}

export async function updateClient(db: DbOrTx, id: string, v: Partial<typeof apiClients.$inferInsert>) {
  const [row] = await db
    .update(apiClients)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(apiClients.id, id))
    .returning();
  return row;
}

/** The live (unrevoked) client presenting `clientId`, for the token endpoint. */
export async function liveClientByClientId(db: DbOrTx, clientId: string) {
  const [row] = await db
    .select()
    .from(apiClients)
    .where(and(eq(apiClients.clientId, clientId), isNull(apiClients.revokedAt)));
  return row;
}

export interface PrincipalRow extends Record<string, unknown> {
  id: string;
  client_id: string;
  name: string;
  scopes: string[] | string;
  organization_id: string;
  path: string;
  service_user_id: string;
}

/**
 * The per-request lookup of a client token: the client must be unrevoked and its current credential must
 * be the one the token was issued under (a rotation or revocation stops old tokens at once).
 */
export async function principalFor(db: DbOrTx, id: string, credentialId: string) {
  return firstRow<PrincipalRow>(
    await executePrepared<PrincipalRow>(
      db,
      sql`select c.id, c.client_id, c.name, c.scopes, c.organization_id, o.path, c.service_user_id
            from api_clients c join organizations o on o.id = c.organization_id
           where c.id = ${id} and c.credential_id = ${credentialId} and c.revoked_at is null`,
    ),
  );
}

export async function touchTokenIssued(db: DbOrTx, id: string) {
  await db.update(apiClients).set({ lastTokenAt: new Date() }).where(eq(apiClients.id, id));
}
