import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Actor } from './auth/actor.js';

/** An SQL expression that names a column (a Drizzle column or an `sql` fragment such as sql`e.class_id`). */
export type Column = SQL | AnyColumn;

/** Builds an access predicate for `actor` over the given columns, or null when it does not apply. */
export type ScopePredicate<Cols> = (actor: Actor, cols: Cols) => SQL | null;

/** A predicate a higher module adds to a lower module's access rule (see `ScopeExtension`). */
export interface ScopeContribution {
  apply(): void;
}

/**
 * An access rule that a lower module owns and higher modules widen without an import cycle. Example: the
 * classes module owns "who may read a class" (managers in scope, its teachers); the enrollments module,
 * which depends on classes, adds "students enrolled in it and their guardians" through
 * `classAudience.contribute(...)` in its module definition. The lower module ORs the contributions into its
 * own predicate; every part stays SQL, evaluated in the WHERE clause.
 */
export class ScopeExtension<Cols> {
  private readonly parts: Array<ScopePredicate<Cols>> = [];

  constructor(readonly name: string) {}

  /** A contribution for a module definition's `scopes`; the composition root applies it once. */
  contribute(predicate: ScopePredicate<Cols>): ScopeContribution {
    return {
      apply: () => {
        if (!this.parts.includes(predicate)) this.parts.push(predicate);
      },
    };
  }

  /** The contributed predicates that apply to this actor. */
  predicates(actor: Actor, cols: Cols): SQL[] {
    const out: SQL[] = [];
    for (const p of this.parts) {
      const s = p(actor, cols);
      if (s) out.push(s);
    }
    return out;
  }
}

/** `(a or b or …)`; `false` for none. */
export function anyOf(parts: SQL[]): SQL {
  if (parts.length === 0) return sql`false`;
  if (parts.length === 1) return parts[0];
  return sql`(${sql.join(parts, sql` or `)})`;
}
