// Loads the app's modules in the composition root's order first (see helpers/grades.ts).
import '../../src/app.js';
import { inflateRawSync } from 'node:zlib';
import { academicSessions } from '../../src/modules/academics/academics.table.js';
import { SCOPE } from '../../src/modules/clients/index.js';
import {
  assignTeacher,
  enrollDirect,
  makeClass,
  makeCourse,
  makeFaculty,
  makeParent,
  makeStudent,
} from './academic.js';
import { type App, call, uniq } from './app.js';
import { makeChildOrg, makeRootOrg, makeUser } from './factories.js';

export const ALL_SCOPES = Object.values(SCOPE);
export { SCOPE };

async function session(
  app: App,
  org: { id: string },
  type: 'school_year' | 'term' | 'semester' | 'grading_period',
  name: string,
  start: string,
  end: string,
  parentId: string | null = null,
) {
  const [row] = await app.deps.db
    .insert(academicSessions)
    .values({ organizationId: org.id, type, name, startDate: start, endDate: end, parentId })
    .returning();
  return row;
}

/** One school of the world: a year ▸ term ▸ grading period, a course, a class with a teacher and students. */
async function makeSchool(app: App, district: { id: string; path: string }, label: string, n: number) {
  const school = await makeChildOrg(app, district, 'school', `School ${label} ${uniq()}`);
  const year = await session(app, school, 'school_year', `${label} 2026-27`, '2026-08-15', '2027-06-15');
  const term = await session(app, school, 'term', `${label} Fall`, '2026-08-15', '2026-12-20', year.id);
  const period = await session(
    app,
    school,
    'grading_period',
    `${label} Q1`,
    '2026-08-15',
    '2026-10-15',
    term.id,
  );
  const course = await makeCourse(app, school, { name: `${label} Algebra`, code: uniq(`${label}-ALG`) });
  const cls = await makeClass(app, school, {
    name: `${label} Algebra 1`,
    section: 'A',
    courseId: course.id,
    academicSessionId: term.id,
    room: '101',
  });
  const teacher = await makeFaculty(app, school, { firstName: `${label}Teach`, lastName: 'Ng' });
  await assignTeacher(app, teacher.id, cls.id);
  const students = [];
  for (let i = 0; i < n; i++) {
    const s = await makeStudent(app, school, {
      firstName: ['Anna', 'Bruno', 'Carla', 'Dmitri', 'Elena'][i % 5],
      lastName: `${label}Family${i}`,
      gender: i % 2 === 0 ? 'female' : 'male',
      dateOfBirth: `2012-0${(i % 9) + 1}-15`,
      gradeLevel: '7',
    });
    const e = await enrollDirect(app, s.id, cls);
    students.push({ ...s, enrollmentId: e.id });
  }
  const parent = await makeParent(app, school, [students[0].id]);
  return { school, year, term, period, course, cls, teacher, students, parent };
}

/**
 * A district with two schools (A with 4 students, B with 2), a district admin, and an admin of another
 * tenant. Each school has its sessions, a course, a class, a teacher, enrolled students and a parent.
 */
export async function makeOneRosterWorld(app: App) {
  const district = await makeRootOrg(app, 'district', `District ${uniq()}`);
  const admin = await makeUser(app, district, 'admin');
  const a = await makeSchool(app, district, 'A', 4);
  const b = await makeSchool(app, district, 'B', 2);
  const other = await makeRootOrg(app, 'district');
  const otherAdmin = await makeUser(app, other, 'admin');
  return { district, admin, a, b, other, otherAdmin };
}

/** Registers an API client as `adminToken`; returns the record and the secret. */
export async function registerClient(app: App, adminToken: string, organizationId: string, scopes: string[]) {
  const r = await call(app, 'POST', '/api/v1/api-clients', {
    token: adminToken,
    body: { name: `Client ${uniq()}`, organization_id: organizationId, scopes },
  });
  if (r.statusCode !== 201) throw new Error(`api client: ${r.statusCode} ${r.body}`);
  return { client: r.data.data.client, secret: r.data.data.client_secret as string };
}

/** The client credentials grant with HTTP Basic; returns the raw response. */
export function requestToken(app: App, clientId: string, secret: string, form: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/ims/oneroster/v1p2/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    payload: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
  });
}

/** A client of `orgId` with `scopes` and its bearer token. */
export async function clientToken(
  app: App,
  adminToken: string,
  orgId: string,
  scopes: string[] = ALL_SCOPES,
) {
  const { client, secret } = await registerClient(app, adminToken, orgId, scopes);
  const res = await requestToken(app, client.client_id, secret);
  if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return { client, secret, token: JSON.parse(res.body).access_token as string };
}

export const ROSTER = '/ims/oneroster/rostering/v1p2';
export const GRADEBOOK = '/ims/oneroster/gradebook/v1p2';

/** GET a OneRoster path with the client's token. */
export function orGet(app: App, token: string, path: string, query: Record<string, string | number> = {}) {
  return call(app, 'GET', path, { token, query });
}

/** The files of a zip archive (stored or deflated entries), read from its central directory. */
export function unzip(buf: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip archive');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataStart, dataStart + compressed);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

/** Parses simple CSV (quoted cells allowed) into objects keyed by the header. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
