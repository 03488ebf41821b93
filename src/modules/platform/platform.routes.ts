import { Type } from 'typebox';
import { AppError } from '../../kernel/errors.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { errorResponses } from '../../kernel/schemas.js';

/** Liveness, readiness and the OpenAPI document. */
export const platformRoutes: RoutePlugin = async (app) => {
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
    async () => {
      try {
        await app.deps.database.ping();
      } catch {
        // Through the one error handler, like every other error (envelope + request id).
        throw new AppError(503, 'unavailable', 'Database unavailable');
      }
      return { status: 'ready' as const, database: app.deps.database.kind };
    },
  );
  app.get(
    '/openapi.json',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'This OpenAPI 3.1 document (generated from the route schemas)',
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => app.swagger() as unknown as Record<string, unknown>,
  );
};
