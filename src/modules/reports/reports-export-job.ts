import { assertCan } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import { defineJobKind } from '../../kernel/jobs.js';
import { XLSX_TYPE } from '../../kernel/spreadsheet.js';
import type { ReportFilters } from './reports.schemas.js';
import { checkReport, reportFile } from './reports.service.js';
import { REPORTS } from './reports-catalog.js';
import { reportCount } from './reports-engine.js';

/** What `POST /reports/{report}/jobs` asks for: the report, the file's format and the report's filters. */
export type ReportExportParams = Omit<ReportFilters, 'format' | 'page' | 'page_size'> & {
  report: string;
  format?: 'csv' | 'xlsx';
};

/**
 * A report's CSV or XLSX (the file of `GET /reports/{report}?format=…`) as a background job: the same
 * rows in the same order, scoped to the owner as of the run, streamed into storage.
 */
export const reportsExportJob = defineJobKind<ReportExportParams>({
  name: 'reports.export',
  title: 'Report export',
  maxAttempts: 3,
  timeoutSeconds: 1800,
  async run(job) {
    const { db, ctx, params } = job;
    const { report, format = 'csv', ...f } = params;
    const def = REPORTS.find((d) => d.path === report);
    if (!def) throw badRequest(`Unknown report ${report}`, [{ field: 'report', message: 'is not a report' }]);
    // The owner's rights as of the run: one who lost the report's permission or scope gets no file.
    assertCan(ctx.actor, def.permission);
    await checkReport(db, ctx, def, f);
    const total = await reportCount(db, ctx.actor, def, f);
    let done = 0;
    const onRows = (n: number) => {
      done += n;
      void job.progress(total > 0 ? done / total : 1);
    };
    const stamp = new Date().toISOString().slice(0, 10);
    return {
      body: reportFile(db, ctx, def, f, format, onRows),
      fileName: `${def.path}-${stamp}.${format}`,
      contentType: format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8',
    };
  },
});
