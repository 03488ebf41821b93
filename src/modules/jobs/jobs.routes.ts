import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { storageFor } from '../../kernel/storage.js';
import { Job, ListJobsQuery } from './jobs.schemas.js';
import * as svc from './jobs.service.js';

const tags = ['jobs'];

/** Result file names are chosen by the job kinds; anything unusual still cannot break the header. */
const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

export const jobsRoutes: RoutePlugin = async (app) => {
  const { db, config } = app.deps;

  app.get(
    '/jobs',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags,
        summary: 'List the background jobs you started, newest first',
        querystring: ListJobsQuery,
        response: { 200: PageOf(Job), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listOwnJobs(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/jobs/:id',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags,
        summary: 'Follow a background job: state, progress, and the result link when done',
        description:
          'Visible to the job owner, and to admins of its organization subtree; anyone else gets 404. ' +
          'Poll it (or wait for the `job_succeeded` notification) until `state` is succeeded or failed.',
        params: IdParams,
        response: { 200: DataOf(Job), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getJob(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/jobs/:id/download',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags,
        summary: "Download a finished job's result (streamed, as an attachment)",
        description: 'Same visibility as GET /jobs/{id}; 409 `job_not_ready` until the job succeeded.',
        params: IdParams,
        response: {
          200: Type.Unsafe<Readable>({
            description: 'The result file (CSV, XLSX, ZIP, …: see the job result content_type)',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { job, size, stream } = await svc.openResult(
        db,
        storageFor(config),
        contextOf(request),
        request.params.id,
      );
      reply
        .type(job.result?.content_type ?? 'application/octet-stream')
        .header('content-length', String(size))
        .header('content-disposition', attachment(job.result?.file_name ?? `${job.id}.bin`))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff');
      return reply.send(stream);
    },
  );
};
