import { type SQL, sql } from 'drizzle-orm';
import { sexOfGender } from './oneroster-import.js';

/**
 * The rostering collections as SQL row sources. Each is a UNION ALL of the live Registrar rows mapped to the
 * binding's fields and of the tombstones of deleted rows (status `tobedeleted`). Every source has the columns
 * `sourced_id`, `status`, `date_last_modified` and `org_path` (the organization's materialized path, for the
 * client's subtree scope), then its own. The SQL is fixed text: requests only add bound parameters.
 */

/** Registrar organization kinds → OneRoster org types. */
const orgType = (kind: SQL) =>
  sql`(case ${kind} when 'district' then 'district' when 'university' then 'district'
        when 'school' then 'school' when 'campus' then 'school' else 'department' end)`;

/** Registrar academic session types → OneRoster session types. */
const sessionType = (type: SQL) =>
  sql`(case ${type} when 'school_year' then 'schoolYear' when 'term' then 'term'
        when 'semester' then 'semester' else 'gradingPeriod' end)`;

export const orgsSource = sql`
  select o.id as sourced_id, 'active'::text as status, o.updated_at as date_last_modified, o.path as org_path,
         o.name, ${orgType(sql`o.kind::text`)} as type, o.code as identifier, o.parent_id,
         (select coalesce(jsonb_agg(ch.id order by ch.id), '[]'::jsonb) from organizations ch
           where ch.parent_id = o.id) as children
    from organizations o
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path, null, ${orgType(sql`(t.detail->>'kind')`)}, null,
         null, '[]'::jsonb
    from oneroster_tombstones t where t.entity = 'org'`;

export const sessionsSource = sql`
  select s.id as sourced_id, 'active'::text as status, s.updated_at as date_last_modified, o.path as org_path,
         s.name as title, ${sessionType(sql`s.type::text`)} as type, s.start_date::text as start_date,
         s.end_date::text as end_date, s.parent_id, to_char(s.end_date, 'YYYY') as school_year,
         s.organization_id as org_id,
         (select coalesce(jsonb_agg(c.id order by c.start_date, c.id), '[]'::jsonb) from academic_sessions c
           where c.parent_id = s.id) as children
    from academic_sessions s join organizations o on o.id = s.organization_id
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path, null, ${sessionType(sql`(t.detail->>'type')`)},
         null, null, null, null, t.organization_id, '[]'::jsonb
    from oneroster_tombstones t where t.entity = 'academicSession'`;

export const coursesSource = sql`
  select c.id as sourced_id, (case when c.is_active then 'active' else 'tobedeleted' end)::text as status,
         c.updated_at as date_last_modified, o.path as org_path, c.name as title, c.code as course_code,
         c.organization_id as org_id
    from courses c join organizations o on o.id = c.organization_id
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path, null, null, t.organization_id
    from oneroster_tombstones t where t.entity = 'course'`;

export const classesSource = sql`
  select k.id as sourced_id, (case when k.is_active then 'active' else 'tobedeleted' end)::text as status,
         k.updated_at as date_last_modified, o.path as org_path, k.name as title, k.section as class_code,
         (case when k.course_id is null then 'homeroom' else 'scheduled' end)::text as class_type,
         k.room as location, k.grade_level, sub.name as subject, sub.code as subject_code, k.course_id,
         k.organization_id as school_id, k.academic_session_id as term_id
    from classes k join organizations o on o.id = k.organization_id
    left join subjects sub on sub.id = k.subject_id
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path, null, null, null, null, null, null, null, null,
         t.organization_id, null
    from oneroster_tombstones t where t.entity = 'class'`;

/**
 * The users source as its four branches (students, faculty, guardians, tombstones), each a full row source
 * on its own: the streamed users pages (oneroster-stream.ts) apply the scope, filter, order and limit to
 * every branch before merging them, so each branch reads its table in primary-key order and stops at the
 * page (a LIMIT over the UNION ALL would read every person first). `live` is `status = 'active'` in a form
 * the planner can estimate (`deleted_at is null`).
 */
export const usersBranches: readonly SQL[] = [
  sql`select s.id as sourced_id, (case when s.deleted_at is null then 'active' else 'tobedeleted' end)::text as status,
         s.updated_at as date_last_modified, o.path as org_path, 'student'::text as role,
         (case when s.deleted_at is null and s.student_status = 'active' then 'true' else 'false' end)::text
           as enabled_user,
         coalesce(u.username, s.student_number) as username, s.first_name as given_name,
         s.last_name as family_name, s.student_number as identifier, s.email, s.phone, s.grade_level,
         s.organization_id as org_id, s.deleted_at is null as live,
         (select coalesce(jsonb_agg(sg.guardian_id order by sg.guardian_id), '[]'::jsonb)
            from student_guardians sg where sg.student_id = s.id) as agents
    from students s join organizations o on o.id = s.organization_id left join users u on u.id = s.user_id`,
  sql`select f.id as sourced_id, (case when f.deleted_at is null then 'active' else 'tobedeleted' end)::text as status,
         f.updated_at as date_last_modified, o.path as org_path, 'teacher'::text as role,
         (case when f.deleted_at is null and f.faculty_status = 'active' then 'true' else 'false' end)::text
           as enabled_user,
         u.username, f.first_name as given_name, f.last_name as family_name, f.employee_id as identifier,
         f.email, f.phone, null::text as grade_level, f.organization_id as org_id, f.deleted_at is null as live,
         '[]'::jsonb as agents
    from faculty f join organizations o on o.id = f.organization_id join users u on u.id = f.user_id`,
  sql`select g.id as sourced_id, 'active'::text as status, g.updated_at as date_last_modified, o.path as org_path,
         'parent'::text as role, (case when u.id is null or u.is_active then 'true' else 'false' end)::text
           as enabled_user,
         coalesce(u.username, g.email, g.id::text) as username, g.first_name as given_name,
         g.last_name as family_name, null::text as identifier, g.email, g.phone, null::text as grade_level,
         g.organization_id as org_id, true as live,
         (select coalesce(jsonb_agg(sg.student_id order by sg.student_id), '[]'::jsonb)
            from student_guardians sg where sg.guardian_id = g.id) as agents
    from guardians g join organizations o on o.id = g.organization_id left join users u on u.id = g.user_id`,
  sql`select t.sourced_id, 'tobedeleted'::text as status, t.deleted_at as date_last_modified, t.org_path,
         (case t.entity when 'student' then 'student' when 'teacher' then 'teacher' else 'parent' end)::text
           as role,
         'false'::text as enabled_user, null::text as username, null::text as given_name,
         null::text as family_name, null::text as identifier, null::text as email, null::text as phone,
         null::text as grade_level, t.organization_id as org_id, false as live, '[]'::jsonb as agents
    from oneroster_tombstones t where t.entity in ('student', 'teacher', 'guardian')`,
];

export const usersSource = sql.join([...usersBranches], sql` union all `);

export const enrollmentsSource = sql`
  select e.id as sourced_id, (case when e.status = 'dropped' then 'tobedeleted' else 'active' end)::text as status,
         e.updated_at as date_last_modified, o.path as org_path, 'student'::text as role, 'false'::text as "primary",
         e.student_id as user_id, e.class_id, k.organization_id as school_id,
         (e.enrolled_at at time zone 'UTC')::date::text as begin_date,
         (coalesce(e.dropped_at, e.completed_at) at time zone 'UTC')::date::text as end_date
    from enrollments e join classes k on k.id = e.class_id join organizations o on o.id = k.organization_id
  union all
  select ta.id, 'active', ta.created_at, o.path, 'teacher',
         (case when ta.role = 'teacher' then 'true' else 'false' end), ta.faculty_id, ta.class_id,
         k.organization_id, null, null
    from teaching_assignments ta join classes k on k.id = ta.class_id join organizations o on o.id = k.organization_id
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path,
         (case when t.entity = 'enrollment' then 'student' else 'teacher' end), 'false',
         coalesce(t.detail->>'student_id', t.detail->>'faculty_id')::uuid, (t.detail->>'class_id')::uuid,
         t.organization_id, null, null
    from oneroster_tombstones t where t.entity in ('enrollment', 'teaching')`;

export const demographicsSource = sql`
  select s.id as sourced_id, (case when s.deleted_at is null then 'active' else 'tobedeleted' end)::text as status,
         s.updated_at as date_last_modified, o.path as org_path, s.date_of_birth::text as birth_date,
         ${sexOfGender(sql`s.gender`)} as sex
    from students s join organizations o on o.id = s.organization_id
  union all
  select t.sourced_id, 'tobedeleted', t.deleted_at, t.org_path, null, null
    from oneroster_tombstones t where t.entity = 'student'`;
