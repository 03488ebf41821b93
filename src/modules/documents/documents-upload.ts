import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform, type TransformCallback } from 'node:stream';
import { payloadTooLarge, unsupportedMediaType } from '../../kernel/errors.js';
import { uuidv7 } from '../../kernel/ids.js';
import { loadFileType } from '../../kernel/lazy.js';
import type { Storage } from '../../kernel/storage.js';

/** Documents: at most 10 MB. */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Bytes held back to recognise the type (office formats need the first zip entries). */
const HEAD_BYTES = 128 * 1024;

interface Kind {
  /** What `file-type` must report for the bytes; null = a text format (no magic bytes). */
  detected: string[] | null;
  /** The content type stored and served. */
  contentType: string;
}

const CFB = 'application/x-cfb';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The allow-list: extension → the content the bytes must have. */
export const DOCUMENT_KINDS: Record<string, Kind> = {
  pdf: { detected: ['application/pdf'], contentType: 'application/pdf' },
  jpg: { detected: ['image/jpeg'], contentType: 'image/jpeg' },
  jpeg: { detected: ['image/jpeg'], contentType: 'image/jpeg' },
  png: { detected: ['image/png'], contentType: 'image/png' },
  webp: { detected: ['image/webp'], contentType: 'image/webp' },
  doc: { detected: [CFB, 'application/msword'], contentType: 'application/msword' },
  xls: { detected: [CFB, 'application/vnd.ms-excel'], contentType: 'application/vnd.ms-excel' },
  docx: { detected: [DOCX], contentType: DOCX },
  xlsx: { detected: [XLSX], contentType: XLSX },
  txt: { detected: null, contentType: 'text/plain; charset=utf-8' },
  csv: { detected: null, contentType: 'text/csv; charset=utf-8' },
};

const ALLOWED = 'PDF, JPEG, PNG, WebP, DOC, DOCX, XLS, XLSX, TXT or CSV';

/** A client file name reduced to a safe display name (no path, no control characters, bounded). */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || 'document';
}

/** The allow-listed kind of a file name's extension, or null. */
export function kindOf(fileName: string): { ext: string; kind: Kind } | null {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(fileName);
  const ext = m?.[1].toLowerCase();
  const kind = ext ? DOCUMENT_KINDS[ext] : undefined;
  return ext && kind ? { ext, kind } : null;
}

/**
 * A pass-through that enforces the upload rules while the file streams: more than `maxBytes` fails with
 * 413 at once; the first bytes must be what the extension claims (magic bytes via `file-type`), and a text
 * format must be valid UTF-8 without NUL bytes all the way through (415 otherwise). It also computes the
 * SHA-256 of what it passed on. Memory stays at one head buffer, whatever the file's size.
 */
export class DocumentGuard extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private head: Buffer[] = [];
  private headLen = 0;
  private checked = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly kind: Kind,
    private readonly maxBytes = DOCUMENT_MAX_BYTES,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      cb(payloadTooLarge(`The file exceeds ${this.maxBytes / 1024 / 1024} MB`));
      return;
    }
    if (this.checked) {
      this.pass(chunk, cb);
      return;
    }
    this.head.push(chunk);
    this.headLen += chunk.length;
    if (this.headLen < HEAD_BYTES) {
      cb();
      return;
    }
    this.checkHead(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.checked) {
      if (this.headLen === 0) {
        cb(unsupportedMediaType('The file is empty'));
        return;
      }
      this.checkHead((err, data) => {
        if (err) return cb(err);
        if (data) this.push(data);
        this.finishText(cb);
      });
      return;
    }
    this.finishText(cb);
  }

  private finishText(cb: TransformCallback) {
    if (this.kind.detected === null) {
      try {
        this.decoder.decode();
      } catch {
        cb(unsupportedMediaType('The text file is not valid UTF-8'));
        return;
      }
    }
    cb();
  }

  private checkHead(cb: TransformCallback) {
    const buf = Buffer.concat(this.head);
    this.head = [];
    this.checked = true;
    loadFileType()
      .then((m) => m.fileTypeFromBuffer(buf))
      .then(
        (ft) => {
          const mime = ft?.mime ?? null;
          if (this.kind.detected === null ? mime !== null : !mime || !this.kind.detected.includes(mime)) {
            cb(unsupportedMediaType(`The file content does not match its name: send ${ALLOWED}`));
            return;
          }
          this.pass(buf, cb);
        },
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
  }

  private pass(chunk: Buffer, cb: TransformCallback) {
    if (this.kind.detected === null) {
      if (chunk.includes(0)) {
        cb(unsupportedMediaType('A text file must not contain NUL bytes'));
        return;
      }
      try {
        this.decoder.decode(chunk, { stream: true });
      } catch {
        cb(unsupportedMediaType('The text file is not valid UTF-8'));
        return;
      }
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

export interface StoredFile {
  key: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Streams one uploaded file through the guard into storage under `documents/<yyyy>/<uuid>`. The extension
 * is checked before any byte is stored; a failure (too large, wrong content, client gone) leaves nothing
 * behind (the storage writes a temporary file and removes it) and propagates as 413 / 415.
 */
export async function storeDocument(storage: Storage, file: Readable, clientName: string | undefined) {
  const fileName = cleanFileName(clientName);
  const k = kindOf(fileName);
  if (!k) {
    file.resume();
    throw unsupportedMediaType(`Only ${ALLOWED} files are accepted (by extension and content)`);
  }
  const guard = new DocumentGuard(k.kind);
  file.on('error', (err) => guard.destroy(err));
  guard.on('error', () => {});
  file.pipe(guard);
  const key = `documents/${new Date().getUTCFullYear()}/${uuidv7()}.${k.ext}`;
  try {
    const { size } = await storage.put(key, guard);
    return {
      key,
      fileName,
      contentType: k.kind.contentType,
      size,
      sha256: guard.hash.digest('hex'),
    } satisfies StoredFile;
  } finally {
    file.unpipe(guard);
    // Drain what the client still sends, so the error reply can go out without buffering the rest.
    file.resume();
  }
}
