import type { Readable } from 'node:stream';
import { Unzip, UnzipInflate } from 'fflate';
import { businessRule } from '../../kernel/errors.js';

/**
 * The bytes of one entry of a zip archive, streamed: the archive is read chunk by chunk (local headers,
 * data descriptors allowed), every other entry is skipped without being inflated, and only the inflated
 * output of the current input chunk is held. `found` is set when the entry exists.
 */
export async function* zipEntry(stream: Readable, name: string, state: { found: boolean }) {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    const base = file.name.split('/').pop();
    if (base !== name || state.found) return;
    state.found = true;
    file.ondata = (err, data) => {
      if (err) failure = err;
      else if (data.length) out.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      unzip.push(chunk);
      if (failure) throw failure;
      while (out.length) yield Buffer.from(out.shift()!);
    }
    unzip.push(new Uint8Array(0), true);
    if (failure) throw failure;
    while (out.length) yield Buffer.from(out.shift()!);
  } catch (err) {
    throw businessRule('unreadable_file', `The zip archive cannot be read: ${(err as Error).message}`);
  } finally {
    stream.destroy();
  }
}
