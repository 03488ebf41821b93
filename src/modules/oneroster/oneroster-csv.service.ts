import { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { iso, rowsOf } from '../../kernel/sql.js';
import type { ClientPrincipal } from '../clients/index.js';
import * as C from './oneroster-collections.js';

/**
 * The OneRoster 1.2 CSV binding: one zip of manifest.csv and the rostering files, bulk (every active record,
 * status and dateLastModified blank) or delta (every record changed since a time, deletions as
 * tobedeleted). Rows are read in keyset batches and written as they come, so memory stays flat whatever the
 * size of the district.
 */
export type CsvMode = 'bulk' | 'delta';

const BATCH = 2000;

type Row = Record<string, unknown>;
type Cells = Array<string | number | null | undefined>;

interface CsvFile {
  name: string;
  manifestKey: string;
  header: string[];
  c: C.Collection;
  /** Rows of the file for one source row (roles.csv and users.csv both come from users). */
  rows(r: Row, mode: CsvMode): Cells[];
}

/** RFC 4180 cell: quoted when it holds a comma, quote or line break. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (cells: Cells) => `${cells.map(csvCell).join(',')}\r\n`;
const arr = (v: unknown): string[] => {
  const a = typeof v === 'string' ? JSON.parse(v) : v;
  return Array.isArray(a) ? a.map(String) : [];
};
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** status and dateLastModified: blank in bulk files, filled in delta files. */
const meta = (r: Row, mode: CsvMode): Cells =>
  mode === 'bulk'
    ? [String(r.sourced_id), '', '']
    : [String(r.sourced_id), str(r.status), iso(r.date_last_modified as Date)];

export const CSV_FILES: CsvFile[] = [
  {
    name: 'orgs.csv',
    manifestKey: 'file.orgs',
    header: ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
    c: C.orgs,
    rows: (r, m) => [[...meta(r, m), str(r.name), str(r.type), str(r.identifier), str(r.parent_id)]],
  },
  {
    name: 'academicSessions.csv',
    manifestKey: 'file.academicSessions',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'type',
      'startDate',
      'endDate',
      'parentSourcedId',
      'schoolYear',
    ],
    c: C.academicSessions,
    rows: (r, m) => [
      [
        ...meta(r, m),
        str(r.title),
        str(r.type),
        str(r.start_date),
        str(r.end_date),
        str(r.parent_id),
        str(r.school_year),
      ],
    ],
  },
  {
    name: 'courses.csv',
    manifestKey: 'file.courses',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'schoolYearSourcedId',
      'title',
      'courseCode',
      'grades',
      'orgSourcedId',
      'subjects',
      'subjectCodes',
    ],
    c: C.courses,
    rows: (r, m) => [
      [...meta(r, m), null, str(r.title), str(r.course_code), null, str(r.org_id), null, null],
    ],
  },
  {
    name: 'classes.csv',
    manifestKey: 'file.classes',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'title',
      'grades',
      'courseSourcedId',
      'classCode',
      'classType',
      'location',
      'schoolSourcedId',
      'termSourcedIds',
      'subjects',
      'subjectCodes',
      'periods',
    ],
    c: C.classes,
    rows: (r, m) => [
      [
        ...meta(r, m),
        str(r.title),
        str(r.grade_level),
        str(r.course_id),
        str(r.class_code),
        str(r.class_type),
        str(r.location),
        str(r.school_id),
        str(r.term_id),
        str(r.subject),
        str(r.subject_code),
        null,
      ],
    ],
  },
  {
    name: 'users.csv',
    manifestKey: 'file.users',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'enabledUser',
      'username',
      'userIds',
      'givenName',
      'familyName',
      'middleName',
      'identifier',
      'email',
      'sms',
      'phone',
      'agentSourcedIds',
      'grades',
      'password',
      'userMasterIdentifier',
      'resourceSourcedIds',
      'preferredGivenName',
      'preferredMiddleName',
      'preferredFamilyName',
      'primaryOrgSourcedId',
      'pronouns',
    ],
    c: C.users,
    rows: (r, m) => [
      [
        ...meta(r, m),
        str(r.enabled_user),
        str(r.username),
        r.identifier
          ? `{${r.role === 'student' ? 'studentNumber' : 'employeeId'}:${String(r.identifier)}}`
          : null,
        str(r.given_name),
        str(r.family_name),
        null,
        str(r.identifier),
        str(r.email),
        null,
        str(r.phone),
        arr(r.agents).join(','),
        str(r.grade_level),
        null,
        null,
        null,
        null,
        null,
        null,
        str(r.org_id),
        null,
      ],
    ],
  },
  {
    name: 'roles.csv',
    manifestKey: 'file.roles',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'userSourcedId',
      'roleType',
      'role',
      'beginDate',
      'endDate',
      'orgSourcedId',
      'userProfileSourcedId',
    ],
    c: C.users,
    rows: (r, m) => [
      [...meta(r, m), String(r.sourced_id), 'primary', str(r.role), null, null, str(r.org_id), null],
    ],
  },
  {
    name: 'enrollments.csv',
    manifestKey: 'file.enrollments',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'classSourcedId',
      'schoolSourcedId',
      'userSourcedId',
      'role',
      'primary',
      'beginDate',
      'endDate',
    ],
    c: C.enrollments,
    rows: (r, m) => [
      [
        ...meta(r, m),
        str(r.class_id),
        str(r.school_id),
        str(r.user_id),
        str(r.role),
        str(r.primary),
        str(r.begin_date),
        str(r.end_date),
      ],
    ],
  },
  {
    name: 'demographics.csv',
    manifestKey: 'file.demographics',
    header: [
      'sourcedId',
      'status',
      'dateLastModified',
      'birthDate',
      'sex',
      'americanIndianOrAlaskaNative',
      'asian',
      'blackOrAfricanAmerican',
      'nativeHawaiianOrOtherPacificIslander',
      'white',
      'demographicRaceTwoOrMoreRaces',
      'hispanicOrLatinoEthnicity',
      'countryOfBirthCode',
      'stateOfBirthAbbreviation',
      'cityOfBirth',
      'publicSchoolResidenceStatus',
    ],
    c: C.demographics,
    rows: (r, m) => [
      [
        ...meta(r, m),
        str(r.birth_date),
        str(r.sex),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ],
  },
];

/** The manifest's file.* entries a provider writes absent (not served). */
const ABSENT = [
  'file.categories',
  'file.classResources',
  'file.courseResources',
  'file.lineItems',
  'file.resources',
  'file.results',
  'file.scoreScales',
  'file.userProfiles',
  'file.userResources',
];

export function manifest(mode: CsvMode, files: CsvFile[]): string {
  const entries: Array<[string, string]> = [
    ['manifest.version', '1.0'],
    ['oneroster.version', '1.2'],
    ...files.map((f) => [f.manifestKey, mode] as [string, string]),
    ...CSV_FILES.filter((f) => !files.includes(f)).map((f) => [f.manifestKey, 'absent'] as [string, string]),
    ...ABSENT.map((k) => [k, 'absent'] as [string, string]),
    ['source.systemName', 'Registrar'],
    ['source.systemCode', 'registrar'],
  ];
  return line(['propertyName', 'value']) + entries.map((e) => line(e)).join('');
}

/** The lines of one file, read in keyset batches in the client's subtree. */
export async function* fileLines(
  db: DbOrTx,
  p: ClientPrincipal,
  f: CsvFile,
  mode: CsvMode,
  since: string | null,
): AsyncGenerator<string> {
  yield line(f.header);
  const cond: SQL[] = [sql`t.org_path like ${`${p.orgPath}%`}`];
  if (f.c.where) cond.push(f.c.where);
  cond.push(
    mode === 'bulk' || !since ? sql`t.status = 'active'` : sql`t.date_last_modified > ${since}::timestamptz`,
  );
  let last: string | null = null;
  for (;;) {
    const after: SQL = last === null ? sql`true` : sql`t.sourced_id > ${last}::uuid`;
    const batch: Row[] = rowsOf<Row>(
      await db.execute(
        sql`select t.* from (${f.c.source}) t where ${sql.join(cond, sql` and `)} and ${after}
             order by t.sourced_id limit ${BATCH}`,
      ),
    );
    if (batch.length === 0) return;
    let out = '';
    for (const r of batch) for (const cells of f.rows(r, mode)) out += line(cells);
    yield out;
    if (batch.length < BATCH) return;
    last = String(batch[batch.length - 1].sourced_id);
  }
}

/** The files a client may receive: demographics only with the demographics scope. */
export function filesFor(canDemographics: boolean): CsvFile[] {
  return CSV_FILES.filter((f) => canDemographics || f.name !== 'demographics.csv');
}

export const streamOf = (lines: AsyncGenerator<string>) => Readable.from(lines);
