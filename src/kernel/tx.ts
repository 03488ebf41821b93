import type { Db, DbOrTx, Tx } from '../db/client.js';

/** What a transaction opened by `withTx` carries: the database it runs on and its after-commit work. */
interface TxState {
  root: Db;
  afterCommit: Array<(root: Db) => void>;
}

const states = new WeakMap<object, TxState>();

/**
 * Runs `fn` in one transaction: everything it writes (including audit rows) commits or rolls back together.
 * On a transaction handle it opens a savepoint, whose after-commit work waits for the outermost commit.
 */
export async function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const parent = states.get(db);
  const state: TxState = { root: parent?.root ?? db, afterCommit: [] };
  const result = await db.transaction((tx) => {
    states.set(tx, state);
    return fn(tx);
  });
  if (parent) parent.afterCommit.push(...state.afterCommit);
  else for (const cb of state.afterCommit) cb(state.root);
  return result;
}

/**
 * Runs `cb` once the transaction `db` belongs to has committed (never when it rolls back); at once when
 * `db` is the database itself (autocommit: the write is already visible). Callbacks get the database
 * handle, so a caller holding only a transaction can reach per-database services (see kernel/pubsub.ts).
 * They must not throw: they run after the change is final.
 */
export function afterCommit(db: DbOrTx, cb: (root: Db) => void): void {
  const state = states.get(db);
  if (state) state.afterCommit.push(cb);
  else cb(db as Db);
}
