import type { Db, Tx } from '../db/client.js';

/** Runs `fn` in one transaction: everything it writes (including audit rows) commits or rolls back together. */
export function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
