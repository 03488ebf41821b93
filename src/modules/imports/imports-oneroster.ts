import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.js';
import type { AuditEntry } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import type { AppDeps } from '../../kernel/deps.js';
import { businessRule } from '../../kernel/errors.js';
import { storageFor } from '../../kernel/storage.js';
import { applyRosterImport } from '../enrollments/index.js';
import { applyFacultyImport, facultyByEmployeeIds, facultyCreateConflicts } from '../faculty/index.js';
import {
  orApply,
  orCourseCodesTaken,
  orCurrent,
  orExisting,
  orNumbersTaken,
  orOrgCodesTaken,
  orOrgs,
  orStudentEnrollments,
  orTakenElsewhere,
  orUsersCurrent,
} from '../oneroster/index.js';
import { organizations, orgScope } from '../organizations/index.js';
import type { ImportField } from '../personnel/index.js';
import {
  applyOneRosterGuardians,
  applyStudentDemographics,
  applyStudentImport,
  studentsByNumbers,
} from '../students/index.js';
import * as repo from './imports.repo.js';
import type { importRows } from './imports.table.js';
import { readRecords } from './imports-parse.js';
import { type CellError, ColumnResolver, type Values, validateRecord } from './imports-validate.js';
import { zipEntry } from './imports-zip.js';

/**
 * The `oneroster` import target: a OneRoster 1.2 CSV zip (docs/imports.md). Files are read in dependency
 * order, each entry streamed from the stored zip; rows are staged with `row_number = file index × 10⁷ + the
 * row in its file`, so the commit's keyset walk meets orgs before sessions, courses, classes, users and
 * enrollments. Every record keeps its sourcedId as its id (a non-UUID sourcedId becomes a UUID v5).
 */

export const OR_FILES = [
  'orgs.csv',
  'academicSessions.csv',
  'courses.csv',
  'classes.csv',
  'users.csv',
  'enrollments.csv',
  'demographics.csv',
] as const;
type OrFile = (typeof OR_FILES)[number];
export const FILE_ROW_BASE = 10_000_000;
const BATCH = 1000;

/** The file and its row of a staged row number (multi-file import). */
export function fileRow(rowNumber: number) {
  const i = Math.floor(rowNumber / FILE_ROW_BASE);
  return { file: OR_FILES[i - 1] ?? null, row: rowNumber % FILE_ROW_BASE };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The namespace of UUID v5 ids made from non-UUID sourcedIds (a fixed random UUID, RFC 9562 §5.5). */
const NAMESPACE = Buffer.from('5f1d0c7e8b3a4e2f9c6d1a2b3c4d5e6f', 'hex');

/** A sourcedId as a Registrar id: itself when it is a UUID, else its UUID v5 (deterministic). */
export function idOf(sourcedId: string): string {
  if (UUID.test(sourcedId)) return sourcedId.toLowerCase();
  const h = createHash('sha1').update(NAMESPACE).update(sourcedId, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const t = (field: string, opts: Partial<ImportField> = {}): ImportField => ({
  field,
  type: 'text',
  max: 255,
  aliases: [],
  ...opts,
});
const sourced = t('sourcedid', { required: true, nonEmpty: true });

/** The columns read from each file (headers are normalized: `parentSourcedId` → `parentsourcedid`). */
const FIELDS: Record<OrFile | 'roles.csv', ImportField[]> = {
  'orgs.csv': [
    sourced,
    t('status'),
    t('name', { required: true, nonEmpty: true }),
    t('type', { required: true, nonEmpty: true }),
    t('identifier', { max: 50 }),
    t('parentsourcedid'),
  ],
  'academicSessions.csv': [
    sourced,
    t('status'),
    t('title', { required: true, nonEmpty: true }),
    t('type', { required: true, nonEmpty: true }),
    { field: 'startdate', required: true, type: 'date', aliases: [] },
    { field: 'enddate', required: true, type: 'date', aliases: [] },
    t('parentsourcedid'),
  ],
  'courses.csv': [
    sourced,
    t('status'),
    t('title', { required: true, nonEmpty: true }),
    t('coursecode', { max: 50 }),
    t('orgsourcedid', { required: true, nonEmpty: true }),
  ],
  'classes.csv': [
    sourced,
    t('status'),
    t('title', { required: true, nonEmpty: true }),
    t('coursesourcedid'),
    t('classcode', { max: 50 }),
    t('location', { max: 100 }),
    t('grades', { max: 50 }),
    t('schoolsourcedid', { required: true, nonEmpty: true }),
    t('termsourcedids', { max: 2000 }),
  ],
  'users.csv': [
    sourced,
    t('status'),
    t('givenname', { required: true, nonEmpty: true, max: 100 }),
    t('familyname', { required: true, nonEmpty: true, max: 100 }),
    t('identifier', { max: 50 }),
    t('email', { lower: true }),
    t('phone', { max: 50 }),
    t('grades', { max: 50 }),
    t('primaryorgsourcedid'),
    t('orgsourcedids', { max: 2000 }),
    t('role'),
    t('agentsourcedids', { max: 20000 }),
  ],
  'enrollments.csv': [
    sourced,
    t('status'),
    t('classsourcedid', { required: true, nonEmpty: true }),
    t('usersourcedid', { required: true, nonEmpty: true }),
    t('role', { required: true, nonEmpty: true }),
    t('primary'),
  ],
  'demographics.csv': [
    sourced,
    t('status'),
    { field: 'birthdate', type: 'date', aliases: [] },
    t('sex', { lower: true, max: 20 }),
  ],
  'roles.csv': [sourced, t('usersourcedid', { required: true }), t('role'), t('orgsourcedid'), t('roletype')],
};

const ORG_KIND: Record<string, string> = { district: 'district', school: 'school' };
const SESSION_TYPE: Record<string, string> = {
  schoolyear: 'school_year',
  term: 'term',
  semester: 'semester',
  gradingperiod: 'grading_period',
};
/** OneRoster roles imported as people: parents, guardians and relatives become guardians of their children. */
const USER_ROLES: Record<string, 'student' | 'teacher' | 'parent'> = {
  student: 'student',
  teacher: 'teacher',
  parent: 'parent',
  guardian: 'parent',
  relative: 'parent',
};

export interface OneRosterScope {
  id: string;
  organizationId: string;
  path: string;
}

/** The organization imported into: one where the actor holds `organizations:write` (else 404). */
export async function oneRosterScope(db: DbOrTx, ctx: RequestContext, id: string) {
  const [row] = await db
    .select({ id: organizations.id, path: organizations.path })
    .from(organizations)
    .where(and(eq(organizations.id, id), orgScope(ctx.actor, 'organizations:write', organizations.id)));
  return row ? { id: row.id, organizationId: row.id, path: row.path } : null;
}

interface Row {
  row: number;
  key: string;
  /** Registrar values: what is compared and written (`_` fields are context, not compared). */
  data: Values;
  errors: CellError[];
}

/** Streams the records of one file of the zip (nothing when the zip has no such file). */
async function* fileRecords(deps: AppDeps, fileKey: string, name: string) {
  const stream = await storageFor(deps.config).get(fileKey);
  if (!stream) throw businessRule('file_missing', 'The uploaded file is no longer available');
  const state = { found: false };
  yield* readRecords(Readable.from(zipEntry(stream, name, state)), 'csv');
}

const err = (column: string | null, value: string | null, message: string): CellError => ({
  column,
  value: value ? value.slice(0, 200) : value,
  message,
});
const list = (v: string | null | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** What a pre-pass over the small files learns: ids in orgs.csv, session parents, class terms, user roles. */
interface Context {
  orgIds: Set<string>;
  /** `parent|code` of the orgs.csv rows seen so far (duplicate codes within the file). */
  orgCodes: Set<string>;
  sessionParent: Map<string, string | null>;
  sessionSchool: Map<string, string>;
  userRole: Map<string, { role: string; org: string | null }>;
}

async function prepass(deps: AppDeps, fileKey: string): Promise<Context> {
  const c: Context = {
    orgIds: new Set(),
    orgCodes: new Set(),
    sessionParent: new Map(),
    sessionSchool: new Map(),
    userRole: new Map(),
  };
  const cell = (cells: Record<string, string | null>, name: string) => {
    for (const [h, v] of Object.entries(cells)) if (h.toLowerCase() === name) return v;
    return null;
  };
  for await (const r of fileRecords(deps, fileKey, 'orgs.csv')) {
    const s = cell(r.cells, 'sourcedid');
    if (s) c.orgIds.add(idOf(s));
  }
  for await (const r of fileRecords(deps, fileKey, 'academicSessions.csv')) {
    const s = cell(r.cells, 'sourcedid');
    const p = cell(r.cells, 'parentsourcedid');
    if (s) c.sessionParent.set(idOf(s), p ? idOf(p) : null);
  }
  for await (const r of fileRecords(deps, fileKey, 'classes.csv')) {
    const school = cell(r.cells, 'schoolsourcedid');
    for (const term of list(cell(r.cells, 'termsourcedids'))) {
      if (school && !c.sessionSchool.has(idOf(term))) c.sessionSchool.set(idOf(term), idOf(school));
    }
  }
  // A session without classes takes the organization of a descendant that has one.
  for (const [id, school] of [...c.sessionSchool]) {
    let p = c.sessionParent.get(id) ?? null;
    for (let depth = 0; p && depth < 10; depth++) {
      if (!c.sessionSchool.has(p)) c.sessionSchool.set(p, school);
      p = c.sessionParent.get(p) ?? null;
    }
  }
  for await (const r of fileRecords(deps, fileKey, 'roles.csv')) {
    const u = cell(r.cells, 'usersourcedid');
    const type = cell(r.cells, 'roletype');
    if (!u || (type && type.toLowerCase() !== 'primary' && c.userRole.has(idOf(u)))) continue;
    const org = cell(r.cells, 'orgsourcedid');
    c.userRole.set(idOf(u), {
      role: (cell(r.cells, 'role') ?? '').toLowerCase(),
      org: org ? idOf(org) : null,
    });
  }
  return c;
}

type Resolve = (
  deps: AppDeps,
  scope: OneRosterScope,
  importId: string,
  rows: Row[],
  c: Context,
) => Promise<void>;

/** Ids present in the subtree or staged (valid) by an earlier file of this import. */
async function known(
  db: DbOrTx,
  importId: string,
  scope: OneRosterScope,
  entity: Parameters<typeof orExisting>[1],
  file: OrFile,
  wanted: string[],
) {
  const uniq = [...new Set(wanted)];
  const inDb = await orExisting(db, entity, scope.path, uniq);
  const base = (OR_FILES.indexOf(file) + 1) * FILE_ROW_BASE;
  const staged = await repo.stagedByKeys(db, importId, base, base + FILE_ROW_BASE - 1, uniq);
  return { has: (id: string) => inDb.has(id) || staged.has(id), staged };
}

async function elsewhere(
  db: DbOrTx,
  entity: Parameters<typeof orTakenElsewhere>[1],
  scope: OneRosterScope,
  rows: Row[],
) {
  const taken = await orTakenElsewhere(
    db,
    entity,
    scope.path,
    rows.map((r) => r.key),
  );
  for (const r of rows) {
    if (taken.has(r.key))
      r.errors.push(
        err('sourcedId', r.key, 'the sourcedId names a record outside the organization imported into'),
      );
  }
}

const ok = (rows: Row[]) => rows.filter((r) => r.errors.length === 0);

/**
 * A parent's children (agents) must be students of the import (valid rows of this batch or staged by an
 * earlier one: a parent's row comes after its children's, as exports write them) or of the subtree.
 */
async function checkChildren(
  db: DbOrTx,
  importId: string,
  scope: OneRosterScope,
  batch: Row[],
  parents: Row[],
) {
  if (parents.length === 0) return;
  await elsewhere(db, 'parent', scope, parents);
  const wanted = [...new Set(parents.flatMap((r) => r.data.children?.split(';') ?? []))];
  const inBatch = new Set(
    ok(batch)
      .filter((r) => r.data.role === 'student')
      .map((r) => r.key),
  );
  const inDb = await orUsersCurrent(db, scope.path, wanted, false);
  const base = (OR_FILES.indexOf('users.csv') + 1) * FILE_ROW_BASE;
  const staged = await repo.stagedByKeys(db, importId, base, base + FILE_ROW_BASE - 1, wanted);
  const isStudent = (id: string) =>
    inBatch.has(id) ||
    inDb.get(id)?.values.role === 'student' ||
    (staged.get(id) as Values | undefined)?.role === 'student';
  for (const r of ok(parents)) {
    const missing = (r.data.children?.split(';') ?? []).filter((id) => !isStudent(id));
    if (missing.length)
      r.errors.push(
        err(
          'agentSourcedIds',
          missing.join(','),
          'no such student in the import or the organization (a parent row comes after its children)',
        ),
      );
  }
}

/** Per file: turns a validated row into Registrar values and checks its references. */
const RESOLVE: Record<OrFile, Resolve> = {
  'orgs.csv': async (deps, scope, _importId, rows, c) => {
    const parents = ok(rows)
      .map((r) => r.data.parentsourcedid)
      .filter((p): p is string => !!p)
      .map(idOf);
    const inDb = await orExisting(deps.db, 'org', scope.path, parents);
    for (const r of ok(rows)) {
      const kind = ORG_KIND[(r.data.type ?? '').toLowerCase()] ?? 'office';
      const p = r.data.parentsourcedid ? idOf(r.data.parentsourcedid) : null;
      // The organization imported into keeps its parent; a top org of the file hangs under it.
      const parent = r.key === scope.id ? null : p && (c.orgIds.has(p) || inDb.has(p)) ? p : scope.id;
      r.data = { name: r.data.name, type: kind, identifier: r.data.identifier ?? null, parent };
    }
    // A code is unique among the children of one parent (in the subtree and within the file).
    const withCode = ok(rows).filter((r) => r.data.identifier && r.data.parent);
    const taken = await orOrgCodesTaken(
      deps.db,
      withCode.map((r) => ({ id: r.key, parent: r.data.parent!, code: r.data.identifier! })),
    );
    for (const r of withCode) {
      const k = `${r.data.parent}|${r.data.identifier}`;
      if (taken.has(k) || c.orgCodes.has(k)) {
        r.errors.push(
          err(
            'identifier',
            r.data.identifier,
            'another organization under the same parent has this identifier',
          ),
        );
      }
      c.orgCodes.add(k);
    }
    await elsewhere(deps.db, 'org', scope, ok(rows));
  },
  'academicSessions.csv': async (deps, scope, importId, rows, c) => {
    const orgs = await known(
      deps.db,
      importId,
      scope,
      'org',
      'orgs.csv',
      ok(rows).map((r) => c.sessionSchool.get(r.key) ?? scope.id),
    );
    const parentOf = (r: Row) => (r.data.parentsourcedid ? idOf(r.data.parentsourcedid) : null);
    // Parents outside the file must be sessions of the subtree: one query per batch.
    const outsideParents = await orExisting(
      deps.db,
      'session',
      scope.path,
      ok(rows)
        .map(parentOf)
        .filter((p): p is string => p !== null && !c.sessionParent.has(p)),
    );
    for (const r of ok(rows)) {
      const type = SESSION_TYPE[(r.data.type ?? '').toLowerCase()];
      if (!type)
        r.errors.push(
          err('type', r.data.type, 'type must be one of schoolYear, term, semester, gradingPeriod'),
        );
      if (r.data.startdate && r.data.enddate && r.data.enddate < r.data.startdate) {
        r.errors.push(err('endDate', r.data.enddate, 'endDate is before startDate'));
      }
      const org = c.sessionSchool.get(r.key) ?? scope.id;
      if (!orgs.has(org))
        r.errors.push(err('sourcedId', r.key, 'the session is used by a class of an unknown school'));
      const p = parentOf(r);
      if (p && !c.sessionParent.has(p) && !outsideParents.has(p)) {
        r.errors.push(err('parentSourcedId', r.data.parentsourcedid, 'no such academic session'));
      }
      r.data = {
        title: r.data.title,
        type,
        start_date: r.data.startdate,
        end_date: r.data.enddate,
        parent: p,
        org,
      };
    }
    await elsewhere(deps.db, 'session', scope, ok(rows));
  },
  'courses.csv': async (deps, scope, importId, rows) => {
    const orgs = await known(
      deps.db,
      importId,
      scope,
      'org',
      'orgs.csv',
      ok(rows).map((r) => idOf(r.data.orgsourcedid!)),
    );
    for (const r of ok(rows)) {
      const org = idOf(r.data.orgsourcedid!);
      if (!orgs.has(org))
        r.errors.push(err('orgSourcedId', r.data.orgsourcedid, 'no such organization in the import'));
      r.data = { title: r.data.title, code: r.data.coursecode ?? r.key.slice(0, 50), org };
    }
    const taken = await orCourseCodesTaken(
      deps.db,
      ok(rows).map((r) => ({ id: r.key, org: r.data.org!, code: r.data.code! })),
    );
    for (const r of ok(rows)) {
      if (taken.has(`${r.data.org}|${r.data.code}`))
        r.errors.push(err('courseCode', r.data.code, 'another course of the organization has this code'));
    }
    await elsewhere(deps.db, 'course', scope, ok(rows));
  },
  'classes.csv': async (deps, scope, importId, rows) => {
    const v = ok(rows);
    const schools = await known(
      deps.db,
      importId,
      scope,
      'org',
      'orgs.csv',
      v.map((r) => idOf(r.data.schoolsourcedid!)),
    );
    const courses = await known(
      deps.db,
      importId,
      scope,
      'course',
      'courses.csv',
      v.filter((r) => r.data.coursesourcedid).map((r) => idOf(r.data.coursesourcedid!)),
    );
    const terms = await known(
      deps.db,
      importId,
      scope,
      'session',
      'academicSessions.csv',
      v.flatMap((r) => list(r.data.termsourcedids).slice(0, 1).map(idOf)),
    );
    for (const r of v) {
      const school = idOf(r.data.schoolsourcedid!);
      const course = r.data.coursesourcedid ? idOf(r.data.coursesourcedid) : null;
      const term = list(r.data.termsourcedids).map(idOf)[0] ?? null;
      if (!schools.has(school))
        r.errors.push(err('schoolSourcedId', r.data.schoolsourcedid, 'no such organization in the import'));
      if (course && !courses.has(course))
        r.errors.push(err('courseSourcedId', r.data.coursesourcedid, 'no such course in the import'));
      if (term && !terms.has(term))
        r.errors.push(err('termSourcedIds', r.data.termsourcedids, 'no such academic session in the import'));
      r.data = {
        title: r.data.title,
        course,
        section: r.data.classcode ?? null,
        room: r.data.location ?? null,
        grade_level: r.data.grades ?? null,
        school,
        term,
      };
    }
    await elsewhere(deps.db, 'class', scope, ok(rows));
  },
  'users.csv': async (deps, scope, importId, rows, c) => {
    const v = ok(rows);
    for (const r of v) {
      const fromRoles = c.userRole.get(r.key);
      const role = USER_ROLES[(fromRoles?.role ?? r.data.role ?? '').toLowerCase()];
      const orgRaw = r.data.primaryorgsourcedid ?? list(r.data.orgsourcedids)[0] ?? null;
      const org = orgRaw ? idOf(orgRaw) : (fromRoles?.org ?? null);
      if (!role) {
        r.data = { _skip: fromRoles?.role ?? r.data.role ?? 'none' };
        continue;
      }
      if (!org) r.errors.push(err('primaryOrgSourcedId', null, 'the user has no organization'));
      if (role === 'parent') {
        // A guardian's children are its agents (student sourcedIds), compared as a sorted id list.
        const children = [...new Set(list(r.data.agentsourcedids).map(idOf))].sort();
        r.data = {
          role,
          org,
          number: null,
          first_name: r.data.givenname,
          last_name: r.data.familyname,
          email: r.data.email ?? null,
          phone: r.data.phone ?? null,
          grade_level: null,
          children: children.length ? children.join(';') : null,
        };
        continue;
      }
      if (!r.data.identifier) {
        r.errors.push(
          err(
            'identifier',
            null,
            `identifier (the ${role === 'student' ? 'student number' : 'employee id'}) is required`,
          ),
        );
      }
      if (role === 'teacher' && !r.data.email) r.errors.push(err('email', null, 'a teacher needs an email'));
      r.data = {
        role,
        org,
        number: r.data.identifier ?? null,
        first_name: r.data.givenname,
        last_name: r.data.familyname,
        email: r.data.email ?? null,
        phone: r.data.phone ?? null,
        grade_level: role === 'student' ? (r.data.grades ?? null) : null,
      };
    }
    const users = v.filter((r) => !r.data._skip && r.errors.length === 0);
    const orgs = await known(
      deps.db,
      importId,
      scope,
      'org',
      'orgs.csv',
      users.map((r) => r.data.org!),
    );
    for (const r of users)
      if (!orgs.has(r.data.org!))
        r.errors.push(err('primaryOrgSourcedId', r.data.org, 'no such organization in the import'));
    const taken = await orNumbersTaken(
      deps.db,
      ok(users)
        .filter((r) => r.data.role !== 'parent')
        .map((r) => ({ id: r.key, role: r.data.role!, org: r.data.org!, number: r.data.number! })),
    );
    for (const r of ok(users)) {
      if (taken.has(`${r.data.org}|${r.data.number}`))
        r.errors.push(err('identifier', r.data.number, 'another person of the organization has this number'));
    }
    const students = ok(users).filter((r) => r.data.role === 'student');
    const teachers = ok(users).filter((r) => r.data.role === 'teacher');
    await elsewhere(deps.db, 'student', scope, students);
    await elsewhere(deps.db, 'teacher', scope, teachers);
    await checkChildren(
      deps.db,
      importId,
      scope,
      v,
      ok(users).filter((r) => r.data.role === 'parent'),
    );
    // New teachers get a login: a login name or email already taken is an error (faculty's own check).
    const current = await orUsersCurrent(
      deps.db,
      scope.path,
      ok(teachers).map((r) => r.key),
      false,
    );
    const codes = await orOrgs(deps.db, [...new Set(ok(teachers).map((r) => r.data.org!))]);
    const byOrg = new Map<string, Row[]>();
    for (const r of ok(teachers))
      if (!current.has(r.key)) byOrg.set(r.data.org!, [...(byOrg.get(r.data.org!) ?? []), r]); // few orgs
    for (const [org, list] of byOrg) {
      const conflicts = await facultyCreateConflicts(
        deps.db,
        // An org created by this zip has no row yet: its code is the one its orgs.csv row gives.
        {
          id: org,
          code: codes.get(org)?.code ?? (orgs.staged.get(org)?.identifier as string | null) ?? undefined,
        },
        list.map((r) => ({ key: r.data.number!, data: { employee_id: r.data.number, email: r.data.email } })),
      );
      for (const r of list) {
        const e = conflicts.get(r.data.number!);
        if (e) r.errors.push(e);
      }
    }
  },
  'enrollments.csv': async (deps, scope, importId, rows) => {
    const v = ok(rows);
    const classes = await known(
      deps.db,
      importId,
      scope,
      'class',
      'classes.csv',
      v.map((r) => idOf(r.data.classsourcedid!)),
    );
    const userIds = [...new Set(v.map((r) => idOf(r.data.usersourcedid!)))];
    const inDb = await orUsersCurrent(deps.db, scope.path, userIds, false);
    const base = (OR_FILES.indexOf('users.csv') + 1) * FILE_ROW_BASE;
    const staged = await repo.stagedByKeys(deps.db, importId, base, base + FILE_ROW_BASE - 1, userIds);
    for (const r of v) {
      const cls = idOf(r.data.classsourcedid!);
      const user = idOf(r.data.usersourcedid!);
      const role = (r.data.role ?? '').toLowerCase();
      const u = (staged.get(user) as Values | undefined) ?? inDb.get(user)?.values;
      if (role !== 'student' && role !== 'teacher') {
        r.data = { _skip: role };
        continue;
      }
      if (!classes.has(cls))
        r.errors.push(err('classSourcedId', r.data.classsourcedid, 'no such class in the import'));
      if (!u || u.role !== role)
        r.errors.push(err('userSourcedId', r.data.usersourcedid, `no such ${role} in the import`));
      const primary = (r.data.primary ?? '').toLowerCase() === 'true';
      r.data = {
        class: cls,
        user,
        role: role === 'student' ? 'student' : primary ? 'teacher' : 'assistant',
        _number: u?.number ?? null,
      };
    }
    await elsewhere(
      deps.db,
      'teaching',
      scope,
      ok(rows).filter((r) => r.data.role !== 'student'),
    );
  },
  'demographics.csv': async (deps, scope, importId, rows) => {
    for (const r of ok(rows)) {
      const sex = r.data.sex || 'unspecified';
      if (!SEXES.has(sex))
        r.errors.push(err('sex', r.data.sex, 'sex is one of male, female, other, unspecified'));
      r.data = { birth_date: r.data.birthdate ?? null, sex };
    }
    // Demographics are a student's: one of the import (users.csv, staged before) or of the subtree.
    const v = ok(rows);
    const wanted = v.map((r) => r.key);
    const inDb = await orUsersCurrent(deps.db, scope.path, wanted, false);
    const base = (OR_FILES.indexOf('users.csv') + 1) * FILE_ROW_BASE;
    const staged = await repo.stagedByKeys(deps.db, importId, base, base + FILE_ROW_BASE - 1, wanted);
    for (const r of v) {
      const role = inDb.get(r.key)?.values.role ?? (staged.get(r.key) as Values | undefined)?.role;
      if (role !== 'student')
        r.errors.push(err('sourcedId', r.key, 'no such student in the import or the organization'));
    }
  },
};

const SEXES = new Set(['male', 'female', 'other', 'unspecified']);

/** The current records of a batch of valid rows (by sourcedId; student enrollments by class and student). */
async function currentOf(db: DbOrTx, file: OrFile, scope: OneRosterScope, rows: Row[], lock: boolean) {
  const keys = rows.map((r) => r.key);
  if (file === 'users.csv') return orUsersCurrent(db, scope.path, keys, lock);
  if (file === 'demographics.csv') return orCurrent(db, 'demographics', scope.path, keys, lock);
  if (file !== 'enrollments.csv') {
    const entity = (
      {
        'orgs.csv': 'org',
        'academicSessions.csv': 'session',
        'courses.csv': 'course',
        'classes.csv': 'class',
      } as const
    )[file];
    return orCurrent(db, entity, scope.path, keys, lock);
  }
  const teaching = await orCurrent(
    db,
    'teaching',
    scope.path,
    rows.filter((r) => r.data.role !== 'student').map((r) => r.key),
    lock,
  );
  const students = rows.filter((r) => r.data.role === 'student');
  const found = await orStudentEnrollments(
    db,
    students.map((r) => ({ class: r.data.class!, user: r.data.user! })),
  );
  for (const r of students) {
    const id = found.get(`${r.data.class}|${r.data.user}`);
    if (id)
      teaching.set(r.key, { id, values: { class: r.data.class!, user: r.data.user!, role: 'student' } });
  }
  return teaching;
}

/** Like the pipeline's classify, without the `_` context fields. */
function compare(data: Values, current: { values: Values } | undefined) {
  const fields = Object.keys(data).filter((k) => !k.startsWith('_'));
  if (!current) return { action: 'create' as const, changed: [] as string[] };
  const changed = fields.filter((k) => (current.values[k] ?? null) !== (data[k] ?? null));
  return { action: changed.length ? ('update' as const) : ('unchanged' as const), changed };
}

/**
 * Stages a OneRoster zip: a pre-pass over orgs, sessions, classes and roles (ids and links only), then every
 * file in order, in batches of 1,000 rows (field checks, duplicates, references to records of the
 * subtree or of earlier files, the current records). Returns the counts for the import's summary.
 */
export async function stageOneRoster(
  deps: AppDeps,
  imp: repo.ImportRow,
  scope: OneRosterScope,
): Promise<{ read: number; invalid: number; skipped: Record<string, number>; files: string[] }> {
  const c = await prepass(deps, imp.fileKey);
  let read = 0;
  let invalid = 0;
  const skipped: Record<string, number> = {};
  const files: string[] = [];
  for (const [i, file] of OR_FILES.entries()) {
    const base = (i + 1) * FILE_ROW_BASE;
    const columns = new ColumnResolver(FIELDS[file], {});
    const seen = new Map<string, number>();
    let batch: Row[] = [];
    let checked = false;
    const flush = async () => {
      if (batch.length === 0) return;
      await RESOLVE[file](deps, scope, imp.id, batch, c);
      const kept = batch.filter((r) => !r.data._skip);
      for (const r of batch)
        if (r.data._skip) skipped[`${file}:${r.data._skip}`] = (skipped[`${file}:${r.data._skip}`] ?? 0) + 1;
      const current = await currentOf(deps.db, file, scope, ok(kept), false);
      const staged: Array<typeof importRows.$inferInsert> = kept.map((r) => {
        if (r.errors.length) {
          invalid += 1;
          return {
            importId: imp.id,
            rowNumber: base + r.row,
            naturalKey: r.key,
            action: 'error' as const,
            errors: r.errors,
          };
        }
        const cur = current.get(r.key);
        if (file === 'orgs.csv' && cur && r.key !== scope.id && cur.values.parent !== r.data.parent) {
          invalid += 1;
          return {
            importId: imp.id,
            rowNumber: base + r.row,
            naturalKey: r.key,
            action: 'error' as const,
            errors: [
              err(
                'parentSourcedId',
                r.data.parent,
                'an import does not move an organization to another parent',
              ),
            ],
          };
        }
        if (file === 'orgs.csv' && r.key === scope.id) r.data.parent = cur?.values.parent ?? null;
        // Demographics of a student this import creates: an update of the new record (nothing to create).
        const k =
          file === 'demographics.csv' && !cur
            ? compare(r.data, { values: { birth_date: null, sex: 'unspecified' } })
            : compare(r.data, cur);
        return {
          importId: imp.id,
          rowNumber: base + r.row,
          naturalKey: r.key,
          action: k.action,
          data: r.data,
          changedFields: k.changed,
          targetId: cur?.id ?? null,
        };
      });
      await repo.insertStaged(deps.db, staged);
      batch = [];
      await repo.update(deps.db, imp.id, {
        rowsRead: read,
        rowsValidated: read - sumSkipped(skipped),
        rowsInvalid: invalid,
      });
    };
    for await (const rec of fileRecords(deps, imp.fileKey, file)) {
      if (!checked) {
        checked = true;
        files.push(file);
        const covered = columns.covered(Object.keys(rec.cells));
        const missing = FIELDS[file].filter((f) => f.required && !covered.has(f.field)).map((f) => f.field);
        if (missing.length) {
          throw businessRule(
            'missing_columns',
            `${file} has no column for ${missing.join(', ')}`,
            missing.map((m) => ({ field: `${file}:${m}`, message: 'no column in the file' })),
          );
        }
      }
      if (rec.row >= FILE_ROW_BASE)
        throw businessRule('file_too_large', `${file} has more than ${FILE_ROW_BASE - 2} rows`);
      read += 1;
      const { data, errors } = validateRecord(rec.cells, FIELDS[file], columns);
      if ((data.status ?? '').toLowerCase() === 'tobedeleted') {
        // A delta file's deletion: not imported (an import deletes nothing), counted.
        skipped[`${file}:tobedeleted`] = (skipped[`${file}:tobedeleted`] ?? 0) + 1;
        continue;
      }
      const raw = data.sourcedid ?? null;
      const key = raw ? idOf(raw) : '';
      if (raw && errors.length === 0) {
        const first = seen.get(key);
        if (first !== undefined)
          errors.push(err('sourcedId', raw, `duplicate sourcedId (first in row ${first})`));
        else seen.set(key, rec.row);
      }
      if (!raw) errors.push(err('sourcedId', null, 'sourcedId is required'));
      batch.push({ row: rec.row, key, data, errors });
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  if (files.length === 0) {
    throw businessRule(
      'unreadable_file',
      'The zip has none of orgs.csv, academicSessions.csv, courses.csv, classes.csv, users.csv, enrollments.csv',
    );
  }
  return { read, invalid, skipped, files };
}

const sumSkipped = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);

/**
 * Commits a batch of valid staged rows of one file: re-compared with the records locked in the commit's
 * transaction, then written set-based (students, teachers and student enrollments through their modules'
 * import functions; the rest through the oneroster module's writes).
 */
export async function applyOneRosterBatch(
  tx: Tx,
  ctx: RequestContext,
  scope: OneRosterScope,
  staged: repo.StagedRow[],
) {
  const audit: AuditEntry[] = [];
  let created = 0;
  let updated = 0;
  const byFile = new Map<OrFile, Row[]>();
  for (const s of staged) {
    const f = fileRow(s.rowNumber).file as OrFile;
    const rows = byFile.get(f) ?? [];
    rows.push({ row: s.rowNumber, key: s.naturalKey!, data: (s.data ?? {}) as Values, errors: [] });
    byFile.set(f, rows);
  }
  for (const file of OR_FILES) {
    const rows = byFile.get(file);
    if (!rows) continue;
    const current = await currentOf(tx, file, scope, rows, true);
    const creates: Values[] = [];
    const updates: Values[] = [];
    for (const r of rows) {
      const k = compare(r.data, current.get(r.key));
      if (k.action === 'create') creates.push({ ...r.data, id: r.key });
      else if (k.action === 'update') updates.push({ ...r.data, id: r.key });
    }
    let res: { created: number; updated: number; audit: AuditEntry[] };
    if (file === 'users.csv') res = await applyUsers(tx, ctx, scope.path, creates, updates);
    else if (file === 'demographics.csv') {
      // A student missing now (an error row of a valid-only commit) has nothing to update.
      const d = await applyStudentDemographics(
        tx,
        scope.path,
        updates.map((v) => ({ id: v.id!, birth_date: v.birth_date ?? null, sex: v.sex ?? null })),
      );
      res = { created: 0, updated: d.updated, audit: d.audit };
    } else if (file === 'enrollments.csv') {
      const st = creates.filter((v) => v.role === 'student');
      const te = await orApply(
        tx,
        'teaching',
        scope.path,
        creates.filter((v) => v.role !== 'student'),
        updates.filter((v) => v.role !== 'student'),
      );
      const en = await applyStudentEnrollments(tx, ctx, st);
      res = { created: te.created + en.created, updated: te.updated, audit: [...te.audit, ...en.audit] };
    } else {
      const entity = (
        {
          'orgs.csv': 'org',
          'academicSessions.csv': 'session',
          'courses.csv': 'course',
          'classes.csv': 'class',
        } as const
      )[file];
      res = await orApply(tx, entity, scope.path, creates, updates);
    }
    created += res.created;
    updated += res.updated;
    audit.push(...res.audit);
  }
  return { created, updated, audit };
}

const groupBy = <T>(xs: T[], k: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const list = m.get(k(x)) ?? [];
    list.push(x);
    m.set(k(x), list);
  }
  return m;
};

async function applyUsers(
  tx: Tx,
  ctx: RequestContext,
  scopePath: string,
  creates: Values[],
  updates: Values[],
) {
  const audit: AuditEntry[] = [];
  let created = 0;
  let updated = 0;
  const all = [...creates.map((v) => ({ v, create: true })), ...updates.map((v) => ({ v, create: false }))];
  const codes = await orOrgs(tx, [...new Set(all.map((x) => x.v.org!))]);
  // Parents last: their children (earlier rows) are written first, so the links find them.
  const groups = [...groupBy(all, (x) => `${x.v.role}|${x.v.org}`)].sort(
    ([a], [b]) => Number(a.startsWith('parent|')) - Number(b.startsWith('parent|')),
  );
  for (const [k, group] of groups) {
    const [role, org] = k.split('|');
    const numbers = group.filter((x) => !x.create).map((x) => x.v.number!);
    if (role === 'parent') {
      const res = await applyOneRosterGuardians(
        tx,
        org,
        scopePath,
        group.filter((x) => x.create).map((x) => x.v),
        group.filter((x) => !x.create).map((x) => x.v),
      );
      created += res.created;
      updated += res.updated;
      audit.push(...res.audit);
    } else if (role === 'student') {
      const cur = await studentsByNumbers(tx, ctx, org, numbers, true);
      const res = await applyStudentImport(
        tx,
        ctx,
        org,
        group
          .filter((x) => x.create)
          .map((x) => ({
            id: x.v.id,
            student_number: x.v.number,
            first_name: x.v.first_name,
            last_name: x.v.last_name,
            email: x.v.email,
            phone: x.v.phone,
            grade_level: x.v.grade_level,
          })),
        group
          .filter((x) => !x.create && cur.has(x.v.number!))
          .map((x) => {
            const c = cur.get(x.v.number!)!;
            return {
              id: c.id,
              before: c.values,
              values: {
                ...c.values,
                first_name: x.v.first_name,
                last_name: x.v.last_name,
                email: c.extra.hasLogin ? c.values.email : x.v.email,
                phone: x.v.phone,
                grade_level: x.v.grade_level,
              },
            };
          }),
      );
      created += res.created;
      updated += res.updated;
      audit.push(...res.audit);
    } else {
      const cur = await facultyByEmployeeIds(tx, ctx, org, numbers, true);
      const res = await applyFacultyImport(
        tx,
        ctx,
        { id: org, code: codes.get(org)?.code ?? undefined },
        group
          .filter((x) => x.create)
          .map((x) => ({
            id: x.v.id,
            employee_id: x.v.number,
            first_name: x.v.first_name,
            last_name: x.v.last_name,
            email: x.v.email,
            phone: x.v.phone,
          })),
        group
          .filter((x) => !x.create && cur.has(x.v.number!))
          .map((x) => {
            const c = cur.get(x.v.number!)!;
            return {
              id: c.id,
              before: c.values,
              values: { ...c.values, first_name: x.v.first_name, last_name: x.v.last_name, phone: x.v.phone },
            };
          }),
      );
      created += res.created;
      updated += res.updated;
      audit.push(...res.audit);
    }
  }
  return { created, updated, audit };
}

/** Student enrollments go through the enrollments rules (capacity, course fee, audit, events), per school. */
async function applyStudentEnrollments(tx: Tx, ctx: RequestContext, creates: Values[]) {
  if (creates.length === 0) return { created: 0, audit: [] as AuditEntry[] };
  const schools = await orCurrent(tx, 'class', '/', [...new Set(creates.map((v) => v.class!))], false);
  let created = 0;
  const audit: AuditEntry[] = [];
  for (const [school, group] of groupBy(creates, (v) => schools.get(v.class!)?.values.school ?? '')) {
    if (!school) continue;
    const res = await applyRosterImport(
      tx,
      ctx,
      school,
      group.map((v) => ({ class_id: v.class, student_number: v._number })),
    );
    created += res.created;
    audit.push(...res.audit);
  }
  return { created, audit };
}
