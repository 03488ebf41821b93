import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { uuidv7 } from '../../kernel/ids.js';
import { rowsOf } from '../../kernel/sql.js';
import { organizations, orgScope } from '../organizations/index.js';
import { guardians, studentGuardians, students } from './students.table.js';

/**
 * Guardian rows of the import pipeline (`/imports`, target `guardians`). The natural key is `external_id`,
 * the guardian's id in the school's previous system (emails are no key: families share them, and many
 * guardians have none). `student_numbers` (`;`- or `,`-separated) sets the guardian's children in the school
 * when the column is present: missing links are added, links to other students of the school removed.
 * Guardians are created without a login (a parent login is added with the guardians API).
 */
export const GUARDIAN_IMPORT_FIELDS = [
  {
    field: 'external_id',
    required: true,
    type: 'text' as const,
    max: 100,
    aliases: ['guardian_id', 'parent_id', 'sourced_id'],
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
  { field: 'address', type: 'text' as const, max: 500, aliases: [] },
  { field: 'occupation', type: 'text' as const, max: 100, aliases: [] },
  {
    field: 'student_numbers',
    type: 'text' as const,
    max: 2000,
    list: true,
    aliases: ['student_number', 'children', 'students'],
  },
];

type Values = Record<string, string | null>;
type CellError = { column: string | null; value: string | null; message: string };
const COLUMNS = ['first_name', 'last_name', 'email', 'phone', 'address', 'occupation'] as const;

/** The school a guardian import writes into, when the actor may change its guardians; else null (404). */
export async function importGuardianSchool(db: DbOrTx, ctx: RequestContext, orgId: string) {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, orgId), orgScope(ctx.actor, 'guardians:write', organizations.id)));
  return row ? { id: row.id, organizationId: row.id } : null;
}

/** Guardians of the school with these external ids, with their children's numbers in the school. */
export async function guardiansByExternalIds(
  db: DbOrTx,
  ctx: RequestContext,
  orgId: string,
  keys: string[],
  lock: boolean,
) {
  const out = new Map<string, { id: string; values: Values }>();
  if (keys.length === 0) return out;
  const q = db
    .select()
    .from(guardians)
    .where(
      and(
        eq(guardians.organizationId, orgId),
        inArray(guardians.externalId, keys),
        orgScope(ctx.actor, 'guardians:write', guardians.organizationId),
      ),
    );
  const rows = lock ? await q.for('update') : await q;
  if (rows.length === 0) return out;
  const links = await db
    .select({ guardianId: studentGuardians.guardianId, number: students.studentNumber })
    .from(studentGuardians)
    .innerJoin(students, eq(students.id, studentGuardians.studentId))
    .where(
      and(
        inArray(
          studentGuardians.guardianId,
          rows.map((r) => r.id),
        ),
        eq(students.organizationId, orgId),
        isNull(students.deletedAt),
      ),
    );
  const numbers = new Map<string, string[]>();
  for (const l of links) numbers.set(l.guardianId, [...(numbers.get(l.guardianId) ?? []), l.number]);
  for (const r of rows) {
    const list = (numbers.get(r.id) ?? []).sort();
    out.set(r.externalId!, {
      id: r.id,
      values: {
        external_id: r.externalId,
        first_name: r.firstName,
        last_name: r.lastName,
        email: r.email,
        phone: r.phone,
        address: r.address,
        occupation: r.occupation,
        student_numbers: list.length ? list.join(';') : null,
      },
    });
  }
  return out;
}

/** A new guardian needs names. */
export function guardianRowError(data: Values, current: unknown): CellError | null {
  if (current) return null;
  for (const f of ['first_name', 'last_name'] as const) {
    if (!data[f]) return { column: f, value: null, message: `${f} is required for a new guardian` };
  }
  return null;
}

/** Student numbers of the rows that are not live students of the school (one query per batch). */
export async function unknownChildren(db: DbOrTx, orgId: string, rows: Array<{ key: string; data: Values }>) {
  const all = [...new Set(rows.flatMap((r) => r.data.student_numbers?.split(';') ?? []))];
  const out = new Map<string, CellError>();
  if (all.length === 0) return out;
  const found = await db
    .select({ n: students.studentNumber })
    .from(students)
    .where(
      and(
        eq(students.organizationId, orgId),
        isNull(students.deletedAt),
        inArray(students.studentNumber, all),
      ),
    );
  const known = new Set(found.map((f) => f.n));
  for (const r of rows) {
    const unknown = (r.data.student_numbers?.split(';') ?? []).filter((n) => !known.has(n));
    if (unknown.length) {
      out.set(r.key, {
        column: 'student_numbers',
        value: unknown.join(';'),
        message: `no student of the school has the number ${unknown.join(', ')}`,
      });
    }
  }
  return out;
}

/**
 * One INSERT of the new guardians, one UPDATE of the changed ones, then their links set-based (one DELETE of
 * links to other students of the school, one INSERT of the missing ones) for rows with `student_numbers`.
 */
export async function applyGuardianImport(
  tx: DbOrTx,
  _ctx: RequestContext,
  orgId: string,
  creates: Values[],
  updates: Array<{ id: string; before: Values; values: Values }>,
) {
  const audit: AuditEntry[] = [];
  const linkRows: Array<{ id: string; numbers: string[] }> = [];
  let created = 0;
  if (creates.length) {
    const rows = creates.map((v) => ({
      id: uuidv7(),
      external_id: v.external_id!,
      ...Object.fromEntries(COLUMNS.map((c) => [c, v[c] ?? null])),
    }));
    const res = await tx.execute(sql`
      insert into guardians (id, organization_id, external_id, first_name, last_name, email, phone, address, occupation)
      select x.id, ${orgId}, x.external_id, x.first_name, x.last_name, x.email, x.phone, x.address, x.occupation
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, external_id text, first_name text,
             last_name text, email text, phone text, address text, occupation text)
      on conflict (organization_id, external_id) where external_id is not null do nothing
      returning id`);
    const ids = new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
    created = ids.size;
    rows.forEach((r, i) => {
      if (!ids.has(r.id)) return;
      audit.push({
        action: 'import.create',
        entityType: 'guardian',
        entityId: r.id,
        organizationId: orgId,
        after: r,
      });
      if (creates[i].student_numbers !== undefined) {
        linkRows.push({ id: r.id, numbers: creates[i].student_numbers?.split(';') ?? [] });
      }
    });
  }
  let updated = 0;
  if (updates.length) {
    const payload = updates.map((u) => ({
      id: u.id,
      ...Object.fromEntries(COLUMNS.map((c) => [c, u.values[c] ?? null])),
    }));
    const res = await tx.execute(sql`
      update guardians g set first_name = x.first_name, last_name = x.last_name, email = x.email, phone = x.phone,
             address = x.address, occupation = x.occupation, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(id uuid, first_name text, last_name text,
             email text, phone text, address text, occupation text)
       where g.id = x.id and g.organization_id = ${orgId}
      returning g.id`);
    updated = rowsOf<{ id: string }>(res).length;
    for (const u of updates) {
      audit.push({
        action: 'import.update',
        entityType: 'guardian',
        entityId: u.id,
        organizationId: orgId,
        before: u.before,
        after: u.values,
      });
      if (u.values.student_numbers !== u.before.student_numbers) {
        linkRows.push({ id: u.id, numbers: u.values.student_numbers?.split(';') ?? [] });
      }
    }
  }
  if (linkRows.length) {
    const links = JSON.stringify(linkRows);
    await tx.execute(sql`
      delete from student_guardians sg
       using jsonb_to_recordset(${links}::jsonb) as x(id uuid, numbers text[]), students s
       where sg.guardian_id = x.id and s.id = sg.student_id and s.organization_id = ${orgId}
         and not (s.student_number = any(x.numbers))`);
    await tx.execute(sql`
      insert into student_guardians (student_id, guardian_id)
      select s.id, x.id
        from jsonb_to_recordset(${links}::jsonb) as x(id uuid, numbers text[])
        join students s on s.organization_id = ${orgId} and s.deleted_at is null and s.student_number = any(x.numbers)
      on conflict do nothing`);
  }
  return { created, updated, audit };
}

/** Guardians have no active/inactive state: a complete file deactivates nobody; counts the school's guardians. */
export async function guardianCounts(db: DbOrTx, orgId: string) {
  const res = await db.execute(
    sql`select count(*)::int as existing from guardians where organization_id = ${orgId}`,
  );
  return { missing: 0, existing: rowsOf<{ existing: number }>(res)[0]?.existing ?? 0 };
}

/**
 * Parents of a OneRoster import (`target=oneroster`, users.csv with role parent, guardian or relative): guardians
 * keyed by id (the sourcedId), in `orgId`, without a login. One INSERT of the new, one UPDATE of the changed;
 * `children` (student ids, `;`-separated, already checked to be students of the subtree) sets each
 * guardian's links: links to other students removed, missing ones added, set-based.
 */
export async function applyOneRosterGuardians(
  tx: DbOrTx,
  orgId: string,
  scopePath: string,
  creates: Values[],
  updates: Values[],
) {
  const audit: AuditEntry[] = [];
  const payload = (list: Values[]) =>
    JSON.stringify(
      list.map((v) => ({
        id: v.id,
        first_name: v.first_name,
        last_name: v.last_name,
        email: v.email ?? null,
        phone: v.phone ?? null,
        children: v.children ? v.children.split(';') : [],
      })),
    );
  const cols = sql`x(id uuid, first_name text, last_name text, email text, phone text, children uuid[])`;
  let created = 0;
  if (creates.length) {
    const res = await tx.execute(sql`
      insert into guardians (id, organization_id, first_name, last_name, email, phone)
      select x.id, ${orgId}, x.first_name, x.last_name, x.email, x.phone
        from jsonb_to_recordset(${payload(creates)}::jsonb) as ${cols}
      on conflict (id) do nothing
      returning id`);
    const ids = new Set(rowsOf<{ id: string }>(res).map((r) => String(r.id)));
    created = ids.size;
    for (const v of creates) {
      if (!ids.has(v.id!)) continue;
      audit.push({
        action: 'import.create',
        entityType: 'guardian',
        entityId: v.id!,
        organizationId: orgId,
        after: v,
      });
    }
  }
  let updated = 0;
  if (updates.length) {
    const before = rowsOf<Record<string, string | null>>(
      await tx.execute(sql`
        select g.id, g.first_name, g.last_name, g.email, g.phone
          from guardians g where g.organization_id = ${orgId}
           and g.id in (select (e->>'id')::uuid from jsonb_array_elements(${payload(updates)}::jsonb) e)
           for update`),
    );
    const res = await tx.execute(sql`
      update guardians g set first_name = x.first_name, last_name = x.last_name, email = x.email,
             phone = x.phone, updated_at = now()
        from jsonb_to_recordset(${payload(updates)}::jsonb) as ${cols}
       where g.id = x.id and g.organization_id = ${orgId}
      returning g.id`);
    const ids = new Set(rowsOf<{ id: string }>(res).map((r) => String(r.id)));
    updated = ids.size;
    const prev = new Map(before.map((b) => [String(b.id), b]));
    for (const v of updates) {
      if (!ids.has(v.id!)) continue;
      audit.push({
        action: 'import.update',
        entityType: 'guardian',
        entityId: v.id!,
        organizationId: orgId,
        before: prev.get(v.id!) ?? null,
        after: v,
      });
    }
  }
  const all = [...creates, ...updates];
  if (all.length) {
    const links = payload(all);
    await tx.execute(sql`
      delete from student_guardians sg
       using jsonb_to_recordset(${links}::jsonb) as ${cols}, guardians g
       where sg.guardian_id = x.id and g.id = x.id and g.organization_id = ${orgId}
         and not (sg.student_id = any(x.children))`);
    await tx.execute(sql`
      insert into student_guardians (student_id, guardian_id)
      select s.id, x.id
        from jsonb_to_recordset(${links}::jsonb) as ${cols}
        join guardians g on g.id = x.id and g.organization_id = ${orgId}
        join students s on s.id = any(x.children) and s.deleted_at is null
        join organizations o on o.id = s.organization_id and o.path like ${`${scopePath}%`}
      on conflict do nothing`);
  }
  return { created, updated, audit };
}
