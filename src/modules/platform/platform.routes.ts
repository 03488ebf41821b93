import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../kernel/schemas.js';

/** Liveness, readiness and the OpenAPI document. */
export async function platformRoutes(app: FastifyInstance) {
  app.get(
    '/health',
    {
      config: { permission: 'public', rateLimit: false },
      schema: {
        tags: ['platform'],
        summary: 'Liveness: the process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/ready',
    {
      config: { permission: 'public', rateLimit: false },
      schema: {
        tags: ['platform'],
        summary: 'Readiness: the database answers',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          ...errorResponses(503),
        },
      },
    },
    async (_request, reply) => {
      try {
        await app.deps.database.ping();
      } catch {
        (reply as any).status(503);
        return {
          error: {
            code: 'unavailable',
            message: 'Database unavailable',
            details: [],
            request_id: _request.id,
          },
        } as any;
      }
      return { status: 'ready' as const, database: app.deps.database.kind };
    },
  );
  app.get('/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
