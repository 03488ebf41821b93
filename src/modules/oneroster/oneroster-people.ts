import { type SQL, sql } from 'drizzle-orm';
import { isoText } from '../../kernel/sql.js';
import {
  type Collection,
  c,
  common,
  head,
  jsonText,
  list,
  ref,
  refJson,
  type Streamed,
} from './oneroster-collections.js';
import { demographicsSource, enrollmentsSource, usersBranches, usersSource } from './oneroster-sources.js';

/** The people collections: users (students, teachers, guardians), enrollments and demographics. */
const USER_ROLES = ['student', 'teacher', 'parent'] as const;

/** A text column's JSON array of itself, `[]` when null or empty (`toJson`'s `r.x ? [...] : []`). */
const oneOrNone = (col: SQL, item: SQL) =>
  sql`(case when coalesce(${col}, '') = '' then '[]' else ${item} end)`;

/** The users' records as the database writes them: exactly `users.toJson` through the User schema. */
const usersStreamed: Streamed = {
  branches: usersBranches,
  counted: USER_ROLES,
  json: (base) => ({
    sourcedId: sql`to_json(t.sourced_id::text)::text`,
    status: jsonText(sql`t.status`),
    dateLastModified: jsonText(isoText(sql`t.date_last_modified`)),
    enabledUser: jsonText(sql`t.enabled_user`),
    username: sql`to_json(coalesce(t.username, ''))::text`,
    userIds: oneOrNone(
      sql`t.identifier`,
      sql`'[{"type":"' || (case when t.role = 'student' then 'studentNumber' else 'employeeId' end)
            || '","identifier":' || to_json(t.identifier)::text || '}]'`,
    ),
    givenName: sql`to_json(coalesce(t.given_name, ''))::text`,
    familyName: sql`to_json(coalesce(t.family_name, ''))::text`,
    middleName: sql`'null'`,
    roles: sql`(case when t.org_id is null then '[]' else '[{"roleType":"primary","role":' || to_json(t.role)::text
            || ',"org":' || ${refJson(base, 'org', sql`t.org_id`)} || '}]' end)`,
    identifier: jsonText(sql`t.identifier`),
    email: jsonText(sql`t.email`),
    phone: jsonText(sql`t.phone`),
    agents: sql`('[' || coalesce((select string_agg(${refJson(base, 'user', sql`a.id::uuid`)}, ',' order by a.n)
            from jsonb_array_elements_text(t.agents) with ordinality a(id, n)), '') || ']')`,
    grades: oneOrNone(sql`t.grade_level`, sql`'[' || to_json(t.grade_level)::text || ']'`),
  }),
};

export const users: Collection = {
  plural: 'users',
  singular: 'user',
  source: usersSource,
  streamed: usersStreamed,
  fields: {
    ...common,
    // `t.live` is status = 'active' as the planner can estimate it (deleted_at is null).
    status: { ...common.status, eq: { active: sql`t.live`, tobedeleted: sql`(not t.live)` } },
    username: { expr: c('username'), kind: 'string' },
    givenName: { expr: c('given_name'), kind: 'string' },
    familyName: { expr: c('family_name'), kind: 'string' },
    identifier: { expr: c('identifier'), kind: 'string' },
    email: { expr: c('email'), kind: 'string' },
    role: { expr: c('role'), kind: 'enum', values: USER_ROLES },
    enabledUser: { expr: c('enabled_user'), kind: 'boolean' },
    orgSourcedId: { expr: sql`t.org_id::text`, kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'enabledUser',
    'username',
    'userIds',
    'givenName',
    'familyName',
    'middleName',
    'roles',
    'identifier',
    'email',
    'phone',
    'agents',
    'grades',
  ],
  toJson: (r, base) => ({
    ...head(r),
    enabledUser: r.enabled_user,
    username: r.username ?? '',
    userIds: r.identifier
      ? [{ type: r.role === 'student' ? 'studentNumber' : 'employeeId', identifier: String(r.identifier) }]
      : [],
    givenName: r.given_name ?? '',
    familyName: r.family_name ?? '',
    middleName: null,
    roles: r.org_id ? [{ roleType: 'primary', role: r.role, org: ref(base, 'org', r.org_id) }] : [],
    identifier: r.identifier,
    email: r.email,
    phone: r.phone,
    agents: list(r.agents).map((id) => ref(base, 'user', id)),
    grades: r.grade_level ? [String(r.grade_level)] : [],
  }),
};

export const students: Collection = {
  ...users,
  where: sql`t.role = 'student'`,
  streamed: { ...usersStreamed, counted: ['student'] },
};
export const teachers: Collection = {
  ...users,
  where: sql`t.role = 'teacher'`,
  streamed: { ...usersStreamed, counted: ['teacher'] },
};

export const enrollments: Collection = {
  plural: 'enrollments',
  singular: 'enrollment',
  source: enrollmentsSource,
  fields: {
    ...common,
    role: { expr: c('role'), kind: 'enum', values: ['student', 'teacher'] },
    primary: { expr: sql`t."primary"`, kind: 'boolean' },
    beginDate: { expr: sql`t.begin_date::date`, kind: 'date' },
    endDate: { expr: sql`t.end_date::date`, kind: 'date' },
    userSourcedId: { expr: sql`t.user_id::text`, kind: 'string' },
    classSourcedId: { expr: sql`t.class_id::text`, kind: 'string' },
    schoolSourcedId: { expr: sql`t.school_id::text`, kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'user',
    'class',
    'school',
    'role',
    'primary',
    'beginDate',
    'endDate',
  ],
  toJson: (r, base) => ({
    ...head(r),
    user: ref(base, 'user', r.user_id),
    class: ref(base, 'class', r.class_id),
    school: ref(base, 'org', r.school_id),
    role: r.role,
    primary: r.primary,
    beginDate: r.begin_date,
    endDate: r.end_date,
  }),
};

export const demographics: Collection = {
  plural: 'demographics',
  singular: 'demographics',
  source: demographicsSource,
  fields: {
    ...common,
    birthDate: { expr: sql`t.birth_date::date`, kind: 'date' },
    sex: { expr: c('sex'), kind: 'enum', values: ['male', 'female', 'other', 'unspecified'] },
  },
  selectable: ['sourcedId', 'status', 'dateLastModified', 'birthDate', 'sex'],
  toJson: (r) => ({ ...head(r), birthDate: r.birth_date, sex: r.sex }),
};
