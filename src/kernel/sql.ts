import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/** `%term%` for ILIKE with the user's wildcards escaped, so a search for "50%" means the text "50%". */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Formats a Date (or date string from the driver) as an RFC 3339 UTC string; null stays null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * A timestamp column as the API writes it, shaped by the database: RFC 3339 UTC with milliseconds, the very
 * text `iso()` (`Date.toISOString()`) gives, so a list's rows need no per-row mapping; null stays null.
 */
export function isoText(column: SQLWrapper): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The rows of a raw `db.execute(sql…)` result, typed by the caller. Raw SQL has no column types, so name
 * the row shape the statement selects: `rowsOf<{ id: string; total: number }>(await db.execute(q))`.
 */
export function rowsOf<Row extends Record<string, unknown>>(result: unknown): Row[] {
  return (result as { rows: Row[] }).rows;
}

/** The first row of a raw result, or undefined. */
export function firstRow<Row extends Record<string, unknown>>(result: unknown): Row | undefined {
  return rowsOf<Row>(result)[0];
}
