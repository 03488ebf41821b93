import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, payloadTooLarge } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import type { Storage } from '../../kernel/storage.js';

/** Multipart parsing for the import routes only (encapsulated in their plugin). */
export async function registerImportUploads(app: FastifyInstance, maxFileBytes: number) {
  await app.register(multipart, {
    limits: { fileSize: maxFileBytes, files: 1, fields: 20, fieldSize: 1 << 20, parts: 21, headerPairs: 100 },
  });
}

/** Multipart bodies are read from the stream by the handler; the validator gets an empty object. */
export async function emptyBody(request: FastifyRequest) {
  if (request.body === undefined) (request as { body: unknown }).body = {};
}

export interface StoredUpload {
  key: string;
  fileName: string;
  size: number;
  sha256: string;
  head: Buffer;
  fields: Record<string, string>;
}

/**
 * Streams the file part to storage (never into memory) while hashing it, and collects the text fields,
 * in whatever order the client sent them. 413 when the file is over the limit (nothing is kept).
 */
export async function storeUpload(request: FastifyRequest, storage: Storage): Promise<StoredUpload> {
  if (!request.isMultipart()) {
    throw badRequest('Send the file as multipart/form-data', [{ field: 'file', message: 'is required' }]);
  }
  const fields: Record<string, string> = {};
  let stored: Omit<StoredUpload, 'fields'> | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const key = `imports/${uuidv7()}`;
        const hash = createHash('sha256');
        let head = Buffer.alloc(0);
        // A transform, not a 'data' listener: nothing may flow before storage attaches its writer.
        const tap = new Transform({
          transform(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
            done(null, chunk);
          },
        });
        const { size } = await storage.put(key, part.file.pipe(tap));
        if (part.file.truncated) {
          await storage.delete(key);
          throw payloadTooLarge('The file is larger than the import limit');
        }
        stored = { key, fileName: part.filename || 'upload', size, sha256: hash.digest('hex'), head };
      } else {
        fields[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (err) {
    if (stored) await storage.delete(stored.key);
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw payloadTooLarge('The file is larger than the import limit');
    }
    throw err;
  }
  if (!stored || stored.size === 0) {
    if (stored) await storage.delete(stored.key);
    throw badRequest('No file in the request', [
      { field: 'file', message: 'is required (a non-empty file)' },
    ]);
  }
  return { ...stored, fields };
}
