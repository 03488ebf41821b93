// A OneRoster 1.2 CSV zip exported from one Registrar and imported into an empty one (issue 17, round trip).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ZipArchive } from 'archiver';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/kernel/sql.js';
import { idOf } from '../src/modules/imports/imports-oneroster.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeRootOrg, makeUser } from './helpers/factories.js';
import { waitForJob } from './helpers/jobs.js';
import { clientToken, makeOneRosterWorld, parseCsv, unzip } from './helpers/oneroster.js';
import { upload } from './helpers/personnel.js';

type World = Awaited<ReturnType<typeof makeOneRosterWorld>>;
type Csv = Array<Record<string, string>>;

async function exportZip(app: App, token: string): Promise<Buffer> {
  const res = await app.inject({
    method: 'GET',
    url: '/ims/oneroster/v1p2/csv',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.rawPayload;
}

/** A zip of these files (deflated, with data descriptors, as any streaming zip writer makes it). */
async function zipOf(files: Map<string, string>): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  for (const [name, text] of files) zip.append(text, { name });
  void zip.finalize();
  const chunks: Buffer[] = [];
  for await (const c of zip) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const toCsv = (rows: Csv) => {
  const header = Object.keys(rows[0]);
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows.map((r) => header.map((h) => r[h] ?? ''))]
    .map((l) => l.map(cell).join(','))
    .join('\r\n');
};

const sortBy = (rows: Csv, key: (r: Record<string, string>) => string) =>
  [...rows].sort((a, b) => key(a).localeCompare(key(b)));
const pick = (rows: Csv, drop: string[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k))));

describe('OneRoster CSV zip: export from A, import into an empty B', () => {
  let a: App;
  let b: App;
  let w: World;
  let zip: Buffer;
  let files: Map<string, string>;
  let root: { id: string };
  let admin: { token: string };

  const importZip = (content: Buffer, fields: Record<string, string> = {}, token = admin.token) =>
    upload(
      b,
      '/api/v1/imports',
      token,
      { target: 'oneroster', organization_id: root.id, ...fields },
      { name: 'oneroster.zip', content },
    );
  const commit = (id: string, mode = 'all_or_nothing') =>
    call(b, 'POST', `/api/v1/imports/${id}/commit`, { token: admin.token, body: { mode } });
  const counts = async () =>
    rowsOf<Record<string, number>>(
      await b.deps.db.execute(sql`select
        (select count(*)::int from organizations) as orgs, (select count(*)::int from academic_sessions) as sessions,
        (select count(*)::int from courses) as courses, (select count(*)::int from classes) as classes,
        (select count(*)::int from students) as students, (select count(*)::int from faculty) as faculty,
        (select count(*)::int from enrollments) as enrollments,
        (select count(*)::int from teaching_assignments) as teaching,
        (select max(updated_at)::text from students) as students_updated`),
    )[0];

  before(async () => {
    a = await buildTestApp();
    w = await makeOneRosterWorld(a);
    // Demographics for two students (the others have none: all their demographics rows are empty).
    await a.deps.db.execute(
      sql`update students set date_of_birth = '2012-03-04', gender = 'F' where id = ${w.a.students[0].id}`,
    );
    zip = await exportZip(a, (await clientToken(a, w.admin.token, w.district.id)).token);
    files = unzip(zip);
    // B is always an empty embedded database (on a PostgreSQL run A's records would already be in B).
    b = await buildTestApp({ DATABASE_URL: '' });
    root = await makeRootOrg(b, 'district');
    admin = await makeUser(b, root, 'admin');
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('dry run, commit: B serves the same orgs, sessions, courses, classes, users and enrollments', async () => {
    const dry = await importZip(zip);
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.state, 'validated');
    assert.equal(d.summary.error, 0, JSON.stringify(d.errors));
    assert.deepEqual(d.summary.files, [
      'orgs.csv',
      'academicSessions.csv',
      'courses.csv',
      'classes.csv',
      'users.csv',
      'enrollments.csv',
      'demographics.csv',
    ]);
    // 3 orgs, 6 sessions, 2 courses, 2 classes, 6 students + 2 teachers + 2 parents, 6 + 2 enrollments
    assert.equal(d.summary.create, 3 + 6 + 2 + 2 + 10 + 8);
    assert.deepEqual(d.summary.skipped_rows, {});
    // Demographics (every student of the world has a birth date and a gender): updates of the records the
    // import creates.
    assert.deepEqual([...new Set(d.diff.update.map((u: any) => u.file))], ['demographics.csv']);
    assert.equal(d.summary.update, 6);
    assert.deepEqual(d.diff.update.find((u: any) => u.key === w.a.students[0].id).values, {
      birth_date: '2012-03-04',
      sex: 'female',
    });
    const parent = d.diff.create.find((c: any) => c.file === 'users.csv' && c.values.role === 'parent');
    assert.ok(parent?.values.children, 'a parent row carries its children');
    const district = d.diff.create.find((c: any) => c.key === w.district.id);
    assert.equal(district.file, 'orgs.csv');
    assert.ok(district.row >= 2 && district.row <= 4, 'the row in orgs.csv, not the staging number');
    assert.deepEqual(district.values, {
      name: w.district.name,
      type: 'district',
      identifier: null,
      parent: root.id,
    });
    assert.equal((await counts()).classes, 0, 'a dry run writes nothing');

    const ok = await commit(d.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 31, updated: 6, deactivated: 0 });

    const back = unzip(await exportZip(b, (await clientToken(b, admin.token, root.id)).token));
    const A = (f: string) => parseCsv(files.get(f)!);
    const B = (f: string) => parseCsv(back.get(f)!);
    // Organizations: A's tree hangs under B's own root (the organization imported into).
    assert.deepEqual(
      sortBy(
        B('orgs.csv').filter((o) => o.sourcedId !== root.id),
        (r) => r.sourcedId,
      ),
      sortBy(
        A('orgs.csv').map((o) => (o.sourcedId === w.district.id ? { ...o, parentSourcedId: root.id } : o)),
        (r) => r.sourcedId,
      ),
    );
    for (const f of ['academicSessions.csv', 'courses.csv', 'classes.csv']) {
      assert.deepEqual(
        sortBy(B(f), (r) => r.sourcedId),
        sortBy(A(f), (r) => r.sourcedId),
        f,
      );
    }
    // Users: the same people with the same ids, parents linked to the same children (agentSourcedIds on both
    // sides); logins and passwords are not imported.
    const people = (rows: Csv) => sortBy(pick(rows, ['username']), (r) => r.sourcedId);
    assert.equal(people(A('users.csv')).length, 10);
    // Parents: no identifier, their children as agents (their role is in roles.csv).
    assert.equal(A('users.csv').filter((u) => !u.identifier && u.agentSourcedIds).length, 2);
    assert.deepEqual(people(B('users.csv')), people(A('users.csv')));
    // Demographics: the same birth dates and sexes.
    assert.deepEqual(
      sortBy(B('demographics.csv'), (r) => r.sourcedId),
      sortBy(A('demographics.csv'), (r) => r.sourcedId),
    );
    assert.equal(
      A('demographics.csv').filter((r) => r.birthDate === '2012-03-04' && r.sex === 'female').length,
      1,
    );
    // Enrollments: the same (class, user, role, primary); teachers keep their sourcedId.
    const enr = (rows: Csv) =>
      sortBy(
        rows.map((e) => ({ ...e, sourcedId: e.role === 'teacher' ? e.sourcedId : '' })),
        (r) => `${r.classSourcedId}|${r.userSourcedId}|${r.role}`,
      );
    assert.equal(A('enrollments.csv').length, 8);
    assert.deepEqual(enr(B('enrollments.csv')), enr(A('enrollments.csv')));
  });

  test('the same zip twice: the second dry run is all unchanged and its commit writes nothing', async () => {
    const before = await counts();
    const dry = await importZip(zip);
    expectStatus(dry, 201);
    const s = dry.data.data.summary;
    assert.deepEqual([s.create, s.update, s.error, s.unchanged], [0, 0, 0, 37]);
    const ok = await commit(dry.data.data.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 0, updated: 0, deactivated: 0 });
    assert.deepEqual(await counts(), before);
  });

  test('a changed name is an update of that record only', async () => {
    const users = parseCsv(files.get('users.csv')!);
    const student = users.find((u) => u.identifier && u.userIds.includes('studentNumber'))!;
    const changed = new Map(files);
    changed.set(
      'users.csv',
      toCsv(users.map((u) => (u.sourcedId === student.sourcedId ? { ...u, givenName: 'Renamed' } : u))),
    );
    const courses = parseCsv(files.get('courses.csv')!);
    const course = courses[0];
    changed.set(
      'courses.csv',
      toCsv(courses.map((c) => (c.sourcedId === course.sourcedId ? { ...c, title: 'Algebra II' } : c))),
    );
    const dry = await importZip(await zipOf(changed));
    const d = dry.data.data;
    assert.deepEqual([d.summary.create, d.summary.update, d.summary.error], [0, 2, 0]);
    assert.deepEqual(
      d.diff.update.map((u: any) => [u.file, u.key, u.changed_fields]),
      [
        ['courses.csv', course.sourcedId, ['title']],
        ['users.csv', student.sourcedId, ['first_name']],
      ],
    );
    const ok = await commit(d.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 0, updated: 2, deactivated: 0 });
    const [row] = rowsOf<{ first_name: string; course: string; audits: number }>(
      await b.deps.db.execute(sql`select
        (select first_name from students where id = ${student.sourcedId}) as first_name,
        (select name from courses where id = ${course.sourcedId}) as course,
        (select count(*)::int from audit_logs where action = 'import.update' and entity_type = 'course'
          and entity_id = ${course.sourcedId}) as audits`),
    );
    assert.deepEqual({ ...row }, { first_name: 'Renamed', course: 'Algebra II', audits: 1 });
  });

  test('a tobedeleted row (delta file) is skipped and counted: an import deletes nothing', async () => {
    const users = parseCsv(files.get('users.csv')!);
    const gone = users.find((u) => u.identifier && u.userIds.includes('employeeId'))!;
    const delta = new Map(files);
    delta.set(
      'users.csv',
      toCsv(
        users.map((u) =>
          u.sourcedId === gone.sourcedId
            ? { ...u, status: 'tobedeleted', givenName: '', familyName: '', identifier: '' }
            : u,
        ),
      ),
    );
    const d = (await importZip(await zipOf(delta))).data.data;
    // The updates: the student and the course renamed by the previous test, renamed back by A's file.
    assert.deepEqual(
      [d.summary.create, d.summary.update, d.summary.error],
      [0, 2, 0],
      JSON.stringify(d.errors),
    );
    assert.equal(d.summary.unchanged, 34);
    assert.deepEqual(d.summary.skipped_rows, { 'users.csv:tobedeleted': 1 });
    expectStatus(await commit(d.id), 200);
    const [row] = rowsOf<{ n: number }>(
      await b.deps.db.execute(
        sql`select count(*)::int as n from faculty where id = ${gone.sourcedId} and deleted_at is null`,
      ),
    );
    assert.equal(row.n, 1);
  });

  test('bad rows: the dry run names file, row, column, value and message; all-or-nothing writes nothing', async () => {
    const bad = new Map<string, string>();
    bad.set('manifest.csv', files.get('manifest.csv')!);
    bad.set(
      'orgs.csv',
      'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\nschool-x,,,School X,school,SX,\r\n',
    );
    bad.set(
      'courses.csv',
      'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\r\n' +
        'course-x,,,,Geometry,GEO-X,,school-x,,\r\n',
    );
    bad.set(
      'classes.csv',
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\r\n' +
        'class-x,,,Geometry 1,,course-x,A,scheduled,,school-x,,,,\r\n' +
        'class-y,,,Ghost,,no-such-course,A,scheduled,,school-x,,,,\r\n',
    );
    bad.set(
      'users.csv',
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,role\r\n' +
        'stu-1,,,true,,,Ana,Li,,X-1,,,,,7,,,,,,,school-x,,student\r\n' +
        'stu-2,,,true,,,,Li,,X-2,,,,,7,,,,,,,school-x,,student\r\n',
    );
    const dry = await importZip(await zipOf(bad));
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.deepEqual(
      d.errors.map((e: any) => [e.file, e.row, e.column, e.value, e.message]),
      [
        ['classes.csv', 3, 'courseSourcedId', 'no-such-course', 'no such course in the import'],
        ['users.csv', 3, 'givenName', null, 'givenname is required'],
      ],
    );
    assert.deepEqual([d.summary.create, d.summary.error], [4, 2]);
    const csv = await call(b, 'GET', `/api/v1/imports/${d.id}/errors.csv`, { token: admin.token });
    assert.match(
      csv.body,
      /^file,row,column,value,message\r\nclasses\.csv,3,courseSourcedId,no-such-course,/,
    );
    const before = await counts();
    expectError(await commit(d.id), 422, 'import_has_errors');
    assert.deepEqual(await counts(), before);

    const again = await importZip(await zipOf(bad));
    const ok = await commit(again.data.data.id, 'valid_only');
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 4, updated: 0, deactivated: 0 });
    const after = await counts();
    assert.equal(after.orgs, before.orgs + 1);
    assert.equal(after.classes, before.classes + 1);
    assert.equal(after.students, before.students + 1);
    // A non-UUID sourcedId becomes a deterministic UUID v5: the same file again matches the same records.
    const [org] = rowsOf<{ name: string }>(
      await b.deps.db.execute(sql`select name from organizations where id = ${idOf('school-x')}`),
    );
    assert.equal(org?.name, 'School X');
    assert.equal(idOf('school-x'), idOf('school-x'));
    assert.match(idOf('school-x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const third = (await importZip(await zipOf(bad))).data.data.summary;
    assert.deepEqual([third.create, third.update, third.unchanged, third.error], [0, 0, 4, 2]);
  });

  test('sourcedIds of records outside the organization imported into are errors, never silent writes', async () => {
    // A's own zip imported into another tenant of A: every id already names a record of the district.
    const tenant = await makeRootOrg(a, 'district');
    const tenantAdmin = await makeUser(a, tenant, 'admin');
    const res = await upload(
      a,
      '/api/v1/imports',
      tenantAdmin.token,
      { target: 'oneroster', organization_id: tenant.id },
      { name: 'oneroster.zip', content: zip },
    );
    expectStatus(res, 201);
    const d = res.data.data;
    assert.equal(d.summary.create + d.summary.update + d.summary.unchanged, 0, JSON.stringify(d.diff));
    assert.equal(d.summary.error, 37);
    // The orgs are taken elsewhere; every other row then names an organization, class or user the import lacks.
    assert.deepEqual(
      d.errors.filter((e: any) => e.file === 'orgs.csv').map((e: any) => e.message),
      Array(3).fill('the sourcedId names a record outside the organization imported into'),
    );
    assert.deepEqual(
      [...new Set(d.errors.map((e: any) => e.file))],
      [
        'orgs.csv',
        'academicSessions.csv',
        'courses.csv',
        'classes.csv',
        'users.csv',
        'enrollments.csv',
        'demographics.csv',
      ],
    );
    expectError(
      await call(a, 'POST', `/api/v1/imports/${d.id}/commit`, {
        token: tenantAdmin.token,
        body: { mode: 'all_or_nothing' },
      }),
      422,
      'import_has_errors',
    );
  });

  test('scope: an admin of another organization gets 404; a file that is not a zip is a 400', async () => {
    const other = await makeRootOrg(b, 'district');
    const otherAdmin = await makeUser(b, other, 'admin');
    expectError(await importZip(zip, {}, otherAdmin.token), 404);
    expectError(
      await upload(
        b,
        '/api/v1/imports',
        admin.token,
        { target: 'oneroster', organization_id: root.id },
        {
          name: 'x.csv',
          content: 'sourcedId\n1\n',
        },
      ),
      400,
    );
    // A damaged zip is a clear 4xx (unreadable_file), never a 500, and the import is marked failed.
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
    const res = await importZip(broken);
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
    const truncated = await importZip(zip.subarray(0, Math.floor(zip.length / 2)));
    assert.ok(
      truncated.statusCode >= 400 && truncated.statusCode < 500,
      `${truncated.statusCode} ${truncated.body}`,
    );
  });

  test('parents: a changed child is an update of the links; an unknown child is a row error', async () => {
    const users = parseCsv(files.get('users.csv')!);
    const parents = users.filter((u) => !u.identifier && u.agentSourcedIds);
    const kids = users.filter((u) => u.userIds.includes('studentNumber'));
    const [p1, p2] = parents;
    const other = kids.find(
      (k) => !p1.agentSourcedIds.includes(k.sourcedId) && k.primaryOrgSourcedId === p1.primaryOrgSourcedId,
    )!;
    const changed = new Map(files);
    changed.set(
      'users.csv',
      toCsv(
        users.map((u) =>
          u.sourcedId === p1.sourcedId
            ? { ...u, agentSourcedIds: other.sourcedId }
            : u.sourcedId === p2.sourcedId
              ? { ...u, agentSourcedIds: `${p2.agentSourcedIds},no-such-student` }
              : u,
        ),
      ),
    );
    // Demographics: a new birth date is an update of the student; an unknown sex is a row error.
    const demo = parseCsv(files.get('demographics.csv')!);
    const [d1, d2] = demo;
    changed.set(
      'demographics.csv',
      toCsv(
        demo.map((r) =>
          r.sourcedId === d1.sourcedId
            ? { ...r, birthDate: '2011-01-02' }
            : r.sourcedId === d2.sourcedId
              ? { ...r, sex: 'robot' }
              : r,
        ),
      ),
    );
    const d = (await importZip(await zipOf(changed))).data.data;
    assert.deepEqual(
      d.diff.update.map((u: any) => [u.file, u.key, u.changed_fields]),
      [
        ['users.csv', p1.sourcedId, ['children']],
        ['demographics.csv', d1.sourcedId, ['birth_date']],
      ],
    );
    assert.deepEqual(
      d.errors.map((e: any) => [e.file, e.column, e.value]),
      [
        ['users.csv', 'agentSourcedIds', idOf('no-such-student')],
        ['demographics.csv', 'sex', 'robot'],
      ],
    );
    expectStatus(await commit(d.id, 'valid_only'), 200);
    const links = rowsOf<{ student_id: string }>(
      await b.deps.db.execute(
        sql`select student_id from student_guardians where guardian_id = ${p1.sourcedId}`,
      ),
    );
    assert.deepEqual(
      links.map((l) => l.student_id),
      [other.sourcedId],
    );
    const [audit] = rowsOf<{ n: number }>(
      await b.deps.db.execute(sql`select count(*)::int as n from audit_logs where action = 'import.update'
        and entity_type = 'guardian' and entity_id = ${p1.sourcedId}`),
    );
    assert.equal(audit.n, 1);
    const [born] = rowsOf<{ d: string }>(
      await b.deps.db.execute(sql`select date_of_birth::text as d from students where id = ${d1.sourcedId}`),
    );
    assert.equal(born.d, '2011-01-02');
  });
});

describe('OneRoster zip: a larger file, batches spanning files, the commit as a job', () => {
  let c: App;
  let root: Awaited<ReturnType<typeof makeRootOrg>>;
  let admin: { token: string };
  before(async () => {
    c = await buildTestApp({
      JOBS_WORKER: 'true',
      JOBS_RETRY_DELAY_SECONDS: '1',
      IMPORT_SYNC_COMMIT_ROWS: '100',
    });
  });
  after(() => c.close());

  let x = '';
  test('1,200 students and their enrollments: staged in batches, committed by an imports.commit job', async () => {
    root = await makeRootOrg(c, 'district');
    admin = await makeUser(c, root, 'admin');
    const n = 1200;
    // sourcedIds unique per run: a PostgreSQL test database keeps the records of earlier runs.
    x = uniq('or');
    const files = new Map<string, string>();
    files.set(
      'orgs.csv',
      `sourcedId,name,type,identifier,parentSourcedId\r\n${x}-sch,Big School,school,${x},\r\n`,
    );
    files.set(
      'academicSessions.csv',
      `sourcedId,title,type,startDate,endDate,parentSourcedId,schoolYear\r\n${x}-fall,Fall,term,2026-08-15,2026-12-20,,2027\r\n`,
    );
    files.set('courses.csv', `sourcedId,title,courseCode,orgSourcedId\r\n${x}-alg,Algebra,ALG,${x}-sch\r\n`);
    files.set(
      'classes.csv',
      `sourcedId,title,courseSourcedId,classCode,schoolSourcedId,termSourcedIds\r\n${x}-alg-a,Algebra A,${x}-alg,A,${x}-sch,${x}-fall\r\n`,
    );
    const users = ['sourcedId,givenName,familyName,identifier,email,primaryOrgSourcedId,role'];
    const enr = ['sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary'];
    users.push(`${x}-t-1,Tess,Ng,E-1,${x}@example.test,${x}-sch,teacher`);
    enr.push(`${x}-e-t-1,${x}-alg-a,${x}-sch,${x}-t-1,teacher,true`);
    for (let i = 0; i < n; i++) {
      users.push(`${x}-s-${i},First${i},Last${i},N-${i},,${x}-sch,student`);
      enr.push(`${x}-e-${i},${x}-alg-a,${x}-sch,${x}-s-${i},student,false`);
    }
    files.set('users.csv', users.join('\r\n'));
    files.set('enrollments.csv', enr.join('\r\n'));
    const dry = await upload(
      c,
      '/api/v1/imports',
      admin.token,
      { target: 'oneroster', organization_id: root.id },
      { name: 'big.zip', content: await zipOf(files) },
    );
    expectStatus(dry, 201);
    const d = dry.data.data;
    const total = 4 + 2 * (n + 1);
    assert.deepEqual([d.summary.create, d.summary.error], [total, 0], JSON.stringify(d.errors));
    assert.equal(d.progress.rows_read, total);
    const res = await call(c, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: admin.token,
      body: { mode: 'all_or_nothing' },
    });
    expectStatus(res, 202);
    const job = await waitForJob(c, admin.token, res.data.data.job_id, 120_000);
    assert.equal(job.state, 'succeeded', JSON.stringify(job));
    const done = await call(c, 'GET', `/api/v1/imports/${d.id}`, { token: admin.token });
    assert.equal(done.data.data.state, 'committed');
    assert.deepEqual(done.data.data.summary.result, { created: total, updated: 0, deactivated: 0 });
    const [k] = rowsOf<Record<string, number>>(
      await c.deps.db.execute(sql`select
        (select count(*)::int from students s join organizations o on o.id = s.organization_id
          where o.path like ${`${root.path}%`}) as students,
        (select count(*)::int from enrollments where class_id = ${idOf(`${x}-alg-a`)}) as enrollments,
        (select count(*)::int from teaching_assignments where class_id = ${idOf(`${x}-alg-a`)}) as teaching`),
    );
    assert.deepEqual(k, { students: n, enrollments: n, teaching: 1 });
  });

  test('codes and logins a new organization would collide on are dry-run errors (never a silent skip)', async () => {
    const files = new Map<string, string>();
    files.set(
      'orgs.csv',
      `sourcedId,name,type,identifier,parentSourcedId\r\n${x}-twin,Twin School,school,${x},\r\n` +
        `${x}-annex,Annex,school,${x},${x}-sch\r\n`,
    );
    files.set(
      'users.csv',
      `sourcedId,givenName,familyName,identifier,email,primaryOrgSourcedId,role\r\n` +
        `${x}-t-2,Theo,Ng,E-1,${x}.theo@example.test,${x}-annex,teacher\r\n`,
    );
    const dry = await upload(
      c,
      '/api/v1/imports',
      admin.token,
      { target: 'oneroster', organization_id: root.id },
      { name: 'twin.zip', content: await zipOf(files) },
    );
    expectStatus(dry, 201);
    const d = dry.data.data;
    // The twin's code is taken by Big School (same parent); the annex (under Big School) may reuse it, but
    // its teacher's login name <code>.<employee id> is Tess's.
    assert.deepEqual(
      d.errors.map((e: any) => [e.file, e.row, e.column]),
      [
        ['orgs.csv', 2, 'identifier'],
        ['users.csv', 2, 'employee_id'],
      ],
      JSON.stringify(d.errors),
    );
    assert.equal(d.summary.create, 1);
  });
});
