import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contextOf } from '../../kernel/auth/actor.js';
import { badRequest } from '../../kernel/errors.js';
import type { RoutePlugin } from '../../kernel/module.js';
import { pageWindow } from '../../kernel/pagination.js';
import { DataOf, errorResponses, IdParams, PageOf } from '../../kernel/schemas.js';
import { storageFor } from '../../kernel/storage.js';
import { emptyMultipartBody } from '../students/index.js';
import {
  Document,
  ListDocumentsQuery,
  SearchDocumentsQuery,
  StudentDocumentsQuery,
  UploadBody,
} from './documents.schemas.js';
import * as svc from './documents.service.js';
import { DOCUMENT_MAX_BYTES, type StoredFile, storeDocument } from './documents-upload.js';

const tags = ['documents'];

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / 5987), safe for any file name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Reads the multipart parts in order: text fields are collected, the one file part is streamed through the
 * guard into storage as it arrives (never buffered whole). Returns the fields and the stored file.
 */
async function readUpload(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw badRequest('Send the document as multipart/form-data', [{ field: 'file', message: 'is required' }]);
  }
  const storage = storageFor(request.server.deps.config);
  const fields: Record<string, string> = {};
  let stored: StoredFile | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || stored) {
          part.file.resume();
          throw badRequest('Send exactly one file, in the field "file"', [
            { field: part.fieldname, message: 'unexpected file' },
          ]);
        }
        stored = await storeDocument(storage, part.file, part.filename);
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (stored) await storage.delete(stored.key);
    throw err;
  }
  if (!stored) throw badRequest('No file in the request', [{ field: 'file', message: 'is required' }]);
  try {
    return { fields: svc.parseUploadFields(fields, stored.fileName), stored };
  } catch (err) {
    await storage.delete(stored.key);
    throw err;
  }
}

/** `/documents`, `/students/{id}/documents` and `/students/me/documents`. */
export const documentsRoutes: RoutePlugin = async (app) => {
  const deps = app.deps;
  const { db } = deps;
  // Encapsulated: only this plugin's routes parse multipart. The busboy limit sits one byte above the
  // document limit so the streaming guard sees the overflow and answers 413.
  await app.register(multipart, {
    limits: {
      fileSize: DOCUMENT_MAX_BYTES + 1,
      files: 1,
      fields: 12,
      parts: 13,
      fieldSize: 8192,
      headerPairs: 100,
    },
  });

  app.post(
    '/documents/upload',
    {
      config: { permission: 'documents:upload' },
      preValidation: emptyMultipartBody,
      schema: {
        tags,
        summary: 'Upload a document (multipart; at most 10 MB; type checked by content and extension)',
        description:
          'Allowed: PDF, JPEG, PNG, WebP, DOC, DOCX, XLS, XLSX, TXT, CSV. The size limit is enforced while the ' +
          'file streams (413 at once); the bytes must match the extension (415 otherwise: a script renamed ' +
          '.pdf is refused); text files must be UTF-8 without NUL bytes. The SHA-256 is stored.',
        consumes: ['multipart/form-data'],
        body: UploadBody,
        response: { 201: DataOf(Document), ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { fields, stored } = await readUpload(request);
      const doc = await svc.createDocument(deps, ctx, fields, stored);
      return reply.status(201).send({ data: doc });
    },
  );

  app.get(
    '/documents',
    {
      config: { permission: 'documents:read' },
      schema: {
        tags,
        summary: 'List the documents you may read, newest first',
        querystring: ListDocumentsQuery,
        response: { 200: PageOf(Document), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => svc.listDocuments(db, contextOf(request), request.query, pageWindow(request.query)),
  );

  app.get(
    '/documents/search',
    {
      config: { permission: 'documents:read' },
      schema: {
        tags,
        summary: 'Search your readable documents by title, description, file name or tag',
        querystring: SearchDocumentsQuery,
        response: { 200: DataOf(Type.Array(Document)), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      data: await svc.searchDocuments(db, contextOf(request), request.query.q, request.query.limit ?? 20),
    }),
  );

  app.get(
    '/documents/:id',
    {
      config: { permission: 'documents:read' },
      schema: {
        tags,
        summary: "A document's metadata",
        params: IdParams,
        response: { 200: DataOf(Document), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ data: await svc.getDocument(db, contextOf(request), request.params.id) }),
  );

  app.get(
    '/documents/:id/download',
    {
      config: { permission: 'documents:read' },
      schema: {
        tags,
        summary: 'Download the file (streamed, as an attachment)',
        description:
          'Allowed to the uploader, to members of the organization for public documents, to the records ' +
          'office in scope, and to the student a document is attached to and their guardians.',
        params: IdParams,
        response: {
          200: Type.Unsafe<Readable>({
            description: 'The file bytes, with the content type checked at upload',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { doc, stream } = await svc.openDocument(deps, contextOf(request), request.params.id);
      reply
        .type(doc.content_type)
        .header('content-length', String(doc.size))
        .header('content-disposition', contentDisposition(doc.file_name))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff');
      return reply.send(stream);
    },
  );

  app.delete(
    '/documents/:id',
    {
      config: { permission: 'documents:upload' },
      schema: {
        tags,
        summary: 'Delete a document (the uploader or the records office)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await svc.deleteDocument(deps, contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/students/me/documents',
    {
      config: { permission: 'students:self' },
      schema: {
        tags: ['students', 'documents'],
        summary: "The signed-in student's documents",
        querystring: StudentDocumentsQuery,
        response: { 200: PageOf(Document), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.studentDocuments(db, contextOf(request), 'me', request.query, pageWindow(request.query)),
  );

  app.get(
    '/students/:id/documents',
    {
      config: { permission: 'documents:read' },
      schema: {
        tags: ['students', 'documents'],
        summary: "A student's documents that you may read",
        params: IdParams,
        querystring: StudentDocumentsQuery,
        response: { 200: PageOf(Document), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      svc.studentDocuments(
        db,
        contextOf(request),
        request.params.id,
        request.query,
        pageWindow(request.query),
      ),
  );
};
