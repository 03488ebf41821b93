import { conflict } from '../../kernel/errors.js';

interface PgLike {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/**
 * Rethrows a unique violation of one of `fields`' constraints as a 409 naming the API field; anything
 * else is rethrown unchanged (drivers wrap the PostgreSQL error in `cause`).
 */
export function rethrowUnique(err: unknown, fields: Record<string, string>): never {
  let e = err as PgLike | undefined;
  for (let i = 0; i < 4 && e; i++) {
    if (e.code === '23505' && typeof e.constraint === 'string' && fields[e.constraint]) {
      const field = fields[e.constraint];
      throw conflict(`A record with this ${field.replace(/_/g, ' ')} already exists`, 'conflict', [
        { field, message: 'must be unique' },
      ]);
    }
    e = e.cause as PgLike | undefined;
  }
  throw err;
}
