import { type SQL, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import type { DbOrTx } from '../../db/client.js';
import { StringEnum } from '../../kernel/schemas.js';
import { rowsOf } from '../../kernel/sql.js';
import type { ClientPrincipal } from '../clients/index.js';
import type { Collection } from './oneroster-collections.js';
import { orBadRequest, orError } from './oneroster-errors.js';
import { compileFilter, MAX_FILTER_LENGTH, parseFilter } from './oneroster-filter.js';

/** The most records one page serves; a larger `limit` is served as this, and `Link` points on. */
export const MAX_LIMIT = 5000;
export const DEFAULT_LIMIT = 100;

/** The binding's query parameters of a collection read. */
export const CollectionQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        default: DEFAULT_LIMIT,
        description: `Records per page (default ${DEFAULT_LIMIT}; above ${MAX_LIMIT} is served as ${MAX_LIMIT})`,
        examples: [5000],
      }),
    ),
    offset: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        default: 0,
        description: 'Records to skip',
        examples: [0],
      }),
    ),
    sort: Type.Optional(
      Type.String({ maxLength: 100, description: 'A filterable field to sort by', examples: ['familyName'] }),
    ),
    orderBy: Type.Optional(StringEnum(['asc', 'desc'], { description: 'Sort direction (default asc)' })),
    filter: Type.Optional(
      Type.String({
        maxLength: MAX_FILTER_LENGTH,
        description:
          "`field op 'value'` joined by ` AND ` / ` OR ` (AND binds tighter); operators = != > >= < <= ~ " +
          '(contains). Unknown fields answer 400 `invalid_filter_field`.',
        examples: [
          "status='active'",
          "dateLastModified>'2026-09-01T00:00:00Z'",
          "givenName~'an' AND role='student'",
        ],
      }),
    ),
    fields: Type.Optional(
      Type.String({
        maxLength: 1000,
        description:
          'Comma-separated top-level fields to return; unknown fields answer 400 `invalid_selection_field`',
        examples: ['sourcedId,givenName,familyName'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type CollectionQueryT = Static<typeof CollectionQuery>;

export const FieldsQuery = Type.Object(
  { fields: CollectionQuery.properties.fields },
  { additionalProperties: false },
);

/** `<scheme>://<host>/ims/oneroster`, the base of every GUID reference's href. */
export function baseOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/ims/oneroster`;
}

export function selection(c: Collection, fields: string | undefined): string[] | null {
  if (fields === undefined) return null;
  const names = [
    ...new Set(
      fields
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((n) => !c.selectable.includes(n));
  if (unknown.length || names.length === 0) {
    throw orBadRequest(
      'invalid_selection_field',
      `Unknown field(s) in fields: ${unknown.join(', ') || '(none given)'}; selectable: ${c.selectable.join(', ')}`,
    );
  }
  return names;
}

export function pick(obj: Record<string, unknown>, names: string[] | null) {
  if (!names) return obj;
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = obj[n];
  return out;
}

export function orderOf(c: Collection, sort: string | undefined, orderBy: 'asc' | 'desc' | undefined): SQL {
  const dir = sql.raw(orderBy === 'desc' ? 'desc' : 'asc');
  if (sort === undefined) return sql`t.sourced_id ${dir}`;
  const spec = Object.hasOwn(c.fields, sort) ? c.fields[sort] : undefined;
  if (!spec) {
    throw orBadRequest(
      'invaliddata',
      `Unknown sort field "${sort}"; sortable fields: ${Object.keys(c.fields).join(', ')}`,
    );
  }
  return sql`${spec.expr} ${dir} nulls last, t.sourced_id asc`;
}

/** The client's subtree: the record's organization path lies under the client's organization. */
const inScope = (p: ClientPrincipal) => sql`t.org_path like ${`${p.orgPath}%`}`;

export function whereOf(c: Collection, p: ClientPrincipal, extra: SQL[], filter: string | undefined): SQL {
  const scope = c.shared ? sql`(${inScope(p)} or ${c.shared})` : inScope(p);
  const parts = [scope, ...(c.where ? [c.where] : []), ...extra];
  if (filter !== undefined && filter.trim() !== '') parts.push(compileFilter(parseFilter(filter), c.fields));
  return sql.join(parts, sql` and `);
}

/** One page of a collection in the client's scope: the JSON records and the total count. */
export async function listCollection(
  db: DbOrTx,
  p: ClientPrincipal,
  c: Collection,
  q: CollectionQueryT,
  base: string,
  extra: SQL[] = [],
) {
  const names = selection(c, q.fields);
  const where = whereOf(c, p, extra, q.filter);
  const limit = Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const offset = q.offset ?? 0;
  const from = sql`from (${c.source}) t where ${where}`;
  const [rows, counted] = await Promise.all([
    db.execute(
      sql`select t.* ${from} order by ${orderOf(c, q.sort, q.orderBy)} limit ${limit} offset ${offset}`,
    ),
    db.execute(sql`select count(*)::int as total ${from}`),
  ]);
  const total = Number(rowsOf<{ total: number }>(counted)[0]?.total ?? 0);
  return {
    records: rowsOf<Record<string, unknown>>(rows).map((r) => pick(c.toJson(r, base), names)),
    total,
    limit,
    offset,
  };
}

/** One record in the client's scope, or the binding's 404 (unknownobject). */
export async function getRecord(
  db: DbOrTx,
  p: ClientPrincipal,
  c: Collection,
  id: string,
  base: string,
  fields?: string,
) {
  const names = selection(c, fields);
  const row = await findRow(db, p, c, id);
  if (!row) throw orError(404, 'unknownobject', `No ${c.singular} with sourcedId ${id}`);
  return pick(c.toJson(row, base), names);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The raw row of one record in scope (a sourcedId that is not a UUID is simply unknown). */
export async function findRow(db: DbOrTx, p: ClientPrincipal, c: Collection, id: string) {
  if (!UUID.test(id)) return undefined;
  const res = await db.execute(
    sql`select t.* from (${c.source}) t where ${whereOf(c, p, [sql`t.sourced_id = ${id}::uuid`], undefined)} limit 1`,
  );
  return rowsOf<Record<string, unknown>>(res)[0];
}

/** `X-Total-Count` and the `Link` header (first, prev, next, last) of a page. */
export function pagingHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { total: number; limit: number; offset: number },
) {
  reply.header('x-total-count', String(page.total));
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const at = (offset: number) => {
    url.searchParams.set('limit', String(page.limit));
    url.searchParams.set('offset', String(offset));
    return url.toString();
  };
  const links: string[] = [`<${at(0)}>; rel="first"`];
  if (page.offset > 0) links.push(`<${at(Math.max(0, page.offset - page.limit))}>; rel="prev"`);
  if (page.offset + page.limit < page.total) links.push(`<${at(page.offset + page.limit)}>; rel="next"`);
  const lastOffset = page.total === 0 ? 0 : Math.floor((page.total - 1) / page.limit) * page.limit;
  links.push(`<${at(lastOffset)}>; rel="last"`);
  reply.header('link', links.join(', '));
}
