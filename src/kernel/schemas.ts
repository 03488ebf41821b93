import { type Static, type TSchema, Type } from 'typebox';

/** A string enum as JSON Schema `enum`, typed as the union of its values. */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** Shared schema pieces: ids, dates, the success envelopes and the error envelope. */
export const Uuid = (description = 'Identifier (UUID)') =>
  Type.String({ format: 'uuid', description, examples: ['0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d'] });
export const DateStr = (description = 'Calendar date (YYYY-MM-DD)') =>
  Type.String({ format: 'date', description, examples: ['2026-09-01'] });
/**
 * Inclusive date-range filters, named as docs/api-conventions.md says: `from` / `to`. `date_from` / `date_to`
 * are the deprecated aliases some endpoints used; kernel/query-aliases.ts maps them to `from` / `to` before
 * the handler runs (and answers a `Deprecation` header), so handlers read only `from` / `to`.
 */
export const DateRangeProps = (first = 'Inclusive first date', last = 'Inclusive last date') => ({
  from: Type.Optional(DateStr(first)),
  to: Type.Optional(DateStr(last)),
  date_from: Type.Optional(
    Type.String({ format: 'date', description: 'Deprecated: use `from`', deprecated: true }),
  ),
  date_to: Type.Optional(
    Type.String({ format: 'date', description: 'Deprecated: use `to`', deprecated: true }),
  ),
});
export const Timestamp = (description = 'RFC 3339 UTC timestamp') =>
  Type.String({ format: 'date-time', description });
const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * `T | null`. A primitive schema becomes a type list (`type: ['number', 'null']`, null added to an enum):
 * with the app's Ajv coercion a union would coerce a `null` in a request body to `0`, `""` or `false` on its
 * first branch (a mark of null stored as 0). Objects and arrays stay a union (they are never coerced).
 */
export function Nullable<T extends TSchema>(schema: T) {
  const s = schema as { type?: unknown; enum?: unknown[]; const?: unknown };
  if (typeof s.type === 'string' && PRIMITIVE.has(s.type) && s.const === undefined) {
    const out: Record<string, unknown> = { ...(schema as Record<string, unknown>), type: [s.type, 'null'] };
    if (Array.isArray(s.enum)) out.enum = [...s.enum, null];
    return Type.Unsafe<Static<T> | null>(out);
  }
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()]));
}

export const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false });

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code', examples: ['validation_failed'] }),
      message: Type.String({ description: 'Human-readable message' }),
      details: Type.Array(Type.Object({}, { additionalProperties: true }), {
        description: 'Per-field problems for validation errors',
      }),
      request_id: Type.String({ description: 'Echoes the X-Request-Id of the request' }),
    }),
  },
  { $id: 'ErrorEnvelope', description: 'Every error response has this shape' },
);

export const PageMeta = Type.Object({
  total: Type.Integer({ description: 'Total matching records' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  page_count: Type.Integer(),
  has_next_page: Type.Boolean(),
  has_prev_page: Type.Boolean(),
  total_exact: Type.Optional(
    Type.Boolean({
      description:
        'Lists with capped counts only (count=capped): false when more records matched than were counted, ' +
        'so total is a lower bound',
    }),
  ),
});

export const CursorMeta = Type.Object({
  page_size: Type.Integer(),
  has_next_page: Type.Boolean(),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` to get the next page' })),
});

/** `{ data: T }` */
export const DataOf = <T extends TSchema>(schema: T) => Type.Object({ data: schema });
/** `{ data: T[], meta: PageMeta }` */
export const PageOf = <T extends TSchema>(schema: T) =>
  Type.Object({ data: Type.Array(schema), meta: PageMeta });
/** `{ data: T[], meta: CursorMeta }` for keyset-paginated feeds. */
export const CursorPageOf = <T extends TSchema>(schema: T) =>
  Type.Object({ data: Type.Array(schema), meta: CursorMeta });

const errorRef = Type.Unsafe<unknown>({ $ref: 'ErrorEnvelope#' });

/**
 * Standard error responses for a route's `response` schema, so every route documents the envelope.
 * Usage: `response: { 200: DataOf(X), ...errorResponses(400, 401, 403, 404) }`.
 */
export function errorResponses(...codes: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const c of codes) out[c] = errorRef;
  return out;
}
