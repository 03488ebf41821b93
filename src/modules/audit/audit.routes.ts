import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { CursorPageOf, errorResponses } from '../../kernel/schemas.js';
import { AuditLog, AuditLogQuery } from './audit.schemas.js';
import { listAudit } from './audit.service.js';

/** GET /audit-logs: append-only trail, newest first, keyset-paginated, limited to the admin's subtree. */
export const auditRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  app.get(
    '/audit-logs',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of changes in your organizations (newest first)',
        querystring: AuditLogQuery,
        response: { 200: CursorPageOf(AuditLog), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAudit(db, contextOf(request), request.query),
  );
};
