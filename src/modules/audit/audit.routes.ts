import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditLogs } from '../../kernel/audit.table.js';
import { contextOf } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import { CursorQueryProps, cursorPage, decodeCursor } from '../../kernel/pagination.js';
import { CursorPageOf, errorResponses, Nullable, Timestamp, Uuid } from '../../kernel/schemas.js';
import { iso } from '../../kernel/sql.js';
import { orgScope } from '../organizations/index.js';

const MICRO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const occurredMicros = sql<string>`to_char(${auditLogs.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const invalidCursor = () =>
  badRequest('Invalid cursor', [{ field: 'cursor', message: 'is not a cursor issued by this API' }]);

const AuditLog = Type.Object(
  {
    id: Uuid(),
    occurred_at: Timestamp(),
    actor_id: Nullable(Uuid()),
    actor_username: Nullable(Type.String()),
    action: Type.String({ examples: ['create', 'update', 'delete', 'grant_role', 'contact'] }),
    entity_type: Type.String({ examples: ['user', 'organization', 'student'] }),
    entity_id: Nullable(Type.String()),
    organization_id: Nullable(Uuid()),
    before: Nullable(Type.Object({}, { additionalProperties: true })),
    after: Nullable(Type.Object({}, { additionalProperties: true })),
    changed_fields: Nullable(Type.Array(Type.String())),
    ip: Nullable(Type.String()),
    user_agent: Nullable(Type.String()),
    request_id: Nullable(Type.String()),
  },
  { $id: 'AuditLog' },
);

const Query = Type.Object(
  {
    ...CursorQueryProps,
    actor_id: Type.Optional(Uuid()),
    entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    organization_id: Type.Optional(Uuid()),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive lower bound' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive upper bound' })),
  },
  { additionalProperties: false },
);

/** GET /audit-logs: append-only trail, newest first, keyset-paginated, limited to the admin's subtree. */
export async function auditRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  app.get(
    '/audit-logs',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of changes in your organizations (newest first)',
        querystring: Query,
        response: { 200: CursorPageOf(AuditLog), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query as any;
      const { actor } = contextOf(request);
      const pageSize = q.page_size ?? 20;
      const conds: SQL[] = [orgScope(actor, 'audit:read', auditLogs.organizationId)];
      if (q.actor_id) conds.push(eq(auditLogs.actorId, q.actor_id));
      if (q.entity_type) conds.push(eq(auditLogs.entityType, q.entity_type));
      if (q.entity_id) conds.push(eq(auditLogs.entityId, q.entity_id));
      if (q.action) conds.push(eq(auditLogs.action, q.action));
      if (q.organization_id) conds.push(eq(auditLogs.organizationId, q.organization_id));
      if (q.from) conds.push(gte(auditLogs.occurredAt, new Date(q.from)));
      if (q.to) conds.push(lte(auditLogs.occurredAt, new Date(q.to)));
      const cur = decodeCursor(q.cursor);
      if (cur) {
        // The cursor carries the timestamp at full microsecond precision: a JS Date (milliseconds) would
        // skip rows written in the same millisecond (e.g. several audit rows of one transaction).
        if (typeof cur.sortKey !== 'string' || !MICRO_TS.test(cur.sortKey)) throw invalidCursor();
        const at = sql`${cur.sortKey}::timestamptz`;
        conds.push(sql`(${auditLogs.occurredAt}, ${auditLogs.id}) < (${at}, ${cur.id}::uuid)`);
      }
      const rows = await db
        .select({ row: auditLogs, key: occurredMicros })
        .from(auditLogs)
        .where(and(...conds))
        .orderBy(desc(auditLogs.occurredAt), desc(auditLogs.id))
        .limit(pageSize + 1);
      const out = rows.map(({ row: r, key }) => ({
        key,
        id: r.id,
        occurred_at: iso(r.occurredAt)!,
        actor_id: r.actorId,
        actor_username: r.actorUsername,
        action: r.action,
        entity_type: r.entityType,
        entity_id: r.entityId,
        organization_id: r.organizationId,
        before: (r.before as any) ?? null,
        after: (r.after as any) ?? null,
        changed_fields: r.changedFields,
        ip: r.ip,
        user_agent: r.userAgent,
        request_id: r.requestId,
      }));
      const res = cursorPage(out, pageSize, (r) => [r.key, r.id]);
      return { data: res.data.map(({ key: _key, ...r }) => r), meta: res.meta };
    },
  );
}
