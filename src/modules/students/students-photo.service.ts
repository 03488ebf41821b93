import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { notFound, payloadTooLarge, unsupportedMediaType } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { type Storage, storageFor } from '../../kernel/storage.js';
import { withTx } from '../../kernel/tx.js';
import { studentPhotoScope } from './students.policy.js';
import * as repo from './students.repo.js';
import { readScope } from './students.service.js';
import { students } from './students.table.js';

/** Profile photos: at most 5 MB, JPEG / PNG / WebP recognised by their first bytes. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type announced by the file's magic bytes (not its name or declared type), or null. */
export function sniffImage(head: Buffer): PhotoType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (
    head.length >= 8 &&
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (
    head.length >= 12 &&
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/**
 * A pass-through that holds back the first 12 bytes until it can tell the image type, fails with 415 when
 * they are not an allowed image and with 413 as soon as more than `maxBytes` went through — while the
 * upload is still streaming, so an oversized file is never buffered or stored.
 */
export class PhotoGuard extends Transform {
  type: PhotoType | null = null;
  private size = 0;
  private head: Buffer[] = [];
  private headLen = 0;

  constructor(private readonly maxBytes = PHOTO_MAX_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      cb(payloadTooLarge(`The photo exceeds ${this.maxBytes / 1024 / 1024} MB`));
      return;
    }
    if (this.type) {
      cb(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headLen += chunk.length;
    if (this.headLen < 12) {
      cb();
      return;
    }
    const buf = Buffer.concat(this.head);
    this.head = [];
    this.type = sniffImage(buf);
    if (!this.type) {
      cb(unsupportedMediaType('The photo must be a JPEG, PNG or WebP image'));
      return;
    }
    cb(null, buf);
  }

  override _flush(cb: TransformCallback): void {
    if (this.type) {
      cb();
      return;
    }
    const buf = Buffer.concat(this.head);
    this.type = sniffImage(buf);
    if (!this.type || buf.length === 0) {
      cb(unsupportedMediaType('The photo must be a JPEG, PNG or WebP image'));
      return;
    }
    cb(null, buf);
  }
}

export const PHOTO_EXT: Record<PhotoType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/**
 * Streams an uploaded photo through the guard into storage under `<prefix>/<uuid>`; on any failure (too
 * large, not an image, client gone) nothing is stored and the error propagates (413 / 415 envelopes).
 */
export async function storePhoto(storage: Storage, prefix: string, file: Readable) {
  const guard = new PhotoGuard();
  file.on('error', (err) => guard.destroy(err));
  // The guard may fail before storage attaches its pipeline; the error is still reported through put().
  guard.on('error', () => {});
  file.pipe(guard);
  const key = `${prefix}/${uuidv7()}`;
  try {
    const { size } = await storage.put(key, guard);
    return { key, contentType: guard.type!, size };
  } finally {
    file.unpipe(guard);
    // Drain whatever the client still sends so the request can finish and the error reply goes out.
    file.resume();
  }
}

/** Where a profile photo is recorded: how to find the owner in scope and how to save the new key. */
export interface PhotoOwner {
  /** Storage key prefix, e.g. `students/<id>`. */
  prefix: string;
  entityType: string;
  entityId: string;
  notFound: string;
  /** The owner row if the actor may replace its photo, else null (→ 404). */
  find(db: DbOrTx): Promise<{ organizationId: string; photoKey: string | null } | null>;
  save(tx: DbOrTx, key: string, contentType: PhotoType): Promise<void>;
}

/**
 * Replaces a profile photo: scope check, streamed and checked upload, then the key and an audit row in one
 * transaction. The old file goes only after commit; a failed commit removes the new one.
 */
export async function replacePhoto(deps: AppDeps, ctx: RequestContext, owner: PhotoOwner, file: Readable) {
  if (!(await owner.find(deps.db))) {
    file.resume();
    throw notFound(owner.notFound);
  }
  const storage = storageFor(deps.config);
  const photo = await storePhoto(storage, owner.prefix, file);
  let oldKey: string | null = null;
  try {
    await withTx(deps.db, async (tx) => {
      const before = await owner.find(tx);
      if (!before) throw notFound(owner.notFound);
      oldKey = before.photoKey;
      await owner.save(tx, photo.key, photo.contentType);
      await recordAudit(tx, ctx, {
        action: 'upload_photo',
        entityType: owner.entityType,
        entityId: owner.entityId,
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

/** The stored photo of an owner row already found in the actor's read scope (404 when there is none). */
export async function readPhoto(
  deps: AppDeps,
  row: { photoKey: string | null; photoContentType: string | null },
) {
  const stream = row.photoKey ? await storageFor(deps.config).get(row.photoKey) : null;
  if (!stream) throw notFound('Photo');
  return { stream, contentType: row.photoContentType ?? 'application/octet-stream' };
}

/** Replaces a student's photo (managers in scope, or the student their own). */
export function setStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string, file: Readable) {
  const scope = studentPhotoScope(ctx.actor, students);
  return replacePhoto(
    deps,
    ctx,
    {
      prefix: `students/${id}`,
      entityType: 'student',
      entityId: id,
      notFound: 'Student',
      find: (db) => repo.findInScope(db, scope, id),
      save: async (tx, key, contentType) => {
        await repo.update(tx, id, { photoKey: key, photoContentType: contentType });
      },
    },
    file,
  );
}

/** The photo stream of a student the actor may read. */
export async function getStudentPhoto(deps: AppDeps, ctx: RequestContext, id: string) {
  const row = await repo.findInScope(deps.db, readScope(ctx.actor), id);
  if (!row) throw notFound('Student');
  return readPhoto(deps, row);
}
