import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { businessRule } from '../../kernel/errors.js';
import { storageFor } from '../../kernel/storage.js';
import * as repo from './imports.repo.js';
import { stageOneRoster } from './imports-oneroster.js';
import { type FileFormat, readRecords, type SourceRecord } from './imports-parse.js';
import type { Current, ImportTargetAdapter, TargetScope } from './imports-targets.js';
import {
  type CellError,
  ColumnResolver,
  classify,
  normalizeHeader,
  type Values,
  validateRecord,
} from './imports-validate.js';

/** Staged rows between progress updates (and per statement of a set-based commit): bounded memory. */
export const BATCH_SIZE = 1000;
/** Rows whose current records are read per query. */
const LOOKUP_SIZE = 500;
/**
 * Characters of staged tuples per INSERT: the parameter stays a regular heap string (V8 puts strings over
 * 128 KiB in its large-object space, which only a full collection frees), even at two bytes a character.
 */
const STAGE_TEXT_MAX = 40_000;

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
  // A row waits for its current record (one query per LOOKUP_SIZE rows) as its data's JSON text in parallel
  // arrays, not as objects; classified, it becomes one staged tuple's text until the next INSERT, which
  // stays under STAGE_TEXT_MAX characters. What a batch holds while it waits on the database is thus a few
  // short strings per row, so the API's heap does not grow with the file (docs/imports.md, "Memory").
  // The arrays are reused and emptied (`length = 0`) rather than replaced: one that V8 has moved to its old
  // generation would otherwise keep the strings it held alive until the next full collection.
  const wRow: number[] = [];
  const wKey: Array<string | null> = [];
  const wText: string[] = [];
  const wErrors: Array<CellError[] | null> = [];
  const wNewError: Array<CellError | null> = [];
  const staged: string[] = [];
  let read = 0;
  let validated = 0;
  let invalid = 0;
  let reported = 0;
  let checkedHeader = false;
  const refusal = (key: string): CellError => ({
    column: adapter.keyField,
    value: key,
    message: adapter.createRefusal ?? 'no such record',
  });
  const stage = (tuple: string) => staged.push(tuple);

  const classifyWindow = async () => {
    if (wRow.length === 0) return;
    // The loop reading the file waits for this function: the window is not appended to meanwhile.
    const [rows, keysOf, texts, errs, newErrs] = [wRow, wKey, wText, wErrors, wNewError];
    const valid = (i: number) => errs[i] === null && keysOf[i] !== null;
    const keys = [...new Set(keysOf.filter((k, i): k is string => valid(i)))];
    const current = await adapter.current(db, ctx, scope, keys, false);
    let conflicts: Map<string, CellError> | null = null;
    if (adapter.batchErrors) {
      const batch: Array<{ key: string; data: Values; current: Current | undefined }> = [];
      for (let i = 0; i < rows.length; i++) {
        if (valid(i)) {
          const key = keysOf[i]!;
          batch.push({ key, data: JSON.parse(texts[i]), current: current.get(key) });
        }
      }
      conflicts = await adapter.batchErrors(db, scope, batch);
    }
    for (let i = 0; i < rows.length; i++) {
      const key = keysOf[i];
      if (valid(i)) {
        const cur = current.get(key!);
        const data: Values | null = cur ? JSON.parse(texts[i]) : null;
        const rowError =
          !cur && !adapter.canCreate
            ? refusal(key!)
            : ((cur ? adapter.rowError?.(data!, cur) : newErrs[i]) ?? conflicts?.get(key!));
        if (!rowError) {
          const c = cur ? classify(data!, cur) : { action: 'create' as const, changed: [] as string[] };
          stage(repo.stagedTupleText(rows[i], key, c.action, texts[i], c.changed, null, cur?.id ?? null));
          continue;
        }
        errs[i] = [rowError];
      }
      invalid += 1;
      stage(repo.stagedTupleText(rows[i], key, 'error', 'null', null, errs[i] ?? [], null));
    }
    validated += rows.length;
    for (const a of [wRow, wKey, wText, wErrors, wNewError]) a.length = 0;
    await flush();
  };

  /** Inserts the classified rows, at most STAGE_TEXT_MAX characters per INSERT. */
  const flush = async () => {
    let from = 0;
    let chars = 0;
    for (let i = 0; i < staged.length; i++) {
      chars += staged[i].length + 1;
      if (chars >= STAGE_TEXT_MAX || i === staged.length - 1) {
        await repo.insertStagedText(db, imp.id, staged.slice(from, i + 1).join(','));
        from = i + 1;
        chars = 0;
      }
    }
    staged.length = 0;
    if (validated - reported >= BATCH_SIZE) {
      reported = validated;
      await repo.update(db, imp.id, { rowsRead: read, rowsValidated: validated, rowsInvalid: invalid });
    }
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
    if (adapter.rowScopeError) {
      const normalized: Values = {};
      for (const [h, v] of Object.entries(rec.cells)) normalized[normalizeHeader(h)] = v;
      const scopeError = adapter.rowScopeError(normalized, scope);
      if (scopeError) errors.push({ column: null, value: null, message: scopeError });
    }
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
    const ok = key !== null && errors.length === 0;
    wRow.push(rec.row);
    wKey.push(key);
    wText.push(ok ? JSON.stringify(data) : '');
    wErrors.push(ok ? null : errors);
    // The verdict for a new record is taken now, while the row is an object (rowError is pure).
    wNewError.push(ok && adapter.canCreate ? (adapter.rowError?.(data, undefined) ?? null) : null);
    if (wRow.length >= LOOKUP_SIZE) await classifyWindow();
  }
  await classifyWindow();

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
