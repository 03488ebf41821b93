import type { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, executePrepared } from '../../db/client.js';
import type { ClientPrincipal } from '../clients/index.js';
import type { Collection, Streamed } from './oneroster-collections.js';
import { streamOf } from './oneroster-csv.service.js';
import { parseFilter } from './oneroster-filter.js';
import {
  type CollectionQueryT,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  orderOf,
  selection,
  whereOf,
} from './oneroster-query.js';

/**
 * Streamed collection pages (the users collections: users, students, teachers and their nested lists).
 * Each record's JSON is built by the database (`Streamed.json`, the same bytes the response schema's
 * serializer writes for the JS mapping) and a page is read in keyset batches of `BATCH` records, each ONE
 * row holding the batch's records joined by commas, written to the response as it comes: the API never holds
 * more than one batch, whatever the page size. The total (`X-Total-Count`) and the first batch are read
 * before the status line, so a bad request still answers its 400 and the headers are right.
 */

/** Records per batch: one statement and one string of about 0.6 MiB each. */
export const BATCH = 1000;

const TOMBSTONE_ENTITY = { student: 'student', teacher: 'teacher', parent: 'guardian' } as const;

/**
 * The live flag a filter of exactly one `status` predicate (or none) selects: true, false, null (both), or
 * undefined when the filter says more and the total must be counted.
 */
function statusOnly(filter: string | undefined): boolean | null | undefined {
  if (filter === undefined || filter.trim() === '') return null;
  const ast = parseFilter(filter);
  if (ast.length !== 1 || ast[0].length !== 1) return undefined;
  const [p] = ast[0];
  if (p.field !== 'status' || (p.op !== '=' && p.op !== '!=')) return undefined;
  if (p.value !== 'active' && p.value !== 'tobedeleted') return undefined;
  return (p.value === 'active') === (p.op === '=');
}

/** `X-Total-Count`: from the maintained counts when it can be, else counted branch by branch. */
function totalQuery(
  p: ClientPrincipal,
  c: Collection,
  s: Streamed,
  extra: SQL[],
  filter: string | undefined,
) {
  const live = extra.length === 0 && s.counted ? statusOnly(filter) : undefined;
  if (live !== undefined && s.counted) {
    const roles = sql.join(
      s.counted.map((r) => sql`${r}`),
      sql`, `,
    );
    const prefix = `${p.orgPath}%`;
    const people = sql`(select coalesce(sum(k.value), 0) from oneroster_user_counts k
        join organizations o on o.id = k.organization_id
       where o.path like ${prefix} and k.role in (${roles})${live === null ? sql`` : sql` and k.live = ${live}`})`;
    if (live === true) return sql`select ${people}::bigint as total`;
    const entities = sql.join(
      s.counted.map((r) => sql`${TOMBSTONE_ENTITY[r]}`),
      sql`, `,
    );
    const tombs = sql`(select count(*) from oneroster_tombstones t
       where t.entity in (${entities}) and t.org_path like ${prefix})`;
    return sql`select (${people} + ${tombs})::bigint as total`;
  }
  const where = whereOf(c, p, extra, filter);
  const parts = s.branches.map((b) => sql`(select count(*) from (${b}) t where ${where})`);
  return sql`select (${sql.join(parts, sql` + `)})::bigint as total`;
}

type Batch = {
  body: string | null;
  n: number;
  last: string | null;
};

/**
 * One page of a streamed collection: its total and the body as a stream. Throws the binding's 400 for a bad
 * `fields`, `sort` or `filter`, and any database error of the total or the first batch, before anything is
 * sent.
 */
export async function streamCollection(
  db: DbOrTx,
  p: ClientPrincipal,
  c: Collection,
  s: Streamed,
  q: CollectionQueryT,
  base: string,
  extra: SQL[] = [],
): Promise<{ total: number; limit: number; offset: number; body: Readable }> {
  const picked = selection(c, q.fields);
  const names = picked ? c.selectable.filter((n) => picked.includes(n)) : c.selectable;
  const where = whereOf(c, p, extra, q.filter);
  const limit = Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const offset = q.offset ?? 0;
  const desc = q.orderBy === 'desc';
  const order = orderOf(c, q.sort, q.orderBy);
  const json = s.json(sql`${base}::text`);
  const fields = names.filter((n) => Object.hasOwn(json, n));
  // The record: `{"name":value,...}` in the schema's field order (what the serializer wrote before).
  const record = sql`${sql.join(
    fields.map((n, i) => sql`${sql.raw(`'${i === 0 ? '{' : ','}"${n}":'`)} || ${json[n]}`),
    sql` || `,
  )} || '}'`;
  // Keyset batches on the default order (sourcedId); another sort is one batch (each would sort again).
  const keyset = q.sort === undefined;
  // Named prepared statements only for the few shapes sync tools repeat (no fields= or sort=, no filter or
  // one on status): any other filter, selection or sort is its own SQL text, and a statement prepared for
  // each would pile up on every pooled connection.
  const run =
    keyset && q.fields === undefined && statusOnly(q.filter) !== undefined
      ? executePrepared
      : <Row extends Record<string, unknown>>(d: DbOrTx, query: SQL) =>
          d.execute(query) as unknown as Promise<{ rows: Row[] }>;
  const step = keyset ? Math.min(BATCH, limit) : limit;
  const batch = async (after: string | null, skip: number, size: number): Promise<Batch> => {
    const past =
      after === null
        ? sql``
        : desc
          ? sql` and t.sourced_id < ${after}::uuid`
          : sql` and t.sourced_id > ${after}::uuid`;
    const branches = s.branches.map(
      (b) => sql`(select * from (${b}) t where ${where}${past} order by ${order} limit ${skip + size})`,
    );
    // The page's rows in order (`rn`), then their JSON: built for the rows served only.
    const res = await run<Batch>(
      db,
      sql`select string_agg(${record}, ',' order by t.rn) as body, count(*)::int as n,
        (array_agg(t.sourced_id order by t.rn desc))[1]::text as last
      from (select t.*, row_number() over (order by ${order}) as rn
              from (${sql.join(branches, sql` union all `)}) t
             order by ${order} limit ${size} offset ${skip}) t`,
    );
    const row = res.rows[0];
    return { body: row?.body ?? null, n: Number(row?.n ?? 0), last: row?.last ?? null };
  };
  const [counted, first] = await Promise.all([
    run<{ total: number | string }>(db, totalQuery(p, c, s, extra, q.filter)),
    batch(null, offset, step),
  ]);
  const total = Number(counted.rows[0]?.total ?? 0);
  async function* chunks() {
    let b = first;
    let sent = 0;
    let head = `{"${c.plural}":[`;
    for (;;) {
      if (b.n > 0 && b.body !== null) {
        yield head + b.body;
        head = ',';
      }
      sent += b.n;
      if (!keyset || b.n < step || sent >= limit || b.last === null) break;
      b = await batch(b.last, 0, Math.min(step, limit - sent));
    }
    yield head === ',' ? ']}' : `${head}]}`;
  }
  return { total, limit, offset, body: streamOf(chunks()) };
}
