import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { badRequest } from '../../kernel/errors.js';
import { PHOTO_MAX_BYTES } from './students-photo.service.js';

/**
 * Multipart parsing for the photo routes of a plugin (encapsulated: only that plugin's routes accept
 * multipart). The busboy limit sits one byte above the photo limit so the streaming guard sees the overflow.
 */
export async function registerPhotoUploads(app: FastifyInstance) {
  await app.register(multipart, {
    limits: { fileSize: PHOTO_MAX_BYTES + 1, files: 1, fields: 5, parts: 6, headerPairs: 100 },
  });
}

/** Documents the multipart body in OpenAPI; the file itself is read from the stream, not validated here. */
export const PhotoUploadBody = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        description: 'The image (JPEG, PNG or WebP, at most 5 MB)',
        contentMediaType: 'image/*',
      }),
    ),
  },
  { description: 'multipart/form-data with one file part' },
);

/** Multipart bodies are consumed by the handler as a stream; give the validator an empty object. */
export async function emptyMultipartBody(request: FastifyRequest) {
  if (request.body === undefined) request.body = {};
}

/** The single uploaded file part as a stream (400 when the request has none). */
export async function uploadedFile(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw badRequest('Send the photo as multipart/form-data', [{ field: 'file', message: 'is required' }]);
  }
  const part = await request.file();
  if (!part) throw badRequest('No file in the request', [{ field: 'file', message: 'is required' }]);
  return part.file;
}

export const PhotoResult = Type.Object({
  content_type: Type.String({ description: 'Detected from the file content', examples: ['image/png'] }),
  size: Type.Integer({ description: 'Bytes stored', examples: [48213] }),
});

/** OpenAPI description of a binary image response. */
export const imageResponse = {
  description: 'The image bytes, with the content type detected at upload',
  content: {
    'image/jpeg': { schema: { type: 'string', format: 'binary' } },
    'image/png': { schema: { type: 'string', format: 'binary' } },
    'image/webp': { schema: { type: 'string', format: 'binary' } },
  },
};
