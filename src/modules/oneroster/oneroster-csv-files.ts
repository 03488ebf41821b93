import { iso } from '../../kernel/sql.js';
import * as C from './oneroster-collections.js';
import * as P from './oneroster-people.js';

/** bulk: every active record, status and dateLastModified blank; delta: changes since, both filled. */
export type CsvMode = 'bulk' | 'delta';

export type Row = Record<string, unknown>;
type Cells = Array<string | number | null | undefined>;

/** One file of the OneRoster 1.2 CSV binding: its header and its rows from a collection's source rows. */
export interface CsvFile {
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
export const line = (cells: Cells) => `${cells.map(csvCell).join(',')}\r\n`;
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
    c: P.users,
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
    c: P.users,
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
    c: P.enrollments,
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
    c: P.demographics,
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
