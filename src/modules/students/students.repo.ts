import {
  and,
  asc,
  count,
  eq,
  isNull,
  like,
  type Placeholder,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import type { Actor } from '../../kernel/auth/actor.js';
import { managedOrgIds as foldedOrgIds, grantsFor } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import { listPage, type PageWindow, totalOf } from '../../kernel/pagination.js';
import { preparedQuery } from '../../kernel/prepared.js';
import { containsPattern, firstRow, isoText, rowsOf } from '../../kernel/sql.js';
import { catalogReadScope, departments, programs } from '../academics/index.js';
import { organizations, orgScope } from '../organizations/index.js';
import { studentListScope, studentReadScope, studentScopeTemplate } from './students.policy.js';
import type { StudentFilters, StudentT } from './students.schemas.js';
import { students } from './students.table.js';

export type StudentRow = typeof students.$inferSelect;

/**
 * The exact expression of the trigram index `students_search_trgm_idx`; the query must repeat it verbatim
 * (same columns, same ' ' literals, no parameters) for the planner to use the GIN index.
 */
export const searchExpr = sql`lower(${students.firstName} || ' ' || ${students.lastName} || ' ' || ${students.studentNumber} || ' ' || coalesce(${students.email}, ''))`;

/**
 * A student as the API answers it (StudentT), shaped by the select itself, so the list maps no row in
 * JavaScript: the same fields `toStudent` builds from a full row.
 */
export const studentOut = {
  id: students.id,
  organization_id: students.organizationId,
  user_id: students.userId,
  student_number: students.studentNumber,
  first_name: students.firstName,
  last_name: students.lastName,
  email: students.email,
  phone: students.phone,
  date_of_birth: students.dateOfBirth,
  gender: students.gender,
  department_id: students.departmentId,
  program_id: students.programId,
  batch_year: students.batchYear,
  semester: students.semester,
  grade_level: students.gradeLevel,
  category: students.category,
  roll_no: students.rollNo,
  address: students.address,
  admission_date: students.admissionDate,
  student_status: students.studentStatus,
  has_photo: sql<boolean>`(${students.photoKey} is not null)`,
  created_at: isoText(students.createdAt),
  updated_at: isoText(students.updatedAt),
};

/** Ids of the organizations in whose subtree the actor manages students (one indexed path-prefix query). */
export async function managedOrgIds(db: DbOrTx, actor: Actor): Promise<string[]> {
  if (grantsFor(actor, 'students:write').length === 0) return [];
  // The ids came with the actor (kernel/auth/actor-cache.ts); an API client's actor resolves them here.
  const folded = foldedOrgIds(actor, 'students:write');
  if (folded) return folded;
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(orgScope(actor, 'students:write', organizations.id));
  return rows.map((r) => r.id);
}

/** How a filter's value enters the SQL: as itself (a bound parameter), or as a named placeholder. */
type Bind = <T>(name: keyof StudentFilters, value: T) => T | Placeholder;
const asValue: Bind = (_name, value) => value;

/**
 * WHERE conditions of the list, search and export: scope, not deleted, and each filter given. `bind` puts
 * each filter's value in as a placeholder of that filter's name instead, for a prepared list (`listOut`).
 */
export function filterConds(scope: SQL, f: StudentFilters, bind: Bind = asValue): SQL[] {
  const conds: SQL[] = [scope, isNull(students.deletedAt)];
  if (f.organization_id) {
    // The organization's subtree (organizations.path is a materialized path; the scope still applies).
    conds.push(sql`${students.organizationId} in (
      select o.id from organizations o
       where o.path like (select p.path from organizations p where p.id = ${bind('organization_id', f.organization_id)}) || '%')`);
  }
  if (f.student_status) conds.push(eq(students.studentStatus, bind('student_status', f.student_status)));
  if (f.department_id) conds.push(eq(students.departmentId, bind('department_id', f.department_id)));
  if (f.program_id) conds.push(eq(students.programId, bind('program_id', f.program_id)));
  if (f.batch_year !== undefined) conds.push(eq(students.batchYear, bind('batch_year', f.batch_year)));
  if (f.semester !== undefined) conds.push(eq(students.semester, bind('semester', f.semester)));
  if (f.category) conds.push(eq(students.category, bind('category', f.category)));
  // The expression is lower-cased and so is the term: LIKE, not ILIKE (no case folding per character while
  // each trigram candidate is rechecked; the GIN index serves both).
  if (f.search) conds.push(like(searchExpr, bind('search', containsPattern(f.search.toLowerCase()))));
  return conds;
}

/** The filters a prepared list takes as placeholders (a search is not one: see `listOut`). */
const PREPARED_FILTERS = [
  'organization_id',
  'student_status',
  'department_id',
  'program_id',
  'batch_year',
  'semester',
  'category',
] as const;

/**
 * GET /students for an actor whose scope has a template (`studentScopeTemplate`) and no search term: the
 * page and its capped count in one statement, prepared once per shape (which filters are given, the scope's
 * shape, capped or exact count) by kernel/prepared.ts, so a request builds no SQL. A search keeps the
 * builder (`list`): its plan depends on the term (prefix, trigram), which a generic plan cannot see. Null
 * when the template does not apply; the caller uses `list`.
 */
export async function listOut(
  db: Db,
  actor: Actor,
  f: StudentFilters,
  w: PageWindow,
  countLimit: number | null,
): Promise<{ rows: Array<StudentT & { _total: number }>; total: number } | null> {
  const t = f.search ? null : studentScopeTemplate(actor, students);
  if (!t) return null;
  const given = PREPARED_FILTERS.filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== '');
  const shape = `students.list.${t.shape}.${given.join('-')}.${countLimit === null ? 'exact' : 'capped'}`;
  const q = preparedQuery(db, shape, (name) => {
    const where = and(...filterConds(t.scope(), f, (k) => sql.placeholder(k)));
    const matching = db.select({ one: sql`1` }).from(students).where(where);
    const total = totalOf(matching, countLimit === null ? null : sql.placeholder('count_rows'));
    return db
      .select({ ...studentOut, _total: total })
      .from(students)
      .where(where)
      .orderBy(...byName)
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name);
  });
  const values: Record<string, unknown> = { ...t.values, limit: w.limit, offset: w.offset };
  for (const k of given) values[k] = f[k];
  if (countLimit !== null) values.count_rows = countLimit + 1;
  const rows = await q.execute(values);
  if (rows.length > 0) return { rows, total: Number(rows[0]._total) };
  if (w.offset === 0) return { rows, total: 0 };
  // A page past the end: the builder's statements, with the count alone.
  const orgs = foldedOrgIds(actor, 'students:write') ?? [];
  return list(db, studentListScope(actor, students, orgs), f, w, countLimit);
}

const byName = [asc(students.lastName), asc(students.firstName), asc(students.id)];

/**
 * The queries of GET /students, unexecuted (bench/explain-students.ts explains them): `rows` is the page
 * with its count in the same statement (`_total`, see kernel/pagination.ts `listPage`); `count` is that
 * count alone (run only for a page past the end). The count reads at most `countLimit + 1` matching rows
 * (null: all), so its cost does not grow with the district.
 */
export function listQueries(
  db: DbOrTx,
  scope: SQL,
  f: StudentFilters,
  w: PageWindow,
  countLimit: number | null = null,
) {
  const where = and(...filterConds(scope, f));
  const matching = db.select({ one: sql`1` }).from(students).where(where);
  return {
    matching,
    rows: db
      .select({ ...studentOut, _total: totalOf(matching, countLimit) })
      .from(students)
      .where(where)
      .orderBy(...byName)
      .limit(w.limit)
      .offset(w.offset),
    count:
      countLimit === null
        ? db.select({ total: count() }).from(students).where(where)
        : db.select({ total: count() }).from(
            db
              .select({ one: sql`1` })
              .from(students)
              .where(where)
              .limit(countLimit + 1)
              .as('matching'),
          ),
  };
}

export async function list(
  db: DbOrTx,
  scope: SQL,
  f: StudentFilters,
  w: PageWindow,
  countLimit: number | null,
) {
  const q = listQueries(db, scope, f, w, countLimit);
  return listPage(db, () => q.rows, q.matching, w, countLimit);
}

const searchCols = {
  id: students.id,
  organization_id: students.organizationId,
  student_number: students.studentNumber,
  first_name: students.firstName,
  last_name: students.lastName,
  email: students.email,
  student_status: students.studentStatus,
};

/** How many substring matches the fallback ranks (by similarity) at most: its cost stays bounded. */
export const SEARCH_CANDIDATES = 200;

const lowerC = (col: SQLWrapper) => sql`lower(${col}) collate "C"`;

/**
 * Quick search for pickers, in one statement whose cost does not grow with the district:
 * 1. prefix matches on the last name, the first name and the student number, each an ordered range scan of
 *    its own index (students_search_{last,first,number}_idx) stopped at `limit`, in name order;
 * 2. only when those are fewer than `limit` (a one-time filter), substring matches anywhere in name,
 *    number or email (the trigram index), the first SEARCH_CANDIDATES of them ranked by similarity.
 */
export async function search(db: DbOrTx, scope: SQL, term: string, limit: number) {
  const t = term.toLowerCase();
  const prefix = `${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const live = and(scope, isNull(students.deletedAt));
  const byKey = (key: SQL, order: SQL[]) =>
    sql`(select ${students.id} from ${students} where ${live} and ${key} like ${prefix}
          order by ${sql.join(order, sql`, `)} limit ${limit})`;
  const last = lowerC(students.lastName);
  const first = lowerC(students.firstName);
  const number = lowerC(students.studentNumber);
  const res = await db.execute(sql`
    with prefixed as (
      ${byKey(last, [last, first, sql`${students.id}`])}
      union ${byKey(first, [first, last, sql`${students.id}`])}
      union ${byKey(number, [number, sql`${students.id}`])}
    ),
    found as (
      select s.id, 0 as rank, 0::real as score from prefixed s
      union all
      select c.id, 1, c.score from (
        select ${students.id} as id, similarity(${searchExpr}, ${t}) as score from ${students}
         where ${live} and ${like(searchExpr, containsPattern(t))}
           and ${students.id} not in (select id from prefixed)
           and (select count(*) from prefixed) < ${limit}
         limit ${SEARCH_CANDIDATES}) c
    )
    select ${sql.join(
      Object.entries(searchCols).map(([k, col]) => sql`${col} as ${sql.identifier(k)}`),
      sql`, `,
    )}
      from found f join ${students} on ${students.id} = f.id
     order by f.rank, f.score desc, ${last}, ${first}, ${students.id}
     limit ${limit}`);
  return rowsOf<{
    id: string;
    organization_id: string;
    student_number: string;
    first_name: string;
    last_name: string;
    email: string;
    student_status: StudentRow['studentStatus'];
  }>(res);
}

/** One live (not deleted) student matching the scope predicate. */
export async function findInScope(db: DbOrTx, scope: SQL, id: string) {
  const [row] = await db
    .select()
    .from(students)
    .where(and(eq(students.id, id), isNull(students.deletedAt), scope));
  return row ?? null;
}

/**
 * One student the actor may read, shaped as the API answers it (`studentOut`), or null. The hot read of
 * `GET /students/{id}`: for an actor whose scope has a template (`studentScopeTemplate`), a query prepared once
 * per scope shape (kernel/prepared.ts), so a request builds no SQL; otherwise the same query built per call.
 */
export async function findOutInScope(db: Db, actor: Actor, id: string): Promise<StudentT | null> {
  const t = studentScopeTemplate(actor, students);
  if (!t) {
    const [row] = await db
      .select(studentOut)
      .from(students)
      .where(and(eq(students.id, id), isNull(students.deletedAt), studentReadScope(actor, students)));
    return row ?? null;
  }
  const q = preparedQuery(db, `students.detail.${t.shape}`, (name) =>
    db
      .select(studentOut)
      .from(students)
      .where(and(eq(students.id, sql.placeholder('id')), isNull(students.deletedAt), t.scope()))
      .prepare(name),
  );
  const [row] = await q.execute({ id, ...t.values });
  return row ?? null;
}

export async function findByUser(db: DbOrTx, userId: string) {
  const [row] = await db
    .select()
    .from(students)
    .where(and(eq(students.userId, userId), isNull(students.deletedAt)));
  return row ?? null;
}

export async function insert(db: DbOrTx, values: typeof students.$inferInsert) {
  const [row] = await db.insert(students).values(values).returning();
  return row;
}

/**
 * The profile of a self-registered student. The number comes from a database sequence: `REG-<year>-<n>`,
 * unique without any read-then-write race.
 */
export async function insertRegistered(
  db: DbOrTx,
  v: { organizationId: string; userId: string; firstName: string; lastName: string; email: string },
) {
  await db.insert(students).values({
    id: uuidv7(),
    ...v,
    studentNumber: sql`'REG-' || extract(year from now())::int || '-' || lpad(nextval('student_registration_seq')::text, 6, '0')`,
    admissionDate: sql`current_date`,
  });
}

export async function update(db: DbOrTx, id: string, values: Partial<typeof students.$inferInsert>) {
  const [row] = await db
    .update(students)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(students.id, id))
    .returning();
  return row;
}

/** True when the department is in the actor's catalog read scope (its organizations and their ancestors). */
export async function departmentReadable(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, id), catalogReadScope(actor, departments.organizationId)));
  return Boolean(r);
}

/**
 * True when every given department / program id exists in an organization the actor manages (so a student
 * is never attached to another tenant's department).
 */
export async function referencesInScope(
  db: DbOrTx,
  actor: Actor,
  refs: { departmentId?: string | null; programId?: string | null },
): Promise<{ department: boolean; program: boolean }> {
  const out = { department: true, program: true };
  if (refs.departmentId) {
    const [r] = await db
      .select({ id: departments.id })
      .from(departments)
      .where(
        and(
          eq(departments.id, refs.departmentId),
          orgScope(actor, 'students:write', departments.organizationId),
        ),
      );
    out.department = Boolean(r);
  }
  if (refs.programId) {
    const [r] = await db
      .select({ id: programs.id })
      .from(programs)
      .where(
        and(eq(programs.id, refs.programId), orgScope(actor, 'students:write', programs.organizationId)),
      );
    out.program = Boolean(r);
  }
  return out;
}

/** Columns of the export, in order (header names = JSON field names). */
export const exportColumns = {
  student_number: students.studentNumber,
  first_name: students.firstName,
  last_name: students.lastName,
  email: students.email,
  phone: students.phone,
  date_of_birth: students.dateOfBirth,
  gender: students.gender,
  department: departments.name,
  program: programs.name,
  batch_year: students.batchYear,
  semester: students.semester,
  grade_level: students.gradeLevel,
  category: students.category,
  roll_no: students.rollNo,
  admission_date: students.admissionDate,
  student_status: students.studentStatus,
  // keyset
  id: students.id,
};

/** The export's keyset: the last row sent, in list order (last_name, first_name, id). */
export type ExportKey = { lastName: string; firstName: string; id: string };

/** The export's conditions, restricted to rows strictly after `after` in list order. */
function afterKey(conds: SQL[], after: ExportKey | null) {
  return after
    ? and(
        ...conds,
        sql`(${students.lastName}, ${students.firstName}, ${students.id}) > (${after.lastName}, ${after.firstName}, ${after.id}::uuid)`,
      )
    : and(...conds);
}

/**
 * One keyset batch of the export, in list order: rows strictly after `after` (last_name, first_name, id).
 * Each batch is an index range scan, so memory and query time stay flat however many rows there are.
 */
export function exportBatch(db: DbOrTx, conds: SQL[], after: ExportKey | null, limit: number) {
  return db
    .select({ ...exportColumns, last_name_key: students.lastName, first_name_key: students.firstName })
    .from(students)
    .leftJoin(departments, eq(departments.id, students.departmentId))
    .leftJoin(programs, eq(programs.id, students.programId))
    .where(afterKey(conds, after))
    .orderBy(...byName)
    .limit(limit);
}

/** Columns of the export that are numbers: written as they are (never sanitized as text). */
const numericExportColumns = new Set(['batch_year', 'semester']);

const csvColumns = Object.entries(exportColumns).filter(([name]) => name !== 'id');

/** Matches a cell that must be quoted: it holds a comma, a double quote, CR or LF. */
const NEEDS_QUOTES = sql.raw(`E'[",\\r\\n]'`);

/**
 * One CSV cell built by PostgreSQL, with the same rules as the JS path: a text cell starting with = + - @,
 * tab or CR gets a leading single quote (CSV injection), and a cell holding a comma, quote, CR or LF is
 * quoted with inner quotes doubled (RFC 4180). NULL is the empty cell.
 */
export function csvCell(expr: SQL, numeric = false): SQL {
  if (numeric) return sql`coalesce((${expr})::text, '')`;
  const t = sql`(${expr})::text`;
  const v = sql`(case when left(${t}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${t} else ${t} end)`;
  return sql`coalesce(case when ${t} ~ ${NEEDS_QUOTES} then '"' || replace(${v}, '"', '""') || '"' else ${v} end, '')`;
}

/**
 * One keyset batch of the CSV export as ONE row: `chunk` holds the batch's lines (list order, joined by
 * LF, no trailing LF), `n` how many, and `after` the keyset of the batch's last row when the batch is full
 * (else null).
 *
 * `careful = false` joins each row's cells as they are (`plain`): no per-cell work in PostgreSQL at all.
 * Such a chunk is finished CSV only when no cell needs quoting or sanitizing, which the caller checks over
 * the whole chunk at once (`isPlainCsvSafe`) and, for the rare batch that fails, asks again with
 * `careful = true`: every cell through `csvCell`. string_agg takes the lines in the order of the sorted,
 * limited subquery it reads (the behaviour PostgreSQL documents for aggregates over a sorted subquery; a
 * plain aggregate reads its input in order, and the export test checks the order across batches on both
 * databases). Formatting and joining in PostgreSQL, one text value per batch, instead of mapping 16
 * columns per row into objects and through a CSV encoder in JS, is what keeps the export near COPY speed.
 */
export async function exportCsvBatch(
  db: DbOrTx,
  conds: SQL[],
  after: ExportKey | null,
  limit: number,
  careful = false,
): Promise<{ chunk: string | null; n: number; after: ExportKey | null }> {
  const line = careful
    ? sql.join(
        csvColumns.map(([name, col]) => csvCell(sql`${col}`, numericExportColumns.has(name))),
        sql` || ',' || `,
      )
    : sql`concat_ws(',', ${sql.join(
        csvColumns.map(([, col]) => sql`coalesce(${col}::text, '')`),
        sql`, `,
      )})`;
  const row = firstRow<{
    chunk: string | null;
    n: number | string;
    last_name_key: string | null;
    first_name_key: string | null;
    id: string | null;
  }>(
    await db.execute(sql`
    select string_agg(s.line, chr(10)) as chunk, count(*)::int as n,
           max(s.last_name_key) filter (where s.rn = ${limit}) as last_name_key,
           max(s.first_name_key) filter (where s.rn = ${limit}) as first_name_key,
           max(s.id::text) filter (where s.rn = ${limit}) as id
      from (
        select ${line} as line, ${students.lastName} as last_name_key, ${students.firstName} as first_name_key,
               ${students.id} as id,
               row_number() over (order by ${students.lastName}, ${students.firstName}, ${students.id}) as rn
          from ${students}
          left join ${departments} on ${eq(departments.id, students.departmentId)}
          left join ${programs} on ${eq(programs.id, students.programId)}
         where ${afterKey(conds, after)}
         order by ${students.lastName}, ${students.firstName}, ${students.id}
         limit ${limit}
      ) s`),
  );
  if (!row) return { chunk: null, n: 0, after: null };
  return {
    chunk: row.chunk ?? null,
    n: Number(row.n),
    after:
      row.id === null || row.id === undefined
        ? null
        : { lastName: row.last_name_key ?? '', firstName: row.first_name_key ?? '', id: row.id },
  };
}
