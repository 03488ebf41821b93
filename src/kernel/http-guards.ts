import type { FastifyInstance, FastifyRequest } from 'fastify';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { AppError, type ErrorDetail } from './errors.js';

/**
 * Input rules that hold for every operation, checked once here instead of in every schema:
 * - no U+0000 in any string (PostgreSQL text cannot store it; it would surface as a 500),
 * - no non-finite number (`1e400` coerces to Infinity, which JSON Schema's `integer` accepts),
 * both answered as 400 validation_failed naming the field, before any SQL runs.
 */
export function registerInputGuards(app: FastifyInstance): void {
  // Before validation: the raw strings of the path, query and parsed JSON body.
  app.addHook('preValidation', async (request) => {
    const bad: ErrorDetail[] = [];
    scan(request.params, 'params', '', bad, hasNul);
    scan(request.query, 'querystring', '', bad, hasNul);
    scan(request.body, 'body', '', bad, hasNul);
    if (bad.length) throw invalid(bad);
  });
  // After validation (and type coercion): numbers must be finite.
  app.addHook('preHandler', async (request) => {
    const bad: ErrorDetail[] = [];
    scan(request.params, 'params', '', bad, notFinite);
    scan(request.query, 'querystring', '', bad, notFinite);
    scan(request.body, 'body', '', bad, notFinite);
    if (bad.length) throw invalid(bad);
  });
}

type Check = (value: unknown) => string | null;

const hasNul: Check = (v) =>
  typeof v === 'string' && v.includes('\u0000') ? 'must not contain the NUL character (U+0000)' : null;

const notFinite: Check = (v) =>
  typeof v === 'number' && !Number.isFinite(v) ? 'must be a finite number' : null;

const MAX_DEPTH = 32;

function scan(
  value: unknown,
  where: string,
  path: string,
  out: ErrorDetail[],
  check: Check,
  depth = 0,
): void {
  if (out.length >= 20 || depth > MAX_DEPTH || value === null || value === undefined) return;
  const message = check(value);
  if (message) {
    out.push({ field: path || undefined, message, in: where });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      scan(value[i], where, `${path}${path ? '.' : ''}${i}`, out, check, depth + 1);
  } else if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      const keyMessage = check(k);
      if (keyMessage)
        out.push({ field: path || undefined, message: `a field name ${keyMessage}`, in: where });
      scan(v, where, `${path}${path ? '.' : ''}${k}`, out, check, depth + 1);
    }
  }
}

const invalid = (details: ErrorDetail[]) =>
  new AppError(400, 'validation_failed', 'The request is invalid', details);

const METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Remembers every route's path pattern so that a request for a known path with a method it does not have
 * answers 405 with `Allow` instead of 404 (see `allowedMethods`).
 */
export function createRouteIndex(app: FastifyInstance) {
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 500 });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      const method = String(m).toUpperCase() as HTTPMethod;
      if (!METHODS.includes(method) || router.find(method, route.url)) continue;
      try {
        router.on(method, route.url, () => {});
      } catch {
        // A pattern the index cannot hold (it never affects routing itself).
      }
    }
  });
  return {
    /**
     * The methods a path answers to; empty when the path is unknown (the CORS preflight route matches every
     * path, so OPTIONS and HEAD alone do not make a path known).
     */
    allowedMethods(request: FastifyRequest): string[] {
      const path = request.url.split('?')[0];
      const allow = METHODS.filter((m) => m !== request.method && router.find(m, path) !== null);
      return allow.some((m) => m !== 'OPTIONS' && m !== 'HEAD') ? allow : [];
    },
  };
}
