import type { FastifyReply } from 'fastify';
import { contextOf } from '../../kernel/auth/actor.js';
import { Job, jobOrganization } from '../../kernel/jobs.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { DataOf, errorResponses } from '../../kernel/schemas.js';
import { sendTable, spreadsheetResponse } from '../../kernel/spreadsheet.js';
import { type ReportFilters, reportJobBody, reportQuery } from './reports.schemas.js';
import * as svc from './reports.service.js';
import { REPORTS } from './reports-catalog.js';
import { reportPageSchema } from './reports-engine.js';

const formats =
  ' As JSON (default) one page of rows with `meta.totals` over every matching record; with `format=csv` or ' +
  '`format=xlsx` every row as a streamed file (text cells starting with = + - @, tab or CR are prefixed ' +
  'with a single quote so spreadsheet programs never run them as formulas). Scoped to you in SQL: an ' +
  'organization_id or class_id outside your scope answers 404.';

export const reportsRoutes: RoutePlugin = async (app) => {
  const { db, jobs } = app.deps;
  for (const def of REPORTS) {
    app.get(
      `/reports/${def.path}`,
      {
        config: { permission: def.permission },
        schema: {
          tags: ['reports'],
          summary: def.summary,
          description: def.description + formats,
          querystring: reportQuery(def.filters),
          response: {
            200: {
              description: 'The report (JSON), or the file (CSV / XLSX) as an attachment',
              content: {
                'application/json': { schema: reportPageSchema(def) },
                ...spreadsheetResponse.content,
              },
            },
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, typedReply) => {
        // A file is a stream; the typed reply only knows the documented JSON body.
        const reply: FastifyReply = typedReply;
        const ctx = contextOf(request);
        const f: ReportFilters = request.query;
        await svc.checkReport(db, ctx, def, f);
        if (f.format === 'csv' || f.format === 'xlsx') {
          return sendTable(reply, f.format, def.path, (format) => svc.reportFile(db, ctx, def, f, format));
        }
        return svc.reportJson(db, ctx, def, f);
      },
    );

    app.post(
      `/reports/${def.path}/jobs`,
      {
        config: { permission: def.permission },
        schema: {
          tags: ['reports'],
          summary: `${def.summary}: the CSV or XLSX as a background job`,
          description:
            `The file of GET /reports/${def.path}?format=csv|xlsx (every matching row, formula-safe), ` +
            'produced in the background for a report too large to wait for: answers 202 with the job ' +
            '(Location: /api/v1/jobs/{id}). Follow it with GET /jobs/{id} (progress in percent); you are ' +
            'notified when it is ready, then GET /jobs/{id}/download. The filters are checked now (400, and ' +
            '404 for an organization_id or class_id outside your scope) and again, with your roles as of ' +
            'then, when the job runs. See docs/jobs.md.',
          body: reportJobBody(def.filters),
          response: { 202: DataOf(Job), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { format = 'csv', ...f } = request.body as ReportFilters & { format?: 'csv' | 'xlsx' };
        await svc.checkReport(db, ctx, def, f);
        const job = await jobs.enqueue(ctx, {
          kind: 'reports.export',
          organizationId: f.organization_id ?? jobOrganization(ctx, def.permission)!,
          params: { report: def.path, format, ...f },
        });
        reply.status(202).header('location', `/api/v1/jobs/${job.id}`);
        return { data: job };
      },
    );
  }
};
