import { and, asc, count, desc, eq, getTableColumns, gt, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { listPage, type PageWindow } from '../../kernel/pagination.js';
import { importRows, imports } from './imports.table.js';

export type ImportRow = typeof imports.$inferSelect;
export type StagedRow = typeof importRows.$inferSelect;

export async function insert(db: DbOrTx, v: typeof imports.$inferInsert): Promise<ImportRow> {
  const [row] = await db.insert(imports).values(v).returning();
  return row;
}

export async function update(db: DbOrTx, id: string, v: Partial<typeof imports.$inferInsert>) {
  const [row] = await db.update(imports).set(v).where(eq(imports.id, id)).returning();
  return row;
}

/** Moves an import from one state to another; false when it was not in `from` (someone else moved it). */
export async function moveState(
  db: DbOrTx,
  id: string,
  from: ImportRow['state'],
  to: ImportRow['state'],
  v: Partial<typeof imports.$inferInsert> = {},
) {
  const rows = await db
    .update(imports)
    .set({ ...v, state: to })
    .where(and(eq(imports.id, id), eq(imports.state, from)))
    .returning({ id: imports.id });
  return rows.length === 1;
}

export async function find(db: DbOrTx, scope: SQL, id: string, lock = false): Promise<ImportRow | null> {
  const q = db
    .select()
    .from(imports)
    .where(and(eq(imports.id, id), scope));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function list(db: DbOrTx, scope: SQL, f: { target?: string }, w: PageWindow) {
  const where = and(scope, f.target ? sql`${imports.target} = ${f.target}` : undefined);
  const { rows, total } = await listPage(
    db,
    (_total) =>
      db
        .select({ ...getTableColumns(imports), _total })
        .from(imports)
        .where(where)
        .orderBy(desc(imports.createdAt), desc(imports.id))
        .limit(w.limit)
        .offset(w.offset),
    db.select({ one: sql`1` }).from(imports).where(where),
    w,
  );
  return { rows, total };
}

/** Stages a batch of rows in one INSERT with the rows as one jsonb parameter (not 8 parameters per row). */
export async function insertStaged(db: DbOrTx, rows: Array<typeof importRows.$inferInsert>) {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({
    import_id: r.importId,
    row_number: r.rowNumber,
    natural_key: r.naturalKey ?? null,
    action: r.action,
    data: r.data ?? null,
    changed_fields: r.changedFields ?? null,
    errors: r.errors ?? null,
    target_id: r.targetId ?? null,
  }));
  await db.execute(sql`
    insert into import_rows (import_id, row_number, natural_key, action, data, changed_fields, errors, target_id)
    select x.import_id, x.row_number, x.natural_key, x.action::import_row_action, x.data, x.changed_fields,
           x.errors, x.target_id
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(import_id uuid, row_number int,
           natural_key text, action text, data jsonb, changed_fields text[], errors jsonb, target_id uuid)`);
}

/**
 * One staged row as the JSON text `insertStagedText` takes: `[row_number, natural_key, action, data,
 * changed_fields, errors, target_id]`, with `dataJson` already JSON text (`null` for none). Staging turns
 * each row into this text as soon as it is classified, so a batch waiting on the database holds strings,
 * not row objects.
 */
export function stagedTupleText(
  rowNumber: number,
  key: string | null,
  action: StagedRow['action'],
  dataJson: string,
  changedFields: string[] | null,
  errors: unknown[] | null,
  targetId: string | null,
): string {
  return `[${rowNumber},${JSON.stringify(key)},"${action}",${dataJson},${JSON.stringify(changedFields)},${JSON.stringify(errors)},${JSON.stringify(targetId)}]`;
}

/**
 * Stages rows given as `stagedTupleText`s joined by commas (one parameter, the import id once; the brackets
 * are added by the database, so the driver sends the joined string as it is, without a flattened copy).
 */
export async function insertStagedText(db: DbOrTx, importId: string, tuples: string) {
  await db.execute(sql`
    insert into import_rows (import_id, row_number, natural_key, action, data, changed_fields, errors, target_id)
    select ${importId}::uuid, (x->>0)::int, x->>1, (x->>2)::import_row_action, nullif(x->3, 'null'::jsonb),
           case when jsonb_typeof(x->4) = 'array' then array(select jsonb_array_elements_text(x->4)) end,
           nullif(x->5, 'null'::jsonb), (x->>6)::uuid
      from jsonb_array_elements(('[' || ${tuples}::text || ']')::jsonb) as x`);
}

/** Counts of the staged rows by action. */
export async function actionCounts(db: DbOrTx, importId: string) {
  const rows = await db
    .select({ action: importRows.action, n: count() })
    .from(importRows)
    .where(eq(importRows.importId, importId))
    .groupBy(importRows.action);
  const out = { create: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of rows) out[r.action] = r.n;
  return out;
}

/** Staged rows of one action, in file order (keyset on row_number). */
export async function staged(
  db: DbOrTx,
  importId: string,
  action: StagedRow['action'] | 'valid',
  after: number,
  limit: number,
) {
  return db
    .select()
    .from(importRows)
    .where(
      and(
        eq(importRows.importId, importId),
        action === 'valid' ? ne(importRows.action, 'error') : eq(importRows.action, action),
        gt(importRows.rowNumber, after),
      ),
    )
    .orderBy(asc(importRows.rowNumber))
    .limit(limit);
}

/**
 * The next `limit` valid staged rows after row `after`, in file order, as a query of `row_number, key, data`
 * (for a target's set-based commit: the rows stay in the database).
 */
export function stagedRange(importId: string, after: number, limit: number): SQL {
  return sql`select ir.row_number, ir.natural_key as key, ir.data from import_rows ir
              where ir.import_id = ${importId} and ir.action <> 'error' and ir.row_number > ${after}
              order by ir.row_number limit ${limit}`;
}

/** The natural keys present in the file (valid or not): a subquery for "missing from a complete file". */
export function presentKeys(importId: string): SQL {
  return sql`select ir.natural_key from import_rows ir where ir.import_id = ${importId} and ir.natural_key is not null`;
}

/** Valid staged rows of one row-number range (one file of a multi-file import) with these keys: key → data. */
export async function stagedByKeys(db: DbOrTx, importId: string, from: number, to: number, keys: string[]) {
  const out = new Map<string, Record<string, unknown>>();
  if (keys.length === 0) return out;
  const rows = await db
    .select({ key: importRows.naturalKey, data: importRows.data })
    .from(importRows)
    .where(
      and(
        eq(importRows.importId, importId),
        ne(importRows.action, 'error'),
        sql`${importRows.rowNumber} between ${from} and ${to}`,
        sql`${importRows.naturalKey} in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb))`,
      ),
    );
  for (const r of rows) if (r.key) out.set(r.key, (r.data ?? {}) as Record<string, unknown>);
  return out;
}
