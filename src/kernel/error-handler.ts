import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from './errors.js';
import { createRouteIndex } from './http-guards.js';

interface PgLikeError {
  code?: string;
  table?: string;
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
  params?: {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
    allowedValue?: unknown;
    format?: string;
    type?: string | string[];
  };
  /** With Ajv's `verbose` option: the schema holding the failed keyword (for its examples). */
  parentSchema?: { examples?: unknown[] };
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

/** What a unique constraint means to a user: the fields they know and the sentence to say. */
export interface UniqueDescription {
  /** The request fields the constraint covers (the error details name them). */
  fields: string[];
  /** The sentence, given the key's values by column name (from PostgreSQL's detail). */
  message: (values: Record<string, string>) => string;
}

/** A table as a user names its rows ("class" / "classes"), for messages about references to a record. */
export interface TableLabel {
  singular: string;
  plural: string;
}

const uniqueDescriptions = new Map<string, UniqueDescription>();
/** Set by the composition root: an organization's name by id (the kernel does not know the table). */
let organizationName: ((id: string) => Promise<string | null>) | null = null;

/** Lets a duplicate's message name the organization ("… already exists in Riverside High School"). */
export function nameOrganizationsWith(fn: (id: string) => Promise<string | null>): void {
  organizationName = fn;
}

/** AppErrors whose message ends "in this organization", with the organization's id to name it by. */
const orgOfMessage = new WeakMap<AppError, string>();
const tableLabels = new Map<string, TableLabel>();

/**
 * Modules describe their unique constraints here (in their module file or table file), so a 409 names the
 * fields and values a user knows instead of an index name. Without a description the message is built from
 * the key's columns and values.
 */
export function describeUnique(constraint: string, d: UniqueDescription): void {
  uniqueDescriptions.set(constraint, d);
}

/** Names the rows of a table in messages ("3 classes use this course"); default: the table name. */
export function describeTable(table: string, label: TableLabel): void {
  tableLabels.set(table, label);
}

export function tableLabel(table: string): TableLabel {
  const known = tableLabels.get(table);
  if (known) return known;
  const plural = table.replace(/_/g, ' ');
  return { singular: plural.replace(/s$/, ''), plural };
}

/** `Key (a, b)=(x, y) already exists.` → { a: 'x', b: 'y' } (empty when the values contain commas). */
export function keyValues(detail?: string): Record<string, string> {
  const m = /^Key \((.+?)\)=\((.*)\)/.exec(detail ?? '');
  if (!m) return {};
  const cols = m[1].split(', ');
  const vals = m[2].split(', ');
  if (cols.length !== vals.length) return {};
  return Object.fromEntries(cols.map((c, i) => [c.replace(/"/g, ''), vals[i]]));
}

const humanField = (col: string) => col.replace(/_/g, ' ');

/**
 * Rethrows a unique violation of one of `fields`' constraints (constraint name → API field) as a 409 that
 * names the field and, from PostgreSQL's detail, the value that collided (`The username "ava" is already
 * taken`); anything else is rethrown unchanged (drivers wrap the PostgreSQL error in `cause`).
 */
export function rethrowUnique(err: unknown, fields: Record<string, string>): never {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const pg = e as PgLikeError & { cause?: unknown };
    if (pg.code === '23505' && typeof pg.constraint === 'string' && fields[pg.constraint]) {
      const field = fields[pg.constraint];
      const kv = keyValues(pg.detail);
      const only = Object.values(kv);
      const value = kv[field] ?? (only.length === 1 ? only[0] : null);
      const message =
        value !== null && value !== undefined
          ? `The ${humanField(field)} "${value}" is already taken`
          : `A record with this ${humanField(field)} already exists`;
      throw new AppError(409, 'conflict', message, [{ field, message: 'must be unique' }]);
    }
    e = pg.cause;
  }
  throw err;
}

function uniqueViolation(e: PgLikeError & { table?: string }): AppError {
  const values = keyValues(e.detail);
  const described = e.constraint ? uniqueDescriptions.get(e.constraint) : undefined;
  if (described) {
    return new AppError(
      409,
      'conflict',
      described.message(values),
      described.fields.map((field) => ({ field, message: 'must be unique' })),
    );
  }
  const cols = Object.keys(values).filter((c) => c !== 'organization_id');
  if (cols.length === 0) {
    // No key detail (some drivers): the field from the constraint's name, as a last resort.
    const field = fieldFromConstraint(e.constraint);
    return field
      ? new AppError(409, 'conflict', `A record with this ${humanField(field)} already exists`, [
          { field, message: 'must be unique' },
        ])
      : new AppError(409, 'conflict', 'A record with these values already exists');
  }
  const what = cols.map((c) => (values[c] === 'null' ? humanField(c) : `${humanField(c)} ${values[c]}`));
  const inOrg = 'organization_id' in values ? ' in this organization' : '';
  const label = e.table ? tableLabel(e.table).singular : 'record';
  const out = new AppError(
    409,
    'conflict',
    `A ${label} with ${what.join(' and ')} already exists${inOrg}`,
    cols.map((field) => ({ field, message: 'must be unique' })),
  );
  if (inOrg) orgOfMessage.set(out, values.organization_id);
  return out;
}

/** `… is still referenced from table "classes".` → the referencing rows, as a user names them. */
function stillReferencedError(e: PgLikeError & { table?: string }): AppError {
  const m = /referenced from table "([^"]+)"/.exec(e.detail ?? '');
  const table = m?.[1] ?? e.table;
  return new AppError(
    409,
    'still_referenced',
    table
      ? `The record is still used by ${tableLabel(table).plural}; remove or reassign them first`
      : 'The record is still referenced by other records',
  );
}

function fromPg(e: PgLikeError): AppError | null {
  switch (e.code) {
    case '23505':
      return uniqueViolation(e);
    case '23001': // restrict_violation (ON DELETE RESTRICT on some server versions)
      return stillReferencedError(e);
    case '23503':
      return /still referenced|is referenced from table/i.test(e.detail ?? '')
        ? stillReferencedError(e)
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

const FORMAT_TEXT: Record<string, string> = {
  uuid: 'must be a UUID',
  date: 'must be a date (YYYY-MM-DD)',
  'date-time': 'must be an RFC 3339 timestamp (e.g. 2026-09-01T08:00:00Z)',
  email: 'must be an email address',
  uri: 'must be a URL',
};

/** One validation error in words a user reads: allowed values listed, never a regular expression. */
function describeItem(item: ValidationItem): string {
  const p = item.params ?? {};
  switch (item.keyword) {
    case 'enum': {
      const allowed = (p.allowedValues ?? []).filter((v) => v !== null).map(String);
      const orNull = (p.allowedValues ?? []).includes(null) ? ', or null' : '';
      return `must be one of: ${allowed.join(', ')}${orNull}`;
    }
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': {
      const example = item.parentSchema?.examples?.[0];
      return example !== undefined
        ? `is not in the expected format (e.g. ${String(example)})`
        : 'is not in the expected format';
    }
    case 'format':
      return FORMAT_TEXT[String(p.format)] ?? `must be a valid ${String(p.format)}`;
    case 'type': {
      const types = String(p.type ?? '').split(',');
      const named = types.map((t) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`));
      return `must be ${named.join(' or ')}`;
    }
    default:
      return item.message ?? 'is invalid';
  }
}

const fieldOf = (path: string | undefined) =>
  String(path ?? '')
    .replace(/^\//, '')
    .replace(/\//g, '.');

function validationDetails(err: ErrorLike): ErrorDetail[] {
  const v = err.validation;
  if (!v) return [{ message: String(err.message) }];
  const ctx = err.validationContext;
  // A union (a nullable object, a oneOf) reports each branch's error and then its own: keep one message per
  // field, the first real branch error, "or null" when a branch was null.
  const unions = v
    .filter((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf')
    .map((i) => i.instancePath ?? '');
  const inUnion = (i: ValidationItem) =>
    unions.find((u) => (i.instancePath ?? '') === u || (i.instancePath ?? '').startsWith(`${u}/`));
  const out: ErrorDetail[] = [];
  const seen = new Set<string>();
  const push = (d: ErrorDetail) => {
    const key = `${d.field}\u0000${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  const unionDone = new Set<string>();
  for (const item of v) {
    const union = inUnion(item);
    if (union !== undefined) {
      if (unionDone.has(union)) continue;
      const branches = v.filter(
        (i) => inUnion(i) === union && i.keyword !== 'anyOf' && i.keyword !== 'oneOf',
      );
      const nullable = branches.some((i) => i.keyword === 'type' && i.params?.type === 'null');
      const real = branches.find((i) => !(i.keyword === 'type' && i.params?.type === 'null'));
      unionDone.add(union);
      push({
        field: fieldOf(real?.instancePath ?? union) || undefined,
        // "or null" only when the field itself could have been null (not one of its items).
        message: `${real ? describeItem(real) : 'is invalid'}${nullable && (real?.instancePath ?? union) === union ? ', or null' : ''}`,
        in: ctx,
      });
      continue;
    }
    let field = fieldOf(item.instancePath);
    if (item.keyword === 'required' && item.params?.missingProperty) {
      field = field ? `${field}.${item.params.missingProperty}` : item.params.missingProperty;
    }
    if (item.keyword === 'additionalProperties' && item.params?.additionalProperty) {
      const extra = item.params.additionalProperty;
      push({ field: field ? `${field}.${extra}` : extra, message: 'is not an allowed field', in: ctx });
      continue;
    }
    push({ field: field || undefined, message: describeItem(item), in: ctx });
  }
  return out;
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

/** "… in this organization" → "… in Riverside High School" (the message stays generic if the lookup fails). */
async function withOrganizationName(appErr: AppError): Promise<AppError> {
  const orgId = orgOfMessage.get(appErr);
  if (!orgId || !organizationName) return appErr;
  const name = await organizationName(orgId).catch(() => null);
  if (!name) return appErr;
  return new AppError(
    appErr.statusCode,
    appErr.code,
    appErr.message.replace(/ in this organization$/, ` in ${name}`),
    appErr.details,
    appErr.headers,
  );
}

/** Sends the envelope for any thrown value (the error handler, and Fastify's framework errors). */
async function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appErr = await withOrganizationName(toAppError(err));
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
  void sendError(err, request, reply);
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
  app.setErrorHandler(async (err, request, reply) => {
    await sendError(err, request, reply);
    return reply;
  });
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
    void sendError(
      new AppError(404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`),
      request,
      reply,
    );
  });
}
