import type { FastifyInstance } from 'fastify';
import { badRequest } from './errors.js';

/**
 * Deprecated query parameter names and the names that replaced them (docs/api-conventions.md). Routes that
 * still accept an alias declare it in their schema (`deprecated: true`, e.g. `DateRangeProps`); after
 * validation the alias is moved to its new name, so handlers read only the new one.
 */
export const QUERY_ALIASES: ReadonlyArray<readonly [alias: string, canonical: string]> = [
  ['date_from', 'from'],
  ['date_to', 'to'],
];

/** Maps deprecated query names to the current ones and marks the response with a `Deprecation` header. */
export function registerQueryAliases(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    const q = request.query as Record<string, unknown> | undefined;
    if (!q || typeof q !== 'object') return;
    for (const [alias, canonical] of QUERY_ALIASES) {
      if (q[alias] === undefined) continue;
      if (q[canonical] !== undefined && q[canonical] !== q[alias]) {
        throw badRequest(`Give ${canonical} only (${alias} is its deprecated name)`, [
          { field: alias, message: `conflicts with ${canonical}` },
        ]);
      }
      q[canonical] = q[alias];
      delete q[alias];
      reply.header('deprecation', 'true');
      reply.header('link', '</docs>; rel="deprecation"');
    }
  });
}
