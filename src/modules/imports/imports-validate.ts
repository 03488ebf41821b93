import type { ImportField } from '../personnel/index.js';

export type Values = Record<string, string | null>;
export interface CellError {
  column: string | null;
  value: string | null;
  message: string;
}

/** `"Date of Birth "` → `date_of_birth`: how headers are matched to fields and aliases. */
export function normalizeHeader(h: string): string {
  return h
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Maps file headers to fields: the explicit `mapping` (header → field) first, then a header equal to a
 * field name or alias. Headers that match nothing are ignored (and reported).
 */
export class ColumnResolver {
  private readonly byName = new Map<string, string>();
  private readonly cache = new Map<string, string | null>();
  readonly ignored = new Set<string>();

  constructor(
    fields: ImportField[],
    private readonly mapping: Record<string, string>,
  ) {
    for (const f of fields) {
      this.byName.set(f.field, f.field);
      for (const a of f.aliases) this.byName.set(a, f.field);
    }
  }

  field(header: string): string | null {
    let f = this.cache.get(header);
    if (f === undefined) {
      f =
        this.mapping[header] ??
        this.mapping[normalizeHeader(header)] ??
        this.byName.get(normalizeHeader(header)) ??
        null;
      this.cache.set(header, f);
      if (!f) this.ignored.add(header);
    }
    return f;
  }

  /** The fields a set of headers covers. */
  covered(headers: string[]): Set<string> {
    return new Set(headers.map((h) => this.field(h)).filter((f): f is string => f !== null));
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;

function checkDate(v: string): string | null {
  const m = DATE.exec(v);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (
    d.getUTCFullYear() !== Number(m[1]) ||
    d.getUTCMonth() !== Number(m[2]) - 1 ||
    d.getUTCDate() !== Number(m[3])
  )
    return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/**
 * Checks and normalizes one record. `data` holds only the fields the file has a column for (an absent
 * column never blanks a stored value); an empty cell is `null`.
 */
export function validateRecord(cells: Values, fields: ImportField[], columns: ColumnResolver) {
  const data: Values = {};
  const errors: CellError[] = [];
  const headerOf = new Map<string, string>();
  for (const [header, raw] of Object.entries(cells)) {
    const field = columns.field(header);
    if (!field) continue;
    headerOf.set(field, header);
    data[field] = raw === null ? null : raw.trim() || null;
  }
  for (const f of fields) {
    const column = headerOf.get(f.field) ?? f.field;
    const v = data[f.field];
    if (v === undefined || v === null) {
      // An empty enum cell means "not given": the record keeps its value (or takes the default).
      if (v === null && f.type === 'enum') delete data[f.field];
      if (f.required || (f.nonEmpty && v === null)) {
        errors.push({ column, value: null, message: `${f.field} is required` });
      }
      continue;
    }
    if (f.lower) data[f.field] = v.toLowerCase();
    if (f.list) {
      const items = [
        ...new Set(
          v
            .split(/[;,]/)
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ].sort();
      data[f.field] = items.length ? items.join(';') : null;
    }
    if (f.type === 'text' && f.max && v.length > f.max) {
      errors.push({
        column,
        value: v.slice(0, 200),
        message: `${f.field} is longer than ${f.max} characters`,
      });
    } else if (f.type === 'date') {
      const d = checkDate(v);
      if (!d) errors.push({ column, value: v, message: `${f.field} must be a date (YYYY-MM-DD)` });
      else data[f.field] = d;
    } else if (f.type === 'enum') {
      const lower = v.toLowerCase();
      if (!f.values?.includes(lower)) {
        errors.push({ column, value: v, message: `${f.field} must be one of ${f.values?.join(', ')}` });
      } else data[f.field] = lower;
    }
  }
  return { data, errors };
}

/** The action for a valid row against the current record: create, update (with the changed fields) or unchanged. */
export function classify(data: Values, current: { id: string; values: Values } | undefined) {
  if (!current) return { action: 'create' as const, changed: [] as string[], merged: data };
  const changed = Object.keys(data).filter((k) => (current.values[k] ?? null) !== (data[k] ?? null));
  const merged = { ...current.values, ...data };
  return { action: changed.length ? ('update' as const) : ('unchanged' as const), changed, merged };
}
