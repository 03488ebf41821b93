import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { storageFor } from '../../kernel/storage.js';
import {
  CommitBody,
  Import,
  ImportColumns,
  ImportColumnsBody,
  ImportDetail,
  ImportForm,
  ListImportsQuery,
  UploadResult,
} from './imports.schemas.js';
import * as svc from './imports.service.js';
import { resolveColumns } from './imports-columns.service.js';
import { errorsCsv } from './imports-errors.service.js';
import { emptyBody, registerImportUploads, storeUpload } from './imports-upload.js';

const tags = ['imports'];

export const importsRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  await registerImportUploads(app, deps.config.imports.maxFileBytes);

  app.post(
    '/imports',
    {
      config: { permission: 'imports:run' },
      preValidation: emptyBody,
      schema: {
        tags,
        summary: 'Upload a roster file: dry run (default) or commit directly',
        description:
          'multipart/form-data: `file`, `target` (personnel | students | faculty | guardians | ' +
          'class_rosters | oneroster), `register_id` (personnel) or `organization_id` (the school, every other ' +
          'target; oneroster: the organization whose subtree receives a OneRoster 1.2 CSV zip), ' +
          '`mode` (dry_run | all_or_nothing | valid_only; a commit of more than IMPORT_SYNC_COMMIT_ROWS valid ' +
          'rows is queued as a job, see POST /imports/{id}/commit), `mapping` (JSON ' +
          'of file column → field; headers matching a field name or alias map by default), `complete` ' +
          '(the file is the whole roster: missing records are deactivated), `confirm_deactivate`. The file ' +
          'is streamed and validated in batches; a scope you may not write answers 404 and nothing is kept.',
        consumes: ['multipart/form-data'],
        body: ImportForm,
        response: { 201: DataOf(ImportDetail), ...errorResponses(400, 401, 403, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const upload = await storeUpload(request, storageFor(deps.config));
      reply.status(201);
      return { data: await svc.runImport(deps, ctx, upload) };
    },
  );

  app.get(
    '/imports',
    {
      config: { permission: 'imports:run' },
      schema: {
        tags,
        summary: 'Import history: your imports (admins: every import of their organizations)',
        querystring: ListImportsQuery,
        response: { 200: PageOf(Import), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      svc.listImports(deps, contextOf(request), request.query.target, pageWindow(request.query)),
  );

  app.post(
    '/imports/columns',
    {
      config: { permission: 'imports:run' },
      schema: {
        tags,
        summary: "The default column mapping of a file's headers for a target, and the fields it takes",
        description:
          'Send the header row of a CSV, XLSX or JSON file: each header comes back with the field a dry run ' +
          'maps it to by default (a field name or alias after normalization; null: ignored), with every ' +
          'field of the target and the required fields no header covers. Nothing is stored; a column-mapping ' +
          'editor starts from this and sends its changes as `mapping` on POST /imports.',
        body: ImportColumnsBody,
        response: { 200: DataOf(ImportColumns), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ data: resolveColumns(request.body) }),
  );

  app.get(
    '/imports/:id',
    {
      config: { permission: 'imports:run' },
      schema: {
        tags,
        summary: 'State, progress, summary, the first errors and the diff of an import',
        params: IdParams,
        response: { 200: DataOf(ImportDetail), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getImport(deps, contextOf(request), request.params.id) }),
  );

  app.get(
    '/imports/:id/errors.csv',
    {
      config: { permission: 'imports:run' },
      schema: {
        tags,
        summary: 'Every row error as CSV (row, column, value, message; formula-safe cells)',
        params: IdParams,
        response: {
          200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const stream = await errorsCsv(deps, contextOf(request), request.params.id);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${request.params.id}-errors.csv"`);
      // The CSV is streamed; the 200 schema documents it as text.
      return reply.send(stream as unknown as string);
    },
  );

  app.post(
    '/imports/:id/commit',
    {
      config: { permission: 'imports:run' },
      schema: {
        tags,
        summary: 'Commit a dry-run import: all-or-nothing (default) or valid rows only',
        description:
          'Up to IMPORT_SYNC_COMMIT_ROWS valid rows (default 5,000) the commit runs in the request (200, ' +
          'state committed). Larger imports answer 202 at once with state committing and `job_id` ' +
          '(Location: /api/v1/jobs/{id}); GET /imports/{id} shows rows_written while the job runs. Refusals ' +
          '(404 scope, 409 state, 422 errors or the deactivation guard) answer in the request either way.',
        params: IdParams,
        body: CommitBody,
        response: {
          200: DataOf(ImportDetail),
          202: DataOf(ImportDetail),
          ...errorResponses(400, 401, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { job } = await svc.requestCommit(deps, ctx, request.params.id, {
        mode: request.body.mode ?? 'all_or_nothing',
        confirmDeactivate: request.body.confirm_deactivate === true,
      });
      if (job) reply.status(202).header('location', `/api/v1/jobs/${job.id}`);
      return { data: await svc.getImport(deps, ctx, request.params.id) };
    },
  );

  app.post(
    '/personnel/upload',
    {
      config: { permission: 'personnel:write' },
      preValidation: emptyBody,
      schema: {
        tags: ['personnel'],
        summary: 'Bulk upload personnel (seed 003): the import pipeline with target=personnel',
        description:
          'multipart/form-data: `file` (CSV, XLSX or JSON), `register_id`, `mode` (valid_only by default, ' +
          'or all_or_nothing, or dry_run), `mapping`, `complete`. Answers what was inserted, updated and ' +
          'which rows failed; the full record is at GET /imports/{import_id}.',
        consumes: ['multipart/form-data'],
        body: ImportForm,
        response: { 200: DataOf(UploadResult), ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const upload = await storeUpload(request, storageFor(deps.config));
      return { data: svc.uploadResult(await svc.runImport(deps, ctx, upload, { target: 'personnel' })) };
    },
  );
};
