import { Readable } from 'node:stream';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { sanitizeCell, xlsxStream } from '../../kernel/export.js';
import * as repo from './students.repo.js';
import type { StudentFilters } from './students.schemas.js';
import { listScope } from './students.service.js';

/** Rows fetched per keyset query: bounds the memory of an export whatever its size. */
export const EXPORT_BATCH = 500;

/**
 * Lines per keyset query of the CSV export. Each row is one short string, so a batch of 5,000 is well under
 * a megabyte; fewer, larger batches cut the round trips and the per-chunk cost of the HTTP stream.
 */
export const CSV_BATCH = 5_000;

const COLUMNS = (Object.keys(repo.exportColumns) as Array<keyof typeof repo.exportColumns>).filter(
  (c) => c !== 'id',
);

export { sanitizeCell };

/** Every matching student in list order, fetched in keyset batches (never all rows at once). */
export async function* exportRows(db: Db, ctx: RequestContext, f: StudentFilters, batch = EXPORT_BATCH) {
  const conds = repo.filterConds(await listScope(db, ctx.actor), f);
  let after: repo.ExportKey | null = null;
  for (;;) {
    const rows = await repo.exportBatch(db, conds, after, batch);
    for (const r of rows) yield COLUMNS.map((c) => sanitizeCell(r[c]));
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { lastName: last.last_name_key, firstName: last.first_name_key, id: last.id };
  }
}

/** A cell starting with = + - @ or tab, at the start of a line or after a separator. */
const LEADING_FORMULA = /(?:^|[,\n])[-=+@\t]/;

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Whether lines whose cells were joined as they are (`n` lines, `cells` cells each, joined by LF) are
 * already valid, safe CSV: no cell holds a quote or CR; no cell holds a comma or LF (there are exactly as
 * many of each as separators); and, every comma and LF then being a separator, no cell starts with
 * = + - @ or tab. One pass over the whole batch instead of per-cell work in PostgreSQL.
 */
export function isPlainCsvSafe(chunk: string, n: number, cells: number): boolean {
  return (
    chunk.indexOf('"') === -1 &&
    chunk.indexOf('\r') === -1 &&
    count(chunk, '\n') === n - 1 &&
    count(chunk, ',') === n * (cells - 1) &&
    !LEADING_FORMULA.test(chunk)
  );
}

/**
 * The CSV file in chunks of one batch each: the header, then every matching student in list order. Each
 * batch comes back from PostgreSQL with its cells joined as they are; a batch in which any cell needs
 * quoting or sanitizing (rare: see isPlainCsvSafe) is fetched again cell by cell (repo.csvCell: the same
 * rules as sanitizeCell + RFC 4180).
 */
export async function* csvChunks(db: Db, ctx: RequestContext, f: StudentFilters, batch = CSV_BATCH) {
  const conds = repo.filterConds(await listScope(db, ctx.actor), f);
  yield `${COLUMNS.join(',')}\n`;
  // One batch ahead: the next batch's query runs in PostgreSQL while this one is checked and written to
  // the client (at most two batches in memory). A client that goes away stops the generator at its
  // `yield`; the prefetched batch is then dropped (its rejection, if any, is already handled).
  let after: repo.ExportKey | null = null;
  let pending: ReturnType<typeof repo.exportCsvBatch> | null = repo.exportCsvBatch(db, conds, after, batch);
  const prefetch = (key: repo.ExportKey | null) => {
    pending = key ? repo.exportCsvBatch(db, conds, key, batch) : null;
    pending?.catch(() => {});
  };
  while (pending) {
    let out = await pending;
    let next = out.n === batch ? out.after : null;
    prefetch(next);
    if (out.chunk !== null && !isPlainCsvSafe(out.chunk, out.n, COLUMNS.length)) {
      out = await repo.exportCsvBatch(db, conds, after, batch, true);
      // Rows written between the two queries can move the batch's end: continue after what was sent.
      const careful = out.n === batch ? out.after : null;
      if (careful?.id !== next?.id) {
        next = careful;
        prefetch(next);
      }
    }
    if (out.chunk !== null) yield `${out.chunk}\n`;
    after = next;
  }
}

/** CSV as a byte stream: the generator is pulled only as fast as the client reads (backpressure). */
export function exportCsv(db: Db, ctx: RequestContext, f: StudentFilters): Readable {
  return Readable.from(csvChunks(db, ctx, f), { objectMode: false });
}

/** XLSX through the kernel's streaming writer: rows are zipped and flushed as they come. */
export function exportXlsx(db: Db, ctx: RequestContext, f: StudentFilters): Readable {
  return xlsxStream('Students', COLUMNS, exportRows(db, ctx, f));
}
