import { once } from 'node:events';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import * as repo from './students.repo.js';
import type { StudentFilters } from './students.schemas.js';
import { listScope } from './students.service.js';

/** Rows fetched per keyset query: bounds the memory of an export whatever its size. */
export const EXPORT_BATCH = 500;

const COLUMNS = Object.keys(repo.exportColumns).filter((c) => c !== 'id');

/**
 * A spreadsheet program treats a cell starting with = + - @ (or tab / CR) as a formula; prefixing a single
 * quote makes it plain text (OWASP CSV injection guidance).
 */
export function sanitizeCell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Every matching student in list order, fetched in keyset batches (never all rows at once). */
export async function* exportRows(db: Db, ctx: RequestContext, f: StudentFilters, batch = EXPORT_BATCH) {
  const conds = repo.filterConds(await listScope(db, ctx.actor), f);
  let after: { lastName: string; firstName: string; id: string } | null = null;
  for (;;) {
    const rows = await repo.exportBatch(db, conds, after, batch);
    for (const r of rows) yield COLUMNS.map((c) => sanitizeCell((r as any)[c]));
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    after = { lastName: last.last_name_key, firstName: last.first_name_key, id: last.id };
  }
}

/** CSV as a stream: the generator is pulled only as fast as the client reads (backpressure). */
export function exportCsv(db: Db, ctx: RequestContext, f: StudentFilters): Readable {
  const csv = stringify({ header: true, columns: COLUMNS });
  return pipeline(Readable.from(exportRows(db, ctx, f)), csv, () => {});
}

/** XLSX through exceljs' streaming writer: rows are zipped and flushed as they come. */
export function exportXlsx(db: Db, ctx: RequestContext, f: StudentFilters): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('Students');
  ws.columns = COLUMNS.map((c) => ({ header: c, key: c }));
  (async () => {
    let n = 0;
    for await (const row of exportRows(db, ctx, f)) {
      // The client went away: stop querying.
      if (out.destroyed) return;
      ws.addRow(row).commit();
      // Wait for the client whenever the zip output backs up, so a slow reader does not buffer the export.
      if (++n % 100 === 0 && out.writableNeedDrain) {
        await Promise.race([once(out, 'drain'), once(out, 'close')]);
      }
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err));
  return out;
}
