import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { businessRule } from '../../kernel/errors.js';
import { storageFor } from '../../kernel/storage.js';
import * as repo from './imports.repo.js';
import type { importRows } from './imports.table.js';
import { stageOneRoster } from './imports-oneroster.js';
import { type FileFormat, readRecords, type SourceRecord } from './imports-parse.js';
import type { ImportTargetAdapter, TargetScope } from './imports-targets.js';
import {
  type CellError,
  ColumnResolver,
  classify,
  normalizeHeader,
  type Values,
  validateRecord,
} from './imports-validate.js';

/** Rows validated and staged per round trip: bounded memory whatever the file size. */
export const BATCH_SIZE = 1000;

interface Pending {
  row: number;
  key: string | null;
  data: Values;
  errors: CellError[];
}

/**
 * Streams the stored file, validates it batch by batch against the current records and stages every row
 * in `import_rows` with its action (create / update / unchanged / error). Progress is written after each
 * batch, so `GET /imports/{id}` shows it while the file is read. Nothing in the target is written here.
 */
export async function stageImport(
  deps: AppDeps,
  ctx: RequestContext,
  imp: repo.ImportRow,
  adapter: ImportTargetAdapter,
  scope: TargetScope,
  mapping: Record<string, string>,
) {
  const { db } = deps;
  if (adapter.multiFile) {
    const r = await stageOneRoster(deps, imp, {
      id: scope.id,
      organizationId: scope.organizationId,
      path: scope.path!,
    });
    const counts = await repo.actionCounts(db, imp.id);
    await repo.update(db, imp.id, {
      state: 'validated',
      rowsRead: r.read,
      rowsValidated: counts.create + counts.update + counts.unchanged + counts.error,
      rowsInvalid: r.invalid,
      summary: {
        ...counts,
        deactivate: 0,
        existing: 0,
        ignored_columns: [],
        files: r.files,
        skipped_rows: r.skipped,
        result: null,
      },
      finishedAt: new Date(),
    });
    return;
  }
  const stream = await storageFor(deps.config).get(imp.fileKey);
  if (!stream) throw businessRule('file_missing', 'The uploaded file is no longer available');
  const columns = new ColumnResolver(adapter.fields, mapping);
  const seen = new Map<string, number>();
  let batch: Pending[] = [];
  let read = 0;
  let validated = 0;
  let invalid = 0;
  let checkedHeader = false;

  const flush = async () => {
    if (batch.length === 0) return;
    const keys = [...new Set(batch.filter((p) => p.key && p.errors.length === 0).map((p) => p.key!))];
    const current = await adapter.current(db, ctx, scope, keys, false);
    const conflicts = adapter.batchErrors
      ? await adapter.batchErrors(
          db,
          scope,
          batch
            .filter((p) => p.key && p.errors.length === 0)
            .map((p) => ({ key: p.key!, data: p.data, current: current.get(p.key!) })),
        )
      : null;
    const rows: Array<typeof importRows.$inferInsert> = batch.map((p) => {
      if (p.errors.length === 0 && p.key) {
        const cur = current.get(p.key);
        if (!cur && !adapter.canCreate) {
          p.errors.push({
            column: adapter.keyField,
            value: p.key,
            message: adapter.createRefusal ?? 'no such record',
          });
        } else {
          const rowError = adapter.rowError?.(p.data, cur) ?? conflicts?.get(p.key);
          if (rowError) p.errors.push(rowError);
        }
        if (p.errors.length === 0) {
          const c = classify(p.data, cur);
          return {
            importId: imp.id,
            rowNumber: p.row,
            naturalKey: p.key,
            action: c.action,
            data: p.data,
            changedFields: c.changed,
            targetId: cur?.id ?? null,
          };
        }
      }
      invalid += 1;
      return {
        importId: imp.id,
        rowNumber: p.row,
        naturalKey: p.key,
        action: 'error' as const,
        errors: p.errors,
      };
    });
    await repo.insertStaged(db, rows);
    validated += batch.length;
    batch = [];
    await repo.update(db, imp.id, { rowsRead: read, rowsValidated: validated, rowsInvalid: invalid });
  };

  for await (const rec of readRecords(stream, imp.fileFormat as FileFormat) as AsyncIterable<SourceRecord>) {
    if (!checkedHeader && imp.fileFormat !== 'json') {
      checkedHeader = true;
      const covered = columns.covered(Object.keys(rec.cells));
      const missing = adapter.fields.filter((f) => f.required && !covered.has(f.field)).map((f) => f.field);
      if (missing.length) {
        stream.destroy();
        throw businessRule(
          'missing_columns',
          `The file has no column for ${missing.join(', ')} (map one with \`mapping\`)`,
          missing.map((m) => ({ field: m, message: 'no column in the file' })),
        );
      }
    }
    read += 1;
    const { data, errors } = validateRecord(rec.cells, adapter.fields, columns);
    const normalized: Values = {};
    for (const [h, v] of Object.entries(rec.cells)) normalized[normalizeHeader(h)] = v;
    const scopeError = adapter.rowScopeError?.(normalized, scope);
    if (scopeError) errors.push({ column: null, value: null, message: scopeError });
    const key = adapter.keyOf ? adapter.keyOf(data) : (data[adapter.keyField] ?? null);
    if (!key && adapter.keyOf && errors.length === 0) {
      errors.push({ column: null, value: null, message: adapter.keyError ?? 'the row has no key' });
    }
    if (key && errors.length === 0) {
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({
          column: adapter.keyField,
          value: key,
          message: `duplicate ${adapter.keyOf ? 'row' : adapter.keyField} (first in row ${first})`,
        });
      } else seen.set(key, rec.row);
    }
    batch.push({ row: rec.row, key, data, errors });
    if (batch.length >= BATCH_SIZE) await flush();
  }
  await flush();

  const counts = await repo.actionCounts(db, imp.id);
  const miss = imp.complete
    ? await adapter.missing(db, scope, repo.presentKeys(imp.id))
    : { missing: 0, existing: (await adapter.missing(db, scope, repo.presentKeys(imp.id))).existing };
  await repo.update(db, imp.id, {
    state: 'validated',
    rowsRead: read,
    rowsValidated: validated,
    rowsInvalid: invalid,
    summary: {
      ...counts,
      deactivate: miss.missing,
      existing: miss.existing,
      ignored_columns: [...columns.ignored],
      result: null,
    },
    finishedAt: new Date(),
  });
}
