// The student import's set-based commit (applyStagedStudents): rows are re-checked against the students as
// they are at commit time, merged values are written, and every write is audited like the row-by-row path.
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../src/kernel/sql.js';
import { students } from '../src/modules/students/students.table.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { makeChildOrg, makeUser, makeWorld } from './helpers/factories.js';
import { upload } from './helpers/personnel.js';

let app: App;
let school: Awaited<ReturnType<typeof makeChildOrg>>;
let principal: { token: string };

before(async () => {
  app = await buildTestApp();
  const w = await makeWorld(app, 'district');
  school = await makeChildOrg(app, w.org, 'school');
  principal = await makeUser(app, school, 'principal');
});
after(() => app.close());

const dryRun = (csv: string) =>
  upload(
    app,
    '/api/v1/imports',
    principal.token,
    { target: 'students', organization_id: school.id },
    { name: 'students.csv', content: csv },
  );
const commit = (id: string) =>
  call(app, 'POST', `/api/v1/imports/${id}/commit`, { token: principal.token, body: { mode: 'valid_only' } });
const student = async (id: string) =>
  (await app.deps.db.select().from(students).where(eq(students.id, id)))[0];

describe('students target: the commit re-checks every row against the students at commit time', () => {
  test('writes merged values, skips rows made invalid since the dry run, audits changed fields only, runs once', async () => {
    const a = await makeStudent(app, school, { firstName: 'Ada', gradeLevel: '5' });
    const gone = await makeStudent(app, school, { firstName: 'Gus', gradeLevel: '5' });
    const late = await makeStudent(app, school, { firstName: 'Liv', gradeLevel: '5' });
    // Neither has a login at the dry run; `late` gets one before the commit (its email is then the login's).
    await app.deps.db.execute(sql`update students set user_id = null where id in (${a.id}, ${late.id})`);
    const fresh = uniq('N');
    const csv = [
      'Student Number,First Name,Last Name,Email,Grade,Date of Birth,Status',
      `${a.studentNumber},Ada,${a.lastName},${a.email},6,2012-03-04,`,
      `${gone.studentNumber},Gus,${gone.lastName},${gone.email},7,,`,
      `${late.studentNumber},Liv,${late.lastName},new.${late.email},5,,`,
      `${fresh},Nia,Obi,Nia.Obi@Example.test,1,2019-12-31,`,
    ].join('\n');
    const dry = await dryRun(csv);
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.deepEqual(
      [d.summary.create, d.summary.update, d.summary.unchanged, d.summary.error],
      [1, 3, 0, 0],
    );
    assert.deepEqual(
      d.diff.update.map((u: { key: string; changed_fields: string[] }) => [u.key, u.changed_fields]),
      [
        [a.studentNumber, ['grade_level', 'date_of_birth']],
        [gone.studentNumber, ['grade_level']],
        [late.studentNumber, ['email']],
      ],
    );

    // Since the dry run: `gone` is deleted, `late` has a login again.
    await app.deps.db.execute(sql`update students set deleted_at = now() where id = ${gone.id}`);
    await app.deps.db.execute(sql`update students set user_id = ${late.userId} where id = ${late.id}`);

    const ok = await commit(d.id);
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 1, updated: 1, deactivated: 0 });
    const ra = await student(a.id);
    assert.deepEqual(
      [ra.firstName, ra.gradeLevel, ra.dateOfBirth, ra.email, ra.studentStatus],
      ['Ada', '6', '2012-03-04', a.email, 'active'],
    );
    assert.equal((await student(gone.id)).gradeLevel, '5');
    assert.equal((await student(late.id)).email, late.email);
    const [created] = await app.deps.db.select().from(students).where(eq(students.studentNumber, fresh));
    assert.deepEqual(
      [created.firstName, created.lastName, created.email, created.gradeLevel, created.dateOfBirth],
      ['Nia', 'Obi', 'nia.obi@example.test', '1', '2019-12-31'],
    );
    assert.equal(created.studentStatus, 'active');
    assert.equal(created.userId, null);
    assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const audits = rowsOf<{
      action: string;
      entity_id: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      changed_fields: string[] | null;
      actor_username: string | null;
    }>(
      await app.deps.db.execute(sql`
        select action, entity_id, before, after, changed_fields, actor_username from audit_logs
         where entity_type = 'student' and organization_id = ${school.id} and action like 'import.%'
         order by action, entity_id`),
    );
    assert.equal(audits.length, 2);
    const [ins, upd] = audits;
    assert.equal(ins.action, 'import.create');
    assert.equal(ins.entity_id, created.id);
    assert.equal(ins.after?.student_number, fresh);
    assert.equal(ins.after?.email, 'nia.obi@example.test');
    assert.equal(upd.action, 'import.update');
    assert.equal(upd.entity_id, a.id);
    assert.ok(upd.actor_username);
    assert.deepEqual([...(upd.changed_fields ?? [])].sort(), ['date_of_birth', 'grade_level']);
    assert.deepEqual(upd.before, { grade_level: '5', date_of_birth: null });
    assert.deepEqual(upd.after, { grade_level: '6', date_of_birth: '2012-03-04' });

    // The same file again: the rows made invalid are errors now, the others unchanged; nothing is written.
    const again = await dryRun(csv);
    const s = again.data.data.summary;
    assert.deepEqual([s.create, s.update, s.unchanged, s.error], [0, 0, 2, 2]);
    const ok2 = await commit(again.data.data.id);
    assert.deepEqual(ok2.data.data.summary.result, { created: 0, updated: 0, deactivated: 0 });
    const n = rowsOf<{ n: number }>(
      await app.deps.db.execute(sql`
        select count(*)::int as n from audit_logs
         where entity_type = 'student' and organization_id = ${school.id} and action like 'import.%'`),
    );
    assert.equal(n[0].n, 2);
  });
});

describe('kernel: uuidv7Sql, the ids the set-based commit makes', () => {
  test('are version 7 with the RFC 9562 variant, carry the clock, and follow each other in time', async () => {
    const { uuidv7Sql } = await import('../src/kernel/ids.js');
    const t0 = Date.now();
    const res = await app.deps.db.execute(sql`select ${uuidv7Sql}::text as id from generate_series(1, 50)`);
    const ids = rowsOf<{ id: string }>(res).map((r) => r.id);
    assert.equal(new Set(ids).size, 50);
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      assert.ok(Math.abs(ms - t0) < 60_000, `${id}: ${ms} vs ${t0}`);
    }
    const later = rowsOf<{ id: string }>(
      await app.deps.db.execute(sql`select pg_sleep(0.005), ${uuidv7Sql}::text as id`),
    )[0].id;
    assert.ok(later.slice(0, 13) >= ids[0].slice(0, 13), `${later} after ${ids[0]}`);
  });
});
