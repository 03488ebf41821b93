import { randomUUID } from 'node:crypto';

/**
 * UUID v7 (RFC 9562): time-ordered, so new rows append to the right end of primary-key indexes. The random
 * bits and the variant come from `randomUUID()` (a v4, drawn from Node's buffered CSPRNG: no allocation per
 * call, unlike `randomBytes`; every request id is one); the first 48 bits become the millisecond timestamp
 * and the version nibble 7.
 */
export function uuidv7(now = Date.now()): string {
  const r = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V in 8..b
  const t = Math.floor(now).toString(16).padStart(12, '0').slice(-12);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r.slice(15)}`;
}
