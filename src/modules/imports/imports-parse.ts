import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { businessRule } from '../../kernel/errors.js';
import { loadExcel } from '../../kernel/lazy.js';

export const FORMATS = ['csv', 'xlsx', 'json'] as const;
export type FileFormat = (typeof FORMATS)[number];

/** One record of the file: its row number as a user sees it and its cells by header. */
export interface SourceRecord {
  row: number;
  cells: Record<string, string | null>;
}

/** The format from the file name, or from the first bytes (a ZIP is XLSX, `[` or `{` is JSON). */
export function detectFormat(fileName: string, head: Buffer): FileFormat {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'json' || ext === 'jsonl' || ext === 'ndjson') return 'json';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  const first = head.toString('utf8').trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

/** A cell value as text: numbers and booleans as written, dates as YYYY-MM-DD (or RFC 3339 with a time). */
export function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return cellText(o.richText.map((t: { text?: string }) => t.text ?? '').join(''));
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return null;
    return JSON.stringify(v);
  }
  return null;
}

/** Streams the records of a CSV, XLSX or JSON (array or JSON lines) file; nothing is held but one record. */
export function readRecords(stream: Readable, format: FileFormat): AsyncIterable<SourceRecord> {
  if (format === 'csv') return csvRecords(stream);
  if (format === 'xlsx') return xlsxRecords(stream);
  return jsonRecords(stream);
}

function withHeaders(headers: string[], values: unknown[]): Record<string, string | null> {
  const cells: Record<string, string | null> = {};
  headers.forEach((h, i) => {
    if (h) cells[h] = cellText(values[i]);
  });
  return cells;
}

async function* csvRecords(stream: Readable): AsyncIterable<SourceRecord> {
  const parser = stream.pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 1 << 20,
    }),
  );
  // pipe() does not forward a source's error: without this a failing source (a damaged zip entry) would
  // leave the parser waiting forever and the error unhandled.
  stream.once('error', (err) => parser.destroy(err));
  let headers: string[] | null = null;
  let row = 1;
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (!headers) {
        headers = rec.map((h) => h.trim());
        continue;
      }
      row += 1;
      yield { row, cells: withHeaders(headers, rec) };
    }
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode) throw err;
    throw businessRule('unreadable_file', `The CSV file cannot be read: ${(err as Error).message}`);
  }
}

async function* xlsxRecords(stream: Readable): AsyncIterable<SourceRecord> {
  const Excel = await loadExcel();
  const reader = new Excel.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  let headers: string[] | null = null;
  try {
    for await (const sheet of reader) {
      // Only the first worksheet is the roster.
      for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (Array.isArray(r.values) ? r.values : []).slice(1);
        if (!headers) {
          headers = values.map((v) => cellText(v) ?? '');
          continue;
        }
        if (values.every((v) => cellText(v) === null)) continue;
        yield { row: r.number, cells: withHeaders(headers, values) };
      }
      break;
    }
  } catch (err) {
    throw businessRule('unreadable_file', `The XLSX file cannot be read: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
}

function toCells(value: unknown, row: number): Record<string, string | null> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw businessRule('unreadable_file', `JSON element ${row} is not an object`);
  }
  const cells: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value)) cells[k] = cellText(v);
  return cells;
}

/**
 * JSON: a top-level array of objects, split element by element while the bytes stream in (strings and
 * nesting are tracked, so only the current element is buffered), or JSON lines (one object a line).
 */
async function* jsonRecords(stream: Readable): AsyncIterable<SourceRecord> {
  let mode: 'unknown' | 'array' | 'lines' = 'unknown';
  let buf = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let row = 0;
  const parseOne = (text: string) => {
    row += 1;
    try {
      return toCells(JSON.parse(text), row);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode) throw err;
      throw businessRule('unreadable_file', `JSON element ${row} is not valid JSON`);
    }
  };
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    for (const ch of chunk) {
      if (mode === 'unknown') {
        if (/\s/.test(ch) || ch === '\ufeff') continue;
        mode = ch === '[' ? 'array' : 'lines';
        if (mode === 'array') continue;
      }
      if (mode === 'lines') {
        if (ch === '\n') {
          if (buf.trim()) yield { row: row + 1, cells: parseOne(buf) };
          buf = '';
        } else buf += ch;
        continue;
      }
      // array mode: collect one element at depth 0 (inside the top-level array)
      if (inString) {
        buf += ch;
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') {
        inString = true;
        buf += ch;
      } else if (ch === '{' || ch === '[') {
        depth += 1;
        buf += ch;
      } else if (ch === '}' || ch === ']') {
        if (depth === 0) {
          if (buf.trim()) yield { row: row + 1, cells: parseOne(buf) };
          buf = '';
          mode = 'unknown';
          return;
        }
        depth -= 1;
        buf += ch;
      } else if (ch === ',' && depth === 0) {
        if (buf.trim()) yield { row: row + 1, cells: parseOne(buf) };
        buf = '';
      } else if (depth > 0 || !/\s/.test(ch)) buf += ch;
    }
  }
  if (mode === 'array') throw businessRule('unreadable_file', 'The JSON array is not closed');
  if (buf.trim()) yield { row: row + 1, cells: parseOne(buf) };
}
