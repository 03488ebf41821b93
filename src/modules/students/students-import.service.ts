import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { type AuditEntry, auditRowsOf } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7, uuidv7Sql } from '../../kernel/ids.js';
import { rowsOf } from '../../kernel/sql.js';
import { organizations, orgScope } from '../organizations/index.js';
import { studentWriteScope } from './students.policy.js';
import { students } from './students.table.js';

/**
 * Student rows of the import pipeline (`/imports`, target `students`), matched by student number within the
 * school. New numbers create students WITHOUT a login (set-based; a login is added later with
 * `POST /students/{id}/account`); existing ones are updated.
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
  { field: 'email', type: 'text' as const, max: 254, lower: true, aliases: ['email_address', 'e_mail'] },
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
    email: r.email,
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
  type Cur = { id: string; values: Values; extra: { hasLogin: boolean; deleted: boolean } };
  if (keys.length === 0) return new Map<string, Cur>();
  // Deleted students are read too: their number is taken (the row is kept), so such a row is an error.
  const q = db
    .select()
    .from(students)
    .where(
      and(
        eq(students.organizationId, orgId),
        sql`${students.studentNumber} = any(${sql.param(keys)}::text[])`,
        studentWriteScope(ctx.actor, students),
      ),
    );
  const rows = lock ? await q.for('update') : await q;
  return new Map<string, Cur>(
    rows.map((r) => [
      r.studentNumber,
      {
        id: r.id,
        values: importValues(r),
        extra: { hasLogin: r.userId !== null, deleted: r.deletedAt !== null },
      },
    ]),
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The same check in the database's regular expressions. */
const EMAIL_PG = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

/** A row's error against the student it would touch: names of a new student, emails, deleted numbers. */
export function studentRowError(
  data: Values,
  current: ({ extra?: { hasLogin?: boolean; deleted?: boolean } } & { values: Values }) | undefined,
): { column: string | null; value: string | null; message: string } | null {
  if (data.email && !EMAIL.test(data.email)) {
    return { column: 'email', value: data.email, message: 'email must be an email address' };
  }
  if (!current) {
    for (const f of ['first_name', 'last_name'] as const) {
      if (!data[f]) return { column: f, value: null, message: `${f} is required for a new student` };
    }
    return null;
  }
  if (current.extra?.deleted) {
    return {
      column: 'student_number',
      value: data.student_number ?? null,
      message: 'this student_number belongs to a deleted student of the school',
    };
  }
  if (
    current.extra?.hasLogin &&
    data.email !== undefined &&
    (data.email?.toLowerCase() ?? null) !== (current.values.email ?? null)
  ) {
    return {
      column: 'email',
      value: data.email,
      message: "the student has a login: the email is the login's and changes with it, not by import",
    };
  }
  return null;
}

/**
 * One INSERT for the batch's new students (no login), one UPDATE for the changed ones (values as one JSON
 * array); returns audit entries for the caller's transaction.
 */
export async function applyStudentImport(
  tx: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  creates: Values[],
  updates: Array<{ id: string; before: Values; values: Values }>,
) {
  const audit: AuditEntry[] = [];
  let created = 0;
  if (creates.length > 0) {
    const rows = creates.map((v) => ({
      ...(Object.fromEntries(FIELDS.map((f) => [f, v[f] ?? null])) as Values),
      id: v.id ?? uuidv7(),
      student_number: v.student_number!,
    }));
    // Each created student gets its `import.create` audit row from the same statement: the database builds
    // it from the inserted row, so the audit trail stays per record without a second payload.
    const res = await tx.execute(sql`
      with ins as (
        insert into students (id, organization_id, student_number, first_name, last_name, email, phone,
                              date_of_birth, gender, grade_level, category, roll_no, address, admission_date,
                              student_status)
        select x.id, ${orgId}, x.student_number, x.first_name, x.last_name, x.email, x.phone,
               x.date_of_birth::date, x.gender, x.grade_level, x.category, x.roll_no, x.address,
               x.admission_date::date, coalesce(x.student_status, 'active')::student_status
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
            id uuid, student_number text, first_name text, last_name text, email text, phone text,
            date_of_birth text, gender text, grade_level text, category text, roll_no text, address text,
            admission_date text, student_status text)
        on conflict (organization_id, student_number) do nothing
        returning id, student_number, first_name, last_name, email, phone, date_of_birth, gender, grade_level,
                  category, roll_no, address, admission_date, student_status
      ), audited as (${auditRowsOf(ctx, 'import.create', 'student', orgId, sql`ins`)})
      select count(*)::int as n from ins`);
    created = rowsOf<{ n: number }>(res)[0]?.n ?? 0;
  }
  if (updates.length === 0) return { created, updated: 0, audit };
  const payload = updates.map((u) => ({
    id: u.id,
    ...Object.fromEntries(FIELDS.map((f) => [f, u.values[f] ?? null])),
  }));
  const res = await tx.execute(sql`
    update students s set
      first_name = x.first_name, last_name = x.last_name, email = lower(x.email), phone = x.phone,
      date_of_birth = x.date_of_birth::date,
      gender = x.gender, grade_level = x.grade_level, category = x.category, roll_no = x.roll_no,
      address = x.address, admission_date = x.admission_date::date,
      student_status = x.student_status::student_status, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(
      id uuid, first_name text, last_name text, email text, phone text, date_of_birth text, gender text, grade_level text,
      category text, roll_no text, address text, admission_date text, student_status text)
    where s.id = x.id and s.organization_id = ${orgId} and s.deleted_at is null
      and ${studentWriteScope(ctx.actor, { organizationId: sql`s.organization_id` })}
    returning s.id`);
  for (const u of updates) {
    audit.push({
      action: 'import.update',
      entityType: 'student',
      entityId: u.id,
      organizationId: orgId,
      before: u.before,
      after: u.values,
    });
  }
  return { created, updated: rowsOf<{ id: string }>(res).length, audit };
}

/** The import fields of a student row as jsonb text values (what `importValues` gives in JS). */
const valuesJson = sql.raw(`jsonb_build_object(${FIELDS.map((f) => `'${f}', s.${f}::text`).join(', ')})`);
/**
 * The set-based commit of one range of staged student rows (`staged`: a query of `row_number, key, data`
 * from the import's staging table, in file order), in ONE statement: the school's students with those
 * numbers are locked, each row is re-checked and re-classified against them exactly as
 * `studentRowError` + `classify` do in JS (so a change made since the dry run is respected and the same
 * file twice writes nothing), new numbers are inserted (no login) and changed ones updated, with their
 * audit rows (`import.create` with the inserted row; `import.update` with the changed fields' before and
 * after, as `recordAudits` keeps them). No row passes through the API process: its memory does not depend
 * on the batch. Returns the last row number read (null: no rows left) and the counts.
 */
export async function applyStagedStudents(tx: DbOrTx, ctx: RequestContext, orgId: string, staged: SQL) {
  const res = await tx.execute(sql`
    with src as materialized (${staged}),
    cur as (
      select s.id, s.student_number, s.user_id, s.deleted_at, ${valuesJson} as vals
        from students s
       where s.organization_id = ${orgId} and s.student_number in (select key from src)
         and ${studentWriteScope(ctx.actor, { organizationId: sql`s.organization_id` })}
         for update of s
    ),
    j as (
      select src.row_number, src.key, src.data, cur.id as cur_id, cur.vals, cur.user_id, cur.deleted_at
        from src left join cur on cur.student_number = src.key
    ),
    ok as (
      select j.* from j
       where not (coalesce(j.data->>'email', '') <> '' and j.data->>'email' !~ ${EMAIL_PG})
         and (j.cur_id is not null
              or (coalesce(j.data->>'first_name', '') <> '' and coalesce(j.data->>'last_name', '') <> ''))
         and (j.cur_id is null or j.deleted_at is null)
         and not (j.cur_id is not null and j.user_id is not null and j.data ? 'email'
                  and lower(j.data->>'email') is distinct from j.vals->>'email')
    ),
    ins as (
      insert into students (id, organization_id, student_number, first_name, last_name, email, phone,
                            date_of_birth, gender, grade_level, category, roll_no, address, admission_date,
                            student_status)
      select ${uuidv7Sql}, ${orgId}, ok.key, ok.data->>'first_name', ok.data->>'last_name', ok.data->>'email',
             ok.data->>'phone', (ok.data->>'date_of_birth')::date, ok.data->>'gender', ok.data->>'grade_level',
             ok.data->>'category', ok.data->>'roll_no', ok.data->>'address', (ok.data->>'admission_date')::date,
             coalesce(ok.data->>'student_status', 'active')::student_status
        from ok where ok.cur_id is null
       order by ok.row_number
      on conflict (organization_id, student_number) do nothing
      returning id, student_number, first_name, last_name, email, phone, date_of_birth, gender, grade_level,
                category, roll_no, address, admission_date, student_status
    ),
    created_audit as (${auditRowsOf(ctx, 'import.create', 'student', orgId, sql`ins`)}),
    chg as (
      select ok.cur_id as id, ok.vals as before, ok.vals || ok.data as after
        from ok
       where ok.cur_id is not null
         and exists (select 1 from jsonb_each_text(ok.data) d(k, v) where d.v is distinct from ok.vals->>d.k)
    ),
    upd as (
      update students s set
        first_name = c.after->>'first_name', last_name = c.after->>'last_name', email = lower(c.after->>'email'),
        phone = c.after->>'phone', date_of_birth = (c.after->>'date_of_birth')::date,
        gender = c.after->>'gender', grade_level = c.after->>'grade_level', category = c.after->>'category',
        roll_no = c.after->>'roll_no', address = c.after->>'address',
        admission_date = (c.after->>'admission_date')::date,
        student_status = (c.after->>'student_status')::student_status, updated_at = now()
        from chg c
       where s.id = c.id and s.organization_id = ${orgId} and s.deleted_at is null
      returning s.id
    ),
    updated_audit as (
      insert into audit_logs (id, actor_id, actor_username, action, entity_type, entity_id, organization_id,
                              before, after, changed_fields, ip, user_agent, request_id)
      select ${uuidv7Sql}, ${ctx.actor.userId}::uuid, ${ctx.actor.username}::text, 'import.update', 'student',
             c.id::text, ${orgId}::uuid,
             (select jsonb_object_agg(k, c.before->k) from unnest(c.changed) k),
             (select jsonb_object_agg(k, c.after->k) from unnest(c.changed) k),
             c.changed, ${ctx.ip ?? null}::text, ${ctx.userAgent ?? null}::text, ${ctx.requestId ?? null}::text
        from (select chg.*, array(select k from jsonb_object_keys(chg.after) k
                                   where chg.before->k is distinct from chg.after->k) as changed
                from chg join upd on upd.id = chg.id) c
    )
    select (select max(row_number) from src)::int as last, (select count(*) from ins)::int as created,
           (select count(*) from upd)::int as updated`);
  const r = rowsOf<{ last: number | null; created: number; updated: number }>(res)[0];
  return { last: r?.last ?? null, created: r?.created ?? 0, updated: r?.updated ?? 0 };
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

/**
 * Demographics of a OneRoster import (demographics.csv): a student's date of birth and sex (`male`, `female`,
 * `other`; `unspecified` clears the gender), one UPDATE of the students of `scopePath`'s subtree, with the old
 * and new values in each audit row.
 */
export async function applyStudentDemographics(
  tx: DbOrTx,
  scopePath: string,
  rows: Array<{ id: string; birth_date: string | null; sex: string | null }>,
) {
  if (rows.length === 0) return { updated: 0, audit: [] as AuditEntry[] };
  const res = rowsOf<{ id: string; organization_id: string; before: Record<string, unknown> }>(
    await tx.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, birth_date date, sex text)
      ), old as (
        select s.id, s.date_of_birth, s.gender from students s join x on x.id = s.id for update of s
      )
      update students s
         set date_of_birth = x.birth_date,
             gender = case when x.sex in ('male', 'female', 'other') then x.sex end,
             updated_at = now()
        from x, old, organizations o
       where s.id = x.id and old.id = s.id and o.id = s.organization_id and o.path like ${`${scopePath}%`}
         and s.deleted_at is null
      returning s.id, s.organization_id,
                jsonb_build_object('date_of_birth', old.date_of_birth, 'gender', old.gender) as before`),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const audit: AuditEntry[] = res.map((r) => {
    const v = byId.get(String(r.id))!;
    return {
      action: 'import.update',
      entityType: 'student',
      entityId: String(r.id),
      organizationId: String(r.organization_id),
      before: r.before,
      after: { date_of_birth: v.birth_date, gender: v.sex === 'unspecified' ? null : v.sex },
    };
  });
  return { updated: res.length, audit };
}
