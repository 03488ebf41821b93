import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { loadExcel } from './lazy.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The OpenAPI 200 response of a CSV/XLSX export route. */
export const spreadsheetResponse = {
  description: 'The file, as an attachment',
  content: {
    'text/csv': { schema: { type: 'string' } },
    [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
  },
};

/** A spreadsheet cell as exports write it: text, a number or empty. */
export type Cell = string | number | null;

/**
 * A spreadsheet program treats a cell starting with = + - @ (or tab / CR) as a formula; prefixing a single
 * quote makes it plain text (OWASP CSV injection guidance). Numbers stay numbers.
 */
export function sanitizeCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** A CSV cell that no spreadsheet runs as a formula, quoted as RFC 4180 needs. */
export function csvCell(v: unknown): string {
  const c = sanitizeCell(v);
  const s = c === null ? '' : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV as a byte stream: the header line, then one chunk per batch of rows. The batches are pulled only as
 * fast as the client reads (backpressure), so an export never holds more than one batch.
 */
export function csvStream(header: string[], batches: AsyncIterable<unknown[][]>): Readable {
  async function* chunks() {
    yield `${header.map(csvCell).join(',')}\r\n`;
    for await (const rows of batches) {
      if (rows.length) yield `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * XLSX through exceljs' streaming writer: rows are sanitized, zipped and flushed as they come, waiting for
 * the client whenever the output backs up; a client that goes away stops the query loop.
 */
export function xlsxStream(sheet: string, header: string[], rows: AsyncIterable<unknown[]>): Readable {
  const out = new PassThrough();
  (async () => {
    const ExcelJS = await loadExcel();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: false,
      useSharedStrings: false,
    });
    const ws = wb.addWorksheet(sheet);
    ws.columns = header.map((c) => ({ header: c, key: c }));
    let n = 0;
    for await (const row of rows) {
      if (out.destroyed) return;
      ws.addRow(row.map(sanitizeCell)).commit();
      if (++n % 100 === 0 && out.writableNeedDrain) {
        await Promise.race([once(out, 'drain'), once(out, 'close')]);
      }
    }
    ws.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

/** Groups a row stream into arrays of `size` rows, the batches `csvStream` writes one chunk each. */
export async function* inBatches<T>(rows: AsyncIterable<T>, size = 500): AsyncGenerator<T[]> {
  let buf: T[] = [];
  for await (const r of rows) {
    buf.push(r);
    if (buf.length >= size) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length) yield buf;
}

/**
 * Sends a streamed table as an attachment named `<name>-<date>.<format>`; `open` builds the stream only
 * for the format asked for.
 */
export function sendTable(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  name: string,
  open: (format: 'csv' | 'xlsx') => Readable,
) {
  const stamp = new Date().toISOString().slice(0, 10);
  reply
    .type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${stamp}.${format}"`);
  return reply.send(open(format));
}
