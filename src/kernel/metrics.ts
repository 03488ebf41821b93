import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Type } from 'typebox';
import { unauthenticated } from './errors.js';
import { errorResponses } from './schemas.js';

/** Prometheus metrics: default process metrics plus request count and latency per route. */
export function registerMetrics(app: FastifyInstance, metricsToken: string | null): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    {
      // Public to the permission model; METRICS_TOKEN (when set) is the guard.
      config: { permission: 'public', rateLimit: false },
      schema: {
        tags: ['platform'],
        summary: 'Prometheus metrics (text exposition format)',
        description: 'When METRICS_TOKEN is set, send `Authorization: Bearer <METRICS_TOKEN>`.',
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      if (metricsToken && request.headers.authorization !== `Bearer ${metricsToken}`) {
        throw unauthenticated('Metrics token required');
      }
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}
