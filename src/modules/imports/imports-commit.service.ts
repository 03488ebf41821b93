import { type AuditEntry, recordAudit, recordAudits } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { businessRule, conflict, notFound } from '../../kernel/errors.js';
import { withTx } from '../../kernel/tx.js';
import { importScope } from './imports.policy.js';
import * as repo from './imports.repo.js';
import { imports } from './imports.table.js';
import { applyOneRosterBatch } from './imports-oneroster.js';
import { BATCH_SIZE } from './imports-stage.service.js';
import { type ImportTargetAdapter, TARGETS, type TargetScope } from './imports-targets.js';
import { classify, type Values } from './imports-validate.js';

export interface CommitOptions {
  mode: 'all_or_nothing' | 'valid_only';
  confirmDeactivate: boolean;
}

/**
 * What a commit needs of the app: the database, the deactivation guard's share and the staged rows per
 * statement or batch (IMPORT_COMMIT_BATCH_ROWS; the staging batch size when not given).
 */
export interface CommitDeps {
  db: AppDeps['db'];
  maxDeactivatePercent: number;
  batchRows?: number;
}

/**
 * Rows written so far by the commits running in this process (`GET /imports/{id}` reads it while the import
 * is `committing`: the commit's own transaction holds the import row, so its counter is written at the end).
 */
export const liveRowsWritten = new Map<string, number>();

/** The checks before any write (scope, state, all-or-nothing errors); returns the import and its target. */
async function checkCommittable(
  deps: CommitDeps,
  ctx: RequestContext,
  id: string,
  opts: CommitOptions,
  from: 'validated' | 'committing',
) {
  const scope = importScope(ctx.actor, imports);
  const imp = await repo.find(deps.db, scope, id);
  if (!imp) throw notFound('Import');
  const adapter = TARGETS[imp.target];
  const target = await adapter.resolveScope(deps.db, ctx, imp.scopeId);
  if (!target) throw notFound('Import');
  if (imp.state !== from) {
    throw conflict(
      `The import is ${imp.state}; only a validated import can be committed`,
      'import_not_committable',
    );
  }
  if (opts.mode === 'all_or_nothing' && imp.rowsInvalid > 0) {
    await repo.update(deps.db, id, { state: 'rejected', mode: opts.mode, finishedAt: new Date() });
    throw businessRule(
      'import_has_errors',
      `${imp.rowsInvalid} row(s) have errors; all-or-nothing writes nothing (see GET /imports/${id}/errors.csv)`,
      [{ field: 'import_id', message: id }],
    );
  }
  return { imp, adapter, target };
}

/** The deactivation guard (422 `deactivation_guard`), in the commit's transaction or before queuing it. */
async function guardDeactivation(
  db: Parameters<ImportTargetAdapter['missing']>[0],
  deps: CommitDeps,
  adapter: ImportTargetAdapter,
  target: TargetScope,
  id: string,
  confirm: boolean,
) {
  const { missing, existing } = await adapter.missing(db, target, repo.presentKeys(id));
  const limit = Math.floor((existing * deps.maxDeactivatePercent) / 100);
  if (missing > limit && !confirm) {
    throw businessRule(
      'deactivation_guard',
      `The import would deactivate ${missing} of ${existing} records, more than ${deps.maxDeactivatePercent} %; repeat with confirm_deactivate=true if the file really is the complete roster`,
      [{ field: 'confirm_deactivate', message: 'must be true', missing, existing }],
    );
  }
}

/**
 * Checks a commit request and moves the import to `committing` (only from `validated`, so two requests
 * cannot both queue it): what `POST /imports/{id}/commit` does before queuing a large commit as a job.
 */
export async function markCommitting(deps: CommitDeps, ctx: RequestContext, id: string, opts: CommitOptions) {
  const { imp, adapter, target } = await checkCommittable(deps, ctx, id, opts, 'validated');
  if (imp.complete) await guardDeactivation(deps.db, deps, adapter, target, id, opts.confirmDeactivate);
  const moved = await repo.moveState(deps.db, id, 'validated', 'committing', { mode: opts.mode });
  if (!moved) throw conflict('The import was committed by another request', 'import_not_committable');
  return imp;
}

async function writeAudit(
  tx: Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0],
  ctx: RequestContext,
  entries: AuditEntry[],
) {
  for (let i = 0; i < entries.length; i += 500) await recordAudits(tx, ctx, entries.slice(i, i + 500));
}

/**
 * Commits a validated import in one transaction. All-or-nothing refuses (422 `import_has_errors`, state
 * rejected) when any row is in error; valid-only writes the valid rows. Rows are re-compared with the
 * records locked in this transaction, so a change made since the dry run is respected and a second run of
 * the same file writes nothing. A complete import that would deactivate more than the configured share of
 * the existing records needs `confirm_deactivate` (422 `deactivation_guard`).
 */
export async function commitImport(
  deps: CommitDeps,
  ctx: RequestContext,
  id: string,
  opts: CommitOptions,
  run: { from?: 'validated' | 'committing'; onProgress?: (rowsWritten: number) => void } = {},
) {
  const from = run.from ?? 'validated';
  const batch = deps.batchRows ?? BATCH_SIZE;
  const scope = importScope(ctx.actor, imports);
  const { imp, adapter, target } = await checkCommittable(deps, ctx, id, opts, from);
  const result = await withTx(deps.db, async (tx) => {
    const locked = await repo.find(tx, scope, id, true);
    if (locked?.state !== from) {
      throw conflict('The import was committed by another request', 'import_not_committable');
    }
    let deactivated = 0;
    const audit: AuditEntry[] = [];
    if (imp.complete) await guardDeactivation(tx, deps, adapter, target, id, opts.confirmDeactivate);
    let created = 0;
    let updated = 0;
    let after = 0;
    while (adapter.applyStaged) {
      const res = await adapter.applyStaged(tx, ctx, target, repo.stagedRange(id, after, batch));
      if (res.last === null) break;
      after = res.last;
      created += res.created;
      updated += res.updated;
      run.onProgress?.(created + updated);
    }
    while (!adapter.applyStaged) {
      const rows = await repo.staged(tx, id, 'valid', after, batch);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].rowNumber;
      if (adapter.multiFile) {
        const res = await applyOneRosterBatch(
          tx,
          ctx,
          { id: target.id, organizationId: target.organizationId, path: target.path! },
          rows,
        );
        created += res.created;
        updated += res.updated;
        run.onProgress?.(created + updated);
        audit.push(...res.audit);
        if (audit.length >= 5000) await writeAudit(tx, ctx, audit.splice(0));
        continue;
      }
      const keys = rows.map((r) => r.naturalKey!).filter(Boolean);
      const current = await adapter.current(tx, ctx, target, keys, true);
      const creates: Values[] = [];
      const updates: Array<{ id: string; before: Values; values: Values }> = [];
      for (const r of rows) {
        const data = (r.data ?? {}) as Values;
        const cur = current.get(r.naturalKey!);
        if (adapter.rowError?.(data, cur)) continue; // e.g. the record was deleted since the dry run
        const c = classify(data, cur);
        if (c.action === 'create' && adapter.canCreate) creates.push(data);
        else if (c.action === 'update' && cur)
          updates.push({ id: cur.id, before: cur.values, values: c.merged });
      }
      const res = await adapter.apply(tx, ctx, target, { creates, updates, importId: id });
      created += res.created;
      updated += res.updated;
      run.onProgress?.(created + updated);
      audit.push(...res.audit);
      if (audit.length >= 5000) await writeAudit(tx, ctx, audit.splice(0));
    }
    if (imp.complete) {
      const d = await adapter.deactivate(tx, ctx, target, repo.presentKeys(id), id);
      deactivated = d.deactivated;
      audit.push(...d.audit);
    }
    await writeAudit(tx, ctx, audit);
    const summary = { ...(imp.summary ?? {}), result: { created, updated, deactivated } };
    await repo.update(tx, id, {
      state: 'committed',
      mode: opts.mode,
      rowsWritten: created + updated + deactivated,
      summary,
      committedAt: new Date(),
      finishedAt: new Date(),
    });
    await recordAudit(tx, ctx, {
      action: 'import.commit',
      entityType: 'import',
      entityId: id,
      organizationId: imp.organizationId,
      after: {
        target: imp.target,
        scope_id: imp.scopeId,
        file_name: imp.fileName,
        file_sha256: imp.fileSha256,
        mode: opts.mode,
        created,
        updated,
        deactivated,
        rows_invalid: imp.rowsInvalid,
      },
    });
    return { created, updated, deactivated };
  });
  return result;
}
