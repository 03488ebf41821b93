import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { AppError, badRequest, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { storageFor } from '../../kernel/storage.js';
import { importScope } from './imports.policy.js';
import * as repo from './imports.repo.js';
import type { ImportDetailT, ImportT } from './imports.schemas.js';
import { IMPORT_MODES, IMPORT_TARGETS, imports } from './imports.table.js';
import {
  type CommitOptions,
  commitImport,
  liveRowsWritten,
  markCommitting,
} from './imports-commit.service.js';
import { fileRow } from './imports-oneroster.js';
import { detectFormat } from './imports-parse.js';
import { stageImport } from './imports-stage.service.js';
import { TARGETS } from './imports-targets.js';
import type { StoredUpload } from './imports-upload.js';

export const scopeOf = (ctx: RequestContext) => importScope(ctx.actor, imports);

export function toImport(r: repo.ImportRow): ImportT {
  return {
    id: r.id,
    target: r.target,
    mode: r.mode,
    state: r.state,
    organization_id: r.organizationId,
    scope_id: r.scopeId,
    complete: r.complete,
    file: { name: r.fileName, format: r.fileFormat, size: r.fileSize, sha256: r.fileSha256 },
    progress: {
      rows_read: r.rowsRead,
      rows_validated: r.rowsValidated,
      rows_invalid: r.rowsInvalid,
      rows_written: r.state === 'committing' ? (liveRowsWritten.get(r.id) ?? r.rowsWritten) : r.rowsWritten,
    },
    job_id: r.jobId,
    summary: (r.summary as ImportT['summary']) ?? null,
    failure: r.failure,
    created_by: { id: r.createdBy, username: r.createdByUsername },
    created_at: iso(r.createdAt)!,
    committed_at: iso(r.committedAt),
    finished_at: iso(r.finishedAt),
  };
}

const bool = (v: string | undefined) => v === 'true' || v === '1' || v === 'on';

function parseForm(f: Record<string, string>, forced?: { target: string }) {
  const details: Array<{ field: string; message: string }> = [];
  const target = forced?.target ?? f.target;
  if (!target || !(IMPORT_TARGETS as readonly string[]).includes(target)) {
    details.push({ field: 'target', message: `must be one of ${IMPORT_TARGETS.join(', ')}` });
  }
  const mode = f.mode ?? (forced ? 'valid_only' : 'dry_run');
  if (!(IMPORT_MODES as readonly string[]).includes(mode)) {
    details.push({ field: 'mode', message: `must be one of ${IMPORT_MODES.join(', ')}` });
  }
  let mapping: Record<string, string> = {};
  if (f.mapping) {
    try {
      const m = JSON.parse(f.mapping);
      if (
        !m ||
        typeof m !== 'object' ||
        Array.isArray(m) ||
        Object.values(m).some((v) => typeof v !== 'string')
      ) {
        throw new Error('not an object of strings');
      }
      mapping = m;
    } catch {
      details.push({ field: 'mapping', message: 'must be a JSON object of file column → field name' });
    }
  }
  const adapter = target ? TARGETS[target] : undefined;
  if (adapter) {
    const known = new Set(adapter.fields.map((x) => x.field));
    for (const [col, field] of Object.entries(mapping)) {
      if (!known.has(field))
        details.push({ field: 'mapping', message: `"${col}" maps to unknown field "${field}"` });
    }
    const scopeId = f[adapter.scopeField];
    if (!scopeId || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(scopeId)) {
      details.push({ field: adapter.scopeField, message: 'is required (a UUID)' });
    }
  } else if (target && (IMPORT_TARGETS as readonly string[]).includes(target)) {
    details.push({ field: 'target', message: `${target} imports are not available yet` });
  }
  if (details.length) throw badRequest('The import request is invalid', details);
  return {
    target: target as (typeof IMPORT_TARGETS)[number],
    mode: mode as (typeof IMPORT_MODES)[number],
    mapping,
    complete: bool(f.complete),
    confirmDeactivate: bool(f.confirm_deactivate),
    adapter: adapter!,
    scopeId: f[adapter!.scopeField].toLowerCase(),
  };
}

/**
 * Runs an uploaded file through the pipeline: checks the form and the actor's scope (404 before anything
 * is recorded), stages and validates every row in batches, then commits when the mode asks for it.
 */
export async function runImport(
  deps: AppDeps,
  ctx: RequestContext,
  upload: StoredUpload,
  forced?: { target: string },
) {
  const storage = storageFor(deps.config);
  let form: ReturnType<typeof parseForm>;
  let scope: Awaited<ReturnType<(typeof TARGETS)[string]['resolveScope']>>;
  try {
    form = parseForm(upload.fields, forced);
    scope = await form.adapter.resolveScope(deps.db, ctx, form.scopeId);
    if (!scope) throw notFound(form.target === 'personnel' ? 'Register' : 'Organization');
    if (form.adapter.multiFile && (upload.head[0] !== 0x50 || upload.head[1] !== 0x4b)) {
      throw badRequest('A oneroster import is a OneRoster 1.2 CSV zip', [
        { field: 'file', message: 'must be a zip archive' },
      ]);
    }
    if (form.adapter.multiFile && form.complete) {
      throw badRequest('A oneroster import cannot be complete', [
        { field: 'complete', message: 'is not supported by the oneroster target' },
      ]);
    }
  } catch (err) {
    await storage.delete(upload.key);
    throw err;
  }
  const imp = await repo.insert(deps.db, {
    organizationId: scope.organizationId,
    target: form.target,
    mode: form.mode,
    scopeId: scope.id,
    fileName: upload.fileName.slice(0, 255),
    fileFormat: form.adapter.multiFile ? 'zip' : detectFormat(upload.fileName, upload.head),
    fileSha256: upload.sha256,
    fileSize: upload.size,
    fileKey: upload.key,
    mapping: form.mapping,
    complete: form.complete,
    createdBy: ctx.actor.userId,
    createdByUsername: ctx.actor.username,
  });
  try {
    await stageImport(deps, ctx, imp, form.adapter, scope, form.mapping);
  } catch (err) {
    await repo.update(deps.db, imp.id, {
      state: 'failed',
      failure: err instanceof AppError ? err.message : 'The file could not be processed',
      finishedAt: new Date(),
    });
    throw err;
  }
  if (form.mode !== 'dry_run') {
    // POST /personnel/upload (forced target) answers seed 003's counts, so its commit stays in the request.
    await requestCommit(
      deps,
      ctx,
      imp.id,
      { mode: form.mode, confirmDeactivate: form.confirmDeactivate },
      { inRequest: Boolean(forced) },
    );
  }
  return getImport(deps, ctx, imp.id);
}

/**
 * Commits an import: in the request when it has at most `IMPORT_SYNC_COMMIT_ROWS` valid rows, else as an
 * `imports.commit` job (the import moves to `committing` at once; `job` names the job). The checks that can
 * refuse (scope, state, all-or-nothing errors, the deactivation guard) answer in the request either way.
 */
export async function requestCommit(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
  opts: CommitOptions,
  how: { inRequest?: boolean } = {},
) {
  const commitDeps = {
    db: deps.db,
    maxDeactivatePercent: deps.config.imports.maxDeactivatePercent,
    batchRows: deps.config.imports.commitBatchRows,
  };
  const row = await repo.find(deps.db, scopeOf(ctx), id);
  if (!row) throw notFound('Import');
  if (how.inRequest || row.rowsValidated - row.rowsInvalid <= deps.config.imports.syncCommitRows) {
    await commitImport(commitDeps, ctx, id, opts);
    return { job: null };
  }
  const imp = await markCommitting(commitDeps, ctx, id, opts);
  try {
    const job = await deps.jobs.enqueue(ctx, {
      kind: 'imports.commit',
      organizationId: imp.organizationId,
      params: {
        import_id: id,
        mode: opts.mode,
        confirm_deactivate: opts.confirmDeactivate,
        max_deactivate_percent: commitDeps.maxDeactivatePercent,
        commit_batch_rows: commitDeps.batchRows,
      },
    });
    await repo.update(deps.db, id, { jobId: job.id });
    return { job };
  } catch (err) {
    await repo.moveState(deps.db, id, 'committing', 'validated');
    throw err;
  }
}

export async function getImport(deps: AppDeps, ctx: RequestContext, id: string): Promise<ImportDetailT> {
  const row = await repo.find(deps.db, scopeOf(ctx), id);
  if (!row) throw notFound('Import');
  const errors = await repo.staged(deps.db, id, 'error', 0, 100);
  const creates = await repo.staged(deps.db, id, 'create', 0, 100);
  const updates = await repo.staged(deps.db, id, 'update', 0, 100);
  const base = toImport(row);
  return {
    ...base,
    errors: errors
      .flatMap((e) =>
        (e.errors ?? []).map((x) => ({
          ...rowOf(row.target, e.rowNumber),
          column: x.column,
          value: x.value,
          message: x.message,
        })),
      )
      .slice(0, 100),
    diff: {
      create: creates.map((c) => ({
        ...rowOf(row.target, c.rowNumber),
        key: c.naturalKey,
        values: valuesOf(c.data),
      })),
      update: updates.map((u) => ({
        ...rowOf(row.target, u.rowNumber),
        key: u.naturalKey,
        id: u.targetId,
        changed_fields: u.changedFields ?? [],
        values: valuesOf(u.data),
      })),
      unchanged: base.summary?.unchanged ?? 0,
      deactivate: base.summary?.deactivate ?? 0,
    },
  };
}

/** The row of a staged row number: for a multi-file import, its file and its row in that file. */
export function rowOf(target: string, rowNumber: number): { row: number; file?: string } {
  if (!TARGETS[target]?.multiFile) return { row: rowNumber };
  const f = fileRow(rowNumber);
  return { row: f.row, file: f.file ?? undefined };
}

const valuesOf = (d: Record<string, unknown> | null) =>
  Object.fromEntries(
    Object.entries(d ?? {}).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
  );

export async function listImports(
  deps: AppDeps,
  ctx: RequestContext,
  target: string | undefined,
  w: PageWindow,
) {
  const { rows, total } = await repo.list(deps.db, scopeOf(ctx), { target }, w);
  return page(rows.map(toImport), total, w);
}

/** The seed 003 answer of `POST /personnel/upload`, built from an import. */
export function uploadResult(d: ImportDetailT) {
  const s = d.summary;
  return {
    import_id: d.id,
    state: d.state,
    total: d.progress.rows_read,
    inserted: s?.result?.created ?? 0,
    updated: s?.result?.updated ?? 0,
    unchanged: s?.unchanged ?? 0,
    failed: s?.error ?? 0,
    errors: d.errors,
  };
}
