import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';

let lastMs = -1;
let seq = 0;

/**
 * UUID v7 (RFC 9562): time-ordered, so new rows append to the right end of primary-key indexes. The random
 * bits and the variant come from `randomUUID()` (a v4, drawn from Node's buffered CSPRNG: no allocation per
 * call, unlike `randomBytes`; every request id is one); the first 48 bits become the millisecond timestamp
 * and the version nibble 7. Within one millisecond the 12 bits after the version are a counter that starts
 * at a random value below 2,048 (RFC 9562's "fixed bit-length dedicated counter"), so the ids one process
 * makes sort in the order it made them (audit rows of one transaction, ordered by id, keep their order);
 * past 4,095 in one millisecond the counter gives way to random bits.
 */
export function uuidv7(now = Date.now()): string {
  const r = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V in 8..b
  const ms = Math.floor(now);
  const rand = Number.parseInt(r.slice(15, 18), 16);
  if (ms !== lastMs) seq = rand & 0x7ff;
  else seq = seq < 0xfff ? seq + 1 : rand;
  lastMs = ms;
  const t = ms.toString(16).padStart(12, '0').slice(-12);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${seq.toString(16).padStart(3, '0')}${r.slice(18)}`;
}

/**
 * The same UUID v7 made by the database, for set-based INSERT … SELECTs whose rows never pass through the
 * API: `gen_random_uuid()` (a v4) with its first 48 bits overwritten by the millisecond clock and the version
 * nibble set from 4 (0100) to 7 (0111), bits 52 and 53 of `set_bit`'s numbering; the variant stays.
 */
export const uuidv7Sql = sql.raw(
  `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid`,
);
