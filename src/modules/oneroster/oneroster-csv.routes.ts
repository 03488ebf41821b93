import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { loadArchiver } from '../../kernel/lazy.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { StringEnum, Timestamp } from '../../kernel/schemas.js';
import { SCOPE } from '../clients/index.js';
import { principalOf, SCOPES } from './oneroster.policy.js';
import { orErrors } from './oneroster.schemas.js';
import { fileLines, filesFor, manifest, streamOf } from './oneroster-csv.service.js';
import { orBadRequest } from './oneroster-errors.js';

const CsvQuery = Type.Object(
  {
    mode: Type.Optional(
      StringEnum(['bulk', 'delta'], {
        default: 'bulk',
        description:
          'bulk: every active record; delta: every record changed since `since` (deletions as tobedeleted)',
      }),
    ),
    since: Type.Optional(Timestamp('delta mode: changes after this time (RFC 3339)')),
  },
  { additionalProperties: false },
);

/** The CSV binding: the roster as one OneRoster 1.2 CSV zip, streamed. */
export const onerosterCsvRoutes: RoutePlugin = async (app) => {
  const { db } = app.deps;
  app.get(
    '/v1p2/csv',
    {
      config: { permission: 'public', oneRosterScopes: SCOPES.roster },
      schema: {
        tags: ['oneroster'],
        summary: 'The roster as a OneRoster 1.2 CSV zip (bulk or delta), streamed',
        description:
          `Scope \`${SCOPE.roster}\`. manifest.csv, orgs.csv, academicSessions.csv, courses.csv, classes.csv, ` +
          'users.csv, roles.csv, enrollments.csv, and demographics.csv when the client also holds ' +
          `\`${SCOPE.demographics}\`. Only the client's organization subtree.`,
        security: [{ bearerAuth: [] }],
        querystring: CsvQuery,
        response: {
          200: {
            description: 'A zip archive',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          ...orErrors(400, 401, 403, 429),
        },
      },
    },
    async (request, typedReply) => {
      // The archive is a stream; the typed reply only knows the documented string body.
      const reply: FastifyReply = typedReply;
      const p = principalOf(request);
      const mode = request.query.mode ?? 'bulk';
      const since = request.query.since ?? null;
      if (mode === 'delta' && !since) throw orBadRequest('invaliddata', 'delta mode needs `since`');
      if (mode === 'bulk' && since) throw orBadRequest('invaliddata', '`since` applies to delta mode only');
      const files = filesFor(p.scopes.has(SCOPE.demographics));
      const { ZipArchive } = await loadArchiver();
      const zip = new ZipArchive({ zlib: { level: 6 } });
      zip.on('warning', (err) => request.log.warn({ err }, 'oneroster csv zip warning'));
      zip.on('error', (err) => {
        request.log.error({ err }, 'oneroster csv export failed');
        zip.destroy(err);
      });
      zip.append(manifest(mode, files), { name: 'manifest.csv' });
      for (const f of files) zip.append(streamOf(fileLines(db, p, f, mode, since)), { name: f.name });
      void zip.finalize();
      const stamp = new Date().toISOString().slice(0, 10);
      reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="oneroster-${mode}-${stamp}.zip"`)
        .header('cache-control', 'no-store');
      return reply.send(zip);
    },
  );
};
