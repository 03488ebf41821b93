import { conflict } from '../../kernel/errors.js';

/**
 * Rethrows a unique violation of one of `fields`' constraints as a 409 naming the API field (the generic
 * handler can only guess the field from the constraint name); anything else is rethrown unchanged.
 */
export function rethrowUnique(err: unknown, fields: Record<string, string>): never {
  let e: any = err;
  for (let i = 0; i < 4 && e; i++) {
    if (e.code === '23505' && typeof e.constraint === 'string' && fields[e.constraint]) {
      const field = fields[e.constraint];
      throw conflict(`A record with this ${field.replace(/_/g, ' ')} already exists`, 'conflict', [
        { field, message: 'must be unique' },
      ]);
    }
    e = e.cause;
  }
  throw err;
}

/** "Maria del Carmen Lopez" → first "Maria del Carmen", last "Lopez" (one word: last name empty). */
export function splitFullName(full: string): { firstName: string; lastName: string } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length <= 1) return { firstName: words[0] ?? full.trim(), lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1] };
}
