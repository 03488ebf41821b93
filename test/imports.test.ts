// The app first: it loads the modules in composition order (the academic helper imports tables directly).
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { and, count, eq, isNull, max } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { auditLogs } from '../src/kernel/audit.table.js';
import { imports } from '../src/modules/imports/imports.table.js';
import { personnel, personnelStatusHistory } from '../src/modules/personnel/personnel.table.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, uniq } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';
import { addPerson, makeRegister, makeRegisterUser, personnelCsv, upload } from './helpers/personnel.js';

let app: App;
let w: Awaited<ReturnType<typeof makeWorld>>;
let staff: { token: string; username: string };
let faculty: { token: string };
let reg: { id: string; short_code: string };
let forbidden: { id: string; short_code: string };
let foreign: { id: string };

const live = async (registerId: string) =>
  (
    await app.deps.db
      .select({ n: count() })
      .from(personnel)
      .where(and(eq(personnel.registerId, registerId), isNull(personnel.deletedAt)))
  )[0].n;

before(async () => {
  // The 10,000-row commits here run in the request; test/imports-jobs.test.ts covers commits as jobs.
  app = await buildTestApp({ IMPORT_SYNC_COMMIT_ROWS: '20000' });
  w = await makeWorld(app, 'office');
  reg = await makeRegister(app, w.admin.token, w.org.id);
  forbidden = await makeRegister(app, w.admin.token, w.org.id);
  foreign = await makeRegister(app, w.otherAdmin.token, w.otherOrg.id);
  staff = await makeRegisterUser(app, w.org, 'staff', [reg.id]);
  faculty = await makeUser(app, w.org, 'faculty');
});
after(() => app.close());

describe('a 10,000-row file with exactly 3 bad rows', () => {
  test('dry run lists the 3; all-or-nothing writes nothing; valid-only writes 9,997; a second run changes nothing', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const csv = personnelCsv(10_000, uniq('B'), [17, 5_000, 9_999]).replace(/retired\?\?/, '=HYPERLINK(1)');
    const dry = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: r.id },
      { name: 'roster.csv', content: csv },
    );
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.state, 'validated');
    assert.equal(d.progress.rows_read, 10_000);
    assert.equal(d.summary.error, 3);
    assert.equal(d.summary.create, 9_997);
    assert.deepEqual(
      d.errors.map((e: { row: number }) => e.row),
      [18, 5_001, 10_000],
    );
    assert.ok(d.errors.every((e: { column: string }) => e.column === 'status'));
    assert.equal(d.diff.create.length, 100);
    assert.match(d.file.sha256, /^[0-9a-f]{64}$/);
    assert.equal(await live(r.id), 0);

    const csvRes = await app.inject({
      method: 'GET',
      url: `/api/v1/imports/${d.id}/errors.csv`,
      headers: { authorization: `Bearer ${w.admin.token}` },
    });
    expectStatus(csvRes, 200);
    const lines = csvRes.body.trim().split('\r\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[1].startsWith("18,status,'=HYPERLINK(1),"), lines[1]);

    const aon = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: w.admin.token,
      body: { mode: 'all_or_nothing' },
    });
    expectError(aon, 422, 'import_has_errors');
    assert.equal(await live(r.id), 0);
    const direct = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: r.id, mode: 'all_or_nothing' },
      { name: 'roster.csv', content: csv },
    );
    expectError(direct, 422, 'import_has_errors');
    assert.equal(await live(r.id), 0);

    const valid = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: r.id, mode: 'valid_only' },
      { name: 'roster.csv', content: csv },
    );
    expectStatus(valid, 201);
    assert.equal(valid.data.data.state, 'committed');
    assert.deepEqual(valid.data.data.summary.result, { created: 9_997, updated: 0, deactivated: 0 });
    assert.equal(valid.data.data.progress.rows_written, 9_997);
    assert.equal(await live(r.id), 9_997);
    const history = async () =>
      (
        await app.deps.db
          .select({ n: count() })
          .from(personnelStatusHistory)
          .where(eq(personnelStatusHistory.registerId, r.id))
      )[0].n;
    const lastUpdate = async () =>
      (
        await app.deps.db
          .select({ m: max(personnel.updatedAt) })
          .from(personnel)
          .where(eq(personnel.registerId, r.id))
      )[0].m;
    assert.equal(await history(), 9_997);
    const stamp = await lastUpdate();
    const audits = await app.deps.db
      .select({ n: count() })
      .from(auditLogs)
      .where(eq(auditLogs.action, 'import.create'));
    assert.ok(audits[0].n >= 9_997);

    const again = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: r.id, mode: 'valid_only' },
      { name: 'roster.csv', content: csv },
    );
    expectStatus(again, 201);
    assert.deepEqual(again.data.data.summary.result, { created: 0, updated: 0, deactivated: 0 });
    assert.equal(again.data.data.summary.unchanged, 9_997);
    assert.equal(again.data.data.file.sha256, d.file.sha256);
    assert.equal(await live(r.id), 9_997);
    assert.equal(await history(), 9_997);
    assert.deepEqual(await lastUpdate(), stamp);
  });
});

describe('scope', () => {
  test('a register user importing into a register not allowed gets 404 and nothing is written', async () => {
    const before = (await app.deps.db.select({ n: count() }).from(imports))[0].n;
    const csv = personnelCsv(5, uniq('N'));
    for (const mode of ['dry_run', 'valid_only', 'all_or_nothing']) {
      const res = await upload(
        app,
        '/api/v1/imports',
        staff.token,
        { target: 'personnel', register_id: forbidden.id, mode },
        { name: 'r.csv', content: csv },
      );
      expectError(res, 404, 'not_found');
    }
    expectError(
      await upload(
        app,
        '/api/v1/personnel/upload',
        staff.token,
        { register_id: forbidden.id },
        { name: 'r.csv', content: csv },
      ),
      404,
    );
    expectError(
      await upload(
        app,
        '/api/v1/imports',
        w.admin.token,
        { target: 'personnel', register_id: foreign.id },
        { name: 'r.csv', content: csv },
      ),
      404,
    );
    assert.equal(await live(forbidden.id), 0);
    assert.equal((await app.deps.db.select({ n: count() }).from(imports))[0].n, before);
  });

  test('rows that name another register are errors, never silent writes', async () => {
    const csv = `service_number,first_name,last_name,register_code\nS-${uniq()},Ama,Asante,${reg.short_code}\nS-${uniq()},Kojo,Annan,${forbidden.short_code}\n`;
    const res = await upload(
      app,
      '/api/v1/personnel/upload',
      staff.token,
      { register_id: reg.id },
      { name: 'r.csv', content: csv },
    );
    expectStatus(res, 200);
    assert.equal(res.data.data.inserted, 1);
    assert.equal(res.data.data.failed, 1);
    assert.equal(res.data.data.errors[0].row, 3);
    assert.match(res.data.data.errors[0].message, /another register/);
    assert.equal(await live(forbidden.id), 0);
  });
});

describe('diff, complete rosters and the deactivation guard', () => {
  test('updates list their changed fields; missing records are deactivated only within the guard or with confirmation', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const people = [];
    for (let i = 0; i < 20; i++)
      people.push(
        await addPerson(app, w.admin.token, r.id, {
          service_number: `C-${i}`,
          first_name: `F${i}`,
          last_name: `L${i}`,
        }),
      );
    const rows = people
      .slice(0, 10)
      .map((p, i) => `${p.service_number},F${i},L${i},${i < 2 ? 'Captain' : ''}`);
    const csv = `Army Number,First Name,Last Name,Rank\n${rows.join('\n')}\n`;
    const dry = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      {
        target: 'personnel',
        register_id: r.id,
        complete: 'true',
        mapping: JSON.stringify({ 'Army Number': 'service_number' }),
      },
      { name: 'r.csv', content: csv },
    );
    expectStatus(dry, 201);
    const d = dry.data.data;
    assert.equal(d.summary.update, 2);
    assert.equal(d.summary.unchanged, 8);
    assert.equal(d.summary.deactivate, 10);
    assert.deepEqual(
      d.diff.update.map((u: { changed_fields: string[] }) => u.changed_fields),
      [['rank'], ['rank']],
    );
    const refused = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: w.admin.token,
      body: {},
    });
    expectError(refused, 422, 'deactivation_guard');
    assert.equal(await live(r.id), 20);
    const ok = await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, {
      token: w.admin.token,
      body: { confirm_deactivate: true },
    });
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 0, updated: 2, deactivated: 10 });
    const inactive = await app.deps.db
      .select()
      .from(personnel)
      .where(and(eq(personnel.registerId, r.id), eq(personnel.status, 'inactive')));
    assert.equal(inactive.length, 10);
    const hist = await call(app, 'GET', `/api/v1/personnel/${people[15].id}/status-history`, {
      token: w.admin.token,
    });
    assert.equal(hist.data.data[0].to_status, 'inactive');
    assert.match(hist.data.data[0].reason, /missing from complete import/);
    expectError(
      await call(app, 'POST', `/api/v1/imports/${d.id}/commit`, { token: w.admin.token, body: {} }),
      409,
      'import_not_committable',
    );
    const audit = await app.deps.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.entityId, d.id), eq(auditLogs.action, 'import.commit')));
    assert.equal(audit.length, 1);
  });

  test('a header without a required column fails the import with missing_columns', async () => {
    const res = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: reg.id },
      { name: 'r.csv', content: 'first_name,last_name\nA,B\n' },
    );
    expectError(res, 422, 'missing_columns');
  });
});

describe('formats', () => {
  test('XLSX (first sheet, streaming reader) and JSON (array and JSON lines) import like CSV', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Roster');
    ws.addRow(['Service Number', 'First Name', 'Last Name', 'Date of Birth', 'Status']);
    ws.addRow(['X-1', 'Akua', 'Darko', new Date(Date.UTC(1991, 4, 6)), 'Active']);
    ws.addRow(['X-2', 'Yaa', 'Frimpong', '1992-13-01', 'awol']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const x = await upload(
      app,
      '/api/v1/personnel/upload',
      w.admin.token,
      { register_id: r.id },
      { name: 'roster.xlsx', content: xlsx },
    );
    expectStatus(x, 200);
    assert.equal(x.data.data.inserted, 1);
    assert.deepEqual(
      x.data.data.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
      [[3, 'Date of Birth']],
    );
    const list = await call(app, 'GET', `/api/v1/personnel/register/${r.id}`, { token: w.admin.token });
    assert.equal(list.data.data[0].date_of_birth, '1991-05-06');

    const json = JSON.stringify([
      { service_number: 'J-1', first_name: 'Efua', last_name: 'Mensah', remarks: 'quote " and, comma' },
      { service_number: 'J-2', first_name: 'Kwesi', last_name: 'Appiah' },
    ]);
    const j = await upload(
      app,
      '/api/v1/personnel/upload',
      w.admin.token,
      { register_id: r.id },
      { name: 'roster.json', content: json },
    );
    expectStatus(j, 200);
    assert.equal(j.data.data.inserted, 2);
    const jsonl =
      '{"service_number":"J-3","first_name":"Adjoa","last_name":"Boakye"}\n{"service_number":"J-1","first_name":"Efua","last_name":"Mensah","rank":"Major"}\n';
    const l = await upload(
      app,
      '/api/v1/personnel/upload',
      w.admin.token,
      { register_id: r.id },
      { name: 'roster.jsonl', content: jsonl },
    );
    expectStatus(l, 200);
    assert.equal(l.data.data.inserted, 1);
    assert.equal(l.data.data.updated, 1);
  });
});

describe('endpoints: 400, 401, 403, 404', () => {
  test('POST /imports and POST /personnel/upload', async () => {
    const file = { name: 'r.csv', content: personnelCsv(2, uniq('E')) };
    expectError(
      await upload(app, '/api/v1/imports', w.admin.token, { register_id: reg.id }, file),
      400,
      'validation_failed',
    );
    expectError(
      await upload(
        app,
        '/api/v1/imports',
        w.admin.token,
        { target: 'personnel', register_id: reg.id, mode: 'now' },
        file,
      ),
      400,
    );
    expectError(
      await upload(
        app,
        '/api/v1/imports',
        w.admin.token,
        { target: 'personnel', register_id: reg.id, mapping: '{bad' },
        file,
      ),
      400,
    );
    expectError(
      await upload(app, '/api/v1/imports', w.admin.token, { target: 'personnel', register_id: reg.id }),
      400,
    );
    expectError(
      await upload(app, '/api/v1/imports', undefined, { target: 'personnel', register_id: reg.id }, file),
      401,
    );
    expectError(
      await upload(app, '/api/v1/imports', faculty.token, { target: 'personnel', register_id: reg.id }, file),
      403,
    );
    expectError(await upload(app, '/api/v1/personnel/upload', w.admin.token, {}, file), 400);
    expectError(await upload(app, '/api/v1/personnel/upload', undefined, { register_id: reg.id }, file), 401);
    expectError(
      await upload(app, '/api/v1/personnel/upload', faculty.token, { register_id: reg.id }, file),
      403,
    );
  });

  test('GET /imports, GET /imports/{id}, errors.csv and commit', async () => {
    const mine = await upload(
      app,
      '/api/v1/imports',
      staff.token,
      { target: 'personnel', register_id: reg.id },
      { name: 'r.csv', content: personnelCsv(3, uniq('G'), [2]) },
    );
    expectStatus(mine, 201);
    const id = mine.data.data.id;
    const list = await call(app, 'GET', '/api/v1/imports', { token: staff.token });
    expectStatus(list, 200);
    assert.ok(
      list.data.data.every(
        (i: { created_by: { username: string } }) => i.created_by.username === staff.username,
      ),
    );
    assert.ok(list.data.data.some((i: { id: string }) => i.id === id));
    const adminList = await call(app, 'GET', '/api/v1/imports', {
      token: w.admin.token,
      query: { target: 'personnel' },
    });
    assert.ok(adminList.data.data.some((i: { id: string }) => i.id === id));
    expectError(
      await call(app, 'GET', '/api/v1/imports', { token: staff.token, query: { target: 'books' } }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/imports', {}), 401);
    expectError(await call(app, 'GET', '/api/v1/imports', { token: faculty.token }), 403);
    const other = await makeRegisterUser(app, w.org, 'staff', [reg.id]);
    for (const url of [`/api/v1/imports/${id}`, `/api/v1/imports/${id}/errors.csv`]) {
      expectStatus(await call(app, 'GET', url, { token: w.admin.token }), 200);
      expectError(await call(app, 'GET', url, { token: other.token }), 404);
      expectError(await call(app, 'GET', url, { token: w.otherAdmin.token }), 404);
      expectError(await call(app, 'GET', url, {}), 401);
      expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
    }
    expectError(await call(app, 'GET', '/api/v1/imports/nope', { token: staff.token }), 400);
    expectError(await call(app, 'GET', '/api/v1/imports/nope/errors.csv', { token: staff.token }), 400);
    const commit = `/api/v1/imports/${id}/commit`;
    expectError(await call(app, 'POST', commit, { token: staff.token, body: { mode: 'dry_run' } }), 400);
    expectError(await call(app, 'POST', commit, { body: {} }), 401);
    expectError(await call(app, 'POST', commit, { token: faculty.token, body: {} }), 403);
    expectError(await call(app, 'POST', commit, { token: other.token, body: {} }), 404);
    const ok = await call(app, 'POST', commit, { token: staff.token, body: { mode: 'valid_only' } });
    expectStatus(ok, 200);
    assert.equal(ok.data.data.summary.result.created, 2);
  });
});

describe('students target', () => {
  test('updates existing students of the school; a new number without names is an error; other schools answer 404', async () => {
    const school = await makeWorld(app, 'school');
    const principal = await makeUser(app, school.org, 'principal');
    const a = await makeStudent(app, school.org, { firstName: 'Ada', gradeLevel: '5' });
    const b = await makeStudent(app, school.org, { firstName: 'Bea', gradeLevel: '5' });
    const csv = `Student Number,First Name,Grade\n${a.studentNumber},Ada,6\n${b.studentNumber},Bea,5\nNOPE-1,Cy,6\n`;
    const dry = await upload(
      app,
      '/api/v1/imports',
      principal.token,
      { target: 'students', organization_id: school.org.id },
      { name: 's.csv', content: csv },
    );
    expectStatus(dry, 201);
    assert.equal(dry.data.data.summary.update, 1);
    assert.equal(dry.data.data.summary.unchanged, 1);
    assert.equal(dry.data.data.summary.error, 1);
    assert.deepEqual(dry.data.data.diff.update[0].changed_fields, ['grade_level']);
    assert.match(dry.data.data.errors[0].message, /last_name is required for a new student/);
    const ok = await call(app, 'POST', `/api/v1/imports/${dry.data.data.id}/commit`, {
      token: principal.token,
      body: { mode: 'valid_only' },
    });
    expectStatus(ok, 200);
    assert.deepEqual(ok.data.data.summary.result, { created: 0, updated: 1, deactivated: 0 });
    const got = await call(app, 'GET', `/api/v1/students/${a.id}`, { token: principal.token });
    assert.equal(got.data.data.grade_level, '6');
    const elsewhere = await upload(
      app,
      '/api/v1/imports',
      principal.token,
      { target: 'students', organization_id: w.otherOrg.id },
      { name: 's.csv', content: csv },
    );
    expectError(elsewhere, 404);
    expectError(
      await upload(
        app,
        '/api/v1/imports',
        principal.token,
        { target: 'students' },
        { name: 's.csv', content: csv },
      ),
      400,
    );
  });
});

describe('concurrency', () => {
  test('two commits of one dry run write once; two concurrent imports of one file create no duplicates', async () => {
    const r = await makeRegister(app, w.admin.token, w.org.id);
    const csv = personnelCsv(300, uniq('K'));
    const dry = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'personnel', register_id: r.id },
      { name: 'k.csv', content: csv },
    );
    expectStatus(dry, 201);
    const commit = () =>
      call(app, 'POST', `/api/v1/imports/${dry.data.data.id}/commit`, { token: w.admin.token, body: {} });
    const results = await Promise.all([commit(), commit()]);
    assert.deepEqual(results.map((x) => x.statusCode).sort(), [200, 409]);
    assert.equal(await live(r.id), 300);

    const r2 = await makeRegister(app, w.admin.token, w.org.id);
    const both = await Promise.all(
      [1, 2].map(() =>
        upload(
          app,
          '/api/v1/imports',
          w.admin.token,
          { target: 'personnel', register_id: r2.id, mode: 'valid_only' },
          { name: 'k.csv', content: csv },
        ),
      ),
    );
    for (const b of both) expectStatus(b, 201);
    const created = both.map((b) => b.data.data.summary.result.created);
    assert.equal(created[0] + created[1], 300);
    assert.equal(await live(r2.id), 300);
  });
});
