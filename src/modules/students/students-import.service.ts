import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { rowsOf } from '../../kernel/sql.js';
import { organizations, orgScope } from '../organizations/index.js';
import { studentWriteScope } from './students.policy.js';
import { students } from './students.table.js';

/**
 * Student rows of the import pipeline (`/imports`, target `students`). A student is created together with a
 * login user, so imports UPDATE existing students only (matched by student number within the school); a
 * row for an unknown number is an error until login-less students exist (issue 11).
 */
export const STUDENT_IMPORT_FIELDS = [
  {
    field: 'student_number',
    required: true,
    type: 'text' as const,
    max: 50,
    aliases: ['student_no', 'student_id', 'number'],
  },
  {
    field: 'first_name',
    nonEmpty: true,
    type: 'text' as const,
    max: 100,
    aliases: ['firstname', 'first', 'given_name'],
  },
  {
    field: 'last_name',
    nonEmpty: true,
    type: 'text' as const,
    max: 100,
    aliases: ['lastname', 'surname', 'last', 'family_name'],
  },
  { field: 'phone', type: 'text' as const, max: 40, aliases: ['phone_number', 'mobile'] },
  { field: 'date_of_birth', type: 'date' as const, aliases: ['dob', 'birth_date'] },
  { field: 'gender', type: 'text' as const, max: 20, aliases: ['sex'] },
  { field: 'grade_level', type: 'text' as const, max: 20, aliases: ['grade'] },
  { field: 'category', type: 'text' as const, max: 50, aliases: [] },
  { field: 'roll_no', type: 'text' as const, max: 50, aliases: ['roll_number'] },
  { field: 'address', type: 'text' as const, max: 500, aliases: [] },
  { field: 'admission_date', type: 'date' as const, aliases: [] },
  {
    field: 'student_status',
    type: 'enum' as const,
    values: ['active', 'inactive', 'graduated', 'suspended', 'withdrawn'] as const,
    aliases: ['status'],
  },
];

const FIELDS = STUDENT_IMPORT_FIELDS.map((f) => f.field);
type Values = Record<string, string | null>;
type Row = typeof students.$inferSelect;

function importValues(r: Row): Values {
  return {
    student_number: r.studentNumber,
    first_name: r.firstName,
    last_name: r.lastName,
    phone: r.phone,
    date_of_birth: r.dateOfBirth,
    gender: r.gender,
    grade_level: r.gradeLevel,
    category: r.category,
    roll_no: r.rollNo,
    address: r.address,
    admission_date: r.admissionDate,
    student_status: r.studentStatus,
  };
}

/** The school an import writes into, when the actor may change its students; else null (404). */
export async function importSchool(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), orgScope(ctx.actor, 'students:write', organizations.id)));
  return row ? { id: row.id, organizationId: row.id } : null;
}

/** Live students of the school with these numbers, in the actor's write scope. */
export async function studentsByNumbers(
  db: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  keys: string[],
  lock: boolean,
) {
  if (keys.length === 0) return new Map<string, { id: string; values: Values }>();
  const q = db
    .select()
    .from(students)
    .where(
      and(
        eq(students.organizationId, orgId),
        isNull(students.deletedAt),
        inArray(students.studentNumber, keys),
        studentWriteScope(ctx.actor, students),
      ),
    );
  const rows = lock ? await q.for('update') : await q;
  return new Map(rows.map((r) => [r.studentNumber, { id: r.id, values: importValues(r) }]));
}

/** One UPDATE for the batch (values as one JSON array); returns audit entries for the caller's transaction. */
export async function applyStudentImport(
  tx: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  updates: Array<{ id: string; before: Values; values: Values }>,
) {
  if (updates.length === 0) return { created: 0, updated: 0, audit: [] as AuditEntry[] };
  const payload = updates.map((u) => ({
    id: u.id,
    ...Object.fromEntries(FIELDS.map((f) => [f, u.values[f] ?? null])),
  }));
  const res = await tx.execute(sql`
    update students s set
      first_name = x.first_name, last_name = x.last_name, phone = x.phone, date_of_birth = x.date_of_birth::date,
      gender = x.gender, grade_level = x.grade_level, category = x.category, roll_no = x.roll_no,
      address = x.address, admission_date = x.admission_date::date,
      student_status = x.student_status::student_status, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(
      id uuid, first_name text, last_name text, phone text, date_of_birth text, gender text, grade_level text,
      category text, roll_no text, address text, admission_date text, student_status text)
    where s.id = x.id and s.organization_id = ${orgId} and s.deleted_at is null
      and ${studentWriteScope(ctx.actor, { organizationId: sql`s.organization_id` })}
    returning s.id`);
  const audit: AuditEntry[] = updates.map((u) => ({
    action: 'import.update',
    entityType: 'student',
    entityId: u.id,
    organizationId: orgId,
    before: u.before,
    after: u.values,
  }));
  return { created: 0, updated: rowsOf<{ id: string }>(res).length, audit };
}

/** Active students of the school missing from a complete file, and the school's live students. */
export async function missingStudents(db: DbOrTx, orgId: string, presentKeys: SQL) {
  const res = await db.execute(sql`
    select count(*) filter (where s.student_number not in (${presentKeys}) and s.student_status = 'active')::int as missing,
           count(*)::int as existing
      from students s where s.organization_id = ${orgId} and s.deleted_at is null`);
  return rowsOf<{ missing: number; existing: number }>(res)[0] ?? { missing: 0, existing: 0 };
}

/** Sets the active students missing from a complete file inactive (one statement). */
export async function deactivateMissingStudents(
  tx: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  presentKeys: SQL,
) {
  const res = await tx.execute(sql`
    update students s set student_status = 'inactive', updated_at = now()
     where s.organization_id = ${orgId} and s.deleted_at is null and s.student_status = 'active'
       and s.student_number not in (${presentKeys})
       and ${studentWriteScope(ctx.actor, { organizationId: sql`s.organization_id` })}
    returning s.id`);
  const rows = rowsOf<{ id: string }>(res);
  const audit: AuditEntry[] = rows.map((r) => ({
    action: 'import.deactivate',
    entityType: 'student',
    entityId: r.id,
    organizationId: orgId,
    before: { student_status: 'active' },
    after: { student_status: 'inactive' },
  }));
  return { deactivated: rows.length, audit };
}
