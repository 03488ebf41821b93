import { and, count } from 'drizzle-orm';
import { assertCan } from '../../kernel/auth/actor.js';
import { defineJobKind } from '../../kernel/jobs.js';
import * as repo from './students.repo.js';
import type { StudentFilters } from './students.schemas.js';
import { listScope } from './students.service.js';
import { students } from './students.table.js';
import { exportCsv, exportXlsx } from './students-export.service.js';

/** What `POST /students/export/jobs` asks for: the export's format and filters. */
export type StudentsExportParams = StudentFilters & { format?: 'csv' | 'xlsx' };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The students export (GET /students/export) as a background job, for lists too large to wait for: the
 * same rows in the same order, scoped to the owner as of the run, streamed into storage.
 */
export const studentsExportJob = defineJobKind<StudentsExportParams>({
  name: 'students.export',
  title: 'Students export',
  maxAttempts: 3,
  timeoutSeconds: 1800,
  async run(job) {
    const { db, ctx, params } = job;
    // The owner's rights as of the run: one who lost the export permission meanwhile gets no file.
    assertCan(ctx.actor, 'students:export');
    const scope = await listScope(db, ctx.actor);
    const [{ total }] = await db
      .select({ total: count() })
      .from(students)
      .where(and(...repo.filterConds(scope, params)));
    let done = 0;
    const onRows = (n: number) => {
      done += n;
      void job.progress(total > 0 ? done / total : 1);
    };
    const stamp = new Date().toISOString().slice(0, 10);
    if (params.format === 'xlsx') {
      return {
        body: exportXlsx(db, ctx, params, onRows),
        fileName: `students-${stamp}.xlsx`,
        contentType: XLSX,
      };
    }
    return {
      body: exportCsv(db, ctx, params, onRows),
      fileName: `students-${stamp}.csv`,
      contentType: 'text/csv; charset=utf-8',
    };
  },
});
