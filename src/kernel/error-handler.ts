import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from './errors.js';
import { createRouteIndex } from './http-guards.js';

interface PgLikeError {
  code?: string;
  constraint?: string;
  detail?: string;
  message?: string;
  column?: string;
}

/** What the handler reads off a thrown value (Fastify, driver and Node errors all carry some of it). */
interface ErrorLike {
  code?: unknown;
  cause?: unknown;
  message?: unknown;
  statusCode?: unknown;
  headers?: Record<string, string>;
  validation?: ValidationItem[];
  validationContext?: string;
}

interface ValidationItem {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string; additionalProperty?: string };
}

const asErrorLike = (err: unknown): ErrorLike | null =>
  typeof err === 'object' && err !== null ? (err as ErrorLike) : null;

/** Drizzle wraps driver errors; the SQLSTATE lives on the cause. */
function pgError(err: unknown): PgLikeError | null {
  let e = asErrorLike(err);
  for (let i = 0; i < 4 && e; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as PgLikeError;
    e = asErrorLike(e.cause);
  }
  return null;
}

/** `users_email_uq` → `email`; the part between the table name and the suffix names the field(s). */
function fieldFromConstraint(constraint?: string): string | undefined {
  if (!constraint) return undefined;
  const m = /^[a-z]+?_(.+?)_(uq|fk|fkey|key|check|chk)$/.exec(constraint);
  return m ? m[1] : undefined;
}

function fromPg(e: PgLikeError): AppError | null {
  switch (e.code) {
    case '23505': {
      const field = fieldFromConstraint(e.constraint);
      return new AppError(
        409,
        'conflict',
        field
          ? `A record with this ${field.replace(/_/g, ' ')} already exists`
          : 'A conflicting record already exists',
        field ? [{ field, message: 'must be unique' }] : [],
      );
    }
    case '23001': // restrict_violation (ON DELETE RESTRICT on some server versions)
      return new AppError(409, 'still_referenced', 'The record is still referenced by other records');
    case '23503':
      return /still referenced|is referenced from table/i.test(e.detail ?? '')
        ? new AppError(409, 'still_referenced', 'The record is still referenced by other records')
        : new AppError(422, 'invalid_reference', 'A referenced record does not exist', [
            { field: fieldFromConstraint(e.constraint), message: 'does not exist' },
          ]);
    case '23514':
      return new AppError(422, 'constraint_violated', 'The change violates a data rule', [
        { field: fieldFromConstraint(e.constraint), message: 'violates a check constraint' },
      ]);
    case '23502':
      return new AppError(400, 'validation_failed', 'A required field is missing', [
        { field: e.column, message: 'is required' },
      ]);
    case '22021': // character_not_in_repertoire (e.g. U+0000 in text)
    case '22P05': // untranslatable_character
      return new AppError(
        400,
        'validation_failed',
        'A text value contains a character that cannot be stored',
      );
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return new AppError(400, 'validation_failed', 'A value has an invalid format or is out of range');
    case '40001':
    case '40P01':
      return new AppError(409, 'concurrent_update', 'The record was changed concurrently; retry the request');
    case '57014':
      return new AppError(
        503,
        'query_timeout',
        'The request took too long and was cancelled; narrow the filters',
      );
    case '57P01':
    case '57P03':
    case '08006':
    case '08001':
    case '08003':
      return new AppError(503, 'unavailable', 'The database is unavailable');
    default:
      return null;
  }
}

function validationDetails(err: ErrorLike): ErrorDetail[] {
  const v = err.validation;
  if (!v) return [{ message: String(err.message) }];
  const ctx = err.validationContext;
  return v.map((item) => {
    let field = String(item.instancePath ?? '')
      .replace(/^\//, '')
      .replace(/\//g, '.');
    if (item.keyword === 'required' && item.params?.missingProperty) {
      field = field ? `${field}.${item.params.missingProperty}` : item.params.missingProperty;
    }
    if (item.keyword === 'additionalProperties' && item.params?.additionalProperty) {
      const extra = item.params.additionalProperty;
      return { field: field ? `${field}.${extra}` : extra, message: 'is not an allowed field', in: ctx };
    }
    return { field: field || undefined, message: item.message ?? 'is invalid', in: ctx };
  });
}

/**
 * The multipart parser (busboy, under @fastify/multipart) rejects a malformed or truncated body with plain
 * Errors ("Unexpected end of multipart data", "Malformed part header", …): the client's fault, so 400.
 */
function isMalformedMultipart(thrown: unknown): boolean {
  if (!(thrown instanceof Error)) return false;
  return (
    (thrown.stack ?? '').includes('@fastify/busboy') ||
    /^(Unexpected end of (multipart data|form)|Malformed part header|Multipart: Boundary not found|Part terminated early)/.test(
      thrown.message,
    )
  );
}

function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const err = asErrorLike(thrown) ?? {};
  if (err.validation) {
    return new AppError(400, 'validation_failed', 'The request is invalid', validationDetails(err));
  }
  const pge = pgError(thrown);
  if (pge) {
    const mapped = fromPg(pge);
    if (mapped) return mapped;
  }
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND') {
    return new AppError(503, 'unavailable', 'A backing service is unavailable');
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new AppError(413, 'payload_too_large', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        415,
        'unsupported_media_type',
        'Unsupported content type: send the body as application/json (uploads as multipart/form-data)',
      );
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError(
        415,
        'unsupported_media_type',
        'Unsupported content type: send multipart/form-data',
      );
    case 'FST_ERR_BAD_URL':
      return new AppError(400, 'bad_request', 'The URL is not valid (check its percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(414, 'uri_too_long', 'A path parameter is too long');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'bad_request', 'Invalid content length');
  }
  if (isMalformedMultipart(thrown)) {
    return new AppError(400, 'invalid_multipart', 'The multipart/form-data body is malformed or cut off');
  }
  if (thrown instanceof SyntaxError && err.statusCode === 400) {
    return new AppError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  const status = err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 429) return new AppError(429, 'rate_limited', 'Too many requests, slow down');
    const code = status === 404 ? 'not_found' : status === 401 ? 'unauthenticated' : 'bad_request';
    return new AppError(status, code, typeof err.message === 'string' ? err.message : 'Bad request');
  }
  return new AppError(500, 'internal_error', 'An unexpected error occurred');
}

/**
 * What a standard binding does to the error body of the paths under a prefix: `extend` adds fields beside
 * the envelope's `error` (OneRoster's imsx status fields under /ims/oneroster); `replace` sends its own body
 * instead (RFC 6749's `{error, error_description}` at the OAuth token endpoint, where clients expect it).
 */
export type ErrorBodyExtension = (err: AppError) => Record<string, unknown>;
const bodyExtensions = new Map<string, { build: ErrorBodyExtension; mode: 'extend' | 'replace' }>();

/** Registers the error body of the paths under `prefix` (idempotent per prefix; the longest prefix wins). */
export function registerErrorBody(
  prefix: string,
  build: ErrorBodyExtension,
  mode: 'extend' | 'replace' = 'extend',
): void {
  bodyExtensions.set(prefix, { build, mode });
}

function bodyExtension(request: FastifyRequest) {
  let best: { prefix: string; build: ErrorBodyExtension; mode: 'extend' | 'replace' } | null = null;
  for (const [prefix, ext] of bodyExtensions) {
    if (request.url.startsWith(prefix) && (!best || prefix.length > best.prefix.length))
      best = { prefix, ...ext };
  }
  return best;
}

/** Sends the envelope for any thrown value (the error handler, and Fastify's framework errors). */
function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appErr = toAppError(err);
  if (appErr.statusCode >= 500) {
    request.log.error({ err }, 'request failed');
  } else if (appErr.statusCode !== 404) {
    request.log.info({ code: appErr.code, status: appErr.statusCode }, appErr.message);
  }
  for (const [k, v] of Object.entries(appErr.headers)) reply.header(k, v);
  const headers = asErrorLike(err)?.headers;
  if (appErr.statusCode === 429 && headers) {
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  }
  const ext = bodyExtension(request);
  reply.status(appErr.statusCode).type('application/json; charset=utf-8');
  if (ext?.mode === 'replace') {
    reply.send(ext.build(appErr));
    return;
  }
  reply.send({
    ...(ext ? ext.build(appErr) : {}),
    error: {
      code: appErr.code,
      message: appErr.message,
      details: appErr.details,
      request_id: request.id,
    },
  });
}

/**
 * Fastify's own errors raised before routing (a malformed URL, an over-long path parameter) go through the
 * same envelope; pass it as the `frameworkErrors` option.
 */
export function frameworkErrors(err: Error, request: FastifyRequest, reply: FastifyReply) {
  sendError(err, request, reply);
}

/** The one place that maps any thrown error to the HTTP error envelope. */
export function registerErrorHandler(
  app: FastifyInstance,
  opts: {
    /** Answers a request no route matched before the 404/405 (the web console's pages); true = answered. */
    fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  } = {},
): void {
  const routes = createRouteIndex(app);
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (opts.fallback?.(request, reply)) return;
    const allow = routes.allowedMethods(request);
    if (allow.length > 0) {
      reply
        .status(405)
        .header('allow', allow.join(', '))
        .send({
          error: {
            code: 'method_not_allowed',
            message: `${request.method} is not allowed on ${request.url.split('?')[0]}; use ${allow.join(', ')}`,
            details: [],
            request_id: request.id,
          },
        });
      return;
    }
    sendError(
      new AppError(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`),
      request,
      reply,
    );
  });
}
