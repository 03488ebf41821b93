import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { statementName } from '../db/client.js';

/** What Drizzle's `.prepare(name)` returns, as far as the hot path needs it. */
interface PreparedQuery<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

const perDatabase = new WeakMap<Db, Map<string, PreparedQuery<unknown>>>();

/** Bound on the shapes kept per database handle (a shape key is a handful of flags, never a value). */
const MAX_SHAPES = 200;

/**
 * A hot read's query, built by Drizzle's query builder ONCE per database handle and statement shape and then
 * only executed: `build(name)` returns `db.select(…).where(… sql.placeholder('x') …).prepare(name)`, and each
 * request fills the placeholders (`execute({ x })`). The builder and its SQL compilation cost more CPU than
 * the indexed lookup itself (docs/performance.md); on PostgreSQL the statement is also named, so every pooled
 * connection parses and plans it once (DATABASE_PREPARED_STATEMENTS=false: unnamed, parsed per run). `shape`
 * must determine the SQL text completely (the flags that change which predicates appear, never a value);
 * values go in placeholders only.
 */
export function preparedQuery<Result>(
  db: Db,
  shape: string,
  build: (name: string) => PreparedQuery<Result>,
): PreparedQuery<Result> {
  let shapes = perDatabase.get(db);
  if (!shapes) {
    shapes = new Map();
    perDatabase.set(db, shapes);
  }
  const hit = shapes.get(shape);
  if (hit) return hit as PreparedQuery<Result>;
  const hash = createHash('sha1').update(shape).digest('hex').slice(0, 12);
  const name = `h_${shape.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}_${hash}`;
  const query = build(statementName(name));
  if (shapes.size < MAX_SHAPES) shapes.set(shape, query as PreparedQuery<unknown>);
  return query;
}
