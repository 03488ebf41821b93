import type { Readable } from 'node:stream';
import type { AppDeps } from '../../app.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { notFound } from '../../kernel/errors.js';
import { storageFor } from '../../kernel/storage.js';
import { withTx } from '../../kernel/tx.js';
import { storePhoto } from './photo.js';
import { studentPhotoScope } from './students.policy.js';
import * as repo from './students.repo.js';
import { readScope } from './students.service.js';
import { students } from './students.table.js';

/** Replaces a student's photo: checked and stored while streaming, then recorded in one transaction. */
export async function setStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string, file: Readable) {
  const scope = studentPhotoScope(ctx.actor, students);
  if (!(await repo.findInScope(deps.db, scope, id))) {
    file.resume();
    throw notFound('Student');
  }
  const storage = storageFor(deps.config);
  const photo = await storePhoto(storage, `students/${id}`, file);
  let oldKey: string | null = null;
  try {
    await withTx(deps.db, async (tx) => {
      const before = await repo.findInScope(tx, scope, id);
      if (!before) throw notFound('Student');
      oldKey = before.photoKey;
      await repo.update(tx, id, { photoKey: photo.key, photoContentType: photo.contentType });
      await recordAudit(tx, ctx, {
        action: 'upload_photo',
        entityType: 'student',
        entityId: id,
        organizationId: before.organizationId,
        after: { content_type: photo.contentType, size: photo.size },
      });
    });
  } catch (err) {
    await storage.delete(photo.key);
    throw err;
  }
  if (oldKey) await storage.delete(oldKey);
  return { content_type: photo.contentType, size: photo.size };
}

/** The photo stream of a student the actor may read. */
export async function getStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(deps.db, readScope(ctx.actor), id);
  if (!row) throw notFound('Student');
  const stream = row.photoKey ? await storageFor(deps.config).get(row.photoKey) : null;
  if (!stream) throw notFound('Photo');
  return { stream, contentType: row.photoContentType ?? 'application/octet-stream' };
}
