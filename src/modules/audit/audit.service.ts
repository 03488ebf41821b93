import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import { cursorPage, decodeCursor } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { type AuditLogRow, listAuditLogs } from './audit.repo.js';
import type { AuditLogQueryT, AuditLogT } from './audit.schemas.js';

const MICRO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const invalidCursor = () =>
  badRequest('Invalid cursor', [{ field: 'cursor', message: 'is not a cursor issued by this API' }]);

/** A jsonb column as the object the schema names (audit rows store objects; null when absent). */
const jsonObject = (v: unknown) => (v ?? null) as Record<string, unknown> | null;

export function toAuditLog(r: AuditLogRow): AuditLogT {
  return {
    id: r.id,
    occurred_at: iso(r.occurredAt)!,
    actor_id: r.actorId,
    actor_username: r.actorUsername,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId,
    organization_id: r.organizationId,
    before: jsonObject(r.before),
    after: jsonObject(r.after),
    changed_fields: r.changedFields,
    ip: r.ip,
    user_agent: r.userAgent,
    request_id: r.requestId,
  };
}

/** GET /audit-logs: append-only trail, newest first, keyset-paginated, limited to the admin's subtree. */
export async function listAudit(db: Db, ctx: RequestContext, q: AuditLogQueryT) {
  const pageSize = q.page_size ?? 20;
  const cur = decodeCursor(q.cursor);
  // The cursor carries the timestamp at full microsecond precision: a JS Date (milliseconds) would
  // skip rows written in the same millisecond (e.g. several audit rows of one transaction).
  if (cur && (typeof cur.sortKey !== 'string' || !MICRO_TS.test(cur.sortKey))) throw invalidCursor();
  const after = cur ? { at: String(cur.sortKey), id: cur.id } : null;
  const rows = await listAuditLogs(db, ctx.actor, q, after, pageSize + 1);
  const out = rows.map(({ row, key }) => ({ key, ...toAuditLog(row) }));
  const res = cursorPage(out, pageSize, (r) => [r.key, r.id]);
  return { data: res.data.map(({ key: _key, ...r }) => r), meta: res.meta };
}
