import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/** A cell of an exported table: text, a number or empty. */
export type Cell = string | number | null;

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

/** One CSV line (RFC 4180): a cell holding a quote, comma, CR or LF is quoted, its quotes doubled. */
export function csvLine(cells: readonly Cell[]): string {
  return cells
    .map((c) => {
      if (c === null) return '';
      const s = String(c);
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}

/** Lines per chunk written to the client: few, large writes instead of one per row. */
const CSV_LINES_PER_CHUNK = 500;

/**
 * A CSV byte stream from rows produced as they are read (cells already sanitized by the caller): the
 * generator is pulled only as fast as the client reads, so memory stays flat whatever the size.
 */
export function csvStream(headers: readonly string[], rows: AsyncIterable<readonly Cell[]>): Readable {
  async function* chunks() {
    yield `${csvLine(headers)}\n`;
    let buf: string[] = [];
    for await (const r of rows) {
      buf.push(csvLine(r));
      if (buf.length >= CSV_LINES_PER_CHUNK) {
        yield `${buf.join('\n')}\n`;
        buf = [];
      }
    }
    if (buf.length) yield `${buf.join('\n')}\n`;
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** XLSX through exceljs' streaming writer: rows are zipped and flushed as they come. */
export function xlsxStream(
  sheetName: string,
  headers: readonly string[],
  rows: AsyncIterable<readonly Cell[]>,
): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = headers.map((c) => ({ header: c, key: c }));
  (async () => {
    let n = 0;
    for await (const row of rows) {
      // The client went away: stop querying.
      if (out.destroyed) return;
      ws.addRow([...row]).commit();
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

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The documented 200 response of a CSV/XLSX download, for a route's `response` schema. */
export const fileResponse = {
  description: 'The file, as an attachment',
  content: {
    'text/csv': { schema: { type: 'string' } },
    [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
  },
};

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
