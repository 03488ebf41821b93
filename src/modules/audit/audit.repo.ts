import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { auditLogs } from '../../kernel/audit.table.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { orgScope } from '../organizations/index.js';
import type { AuditLogQueryT } from './audit.schemas.js';

export type AuditLogRow = typeof auditLogs.$inferSelect;

/** occurred_at at full microsecond precision (the keyset cursor's sort key). */
const occurredMicros = sql<string>`to_char(${auditLogs.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Audit rows in the actor's `audit:read` subtree matching the filters, newest first, after the keyset
 * position `after` (a microsecond timestamp and id); each with its sort key.
 */
export async function listAuditLogs(
  db: DbOrTx,
  actor: Actor,
  q: AuditLogQueryT,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<Array<{ row: AuditLogRow; key: string }>> {
  const conds: SQL[] = [orgScope(actor, 'audit:read', auditLogs.organizationId)];
  if (q.actor_id) conds.push(eq(auditLogs.actorId, q.actor_id));
  if (q.entity_type) conds.push(eq(auditLogs.entityType, q.entity_type));
  if (q.entity_id) conds.push(eq(auditLogs.entityId, q.entity_id));
  if (q.action) conds.push(eq(auditLogs.action, q.action));
  if (q.organization_id) conds.push(eq(auditLogs.organizationId, q.organization_id));
  if (q.from) conds.push(gte(auditLogs.occurredAt, new Date(q.from)));
  if (q.to) conds.push(lte(auditLogs.occurredAt, new Date(q.to)));
  if (after) {
    conds.push(
      sql`(${auditLogs.occurredAt}, ${auditLogs.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`,
    );
  }
  return db
    .select({ row: auditLogs, key: occurredMicros })
    .from(auditLogs)
    .where(and(...conds))
    .orderBy(desc(auditLogs.occurredAt), desc(auditLogs.id))
    .limit(limit);
}
