import { sql } from 'drizzle-orm';
import { type Collection, c, common, head, list, ref } from './oneroster-collections.js';
import { demographicsSource, enrollmentsSource, usersSource } from './oneroster-sources.js';

/** The people collections: users (students, teachers, guardians), enrollments and demographics. */
const USER_ROLES = ['student', 'teacher', 'parent'] as const;

export const users: Collection = {
  plural: 'users',
  singular: 'user',
  source: usersSource,
  fields: {
    ...common,
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

export const students: Collection = { ...users, where: sql`t.role = 'student'` };
export const teachers: Collection = { ...users, where: sql`t.role = 'teacher'` };

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
