import { Readable } from 'node:stream';
import { assertCan } from '../../kernel/auth/actor.js';
import { AppError } from '../../kernel/errors.js';
import { defineJobKind } from '../../kernel/jobs.js';
import { importScope } from './imports.policy.js';
import * as repo from './imports.repo.js';
import { imports } from './imports.table.js';
import { commitImport, liveRowsWritten } from './imports-commit.service.js';

/** What `POST /imports/{id}/commit` queues for a large import. */
export interface ImportCommitParams {
  import_id: string;
  mode: 'all_or_nothing' | 'valid_only';
  confirm_deactivate: boolean;
  /** The guard's share as configured when the commit was asked for. */
  max_deactivate_percent: number;
  /** Staged rows per statement or batch, as configured then (absent in jobs queued before it existed). */
  commit_batch_rows?: number;
}

/**
 * The commit of a large import as a background job: the same transaction as a synchronous commit, run as
 * the owner (rights as of the run). Rows written so far show on `GET /imports/{id}` (this process) and as
 * the job's progress; the job's file is the commit's result as JSON. A refusal (out of scope, the guard)
 * marks the import `failed` with the reason; an interrupted attempt leaves it `committing` for the retry.
 */
export const importsCommitJob = defineJobKind<ImportCommitParams>({
  name: 'imports.commit',
  title: 'Import commit',
  maxAttempts: 3,
  timeoutSeconds: 3600,
  async run(job) {
    const { db, ctx, params } = job;
    assertCan(ctx.actor, 'imports:run');
    const id = params.import_id;
    const imp = await repo.find(db, importScope(ctx.actor, imports), id);
    const total = imp ? Math.max(1, imp.rowsValidated - imp.rowsInvalid) : 1;
    try {
      const result = await commitImport(
        { db, maxDeactivatePercent: params.max_deactivate_percent, batchRows: params.commit_batch_rows },
        ctx,
        id,
        { mode: params.mode, confirmDeactivate: params.confirm_deactivate },
        {
          from: 'committing',
          onProgress: (n) => {
            liveRowsWritten.set(id, n);
            void job.progress(Math.min(1, n / total));
          },
        },
      );
      return {
        body: Readable.from([JSON.stringify({ import_id: id, ...result })]),
        fileName: `import-${id}.json`,
        contentType: 'application/json',
      };
    } catch (err) {
      if (err instanceof AppError) {
        await repo.moveState(db, id, 'committing', 'failed', {
          failure: err.message,
          finishedAt: new Date(),
        });
      }
      throw err;
    } finally {
      liveRowsWritten.delete(id);
    }
  },
});
