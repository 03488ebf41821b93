import { type SQL, sql } from 'drizzle-orm';
import { iso } from '../../kernel/sql.js';
import type { FieldSpec } from './oneroster-filter.js';
import { classesSource, coursesSource, orgsSource, sessionsSource } from './oneroster-sources.js';

type Row = Record<string, unknown>;

/** A rostering collection: its row source, filterable/sortable fields, selectable fields and JSON shape. */
export interface Collection {
  /** The response wrapper of a list (`users`) and of one record (`user`). */
  plural: string;
  singular: string;
  source: SQL;
  /** Always applied (the `students` view of users: role = student). */
  where?: SQL;
  /** Rows every client sees besides its subtree (built-in grading scales). */
  shared?: SQL;
  fields: Readonly<Record<string, FieldSpec>>;
  /** Top-level JSON fields `fields=` may select. */
  selectable: readonly string[];
  toJson(row: Row, base: string): Record<string, unknown>;
  /** Lists built as JSON by the database and streamed in batches (oneroster-stream.ts); else `toJson`. */
  streamed?: Streamed;
}

/** How the database writes a collection's records (oneroster-stream.ts). */
export interface Streamed {
  /** The source's branches (their UNION ALL is `Collection.source`), each scoped, filtered and limited alone. */
  branches: readonly SQL[];
  /**
   * Per selectable field, its JSON text over the merged row `t`, never SQL NULL: the bytes the response
   * schema's serializer writes for `toJson`'s value. `base` is the href base (a bound parameter).
   */
  json(base: SQL): Readonly<Record<string, SQL>>;
  /** Roles `oneroster_user_counts` counts: a total without a filter other than status needs no scan. */
  counted?: readonly ('student' | 'teacher' | 'parent')[];
}

/** A column of the source `t` (names are code constants, never input). */
export const c = (name: string) => sql.raw(`t.${name}`);
const STATUS = ['active', 'tobedeleted'] as const;

export const common: Record<string, FieldSpec> = {
  sourcedId: { expr: sql`t.sourced_id::text`, kind: 'string' },
  status: { expr: c('status'), kind: 'enum', values: STATUS },
  dateLastModified: { expr: c('date_last_modified'), kind: 'datetime' },
};

export type RefType =
  | 'org'
  | 'academicSession'
  | 'course'
  | 'class'
  | 'user'
  | 'student'
  | 'teacher'
  | 'enrollment'
  | 'term'
  | 'category'
  | 'lineItem'
  | 'result'
  | 'scoreScale';

const PATHS: Record<RefType, string> = {
  org: 'rostering/v1p2/orgs',
  academicSession: 'rostering/v1p2/academicSessions',
  course: 'rostering/v1p2/courses',
  class: 'rostering/v1p2/classes',
  user: 'rostering/v1p2/users',
  student: 'rostering/v1p2/students',
  teacher: 'rostering/v1p2/teachers',
  enrollment: 'rostering/v1p2/enrollments',
  term: 'rostering/v1p2/terms',
  category: 'gradebook/v1p2/categories',
  lineItem: 'gradebook/v1p2/lineItems',
  result: 'gradebook/v1p2/results',
  scoreScale: 'gradebook/v1p2/scoreScales',
};

/** A GUID reference `{href, sourcedId, type}`; `base` is `<scheme>://<host>/ims/oneroster`. */
export function ref(base: string, type: RefType, id: unknown) {
  if (id === null || id === undefined) return null;
  return { href: `${base}/${PATHS[type]}/${String(id)}`, sourcedId: String(id), type };
}

/** A JSON string of a text expression, `null` for SQL NULL. */
export const jsonText = (e: SQL) => sql`coalesce(to_json(${e})::text, 'null')`;

/** `ref` in SQL: the JSON text of a GUID reference to `id` (a uuid expression), `null` for SQL NULL. */
export function refJson(base: SQL, type: RefType, id: SQL): SQL {
  const tail = sql.raw(`'","type":"${type}"}'`);
  const path = sql.raw(`'/${PATHS[type]}/'`);
  return sql`coalesce('{"href":' || to_json(${base} || ${path} || ${id}::text)::text || ',"sourcedId":"' || ${id}::text || ${tail}, 'null')`;
}

export const list = (v: unknown): string[] => {
  const a = typeof v === 'string' ? JSON.parse(v) : v;
  return Array.isArray(a) ? a.map(String) : [];
};

export const head = (r: Row) => ({
  sourcedId: String(r.sourced_id),
  status: r.status as 'active' | 'tobedeleted',
  dateLastModified: iso(r.date_last_modified as Date | string)!,
});

export const orgs: Collection = {
  plural: 'orgs',
  singular: 'org',
  source: orgsSource,
  fields: {
    ...common,
    name: { expr: c('name'), kind: 'string' },
    type: { expr: c('type'), kind: 'enum', values: ['district', 'school', 'department'] },
    identifier: { expr: c('identifier'), kind: 'string' },
  },
  selectable: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parent', 'children'],
  toJson: (r, base) => ({
    ...head(r),
    name: r.name,
    type: r.type,
    identifier: r.identifier ?? '',
    parent: ref(base, 'org', r.parent_id),
    children: list(r.children).map((id) => ref(base, 'org', id)),
  }),
};

export const schools: Collection = {
  ...orgs,
  plural: 'orgs',
  singular: 'org',
  where: sql`t.type = 'school'`,
};

export const academicSessions: Collection = {
  plural: 'academicSessions',
  singular: 'academicSession',
  source: sessionsSource,
  fields: {
    ...common,
    title: { expr: c('title'), kind: 'string' },
    type: { expr: c('type'), kind: 'enum', values: ['schoolYear', 'term', 'semester', 'gradingPeriod'] },
    startDate: { expr: sql`t.start_date::date`, kind: 'date' },
    endDate: { expr: sql`t.end_date::date`, kind: 'date' },
    schoolYear: { expr: c('school_year'), kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'type',
    'startDate',
    'endDate',
    'parent',
    'children',
    'schoolYear',
    'org',
  ],
  toJson: (r, base) => ({
    ...head(r),
    title: r.title,
    type: r.type,
    startDate: r.start_date,
    endDate: r.end_date,
    parent: ref(base, 'academicSession', r.parent_id),
    children: list(r.children).map((id) => ref(base, 'academicSession', id)),
    schoolYear: r.school_year,
    org: ref(base, 'org', r.org_id),
  }),
};

export const terms: Collection = {
  ...academicSessions,
  where: sql`t.type in ('term', 'semester')`,
};
export const gradingPeriods: Collection = { ...academicSessions, where: sql`t.type = 'gradingPeriod'` };

export const courses: Collection = {
  plural: 'courses',
  singular: 'course',
  source: coursesSource,
  fields: {
    ...common,
    title: { expr: c('title'), kind: 'string' },
    courseCode: { expr: c('course_code'), kind: 'string' },
    orgSourcedId: { expr: sql`t.org_id::text`, kind: 'string' },
  },
  selectable: ['sourcedId', 'status', 'dateLastModified', 'title', 'courseCode', 'grades', 'subjects', 'org'],
  toJson: (r, base) => ({
    ...head(r),
    title: r.title,
    courseCode: r.course_code,
    grades: [],
    subjects: [],
    org: ref(base, 'org', r.org_id),
  }),
};

export const classes: Collection = {
  plural: 'classes',
  singular: 'class',
  source: classesSource,
  fields: {
    ...common,
    title: { expr: c('title'), kind: 'string' },
    classCode: { expr: c('class_code'), kind: 'string' },
    classType: { expr: c('class_type'), kind: 'enum', values: ['homeroom', 'scheduled'] },
    location: { expr: c('location'), kind: 'string' },
    schoolSourcedId: { expr: sql`t.school_id::text`, kind: 'string' },
    courseSourcedId: { expr: sql`t.course_id::text`, kind: 'string' },
  },
  selectable: [
    'sourcedId',
    'status',
    'dateLastModified',
    'title',
    'classCode',
    'classType',
    'location',
    'grades',
    'subjects',
    'subjectCodes',
    'course',
    'school',
    'terms',
    'periods',
  ],
  toJson: (r, base) => ({
    ...head(r),
    title: r.title,
    classCode: r.class_code,
    classType: r.class_type,
    location: r.location,
    grades: r.grade_level ? [String(r.grade_level)] : [],
    subjects: r.subject ? [String(r.subject)] : [],
    subjectCodes: r.subject_code ? [String(r.subject_code)] : [],
    course: ref(base, 'course', r.course_id),
    school: ref(base, 'org', r.school_id),
    terms: r.term_id ? [ref(base, 'academicSession', r.term_id)] : [],
    periods: [],
  }),
};
