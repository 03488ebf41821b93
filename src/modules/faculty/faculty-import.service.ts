import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import { rowsOf } from '../../kernel/sql.js';
import { organizations, orgScope } from '../organizations/index.js';
import { defaultUsername, insertLoginUsers, takenLogins } from '../users/index.js';
import { facultyWriteScope } from './faculty.policy.js';
import { faculty } from './faculty.table.js';

/**
 * Faculty rows of the import pipeline (`/imports`, target `faculty`), matched by employee id within the
 * school. A new employee id creates the faculty member AND its login (faculty role, no password, username
 * `<organization code>.<employee id>`; they set a password through `POST /auth/forgot-password`), set-based.
 */
export const FACULTY_IMPORT_FIELDS = [
  {
    field: 'employee_id',
    required: true,
    type: 'text' as const,
    max: 50,
    aliases: ['employee_number', 'staff_id', 'teacher_id', 'number'],
  },
  {
    field: 'first_name',
    nonEmpty: true,
    type: 'text' as const,
    max: 100,
    aliases: ['firstname', 'given_name'],
  },
  {
    field: 'last_name',
    nonEmpty: true,
    type: 'text' as const,
    max: 100,
    aliases: ['lastname', 'surname', 'family_name'],
  },
  { field: 'email', type: 'text' as const, max: 254, lower: true, aliases: ['email_address', 'e_mail'] },
  { field: 'phone', type: 'text' as const, max: 40, aliases: ['phone_number', 'mobile'] },
  { field: 'designation', type: 'text' as const, max: 100, aliases: ['title', 'position'] },
  {
    field: 'faculty_status',
    type: 'enum' as const,
    values: ['active', 'on_leave', 'retired', 'terminated', 'inactive'] as const,
    aliases: ['status'],
  },
  {
    field: 'employment_type',
    type: 'enum' as const,
    values: ['full_time', 'part_time', 'contract', 'visiting'] as const,
    aliases: [],
  },
  { field: 'joining_date', type: 'date' as const, aliases: ['hire_date', 'start_date'] },
  { field: 'qualification', type: 'text' as const, max: 200, aliases: [] },
  { field: 'specialization', type: 'text' as const, max: 200, aliases: [] },
];

const FIELDS = FACULTY_IMPORT_FIELDS.map((f) => f.field);
type Values = Record<string, string | null>;
type Row = typeof faculty.$inferSelect;
type CellError = { column: string | null; value: string | null; message: string };

function importValues(r: Row): Values {
  return {
    employee_id: r.employeeId,
    first_name: r.firstName,
    last_name: r.lastName,
    email: r.email,
    phone: r.phone,
    designation: r.designation,
    faculty_status: r.facultyStatus,
    employment_type: r.employmentType,
    joining_date: r.joiningDate,
    qualification: r.qualification,
    specialization: r.specialization,
  };
}

/** The school a faculty import writes into, when the actor may change its faculty; else null (404). */
export async function importFacultySchool(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const [row] = await db
    .select({ id: organizations.id, code: organizations.code })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), orgScope(ctx.actor, 'faculty:write', organizations.id)));
  return row ? { id: row.id, organizationId: row.id, code: row.code ?? undefined } : null;
}

/** Faculty of the school with these employee ids (deleted ones too: their id is taken), in write scope. */
export async function facultyByEmployeeIds(
  db: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  keys: string[],
  lock: boolean,
) {
  type Cur = { id: string; values: Values; extra: { deleted: boolean } };
  if (keys.length === 0) return new Map<string, Cur>();
  const q = db
    .select()
    .from(faculty)
    .where(
      and(eq(faculty.organizationId, orgId), inArray(faculty.employeeId, keys), facultyWriteScope(ctx.actor)),
    );
  const rows = lock ? await q.for('update') : await q;
  return new Map<string, Cur>(
    rows.map((r) => [
      r.employeeId,
      { id: r.id, values: importValues(r), extra: { deleted: r.deletedAt !== null } },
    ]),
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A row's error against the faculty member it would touch. */
export function facultyRowError(
  data: Values,
  current: { values: Values; extra?: Record<string, unknown> } | undefined,
): CellError | null {
  if (data.email && !EMAIL.test(data.email)) {
    return { column: 'email', value: data.email, message: 'email must be an email address' };
  }
  if (!current) {
    for (const f of ['first_name', 'last_name', 'email'] as const) {
      if (!data[f]) {
        return { column: f, value: null, message: `${f} is required for a new faculty member (their login)` };
      }
    }
    return null;
  }
  if (current.extra?.deleted) {
    return {
      column: 'employee_id',
      value: data.employee_id ?? null,
      message: 'this employee_id belongs to a deleted faculty member',
    };
  }
  if (data.email !== undefined && data.email !== current.values.email) {
    return {
      column: 'email',
      value: data.email,
      message: "the email is the faculty member's login and changes with it, not by import",
    };
  }
  return null;
}

/** Logins the new rows would take that already exist: errors of the dry run, by employee id. */
export async function facultyCreateConflicts(
  db: DbOrTx,
  org: { id: string; code?: string },
  rows: Array<{ key: string; data: Values }>,
) {
  const names = rows.map((r) => defaultUsername({ id: org.id, code: org.code ?? null }, r.key));
  const taken = await takenLogins(db, names, rows.map((r) => r.data.email ?? '').filter(Boolean));
  const out = new Map<string, CellError>();
  rows.forEach((r, i) => {
    if (taken.usernames.has(names[i])) {
      out.set(r.key, {
        column: 'employee_id',
        value: r.key,
        message: `the username "${names[i]}" is already taken`,
      });
    } else if (r.data.email && taken.emails.has(r.data.email)) {
      out.set(r.key, {
        column: 'email',
        value: r.data.email,
        message: `a login with the email ${r.data.email} already exists`,
      });
    }
  });
  return out;
}

/**
 * One INSERT of the new logins (with their role grants), one of the new faculty rows, one UPDATE of the
 * changed ones; returns audit entries for the caller's transaction.
 */
export async function applyFacultyImport(
  tx: DbOrTx,
  ctx: RequestContext,
  org: { id: string; code?: string },
  creates: Values[],
  updates: Array<{ id: string; before: Values; values: Values }>,
) {
  const audit: AuditEntry[] = [];
  let created = 0;
  if (creates.length > 0) {
    const rows = creates.map(
      (v): Values & { id: string; user_id: string; employee_id: string; email: string } => ({
        ...(Object.fromEntries(FIELDS.map((f) => [f, v[f] ?? null])) as Values),
        id: v.id ?? uuidv7(),
        user_id: uuidv7(),
        employee_id: v.employee_id!,
        email: v.email!,
      }),
    );
    const inserted = await insertLoginUsers(
      tx,
      rows.map((r) => ({
        id: r.user_id,
        username: defaultUsername({ id: org.id, code: org.code ?? null }, r.employee_id),
        email: r.email,
        fullName: `${r.first_name} ${r.last_name}`,
        organizationId: org.id,
        role: 'faculty',
      })),
    );
    const withLogin = rows.filter((r) => inserted.has(r.user_id));
    const res = await tx.execute(sql`
      insert into faculty (id, organization_id, user_id, employee_id, first_name, last_name, email, phone,
                           designation, faculty_status, employment_type, joining_date, qualification,
                           specialization)
      select x.id, ${org.id}, x.user_id, x.employee_id, x.first_name, x.last_name, x.email, x.phone,
             x.designation, coalesce(x.faculty_status, 'active')::faculty_status,
             coalesce(x.employment_type, 'full_time')::employment_type, x.joining_date::date,
             x.qualification, x.specialization
        from jsonb_to_recordset(${JSON.stringify(withLogin)}::jsonb) as x(
          id uuid, user_id uuid, employee_id text, first_name text, last_name text, email text, phone text,
          designation text, faculty_status text, employment_type text, joining_date text,
          qualification text, specialization text)
      on conflict (organization_id, employee_id) do nothing
      returning id, user_id`);
    const done = rowsOf<{ id: string; user_id: string }>(res);
    const kept = new Set(done.map((r) => r.user_id));
    const orphans = withLogin.filter((r) => !kept.has(r.user_id)).map((r) => r.user_id);
    if (orphans.length) {
      // Another request created the same employee id meanwhile: drop the logins made for it.
      await tx.execute(
        sql`delete from users where id in (select jsonb_array_elements_text(${JSON.stringify(orphans)}::jsonb)::uuid)`,
      );
    }
    created = done.length;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const r of done) {
      audit.push({
        action: 'import.create',
        entityType: 'faculty',
        entityId: r.id,
        organizationId: org.id,
        after: byId.get(r.id) ?? null,
      });
    }
  }
  if (updates.length === 0) return { created, updated: 0, audit };
  const payload = updates.map((u) => ({
    id: u.id,
    ...Object.fromEntries(FIELDS.map((f) => [f, u.values[f] ?? null])),
  }));
  const res = await tx.execute(sql`
    update faculty f set
      first_name = x.first_name, last_name = x.last_name, phone = x.phone, designation = x.designation,
      faculty_status = x.faculty_status::faculty_status, employment_type = x.employment_type::employment_type,
      joining_date = x.joining_date::date, qualification = x.qualification, specialization = x.specialization,
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(
      id uuid, first_name text, last_name text, phone text, designation text, faculty_status text,
      employment_type text, joining_date text, qualification text, specialization text)
    where f.id = x.id and f.organization_id = ${org.id} and f.deleted_at is null
      and ${orgScope(ctx.actor, 'faculty:write', sql`f.organization_id`)}
    returning f.id`);
  for (const u of updates) {
    audit.push({
      action: 'import.update',
      entityType: 'faculty',
      entityId: u.id,
      organizationId: org.id,
      before: u.before,
      after: u.values,
    });
  }
  return { created, updated: rowsOf<{ id: string }>(res).length, audit };
}

/** Active faculty of the school missing from a complete file, and the school's live faculty. */
export async function missingFaculty(db: DbOrTx, orgId: string, presentKeys: SQL) {
  const res = await db.execute(sql`
    select count(*) filter (where f.employee_id not in (${presentKeys}) and f.faculty_status = 'active')::int as missing,
           count(*)::int as existing
      from faculty f where f.organization_id = ${orgId} and f.deleted_at is null`);
  return rowsOf<{ missing: number; existing: number }>(res)[0] ?? { missing: 0, existing: 0 };
}

/** Sets the active faculty missing from a complete file inactive (one statement). */
export async function deactivateMissingFaculty(
  tx: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  presentKeys: SQL,
) {
  const res = await tx.execute(sql`
    update faculty f set faculty_status = 'inactive', updated_at = now()
     where f.organization_id = ${orgId} and f.deleted_at is null and f.faculty_status = 'active'
       and f.employee_id not in (${presentKeys})
       and ${orgScope(ctx.actor, 'faculty:write', sql`f.organization_id`)}
    returning f.id`);
  const rows = rowsOf<{ id: string }>(res);
  const audit: AuditEntry[] = rows.map((r) => ({
    action: 'import.deactivate',
    entityType: 'faculty',
    entityId: r.id,
    organizationId: orgId,
    before: { faculty_status: 'active' },
    after: { faculty_status: 'inactive' },
  }));
  return { deactivated: rows.length, audit };
}
