import { type SQL, sql } from 'drizzle-orm';
import { containsPattern } from '../../kernel/sql.js';
import { orBadRequest } from './oneroster-errors.js';

/**
 * The binding's `filter` parameter: `field op 'value'` predicates joined by ` AND ` / ` OR ` (AND binds
 * tighter), with the operators = != > >= < <= and ~ (contains). It is parsed into this small AST and then
 * compiled against a whitelist of fields: the field names pick SQL fragments written in code, and every
 * value becomes a bound parameter — nothing of the request is ever spliced into SQL text.
 */
export type FilterOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
export interface Predicate {
  field: string;
  op: FilterOp;
  value: string;
}
/** OR of ANDs of predicates. */
export type FilterAst = Predicate[][];

export const MAX_FILTER_LENGTH = 2000;
const MAX_PREDICATES = 20;

/** The kind of a filterable field: how its values compare. */
export type FieldKind = 'string' | 'datetime' | 'date' | 'enum' | 'boolean';

export interface FieldSpec {
  /** The SQL expression the field maps to (written in code, never from input). */
  expr: SQL;
  kind: FieldKind;
  /** enum fields: the values the binding allows. */
  values?: readonly string[];
  /**
   * enum fields: the predicate `= value` compiles to, per value, when the source has a plainer equivalent
   * the planner can estimate (users' `status = 'active'` is `t.live`, i.e. `deleted_at is null`, rather than
   * a CASE over it); `!=` is its negation. Never null.
   */
  eq?: Readonly<Record<string, SQL>>;
}

const OPS: FilterOp[] = ['>=', '<=', '!=', '=', '>', '<', '~'];

function bad(message: string): never {
  throw orBadRequest('invalid_filter_field', `Invalid filter: ${message}`);
}

/** Parses a filter expression; throws the binding's 400 (invalid_filter_field) on any syntax error. */
export function parseFilter(input: string): FilterAst {
  if (input.length > MAX_FILTER_LENGTH) bad(`longer than ${MAX_FILTER_LENGTH} characters`);
  let i = 0;
  const skipSpaces = () => {
    while (i < input.length && input[i] === ' ') i++;
  };
  const readPredicate = (): Predicate => {
    skipSpaces();
    const start = i;
    while (i < input.length && /[A-Za-z0-9_.]/.test(input[i])) i++;
    const field = input.slice(start, i);
    if (!field) bad(`a field name is expected at position ${start + 1}`);
    skipSpaces();
    const op = OPS.find((o) => input.startsWith(o, i));
    if (!op) bad(`an operator (= != > >= < <= ~) is expected after "${field}"`);
    i += op.length;
    skipSpaces();
    const quote = input[i];
    if (quote !== "'" && quote !== '"') bad(`the value of "${field}" must be quoted ('value')`);
    i++;
    let value = '';
    for (;;) {
      if (i >= input.length) bad(`the value of "${field}" has no closing quote`);
      if (input[i] === quote) {
        // A doubled quote inside a value stands for the quote itself.
        if (input[i + 1] === quote) {
          value += quote;
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value += input[i++];
    }
    return { field, op, value };
  };
  const ast: FilterAst = [[readPredicate()]];
  let count = 1;
  for (;;) {
    skipSpaces();
    if (i >= input.length) break;
    const m = /^(AND|OR)(?= )/.exec(input.slice(i));
    if (!m) bad(`AND or OR is expected at position ${i + 1}`);
    i += m[1].length;
    if (++count > MAX_PREDICATES) bad(`more than ${MAX_PREDICATES} predicates`);
    const p = readPredicate();
    if (m[1] === 'AND') ast[ast.length - 1].push(p);
    else ast.push([p]);
  }
  return ast;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function compilePredicate(p: Predicate, fields: Readonly<Record<string, FieldSpec>>): SQL {
  const spec = Object.hasOwn(fields, p.field) ? fields[p.field] : undefined;
  if (!spec) {
    throw orBadRequest(
      'invalid_filter_field',
      `Unknown filter field "${p.field}"; filterable fields: ${Object.keys(fields).join(', ')}`,
    );
  }
  const { expr } = spec;
  if (p.op === '~') {
    if (spec.kind !== 'string') bad(`~ applies to text fields, not "${p.field}"`);
    return sql`${expr} ilike ${containsPattern(p.value)}`;
  }
  let value: SQL;
  switch (spec.kind) {
    case 'datetime':
      if (!DATETIME.test(p.value) || Number.isNaN(Date.parse(p.value))) {
        bad(`"${p.field}" needs an ISO 8601 date-time, e.g. '2026-09-01T00:00:00Z'`);
      }
      value = sql`${p.value}::timestamptz`;
      break;
    case 'date':
      if (!DATE.test(p.value) || Number.isNaN(Date.parse(p.value)))
        bad(`"${p.field}" needs a date YYYY-MM-DD`);
      value = sql`${p.value}::date`;
      break;
    case 'enum':
      if (spec.values && !spec.values.includes(p.value)) {
        bad(`"${p.field}" is one of ${spec.values.join(', ')}`);
      }
      if (spec.eq && Object.hasOwn(spec.eq, p.value) && (p.op === '=' || p.op === '!=')) {
        return p.op === '=' ? sql`${spec.eq[p.value]}` : sql`not ${spec.eq[p.value]}`;
      }
      value = sql`${p.value}`;
      break;
    case 'boolean':
      if (p.value !== 'true' && p.value !== 'false') bad(`"${p.field}" is 'true' or 'false'`);
      value = sql`${p.value}`;
      break;
    default:
      value = sql`${p.value}`;
  }
  switch (p.op) {
    case '=':
      return sql`${expr} = ${value}`;
    case '!=':
      return sql`${expr} is distinct from ${value}`;
    case '>':
      return sql`${expr} > ${value}`;
    case '>=':
      return sql`${expr} >= ${value}`;
    case '<':
      return sql`${expr} < ${value}`;
    default:
      return sql`${expr} <= ${value}`;
  }
}

/** Compiles a parsed filter to one parameterized SQL predicate over the whitelisted fields. */
export function compileFilter(ast: FilterAst, fields: Readonly<Record<string, FieldSpec>>): SQL {
  const ors = ast.map(
    (ands) =>
      sql`(${sql.join(
        ands.map((p) => compilePredicate(p, fields)),
        sql` and `,
      )})`,
  );
  return sql`(${sql.join(ors, sql` or `)})`;
}
