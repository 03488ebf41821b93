import type { Readable } from 'node:stream';
import { Value } from 'typebox/value';
import type { Db } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { badRequest, forbidden, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { storageFor } from '../../kernel/storage.js';
import { withTx } from '../../kernel/tx.js';
import { studentReadScope, students } from '../students/index.js';
import { documentDeleteScope, documentReadScope } from './documents.policy.js';
import * as repo from './documents.repo.js';
import {
  type DocumentT,
  type ListDocumentsQueryT,
  type StudentDocumentsQueryT,
  UploadFields,
  type UploadFieldsT,
} from './documents.schemas.js';
import type { documents } from './documents.table.js';
import type { StoredFile } from './documents-upload.js';

/** Metadata only: the storage key never leaves the service. */
export function toDocument(d: typeof documents.$inferSelect): DocumentT {
  return {
    id: d.id,
    organization_id: d.organizationId,
    uploaded_by: d.uploadedBy,
    title: d.title,
    description: d.description,
    document_type: d.documentType,
    related_entity_type: d.relatedEntityType,
    related_entity_id: d.relatedEntityId,
    student_id: d.studentId,
    is_public: d.isPublic,
    tags: d.tags,
    file_name: d.fileName,
    content_type: d.contentType,
    size: Number(d.sizeBytes),
    sha256: d.sha256,
    created_at: iso(d.createdAt) ?? '',
    updated_at: iso(d.updatedAt) ?? '',
  };
}

/** The multipart text fields → typed upload fields (booleans and comma-separated tags coerced), or 400. */
export function parseUploadFields(raw: Record<string, string>, fileName: string): UploadFieldsT {
  const v: Record<string, unknown> = { ...raw };
  if (v.title === undefined || v.title === '') v.title = fileName;
  if (typeof v.is_public === 'string') {
    const b = v.is_public.toLowerCase();
    v.is_public =
      b === 'true' || b === '1' ? true : b === 'false' || b === '0' || b === '' ? false : v.is_public;
  }
  if (typeof v.tags === 'string') {
    v.tags = [
      ...new Set(
        v.tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
  }
  for (const k of ['description', 'document_type', 'related_entity_type', 'related_entity_id']) {
    if (v[k] === '') delete v[k];
  }
  if (Value.Check(UploadFields, v)) return v;
  const details = [...Value.Errors(UploadFields, v)]
    .filter((e) => e.keyword !== 'boolean')
    .map((e) => {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties;
      return {
        field: extra?.[0] ?? (e.instancePath.replace(/^\//, '').split('/')[0] || 'body'),
        message: e.message,
      };
    });
  throw badRequest('Invalid upload fields', details);
}

/**
 * Records an uploaded (already stored and checked) file: resolves what it is attached to within the actor's
 * rights (404 otherwise), inserts the row and its audit entry in one transaction. The stored object is
 * removed if anything fails.
 */
export async function createDocument(deps: AppDeps, ctx: RequestContext, f: UploadFieldsT, file: StoredFile) {
  const storage = storageFor(deps.config);
  try {
    return await withTx(deps.db, async (tx) => {
      let target: { organizationId: string; studentId: string | null } | null;
      if (f.related_entity_type || f.related_entity_id) {
        if (!f.related_entity_type || !f.related_entity_id) {
          throw badRequest('Give both related_entity_type and related_entity_id', [
            {
              field: f.related_entity_type ? 'related_entity_id' : 'related_entity_type',
              message: 'is required',
            },
          ]);
        }
        target = await repo.attachTarget(tx, ctx.actor, f.related_entity_type, f.related_entity_id);
        if (!target) throw notFound('Related record');
      } else {
        const orgId = ctx.actor.organizationId ?? ctx.actor.roles[0]?.organizationId;
        if (!orgId)
          throw badRequest('Attach the document to a record', [
            { field: 'related_entity_type', message: 'is required' },
          ]);
        target = { organizationId: orgId, studentId: null };
      }
      const row = await repo.insert(tx, {
        organizationId: target.organizationId,
        uploadedBy: ctx.actor.userId,
        title: f.title,
        description: f.description ?? null,
        documentType: f.document_type ?? 'other',
        relatedEntityType: f.related_entity_type ?? null,
        relatedEntityId: f.related_entity_id ?? null,
        studentId: target.studentId,
        isPublic: f.is_public ?? false,
        tags: f.tags ?? [],
        fileName: file.fileName,
        contentType: file.contentType,
        sizeBytes: file.size,
        sha256: file.sha256,
        storageKey: file.key,
      });
      const { storageKey: _key, ...audited } = row;
      await recordAudit(tx, ctx, {
        action: 'upload',
        entityType: 'document',
        entityId: row.id,
        organizationId: row.organizationId,
        after: audited,
      });
      return toDocument(row);
    });
  } catch (err) {
    await storage.delete(file.key);
    throw err;
  }
}

const readScope = (ctx: RequestContext) => documentReadScope(ctx.actor);

export async function getDocument(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.find(db, readScope(ctx), id);
  if (!row) throw notFound('Document');
  return toDocument(row);
}

/** The file of a readable document, as a stream with its checked content type. */
export async function openDocument(
  deps: AppDeps,
  ctx: RequestContext,
  id: string,
): Promise<{ doc: DocumentT; stream: Readable }> {
  const row = await repo.find(deps.db, readScope(ctx), id);
  if (!row) throw notFound('Document');
  const stream = await storageFor(deps.config).get(row.storageKey);
  if (!stream) throw notFound('Document file');
  return { doc: toDocument(row), stream };
}

export async function listDocuments(db: Db, ctx: RequestContext, q: ListDocumentsQueryT, w: PageWindow) {
  const { rows, total } = await repo.list(
    db,
    readScope(ctx),
    {
      uploadedBy: q.user_id ?? q.uploaded_by,
      documentType: q.document_type,
      relatedEntityType: q.related_entity_type,
      relatedEntityId: q.related_entity_id,
      studentId: q.student_id,
      isPublic: q.is_public,
      tag: q.tag,
    },
    w,
  );
  return page(rows.map(toDocument), total, w);
}

export async function searchDocuments(db: Db, ctx: RequestContext, q: string, limit: number) {
  const rows = await repo.search(db, readScope(ctx), q, limit);
  return rows.map(toDocument);
}

/** The documents attached to a student the actor may read (404 when the student is out of scope). */
export async function studentDocuments(
  db: Db,
  ctx: RequestContext,
  studentId: string | 'me',
  q: StudentDocumentsQueryT,
  w: PageWindow,
) {
  const id =
    studentId === 'me'
      ? await repo.ownStudentId(db, ctx.actor)
      : await repo.readableStudent(db, studentReadScope(ctx.actor, students), studentId);
  if (!id) throw notFound('Student');
  const { rows, total } = await repo.list(
    db,
    readScope(ctx),
    { studentId: id, documentType: q.document_type },
    w,
  );
  return page(rows.map(toDocument), total, w);
}

/** Deletes a document (uploader or records office); the file goes after the commit. */
export async function deleteDocument(deps: AppDeps, ctx: RequestContext, id: string) {
  const key = await withTx(deps.db, async (tx) => {
    const row = await repo.find(tx, readScope(ctx), id);
    if (!row) throw notFound('Document');
    if (!(await repo.find(tx, documentDeleteScope(ctx.actor), id))) {
      throw forbidden('Only the uploader or the records office may delete this document');
    }
    await repo.remove(tx, id);
    const { storageKey: _key, ...audited } = row;
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'document',
      entityId: id,
      organizationId: row.organizationId,
      before: audited,
    });
    return row.storageKey;
  });
  await storageFor(deps.config).delete(key);
}
