import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { uuidv7 } from './ids.js';

/**
 * Where uploaded files live. Keys are opaque, slash-separated names chosen by the server (never by the
 * client) and are never returned by the API. Local disk today; an S3-compatible store can implement the
 * same three calls later.
 */
export interface Storage {
  /**
   * Streams `body` into `key`. The object becomes visible only once the stream ended without error: a
   * failing stream (size limit, bad content) leaves nothing behind.
   */
  put(key: string, body: Readable): Promise<{ size: number }>;
  /** A stream of the object, or null when it does not exist. */
  get(key: string): Promise<Readable | null>;
  /** Removes the object; missing objects are ignored. */
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

function assertKey(key: string): void {
  if (!KEY.test(key) || key.includes('..') || key.length > 300)
    throw new Error(`Invalid storage key "${key}"`);
}

/** Files under one root directory; writes go to a temporary file renamed into place on success. */
export class LocalDiskStorage implements Storage {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    assertKey(key);
    const p = resolve(this.root, ...key.split('/'));
    if (!p.startsWith(this.root + sep)) throw new Error(`Invalid storage key "${key}"`);
    return p;
  }

  async put(key: string, body: Readable): Promise<{ size: number }> {
    const target = this.pathOf(key);
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(tmpDir, uuidv7());
    try {
      await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
      const { size } = await stat(tmp);
      await rename(tmp, target);
      return { size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable | null> {
    const p = this.pathOf(key);
    try {
      await stat(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return createReadStream(p);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

const instances = new Map<string, Storage>();

/** The storage for a configuration (one per files directory, created on first use). */
export function storageFor(config: { filesDir: string }): Storage {
  let s = instances.get(config.filesDir);
  if (!s) {
    s = new LocalDiskStorage(config.filesDir);
    instances.set(config.filesDir, s);
  }
  return s;
}
