import { type SQL, sql } from 'drizzle-orm';
import { type TSchema, Type } from 'typebox';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { formatMinor } from '../../kernel/money.js';
import type { PageWindow } from '../../kernel/pagination.js';
import { DateStr, Nullable, PageMeta, Uuid } from '../../kernel/schemas.js';
import { type Cell, sanitizeCell } from '../../kernel/spreadsheet.js';
import { rowsOf } from '../../kernel/sql.js';
import type { ReportFilters } from './reports.schemas.js';

/**
 * What a column holds, which decides its JSON type and how it is written to a file: `text` is user data
 * (sanitized against formula injection in CSV/XLSX); the other kinds are produced by the report itself
 * (ids, ISO dates, counts, rounded rates, money as decimal strings in the row's `currency`).
 */
export type ColKind = 'id' | 'text' | 'date' | 'int' | 'rate' | 'money';

export interface ColSpec {
  key: string;
  kind: ColKind;
  description: string;
  /** For `id`, `text` and `date`: the value may be missing. */
  nullable?: boolean;
}

/** One report: its columns, its totals and the two statements that compute them. */
export interface ReportDef {
  /** Path under /reports and the name of downloaded files. */
  path: string;
  sheet: string;
  summary: string;
  description: string;
  /** `reports:read` for class-based reports (teachers see their classes), `reports:org` otherwise. */
  permission: 'reports:read' | 'reports:org';
  /** The report's own filters (querystring properties beside format, page and organization_id). */
  filters: Record<string, TSchema>;
  columns: readonly ColSpec[];
  totals: readonly ColSpec[];
  /** 400 for filter combinations a schema cannot express (from after to, too long a period). */
  validate?: (f: ReportFilters) => void;
  /**
   * The rows, scoped to the actor in the WHERE clause: a SELECT of every column key plus `k`, a unique sort
   * key that is a grouping column (so a keyset predicate on it is pushed down into the scan).
   */
  rows: (actor: Actor, f: ReportFilters) => SQL;
  /** The totals over every matching record (not over the page): one row, or one per currency. */
  totalsQuery: (actor: Actor, f: ReportFilters) => SQL;
}

type Row = Record<string, unknown>;

function toValue(c: ColSpec, row: Row): string | number | null {
  const v = row[c.key];
  if (v === null || v === undefined) return c.kind === 'int' ? 0 : null;
  switch (c.kind) {
    case 'int':
    case 'rate':
      return Number(v);
    case 'money':
      return formatMinor(String(v).split('.')[0], String(row.currency));
    default:
      return String(v);
  }
}

/** A database row as the report's JSON object (the columns, in order, and nothing else). */
export function toJson(cols: readonly ColSpec[], row: Row): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of cols) out[c.key] = toValue(c, row);
  return out;
}

/** A database row as file cells: the JSON values, user text made formula-safe. */
export function toCells(cols: readonly ColSpec[], row: Row): Cell[] {
  return cols.map((c) => (c.kind === 'text' ? sanitizeCell(toValue(c, row)) : toValue(c, row)));
}

function schemaOf(c: ColSpec): TSchema {
  const o = { description: c.description };
  switch (c.kind) {
    case 'int':
      return Type.Integer(o);
    case 'rate':
      return Nullable(Type.Number({ ...o, examples: [92.5] }));
    case 'money':
      return Type.String({ ...o, examples: ['1250.00'] });
    case 'id':
      return c.nullable ? Nullable(Uuid(c.description)) : Uuid(c.description);
    case 'date':
      return c.nullable ? Nullable(DateStr(c.description)) : DateStr(c.description);
    default:
      return c.nullable ? Nullable(Type.String(o)) : Type.String(o);
  }
}

/** The JSON schema of a row (or totals row) built from the column specs, so /docs lists every column. */
export function rowSchema(cols: readonly ColSpec[], description: string) {
  return Type.Object(Object.fromEntries(cols.map((c) => [c.key, schemaOf(c)])), {
    description,
    additionalProperties: false,
  });
}

/** `{ data: rows, meta: page + totals }`, the JSON form of a report. */
export function reportPageSchema(def: ReportDef) {
  return Type.Object({
    data: Type.Array(rowSchema(def.columns, `One row of the ${def.path} report`)),
    meta: Type.Object({
      ...PageMeta.properties,
      totals: Type.Array(
        rowSchema(def.totals, 'Totals over every matching record (one per currency for money)'),
        { description: 'Totals over every matching record, not only this page' },
      ),
    }),
  });
}

/**
 * One page of the report in key order, the count of its rows and its totals. The count rides on the page
 * (`count(*) over ()`), so the report is aggregated once for both; only a page past the end counts apart.
 */
export async function reportPage(db: Db, actor: Actor, def: ReportDef, f: ReportFilters, w: PageWindow) {
  const src = def.rows(actor, f);
  const [page, totals] = await Promise.all([
    db.execute(
      sql`select *, count(*) over () as total_rows from (${src}) r order by k limit ${w.limit} offset ${w.offset}`,
    ),
    db.execute(def.totalsQuery(actor, f)),
  ]);
  const rows = rowsOf<Row>(page);
  const total =
    rows.length > 0
      ? Number(rows[0].total_rows)
      : (rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (${src}) r`))[0]?.n ?? 0);
  return {
    rows: rows.map((r) => toJson(def.columns, r)),
    total,
    totals: rowsOf<Row>(totals).map((r) => toJson(def.totals, r)),
  };
}

/**
 * Rows per keyset query of a download: bounds its memory (a few MB) whatever the size of the report.
 * Each batch aggregates only the keys after the last one sent (the key is a grouping column, so the
 * predicate reaches the scan); larger batches mean fewer of those passes.
 */
export const REPORT_BATCH = 5_000;

/** Every row of the report in key order as file cells, fetched in keyset batches (never all at once). */
export async function* reportCells(
  db: Db,
  actor: Actor,
  def: ReportDef,
  f: ReportFilters,
  batch = REPORT_BATCH,
) {
  const src = def.rows(actor, f);
  let after: string | null = null;
  for (;;) {
    const res: unknown = await db.execute(
      sql`select * from (${src}) r ${after === null ? sql`` : sql`where k > ${after}`} order by k limit ${batch}`,
    );
    const rows: Row[] = rowsOf<Row>(res);
    for (const r of rows) yield toCells(def.columns, r);
    if (rows.length < batch) return;
    after = String(rows[rows.length - 1].k);
  }
}

/** How many rows the report has (a job's progress is rows written over this). */
export async function reportCount(db: Db, actor: Actor, def: ReportDef, f: ReportFilters): Promise<number> {
  const src = def.rows(actor, f);
  return rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from (${src}) r`))[0]?.n ?? 0;
}
