import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import { rowsOf } from '../../kernel/sql.js';

/**
 * The writes of a OneRoster CSV import (docs/imports.md, target `oneroster`) for the records that have no
 * import functions of their own module: organizations, academic sessions, courses, classes and teaching
 * assignments. Every function is set-based (one statement per batch, rows as a JSON recordset) and limited
 * to the subtree of the organization imported into (`path like <scope path>%`). Records keep their sourcedId
 * as their id, so a Registrar export imported elsewhere keeps its identifiers.
 */

export type OrEntity = 'org' | 'session' | 'course' | 'class' | 'teaching' | 'demographics';
type Values = Record<string, string | null>;
export interface OrCurrent {
  id: string;
  values: Values;
}

/** OneRoster's `sex` of a student's free-text gender column (the provider's demographics and the import). */
export const sexOfGender = (gender: SQL) => sql`(case lower(coalesce(${gender}, '')) when 'male' then 'male'
  when 'm' then 'male' when 'female' then 'female' when 'f' then 'female' when '' then 'unspecified'
  else 'other' end)::text`;

const ids = (list: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb)::uuid)`;
const lockOf = (lock: boolean) => (lock ? sql` for update of t` : sql``);

/** The current records (in the subtree) of these ids, as the import compares them. */
export async function orCurrent(
  db: DbOrTx,
  entity: OrEntity,
  scopePath: string,
  list: string[],
  lock: boolean,
): Promise<Map<string, OrCurrent>> {
  if (list.length === 0) return new Map();
  const like = `${scopePath}%`;
  const q = {
    org: sql`select t.id, t.name, t.kind::text as type, t.code as identifier, t.parent_id::text as parent
               from organizations t where t.id in ${ids(list)} and t.path like ${like}`,
    session: sql`select t.id, t.name as title, t.type::text as type, t.start_date::text as start_date,
               t.end_date::text as end_date, t.parent_id::text as parent, t.organization_id::text as org
               from academic_sessions t join organizations o on o.id = t.organization_id
              where t.id in ${ids(list)} and o.path like ${like}`,
    course: sql`select t.id, t.name as title, t.code, t.organization_id::text as org
               from courses t join organizations o on o.id = t.organization_id
              where t.id in ${ids(list)} and o.path like ${like}`,
    class: sql`select t.id, t.name as title, t.course_id::text as course, t.section, t.room, t.grade_level,
               t.organization_id::text as school, t.academic_session_id::text as term
               from classes t join organizations o on o.id = t.organization_id
              where t.id in ${ids(list)} and o.path like ${like}`,
    teaching: sql`select t.id, t.class_id::text as class, t.faculty_id::text as "user", t.role
               from teaching_assignments t join classes k on k.id = t.class_id
               join organizations o on o.id = k.organization_id
              where t.id in ${ids(list)} and o.path like ${like}`,
    // A student's demographics as the provider serves them (sex from gender, as demographicsSource maps it).
    demographics: sql`select t.id, t.date_of_birth::text as birth_date, ${sexOfGender(sql`t.gender`)} as sex
               from students t join organizations o on o.id = t.organization_id
              where t.id in ${ids(list)} and o.path like ${like} and t.deleted_at is null`,
  }[entity];
  const rows = rowsOf<Record<string, string | null>>(await db.execute(sql`${q}${lockOf(lock)}`));
  return new Map(
    rows.map((r) => {
      const { id, ...values } = r;
      return [String(id), { id: String(id), values }];
    }),
  );
}

const TABLE = {
  org: sql`organizations`,
  session: sql`academic_sessions`,
  course: sql`courses`,
  class: sql`classes`,
  teaching: sql`teaching_assignments`,
  student: sql`students`,
  teacher: sql`faculty`,
  parent: sql`guardians`,
} as const;

/** Ids of these that already name a record of the kind outside the subtree (a sourcedId taken elsewhere). */
export async function orTakenElsewhere(
  db: DbOrTx,
  entity: keyof typeof TABLE,
  scopePath: string,
  list: string[],
): Promise<Set<string>> {
  if (list.length === 0) return new Set();
  const like = `${scopePath}%`;
  const org =
    entity === 'org'
      ? sql`t.path`
      : entity === 'teaching'
        ? sql`(select o.path from classes k join organizations o on o.id = k.organization_id where k.id = t.class_id)`
        : sql`(select o.path from organizations o where o.id = t.organization_id)`;
  const rows = rowsOf<{ id: string }>(
    await db.execute(
      sql`select t.id from ${TABLE[entity]} t where t.id in ${ids(list)} and not (${org} like ${like})`,
    ),
  );
  return new Set(rows.map((r) => String(r.id)));
}

/** Ids of these that exist in the subtree as records of the kind (references to records not in the file). */
export async function orExisting(db: DbOrTx, entity: OrEntity, scopePath: string, list: string[]) {
  return new Set((await orCurrent(db, entity, scopePath, [...new Set(list)], false)).keys());
}

/** The organizations of the subtree with their materialized paths, for new children. */
async function paths(db: DbOrTx, list: string[]) {
  if (list.length === 0) return new Map<string, string>();
  const rows = rowsOf<{ id: string; path: string }>(
    await db.execute(sql`select id, path from organizations where id in ${ids(list)}`),
  );
  return new Map(rows.map((r) => [String(r.id), r.path]));
}

const audits = (entityType: string, action: string, orgOf: (v: Values) => string | null, rows: Values[]) =>
  rows.map(
    (v): AuditEntry => ({
      action,
      entityType,
      entityId: v.id!,
      organizationId: orgOf(v),
      after: v,
    }),
  );

/**
 * Creates and updates one kind of record. Creates are inserted in one statement (organizations level by
 * level: a parent before its children); a row whose references are not there (an error row of a
 * valid-only commit) is left out. Updates are one `UPDATE … FROM jsonb_to_recordset`.
 */
export async function orApply(
  tx: DbOrTx,
  entity: OrEntity,
  scopePath: string,
  creates: Values[],
  updates: Values[],
): Promise<{ created: number; updated: number; audit: AuditEntry[] }> {
  const like = `${scopePath}%`;
  /** The commit's own scope check, in SQL: every record written hangs in the subtree imported into. */
  const inScope = (org: SQL) =>
    sql`exists (select 1 from organizations so where so.id = ${org} and so.path like ${like})`;
  const audit: AuditEntry[] = [];
  let created = 0;
  let updated = 0;
  const json = (rows: Values[]) => JSON.stringify(rows);
  if (entity === 'org') {
    let pending = creates;
    while (pending.length) {
      const known = await paths(
        tx,
        pending.map((v) => v.parent!),
      );
      const ready = pending.filter((v) => known.has(v.parent!));
      if (ready.length === 0) break;
      const rows = ready.map((v) => ({ ...v, path: `${known.get(v.parent!)}${v.id}/` }));
      const res = rowsOf<{ id: string }>(
        await tx.execute(sql`
          insert into organizations (id, parent_id, kind, name, code, path)
          select x.id, x.parent, x.type::org_kind, x.name, x.identifier, x.path
            from jsonb_to_recordset(${json(rows)}::jsonb) as x(id uuid, parent uuid, type text, name text,
                 identifier text, path text)
          on conflict do nothing returning id`),
      );
      created += res.length;
      const done = new Set(res.map((r) => String(r.id)));
      audit.push(
        ...audits(
          'organization',
          'import.create',
          (v) => v.id,
          ready.filter((v) => done.has(v.id!)),
        ),
      );
      const readyIds = new Set(ready.map((v) => v.id));
      pending = pending.filter((v) => !readyIds.has(v.id));
    }
    if (updates.length) {
      const res = rowsOf<{ id: string }>(
        await tx.execute(sql`
          update organizations t set name = x.name, code = x.identifier, kind = x.type::org_kind, updated_at = now()
            from jsonb_to_recordset(${json(updates)}::jsonb) as x(id uuid, name text, identifier text, type text)
           where t.id = x.id and t.path like ${like} returning t.id`),
      );
      updated = res.length;
      const changed = new Set(res.map((r) => String(r.id)));
      audit.push(
        ...audits(
          'organization',
          'import.update',
          (v) => v.id,
          updates.filter((v) => changed.has(v.id!)),
        ),
      );
    }
    return { created, updated, audit };
  }
  if (entity === 'session') {
    // Parents first: a term names its school year, which may be created in the same batch.
    let pending = creates;
    while (pending.length) {
      const have = new Set(
        (
          await orCurrent(
            tx,
            'session',
            '/',
            pending.map((v) => v.parent).filter((p): p is string => !!p),
            false,
          )
        ).keys(),
      );
      const ready = pending.filter((v) => !v.parent || have.has(v.parent));
      if (ready.length === 0) break;
      const res = rowsOf<{ id: string }>(
        await tx.execute(sql`
          insert into academic_sessions (id, organization_id, parent_id, type, name, start_date, end_date)
          select x.id, x.org, x.parent, x.type::academic_session_type, x.title, x.start_date::date, x.end_date::date
            from jsonb_to_recordset(${json(ready)}::jsonb) as x(id uuid, org uuid, parent uuid, type text,
                 title text, start_date text, end_date text)
           where ${inScope(sql`x.org`)}
          on conflict do nothing returning id`),
      );
      created += res.length;
      const done = new Set(res.map((r) => String(r.id)));
      audit.push(
        ...audits(
          'academic_session',
          'import.create',
          (v) => v.org,
          ready.filter((v) => done.has(v.id!)),
        ),
      );
      const readyIds = new Set(ready.map((v) => v.id));
      pending = pending.filter((v) => !readyIds.has(v.id));
    }
    if (updates.length) {
      const changed = new Set(
        rowsOf<{ id: string }>(
          await tx.execute(sql`
          update academic_sessions t set name = x.title, type = x.type::academic_session_type,
                 start_date = x.start_date::date, end_date = x.end_date::date, parent_id = x.parent,
                 organization_id = x.org, updated_at = now()
            from jsonb_to_recordset(${json(updates)}::jsonb) as x(id uuid, org uuid, parent uuid, type text,
                 title text, start_date text, end_date text)
           where t.id = x.id and ${inScope(sql`t.organization_id`)} and ${inScope(sql`x.org`)} returning t.id`),
        ).map((r) => String(r.id)),
      );
      updated = changed.size;
      audit.push(
        ...audits(
          'academic_session',
          'import.update',
          (v) => v.org,
          updates.filter((v) => changed.has(v.id!)),
        ),
      );
    }
    return { created, updated, audit };
  }
  if (entity === 'course') {
    if (creates.length) {
      const res = rowsOf<{ id: string }>(
        await tx.execute(sql`
          insert into courses (id, organization_id, code, name)
          select x.id, x.org, x.code, x.title
            from jsonb_to_recordset(${json(creates)}::jsonb) as x(id uuid, org uuid, code text, title text)
           where ${inScope(sql`x.org`)}
          on conflict do nothing returning id`),
      );
      created = res.length;
      const done = new Set(res.map((r) => String(r.id)));
      audit.push(
        ...audits(
          'course',
          'import.create',
          (v) => v.org,
          creates.filter((v) => done.has(v.id!)),
        ),
      );
    }
    if (updates.length) {
      const changed = new Set(
        rowsOf<{ id: string }>(
          await tx.execute(sql`
          update courses t set name = x.title, code = x.code, organization_id = x.org, updated_at = now()
            from jsonb_to_recordset(${json(updates)}::jsonb) as x(id uuid, org uuid, code text, title text)
           where t.id = x.id and ${inScope(sql`t.organization_id`)} and ${inScope(sql`x.org`)} returning t.id`),
        ).map((r) => String(r.id)),
      );
      updated = changed.size;
      audit.push(
        ...audits(
          'course',
          'import.update',
          (v) => v.org,
          updates.filter((v) => changed.has(v.id!)),
        ),
      );
    }
    return { created, updated, audit };
  }
  if (entity === 'class') {
    const cols = sql`id uuid, title text, course uuid, section text, room text, grade_level text, school uuid, term uuid`;
    if (creates.length) {
      const res = rowsOf<{ id: string }>(
        await tx.execute(sql`
          insert into classes (id, organization_id, name, course_id, section, room, grade_level, academic_session_id)
          select x.id, x.school, x.title, x.course, x.section, x.room, x.grade_level, x.term
            from jsonb_to_recordset(${json(creates)}::jsonb) as x(${cols})
           where ${inScope(sql`x.school`)}
             and (x.course is null or exists (select 1 from courses c where c.id = x.course))
             and (x.term is null or exists (select 1 from academic_sessions s where s.id = x.term))
          on conflict do nothing returning id`),
      );
      created = res.length;
      const done = new Set(res.map((r) => String(r.id)));
      audit.push(
        ...audits(
          'class',
          'import.create',
          (v) => v.school,
          creates.filter((v) => done.has(v.id!)),
        ),
      );
    }
    if (updates.length) {
      const changed = new Set(
        rowsOf<{ id: string }>(
          await tx.execute(sql`
          update classes t set name = x.title, course_id = x.course, section = x.section, room = x.room,
                 grade_level = x.grade_level, organization_id = x.school, academic_session_id = x.term,
                 updated_at = now()
            from jsonb_to_recordset(${json(updates)}::jsonb) as x(${cols})
           where t.id = x.id and ${inScope(sql`t.organization_id`)} and ${inScope(sql`x.school`)} returning t.id`),
        ).map((r) => String(r.id)),
      );
      updated = changed.size;
      audit.push(
        ...audits(
          'class',
          'import.update',
          (v) => v.school,
          updates.filter((v) => changed.has(v.id!)),
        ),
      );
    }
    return { created, updated, audit };
  }
  // teaching assignments: a teacher's enrollment in a class
  if (creates.length) {
    const res = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into teaching_assignments (id, faculty_id, class_id, role)
        select x.id, x.user, x.class, x.role
          from jsonb_to_recordset(${json(creates)}::jsonb) as x(id uuid, "user" uuid, class uuid, role text)
         where exists (select 1 from faculty f where f.id = x.user and ${inScope(sql`f.organization_id`)})
           and exists (select 1 from classes k where k.id = x.class and ${inScope(sql`k.organization_id`)})
        on conflict do nothing returning id`),
    );
    created = res.length;
    const done = new Set(res.map((r) => String(r.id)));
    audit.push(
      ...audits(
        'teaching_assignment',
        'import.create',
        () => null,
        creates.filter((v) => done.has(v.id!)),
      ),
    );
  }
  if (updates.length) {
    const changed = new Set(
      rowsOf<{ id: string }>(
        await tx.execute(sql`
        update teaching_assignments t set faculty_id = x.user, class_id = x.class, role = x.role
          from jsonb_to_recordset(${json(updates)}::jsonb) as x(id uuid, "user" uuid, class uuid, role text)
         where t.id = x.id
           and exists (select 1 from classes k where k.id = x.class and ${inScope(sql`k.organization_id`)})
           and exists (select 1 from faculty f where f.id = x.user and ${inScope(sql`f.organization_id`)})
         returning t.id`),
      ).map((r) => String(r.id)),
    );
    updated = changed.size;
    audit.push(
      ...audits(
        'teaching_assignment',
        'import.update',
        () => null,
        updates.filter((v) => changed.has(v.id!)),
      ),
    );
  }
  return { created, updated, audit };
}

/** Students, teachers (faculty) and parents (guardians, with their children) of the subtree by id, as the import compares them. */
export async function orUsersCurrent(db: DbOrTx, scopePath: string, list: string[], lock: boolean) {
  if (list.length === 0) return new Map<string, OrCurrent>();
  const like = `${scopePath}%`;
  const rows = rowsOf<Record<string, string | null>>(
    await db.execute(sql`
      select s.id, 'student' as role, s.organization_id::text as org, s.student_number as number,
             s.first_name, s.last_name, s.email, s.phone, s.grade_level, null as children
        from students s join organizations o on o.id = s.organization_id
       where s.id in ${ids(list)} and o.path like ${like} and s.deleted_at is null
      union all
      select f.id, 'teacher', f.organization_id::text, f.employee_id, f.first_name, f.last_name, f.email, f.phone,
             null, null
        from faculty f join organizations o on o.id = f.organization_id
       where f.id in ${ids(list)} and o.path like ${like} and f.deleted_at is null
      union all
      select g.id, 'parent', g.organization_id::text, null, g.first_name, g.last_name, g.email, g.phone, null,
             (select string_agg(sg.student_id::text, ';' order by sg.student_id)
                from student_guardians sg join students s on s.id = sg.student_id and s.deleted_at is null
               where sg.guardian_id = g.id)
        from guardians g join organizations o on o.id = g.organization_id
       where g.id in ${ids(list)} and o.path like ${like}`),
  );
  void lock; // the module functions that write users lock their own rows
  return new Map(
    rows.map((r) => {
      const { id, ...values } = r;
      return [String(id), { id: String(id), values }];
    }),
  );
}

/** Student numbers / employee ids already used in an organization by another record: `org|number`. */
export async function orNumbersTaken(
  db: DbOrTx,
  rows: Array<{ id: string; role: string; org: string; number: string }>,
) {
  if (rows.length === 0) return new Set<string>();
  const res = rowsOf<{ k: string }>(
    await db.execute(sql`
      select x.org || '|' || x.number as k
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, role text, org uuid, number text)
       where (x.role = 'student' and exists (select 1 from students s where s.organization_id = x.org
                and s.student_number = x.number and s.id <> x.id))
          or (x.role = 'teacher' and exists (select 1 from faculty f where f.organization_id = x.org
                and f.employee_id = x.number and f.id <> x.id))`),
  );
  return new Set(res.map((r) => r.k));
}

/** Course codes already used in an organization by another course: `org|code`. */
export async function orCourseCodesTaken(db: DbOrTx, rows: Array<{ id: string; org: string; code: string }>) {
  if (rows.length === 0) return new Set<string>();
  const res = rowsOf<{ k: string }>(
    await db.execute(sql`
      select x.org || '|' || x.code as k
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, org uuid, code text)
       where exists (select 1 from courses c where c.organization_id = x.org and c.code = x.code and c.id <> x.id)`),
  );
  return new Set(res.map((r) => r.k));
}

/** Organization codes (for faculty login names) and paths of these organizations. */
export async function orOrgs(db: DbOrTx, list: string[]) {
  if (list.length === 0) return new Map<string, { code: string | null; path: string }>();
  const rows = rowsOf<{ id: string; code: string | null; path: string }>(
    await db.execute(sql`select id, code, path from organizations where id in ${ids(list)}`),
  );
  return new Map(rows.map((r) => [String(r.id), { code: r.code, path: r.path }]));
}

/** Active student enrollments of (class, student) pairs: `class|student` → enrollment id. */
export async function orStudentEnrollments(db: DbOrTx, pairs: Array<{ class: string; user: string }>) {
  if (pairs.length === 0) return new Map<string, string>();
  const res = rowsOf<{ k: string; id: string }>(
    await db.execute(sql`
      select e.class_id || '|' || e.student_id as k, e.id
        from enrollments e
        join jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as x(class uuid, "user" uuid)
          on e.class_id = x.class and e.student_id = x.user
       where e.status <> 'dropped'`),
  );
  return new Map(res.map((r) => [r.k, String(r.id)]));
}

/** Organization codes already used by another child of the same parent: `parent|code`. */
export async function orOrgCodesTaken(db: DbOrTx, rows: Array<{ id: string; parent: string; code: string }>) {
  if (rows.length === 0) return new Set<string>();
  const res = rowsOf<{ k: string }>(
    await db.execute(sql`
      select x.parent || '|' || x.code as k
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(id uuid, parent uuid, code text)
       where exists (select 1 from organizations o where o.parent_id = x.parent and o.code = x.code
                       and o.id <> x.id)`),
  );
  return new Set(res.map((r) => r.k));
}
