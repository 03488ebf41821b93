// POST /imports/columns: the default mapping of a file's headers, which the console's mapping editor starts
// from; and that a mapping edited from it is what a dry run then applies.
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { imports } from '../src/modules/imports/imports.table.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, makeWorld } from './helpers/factories.js';
import { upload } from './helpers/personnel.js';

let app: App;
let w: Awaited<ReturnType<typeof makeWorld>>;

before(async () => {
  app = await buildTestApp();
  w = await makeWorld(app, 'school');
});
after(() => app.close());

const columns = (body: unknown, token = w.admin.token) =>
  call(app, 'POST', '/api/v1/imports/columns', { token, body });

describe('POST /imports/columns', () => {
  test('maps headers by field name and alias, lists the fields and the required ones not covered', async () => {
    const res = await columns({ target: 'students', headers: ['Surname', 'Given Name', 'DOB', 'House'] });
    expectStatus(res, 200);
    const d = res.data.data;
    assert.equal(d.target, 'students');
    assert.equal(d.key_field, 'student_number');
    assert.deepEqual(d.columns, [
      { header: 'Surname', field: 'last_name' },
      { header: 'Given Name', field: 'first_name' },
      { header: 'DOB', field: 'date_of_birth' },
      { header: 'House', field: null },
    ]);
    assert.deepEqual(d.missing, ['student_number']);
    const num = d.fields.find((f: { field: string }) => f.field === 'student_number');
    assert.equal(num.required, true);
    assert.ok(num.aliases.includes('student_no'));
  });

  test('the edited mapping is the one a dry run applies', async () => {
    const csv = 'Pupil Ref,Surname,Given Name\nP-1,Owusu,Ama\n';
    const res = await columns({ target: 'students', headers: ['Pupil Ref', 'Surname', 'Given Name'] });
    assert.deepEqual(res.data.data.missing, ['student_number']);
    const without = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      { target: 'students', organization_id: w.org.id },
      { name: 's.csv', content: csv },
    );
    expectError(without, 422, 'missing_columns');
    const dry = await upload(
      app,
      '/api/v1/imports',
      w.admin.token,
      {
        target: 'students',
        organization_id: w.org.id,
        mapping: JSON.stringify({ 'Pupil Ref': 'student_number' }),
      },
      { name: 's.csv', content: csv },
    );
    expectStatus(dry, 201);
    assert.equal(dry.data.data.summary.create, 1);
    assert.equal(dry.data.data.diff.create[0].key, 'P-1');
    const [row] = await app.deps.db.select().from(imports).where(eq(imports.id, dry.data.data.id));
    assert.deepEqual(row.mapping, { 'Pupil Ref': 'student_number' });
  });

  test('refuses a OneRoster target, bad bodies, and roles without imports:run', async () => {
    expectError(await columns({ target: 'oneroster', headers: ['sourcedId'] }), 400, 'validation_failed');
    expectError(await columns({ target: 'students', headers: [] }), 400, 'validation_failed');
    expectError(await columns({ target: 'students', headers: ['a'], extra: 1 }), 400, 'validation_failed');
    const teacher = await makeUser(app, w.org, 'faculty');
    expectError(await columns({ target: 'students', headers: ['a'] }, teacher.token), 403, 'forbidden');
    expectError(
      await call(app, 'POST', '/api/v1/imports/columns', { body: { target: 'students', headers: ['a'] } }),
      401,
    );
  });
});
