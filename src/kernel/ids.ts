import { randomFillSync } from 'node:crypto';

// Entropy is drawn from the CSPRNG in 4 KiB blocks (as `crypto.randomUUID` caches it), not one call per id:
// a 40-student marks entry makes 41 ids per request.
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

function random16(): Buffer {
  if (poolAt + 16 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  const b = Buffer.from(POOL.subarray(poolAt, poolAt + 16));
  POOL.fill(0, poolAt, poolAt + 16);
  poolAt += 16;
  return b;
}

/** UUID v7 (RFC 9562): time-ordered, so new rows append to the right end of primary-key indexes. */
export function uuidv7(now = Date.now()): string {
  const b = random16();
  b[0] = Math.floor(now / 2 ** 40) & 0xff;
  b[1] = Math.floor(now / 2 ** 32) & 0xff;
  b[2] = (now >>> 24) & 0xff;
  b[3] = (now >>> 16) & 0xff;
  b[4] = (now >>> 8) & 0xff;
  b[5] = now & 0xff;
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
