// The app first: it loads the modules in composition order (the academic helper imports tables directly).
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, count, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../src/kernel/sql.js';
import { enrollments } from '../src/modules/enrollments/enrollments.table.js';
import { faculty } from '../src/modules/faculty/faculty.table.js';
import { guardians, studentGuardians, students } from '../src/modules/students/students.table.js';
import { enrollDirect, makeClass, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';
import { upload } from './helpers/personnel.js';

let app: App;
let w: Awaited<ReturnType<typeof makeWorld>>;
let school: Awaited<ReturnType<typeof makeChildOrg>>;
let principal: { token: string };
let otherSchool: Awaited<ReturnType<typeof makeChildOrg>>;

before(async () => {
  app = await buildTestApp();
  w = await makeWorld(app, 'district');
  school = await makeChildOrg(app, w.org, 'school');
  otherSchool = await makeChildOrg(app, w.org, 'school');
  await app.deps.db.execute(sql`update organizations set code = ${uniq('S')} where id = ${school.id}`);
  principal = await makeUser(app, school, 'principal');
});
after(() => app.close());

const dryRun = (target: string, csv: string, extra: Record<string, string> = {}, token = principal.token) =>
  upload(
    app,
    '/api/v1/imports',
    token,
    { target, organization_id: school.id, ...extra },
    { name: `${target}.csv`, content: csv },
  );
const commit = (id: string, body: Record<string, unknown> = { mode: 'valid_only' }) =>
  call(app, 'POST', `/api/v1/imports/${id}/commit`, { token: principal.token, body });

describe('students target: creates students without a login', () => {
  test('new numbers are created (no login), a second run changes nothing, all-or-nothing writes nothing on error', async () => {
    const p = uniq('N');
    const csv = [
      'Student Number,First Name,Last Name,Email,Grade',
      `${p}-1,Ada,Ng,Family@Example.test,1`,
      `${p}-2,Bo,Ng,family@example.test,3`,
      `${p}-3,Cy,,,2`, // no last name: a new student needs one
      `${p}-4,Di,Li,not-an-email,2`,
    ].join('\n');
    const dry = await dryRun('students', csv);
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.summary.create, 2);
    assert.equal(d.summary.error, 2);
    assert.deepEqual(
      d.errors.map((e: any) => [e.row, e.message]),
      [
        [4, 'last_name is required'],
        [5, 'email must be an email address'],
      ],
    );
    expectError(await commit(d.id, { mode: 'all_or_nothing' }), 422, 'import_has_errors');
    const none = await app.deps.db
      .select({ n: count() })
      .from(students)
      .where(eq(students.organizationId, school.id));
    assert.equal(none[0].n, 0);

    const dry2 = await dryRun('students', csv);
    const ok = await commit(dry2.data.data.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 2, updated: 0, deactivated: 0 });
    const rows = await app.deps.db.select().from(students).where(eq(students.organizationId, school.id));
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.userId === null && r.email === 'family@example.test'));
    // One import.create audit row per created student, naming the actor and the student's values.
    const audits = rowsOf(
      await app.deps.db.execute(sql`
      select entity_id, actor_username is not null as by_actor, after->>'student_number' as number
        from audit_logs where action = 'import.create' and entity_type = 'student' and organization_id = ${school.id}
       order by number`),
    );
    assert.deepEqual(
      audits.map((a) => ({ ...a })),
      rows
        .sort((a, b) => a.studentNumber.localeCompare(b.studentNumber))
        .map((r) => ({ entity_id: r.id, by_actor: true, number: r.studentNumber })),
    );

    const again = await dryRun('students', csv);
    assert.equal(again.data.data.summary.create, 0);
    assert.equal(again.data.data.summary.unchanged, 2);
    const ok2 = await commit(again.data.data.id);
    assert.deepEqual(ok2.data.data.summary.result, { created: 0, updated: 0, deactivated: 0 });
  });
});

describe('faculty target', () => {
  test('creates faculty with logins keyed by employee id, updates, refuses taken logins, is idempotent', async () => {
    const p = uniq('E');
    const taken = await makeUser(app, school, 'staff');
    const csv = [
      'Employee ID,First Name,Last Name,Email,Designation,Status',
      `${p}-1,Tom,Ray,${p.toLowerCase()}-1@example.test,Teacher,active`,
      `${p}-2,Una,Ray,${p.toLowerCase()}-2@example.test,Teacher,`,
      `${p}-3,Vic,Ray,${taken.email},Teacher,`,
      `${p}-4,Wes,Ray,,Teacher,`,
    ].join('\n');
    const dry = await dryRun('faculty', csv);
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.summary.create, 2);
    assert.deepEqual(
      d.errors.map((e: any) => [e.row, e.column]),
      [
        [4, 'email'],
        [5, 'email'],
      ],
    );
    assert.match(d.errors[0].message, /already exists/);
    const ok = await commit(d.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 2, updated: 0, deactivated: 0 });
    const rows = await app.deps.db.select().from(faculty).where(eq(faculty.organizationId, school.id));
    assert.equal(rows.length, 2);
    const login = await app.deps.db.execute(
      sql`select u.username, ra.role from users u join role_assignments ra on ra.user_id = u.id
           where u.id = ${rows[0].userId}`,
    );
    const code = (await app.deps.db.execute(sql`select code from organizations where id = ${school.id}`))
      .rows[0] as { code: string };
    assert.equal((login.rows[0] as any).role, 'faculty');
    assert.match((login.rows[0] as any).username, new RegExp(`^${code.code.toLowerCase()}\\.`));

    const upd = `Employee ID,Designation\n${p}-1,Head of Maths\n${p}-2,Teacher\n`;
    const dry2 = await dryRun('faculty', upd);
    assert.equal(dry2.data.data.summary.update, 1);
    assert.deepEqual(dry2.data.data.diff.update[0].changed_fields, ['designation']);
    assert.equal((await commit(dry2.data.data.id)).data.data.summary.result.updated, 1);
    const same = await dryRun('faculty', upd);
    assert.equal(same.data.data.summary.unchanged, 2);
  });
});

describe('guardians target', () => {
  test('keyed by external_id, links children by student number, unknown numbers are errors, idempotent', async () => {
    const a = await makeStudent(app, school);
    const b = await makeStudent(app, school);
    const foreign = await makeStudent(app, otherSchool);
    const p = uniq('G');
    const csv = [
      'Guardian ID,First Name,Last Name,Email,Student Numbers',
      `${p}-1,Rosa,Lopez,rosa@example.test,"${a.studentNumber}; ${b.studentNumber}"`,
      `${p}-2,Ivan,Lopez,rosa@example.test,${b.studentNumber}`,
      `${p}-3,Nia,Other,,${foreign.studentNumber}`,
    ].join('\n');
    const dry = await dryRun('guardians', csv);
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.summary.create, 2);
    assert.equal(d.errors.length, 1);
    assert.equal(d.errors[0].column, 'student_numbers');
    expectStatus(await commit(d.id), 200);
    const g = await app.deps.db.select().from(guardians).where(eq(guardians.organizationId, school.id));
    assert.equal(g.length, 2);
    const links = await app.deps.db
      .select({ n: count() })
      .from(studentGuardians)
      .where(eq(studentGuardians.guardianId, g.find((x) => x.externalId === `${p}-1`)!.id));
    assert.equal(links[0].n, 2);

    // The same file again: nothing to do. Then Rosa keeps only child b.
    const again = await dryRun('guardians', csv);
    assert.equal(again.data.data.summary.unchanged, 2);
    const fewer = `Guardian ID,Student Numbers\n${p}-1,${b.studentNumber}\n`;
    const dry3 = await dryRun('guardians', fewer);
    assert.deepEqual(dry3.data.data.diff.update[0].changed_fields, ['student_numbers']);
    expectStatus(await commit(dry3.data.data.id), 200);
    const left = await app.deps.db
      .select({ s: studentGuardians.studentId })
      .from(studentGuardians)
      .where(eq(studentGuardians.guardianId, g.find((x) => x.externalId === `${p}-1`)!.id));
    assert.deepEqual(
      left.map((l) => l.s),
      [b.id],
    );
  });
});

describe('class_rosters target', () => {
  test('enrolls by student or roll number, errors name unknown classes/students, complete drops with the guard', async () => {
    const cls = await makeClass(app, school);
    const foreignCls = await makeClass(app, otherSchool);
    const s1 = await makeStudent(app, school, { rollNo: uniq('R') });
    const s2 = await makeStudent(app, school);
    const s3 = await makeStudent(app, school);
    await enrollDirect(app, s3.id, cls); // s3 is enrolled but not in the file
    const csv = [
      'class_id,student_number,roll_no',
      `${cls.id},,${s1.rollNo}`,
      `${cls.id},${s2.studentNumber},`,
      `${cls.id},NOPE-${uniq()},`,
      `${foreignCls.id},${s2.studentNumber},`,
      `${cls.id},,`,
    ].join('\n');
    const dry = await dryRun('class_rosters', csv, { complete: 'true' });
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.summary.create, 2, JSON.stringify(d.errors));
    assert.equal(d.summary.deactivate, 1);
    assert.deepEqual(
      d.errors.map((e: any) => [e.row, e.column]),
      [
        [4, 'student_number'],
        [5, 'class_id'],
        [6, null],
      ],
    );
    // 1 of 1 existing enrollment would be dropped: over the 10 % guard.
    expectError(await commit(d.id), 422, 'deactivation_guard');
    const ok = await commit(d.id, { mode: 'valid_only', confirm_deactivate: true });
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 2, updated: 0, deactivated: 1 });
    const active = await app.deps.db
      .select({ s: enrollments.studentId })
      .from(enrollments)
      .where(and(eq(enrollments.classId, cls.id), eq(enrollments.status, 'enrolled')));
    assert.deepEqual(new Set(active.map((a) => a.s)), new Set([s1.id, s2.id]));

    const again = await dryRun('class_rosters', csv, { complete: 'true' });
    assert.equal(again.data.data.summary.unchanged, 2);
    assert.equal(again.data.data.summary.deactivate, 0);
  });

  test('rows that name another school are errors, never silent writes', async () => {
    const p = uniq('X');
    for (const [target, header, row] of [
      ['students', 'student_number,first_name,last_name,school_id', `${p}-1,A,B,${otherSchool.id}`],
      [
        'faculty',
        'employee_id,first_name,last_name,email,school_id',
        `${p}-2,A,B,${p}@example.test,${otherSchool.id}`,
      ],
      ['guardians', 'external_id,first_name,last_name,organization_id', `${p}-3,A,B,${otherSchool.id}`],
    ]) {
      const d = (await dryRun(target, `${header}\n${row}\n`)).data.data;
      assert.equal(d.summary.error, 1, target);
      assert.match(d.errors[0].message, /another school/);
      expectError(await commit(d.id, { mode: 'all_or_nothing' }), 422, 'import_has_errors');
    }
  });

  test('scope: another school answers 404, a teacher 403, nothing is written', async () => {
    const other = await upload(
      app,
      '/api/v1/imports',
      principal.token,
      { target: 'class_rosters', organization_id: otherSchool.id },
      { name: 'r.csv', content: 'class_id,student_number\n' },
    );
    expectError(other, 404);
    const teacher = await makeUser(app, school, 'faculty');
    expectError(await dryRun('faculty', 'employee_id\nX\n', {}, teacher.token), 403);
    for (const target of ['faculty', 'guardians', 'class_rosters', 'students']) {
      expectError(
        await upload(
          app,
          '/api/v1/imports',
          w.otherAdmin.token,
          { target, organization_id: school.id },
          { name: 'x.csv', content: 'a\n1\n' },
        ),
        404,
      );
    }
  });
});
