import type { Placeholder } from 'drizzle-orm';
import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Static, Type } from 'typebox';
import type { DbOrTx } from '../db/client.js';
import { badRequest } from './errors.js';
import { firstRow } from './sql.js';

export const MAX_PAGE_SIZE = 100;

/** `page` (≥1) and `page_size` (1–100, default 20), spread into a route's querystring schema. */
export const PageQueryProps = {
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100000, default: 1, description: 'Page number, from 1' }),
  ),
  page_size: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: 'Items per page (1–100)' }),
  ),
};
export const PageQuery = Type.Object(PageQueryProps);
export type PageQueryT = Static<typeof PageQuery>;

/** `cursor` + `page_size` for keyset feeds. */
export const CursorQueryProps = {
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'Opaque cursor from meta.next_cursor' })),
  page_size: PageQueryProps.page_size,
};

export interface PageWindow {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
}

/** The one pagination helper: turns `page`/`page_size` into limit/offset and builds `meta`. */
export function pageWindow(q: { page?: number; page_size?: number }): PageWindow {
  const page = q.page ?? 1;
  const pageSize = Math.min(q.page_size ?? 20, MAX_PAGE_SIZE);
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export function pageMeta(total: number, w: PageWindow) {
  const pageCount = Math.max(1, Math.ceil(total / w.pageSize));
  return {
    total,
    page: w.page,
    page_size: w.pageSize,
    page_count: pageCount,
    has_next_page: w.page < pageCount,
    has_prev_page: w.page > 1,
  };
}

/**
 * Counting stops here on lists that can hold a whole district (the student list): beyond it `meta.total` is
 * a lower bound and `meta.total_exact` is false, so page 1 of 200,000 students costs what page 1 of 10,000
 * does. `count=exact` asks for the full count.
 */
export const COUNT_CAP = 10_000;

/**
 * The cap of a capped count when the list is filtered by a substring search (`search`): a substring match
 * can only be confirmed row by row (the trigram index finds candidates, each is rechecked in the table), so
 * counting 10,000 of them would make a search's cost grow with the district while its page does not.
 * Beyond 200 matches (10 pages of 20) the total is a lower bound (`total_exact: false`); `count=exact`
 * still counts every match.
 */
export const SEARCH_COUNT_CAP = 200;

/** `count` for lists with capped totals, spread into the querystring schema next to PageQueryProps. */
export const CountQueryProps = {
  count: Type.Optional(
    Type.Union([Type.Literal('capped'), Type.Literal('exact')], {
      default: 'capped',
      description: `\`capped\` (default) counts up to ${COUNT_CAP.toLocaleString('en-US')} matches (or to the end of the requested page if deeper), then reports that as a lower bound with \`meta.total_exact: false\`; \`exact\` always counts every match (slower on very large lists).`,
    }),
  ),
};

/**
 * How many rows the capped count may read (one more tells "there are more"), or null to count all. `cap` is
 * COUNT_CAP, or SEARCH_COUNT_CAP for a list filtered by a substring search.
 */
export function countLimit(
  w: PageWindow,
  count: 'capped' | 'exact' | undefined,
  cap: number = COUNT_CAP,
): number | null {
  return count === 'exact' ? null : Math.max(cap, w.offset + w.pageSize);
}

/**
 * `{ data, meta }` from a count taken with `countLimit`: when it ran past the limit, the total is reported as
 * the limit with `total_exact: false`, and a next page is known to exist.
 */
export function cappedPage<T>(rows: T[], counted: number, limit: number | null, w: PageWindow) {
  if (limit === null || counted <= limit)
    return { data: rows, meta: { ...pageMeta(counted, w), total_exact: true } };
  const meta = pageMeta(limit, w);
  return {
    data: rows,
    meta: {
      ...meta,
      page_count: Math.max(meta.page_count, w.page + 1),
      has_next_page: true,
      total_exact: false,
    },
  };
}

/**
 * The count of a list as a scalar subquery: `matching` selects the list's FROM and WHERE (its select list
 * does not matter: `select 1`), read at most up to `limit + 1` rows (null: all). Placed in the page's own
 * select list (see `listPage`), PostgreSQL runs it once per statement (an InitPlan), not per row. In a
 * prepared query (kernel/prepared.ts) `limit` is a placeholder whose value is the rows to read (limit + 1).
 */
export function totalOf(matching: SQLWrapper, limit: number | Placeholder | null = null): SQL<number> {
  const capped =
    limit === null ? sql`` : typeof limit === 'number' ? sql` limit ${limit + 1}` : sql` limit ${limit}`;
  return sql<number>`(select count(*) from (${matching}${capped}) as counted)`.mapWith(Number);
}

/**
 * A list is one round trip: the page and its count in ONE statement. `page` builds the page query with the
 * count in its select list as `_total` (`totalOf(matching, countLimit)`, computed once, repeated on every
 * row); the rows come back as they are (with `_total`, which the response schemas never name). Only a page
 * past the end of the list (no row to carry the count) costs a second statement, the count alone; an empty
 * first page means no match at all.
 *
 * ```ts
 * const where = and(...conds);
 * return listPage(db, (total) => db.select({ ...getTableColumns(t), _total: total }).from(t).where(where)
 *   .orderBy(asc(t.name), asc(t.id)).limit(w.limit).offset(w.offset), db.select({ one: sql`1` }).from(t).where(where), w);
 * ```
 */
export async function listPage<Row extends { _total: number }>(
  db: DbOrTx,
  page: (total: SQL<number>) => PromiseLike<Row[]>,
  matching: SQLWrapper,
  w: PageWindow,
  countLimit: number | null = null,
): Promise<{ rows: Row[]; total: number }> {
  const rows = await page(totalOf(matching, countLimit));
  if (rows.length > 0) return { rows, total: Number(rows[0]._total) };
  if (w.offset === 0) return { rows, total: 0 };
  const r = firstRow<{ n: number | string }>(
    await db.execute(sql`select ${totalOf(matching, countLimit)} as n`),
  );
  return { rows, total: Number(r?.n ?? 0) };
}

/** `{ data, meta }` for a page of rows plus the total count. */
export function page<T>(rows: T[], total: number, w: PageWindow) {
  return { data: rows, meta: pageMeta(total, w) };
}

/** Keyset cursor: the (sort key, id) of the last row served, base64url-encoded JSON. */
export function encodeCursor(sortKey: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { sortKey: string | number; id: string } | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      (typeof v[0] === 'string' || typeof v[0] === 'number') &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    ) {
      return { sortKey: v[0], id: v[1] };
    }
  } catch {}
  throw badRequest('Invalid cursor', [{ field: 'cursor', message: 'is not a cursor issued by this API' }]);
}

/**
 * Fetch `pageSize + 1` rows, then call this: it trims the extra row and derives `next_cursor` from the last
 * row kept.
 */
export function cursorPage<T>(rows: T[], pageSize: number, keyOf: (row: T) => [string | number, string]) {
  const hasNext = rows.length > pageSize;
  const data = hasNext ? rows.slice(0, pageSize) : rows;
  const last = data[data.length - 1];
  return {
    data,
    meta: {
      page_size: pageSize,
      has_next_page: hasNext,
      next_cursor: hasNext && last ? encodeCursor(...keyOf(last)) : null,
    },
  };
}
