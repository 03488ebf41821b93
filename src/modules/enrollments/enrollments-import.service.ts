import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { rowsOf } from '../../kernel/sql.js';
import { organizations, orgScope } from '../organizations/index.js';
import { dropRows, enrollPairs } from './enrollments-rules.service.js';

/**
 * Class roster rows of the import pipeline (`/imports`, target `class_rosters`): one row = one student in one
 * class of the school, the student named by `student_number` or `roll_no` (like `PUT /classes/{id}/roster`'s
 * numbers: among the live students of the class's organization; a roll number shared by several students
 * is an error). The natural key is `<class_id>|n:<student number>` or `<class_id>|r:<roll number>`. A new
 * pair enrolls the student through the same rules as the enrollments API (capacity, fees, audit, events);
 * a complete file drops the active enrollments of the classes it names that are not in it.
 */
export const CLASS_ROSTER_IMPORT_FIELDS = [
  {
    field: 'class_id',
    required: true,
    type: 'text' as const,
    max: 36,
    lower: true,
    aliases: ['class', 'section_id'],
  },
  { field: 'student_number', type: 'text' as const, max: 50, aliases: ['student_no', 'student_id'] },
  { field: 'roll_no', type: 'text' as const, max: 50, aliases: ['roll_number', 'roll'] },
];

type Values = Record<string, string | null>;
type CellError = { column: string | null; value: string | null; message: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The natural key of a roster row, or null when it names no student. */
export function rosterKey(data: Values): string | null {
  const c = data.class_id;
  if (!c) return null;
  if (data.student_number) return `${c}|n:${data.student_number}`;
  if (data.roll_no) return `${c}|r:${data.roll_no}`;
  return null;
}

function parseKey(k: string) {
  const [classId, rest] = k.split('|');
  return { classId, byNumber: rest.startsWith('n:'), value: rest.slice(2) };
}

/** The school a roster import writes into, when the actor may manage its enrollments; else null (404). */
export async function importRosterSchool(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), orgScope(ctx.actor, 'enrollments:manage', organizations.id)));
  return row ? { id: row.id, organizationId: row.id } : null;
}

interface Resolved {
  classFound: boolean;
  studentIds: string[];
  enrollmentId: string | null;
  studentNumber: string | null;
  rollNo: string | null;
}

/**
 * Resolves roster keys in one query: the class (of this school), the students the number names (live
 * students of the class's organization) and the active enrollment of the pair.
 */
// No row lock: enrollPairs locks the classes, and the partial unique index keeps one active enrollment per pair.
async function resolve(db: DbOrTx, orgId: string, keys: string[]) {
  const out = new Map<string, Resolved>();
  const parsed = keys.map((k) => ({ k, ...parseKey(k) })).filter((p) => UUID.test(p.classId));
  for (const k of keys)
    out.set(k, { classFound: false, studentIds: [], enrollmentId: null, studentNumber: null, rollNo: null });
  if (parsed.length === 0) return out;
  const res = await db.execute(sql`
    with k as (
      select * from jsonb_to_recordset(${JSON.stringify(parsed.map((p) => ({ k: p.k, class_id: p.classId, by_number: p.byNumber, value: p.value })))}::jsonb)
        as k(k text, class_id uuid, by_number boolean, value text)
    )
    select k.k, c.id as class_id, s.id as student_id, s.student_number, s.roll_no, e.id as enrollment_id
      from k
      left join classes c on c.id = k.class_id and c.organization_id = ${orgId}
      left join students s on c.id is not null and s.organization_id = c.organization_id and s.deleted_at is null
            and ((k.by_number and s.student_number = k.value) or (not k.by_number and s.roll_no = k.value))
      left join enrollments e on e.class_id = c.id and e.student_id = s.id and e.status = 'enrolled'`);
  for (const r of rowsOf<{
    k: string;
    class_id: string | null;
    student_id: string | null;
    student_number: string | null;
    roll_no: string | null;
    enrollment_id: string | null;
  }>(res)) {
    const cur = out.get(r.k)!;
    cur.classFound ||= r.class_id !== null;
    if (r.student_id) {
      cur.studentIds.push(r.student_id);
      cur.studentNumber = r.student_number;
      cur.rollNo = r.roll_no;
      cur.enrollmentId = r.enrollment_id ?? cur.enrollmentId;
    }
  }
  return out;
}

/** Active enrollments of these pairs: the roster rows already true (unchanged). */
export async function rosterCurrent(db: DbOrTx, orgId: string, keys: string[]) {
  const found = await resolve(db, orgId, keys);
  const out = new Map<string, { id: string; values: Values; extra: { studentId: string } }>();
  for (const [k, r] of found) {
    if (r.enrollmentId && r.studentIds.length === 1) {
      const { classId, byNumber } = parseKey(k);
      out.set(k, {
        id: r.enrollmentId,
        // A row by roll number has no student number (its cell is empty): compare like with like.
        values: { class_id: classId, student_number: byNumber ? r.studentNumber : null, roll_no: r.rollNo },
        extra: { studentId: r.studentIds[0] },
      });
    }
  }
  return out;
}

/** Unknown classes, unknown students and roll numbers shared by several students: errors of the dry run. */
export async function rosterBatchErrors(
  db: DbOrTx,
  orgId: string,
  rows: Array<{ key: string; current: unknown }>,
) {
  const keys = rows.filter((r) => !r.current).map((r) => r.key);
  const found = await resolve(db, orgId, keys);
  const out = new Map<string, CellError>();
  for (const [k, r] of found) {
    const p = parseKey(k);
    if (!r.classFound) {
      out.set(k, { column: 'class_id', value: p.classId, message: 'no class of the school has this id' });
    } else if (r.studentIds.length === 0) {
      out.set(k, {
        column: p.byNumber ? 'student_number' : 'roll_no',
        value: p.value,
        message: `no student of the school has this ${p.byNumber ? 'student' : 'roll'} number`,
      });
    } else if (r.studentIds.length > 1) {
      out.set(k, {
        column: 'roll_no',
        value: p.value,
        message: 'several students share this roll number: use student numbers',
      });
    }
  }
  return out;
}

/** Enrolls the new pairs through the enrollments rules (one call per batch; it writes its own audit rows). */
export async function applyRosterImport(tx: Tx, ctx: RequestContext, orgId: string, creates: Values[]) {
  const keys = creates.map(rosterKey).filter((k): k is string => k !== null);
  const found = await resolve(tx, orgId, keys);
  const seen = new Set<string>();
  const pairs: Array<{ studentId: string; classId: string }> = [];
  for (const k of keys) {
    const r = found.get(k)!;
    if (r.studentIds.length !== 1 || r.enrollmentId) continue;
    const classId = parseKey(k).classId;
    const pk = `${classId}|${r.studentIds[0]}`;
    if (seen.has(pk)) continue; // the same student by number and by roll number
    seen.add(pk);
    pairs.push({ studentId: r.studentIds[0], classId });
  }
  const rows = await enrollPairs(tx, ctx, pairs, 'manage');
  return { created: rows.length, updated: 0, audit: [] as AuditEntry[] };
}

const notInFile = (presentKeys: SQL) => sql`
  e.class_id::text in (select split_part(pk.k, '|', 1) from (${presentKeys}) as pk(k))
  and (e.class_id::text || '|n:' || s.student_number) not in (${presentKeys})
  and (s.roll_no is null or (e.class_id::text || '|r:' || s.roll_no) not in (${presentKeys}))`;

/** Active enrollments of the file's classes that the file does not list, and all of those classes' ones. */
export async function missingRosterRows(db: DbOrTx, orgId: string, presentKeys: SQL) {
  const res = await db.execute(sql`
    select count(*) filter (where ${notInFile(presentKeys)})::int as missing,
           count(*) filter (where e.class_id::text in (select split_part(pk.k, '|', 1) from (${presentKeys}) as pk(k)))::int as existing
      from enrollments e join classes c on c.id = e.class_id join students s on s.id = e.student_id
     where c.organization_id = ${orgId} and e.status = 'enrolled'`);
  return rowsOf<{ missing: number; existing: number }>(res)[0] ?? { missing: 0, existing: 0 };
}

/** Drops them through the enrollments rules (fees reversed, audit, events). */
export async function dropMissingRosterRows(
  tx: Tx,
  ctx: RequestContext,
  orgId: string,
  presentKeys: SQL,
  importId: string,
) {
  const res = await tx.execute(sql`
    select e.id from enrollments e join classes c on c.id = e.class_id join students s on s.id = e.student_id
     where c.organization_id = ${orgId} and e.status = 'enrolled' and ${notInFile(presentKeys)}
       and ${orgScope(ctx.actor, 'enrollments:manage', sql`c.organization_id`)}`);
  const ids = rowsOf<{ id: string }>(res).map((r) => r.id);
  const rows = ids.length ? await dropRows(tx, ctx, ids, `import ${importId}`, 'manage') : [];
  return { deactivated: rows.length, audit: [] as AuditEntry[] };
}
