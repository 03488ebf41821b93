// The console in a real browser, as an administrator: create a class and enroll students; an import's dry
// run shows its row errors, then commits the valid rows. Each test checks the screen and then the API.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeClass, makeFaculty, makeStudent } from '../helpers/academic.js';
import { type App, call, uniq } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { makeRegister } from '../helpers/personnel.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, shot, signIn, startConsole } from './console.js';

describe('console: administrator', () => {
  let browser: Browser;
  let app: App;
  let base: string;
  before(async () => {
    browser = await launchChromium();
    ({ app, base } = await startConsole());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a class and enrolls students', async () => {
    const w = await makeWorld(app, 'school');
    const family = uniq('Okafor');
    const a = await makeStudent(app, w.org, { firstName: 'Ada', lastName: family });
    const b = await makeStudent(app, w.org, { firstName: 'Bayo', lastName: family });
    // A student of another school never shows up in the admin's search.
    await makeStudent(app, w.otherOrg, { firstName: 'Cleo', lastName: family });
    const { context, page, errors } = await signIn(browser, base, w.admin.username);

    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await page.getByText('At a glance').waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-dashboard');

    await page.getByRole('link', { name: 'Classes' }).click();
    const name = `Biology ${uniq()}`;
    await page.getByLabel('Class name').fill(name);
    await page.getByLabel('Section').fill('A');
    await page.getByLabel('Room').fill('Lab 2');
    await page.getByRole('button', { name: 'Create a class' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Class “${name}” created.` })
      .waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Open' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    assert.match(
      await page.locator('section', { hasText: 'Roster' }).first().innerText(),
      /No students enrolled/,
    );

    await page.getByLabel('Find students by name or number').fill(family);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel(new RegExp(`Ada ${family}`)).check();
    await page.getByLabel(new RegExp(`Bayo ${family}`)).check();
    assert.equal(await page.getByText(`Cleo ${family}`).count(), 0);
    await page.getByRole('button', { name: 'Enroll 2 selected' }).click();
    await page.getByText('2 students enrolled.').waitFor();
    const roster = page.getByRole('list', { name: 'Roster' });
    await roster.getByText(`Ada ${family}`).waitFor();
    await roster.getByText(`Bayo ${family}`).waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-class-roster');

    // What the API now holds: the class in the admin's school, with exactly those two students enrolled.
    const classes = await call(app, 'GET', '/api/v1/classes', {
      token: w.admin.token,
      query: { search: name },
    });
    assert.equal(classes.data.data.length, 1);
    const cls = classes.data.data[0];
    assert.equal(cls.organization_id, w.org.id);
    assert.equal(cls.section, 'A');
    assert.equal(cls.room, 'Lab 2');
    const ros = await call(app, 'GET', `/api/v1/classes/${cls.id}/students`, { token: w.admin.token });
    assert.deepEqual(
      ros.data.data.map((r: { student_id: string }) => r.student_id).sort(),
      [a.id, b.id].sort(),
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shows an import's dry-run row errors, then commits the valid rows", async () => {
    const w = await makeWorld(app, 'office');
    const reg = await makeRegister(app, w.admin.token, w.org.id, `Register ${uniq()}`);
    const p = uniq('SN');
    const csv = [
      'service_number,first_name,last_name,status',
      `${p}-1,Ama,Asante,active`,
      `${p}-2,Kojo,Annan,retired??`,
      `${p}-3,Efua,Mensah,active`,
    ].join('\n');
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByLabel('What the file holds').selectOption('personnel');
    await page.getByLabel('Register').selectOption(reg.id);
    await page.getByLabel('File (CSV, XLSX or JSON)').setInputFiles({
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /2 to create · 0 to update · 0 unchanged · 1 with errors/);
    const rows = page.getByTestId('import-errors').locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.equal(cells[0], '3'); // the header is row 1
    assert.equal(cells[2], 'retired??');
    assert.ok(cells[3].length > 0);
    await assertAccessible(page);
    await shot(page, 'admin-import-dry-run');
    const [errorsCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download every row error (CSV)' }).click(),
    ]);
    const csvPath = join(screenshotDir, 'import-errors.csv');
    await errorsCsv.saveAs(csvPath);
    const errLines = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
    assert.equal(errLines.length, 2);
    assert.match(errLines[1], /^3,status,retired\?\?,/);

    // The dry run wrote nothing.
    const before = await call(app, 'GET', `/api/v1/personnel/register/${reg.id}`, { token: w.admin.token });
    assert.equal(before.data.data.length, 0);

    await page.getByRole('button', { name: 'Commit the valid rows' }).click();
    await page.getByText('Import committed: 2 rows written.').waitFor();
    const list = await call(app, 'GET', '/api/v1/imports', { token: w.admin.token });
    const imp = list.data.data.find((i: { file: { name: string } }) => i.file.name === 'roster.csv');
    assert.equal(imp.state, 'committed');
    const people = await call(app, 'GET', `/api/v1/personnel/register/${reg.id}`, { token: w.admin.token });
    assert.deepEqual(people.data.data.map((x: { service_number: string }) => x.service_number).sort(), [
      `${p}-1`,
      `${p}-3`,
    ]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the organization tree, grants a role, and assigns a teacher to a class', async () => {
    const w = await makeWorld(app, 'district');
    const school = await call(app, 'POST', '/api/v1/organizations', {
      token: w.admin.token,
      body: { name: `North High ${uniq()}`, kind: 'school', parent_id: w.org.id },
    });
    assert.equal(school.statusCode, 201, school.body);
    const teacher = await makeFaculty(app, w.org);
    const cls = await makeClass(app, w.org, { name: `Chemistry ${uniq()}` });
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Organization' }).click();
    const tree = page.getByRole('region', { name: 'Organization tree' });
    await tree.getByText(school.data.data.name).waitFor();

    await page.getByLabel('Search users').fill(teacher.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.locator('tr', { hasText: teacher.username });
    await row.getByRole('button', { name: 'Grant a role' }).click();
    await row.getByLabel('Role', { exact: true }).selectOption('principal');
    await row.getByLabel('In', { exact: true }).selectOption(school.data.data.id);
    await row.getByRole('button', { name: 'Grant a role' }).click();
    await page.getByText('Roles updated.').waitFor();
    await row.getByText(`Principal · ${school.data.data.name}`).waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-organization');
    const user = await call(app, 'GET', `/api/v1/users/${teacher.userId}`, { token: w.admin.token });
    assert.ok(
      user.data.data.roles.some(
        (r: { role: string; organization_id: string }) =>
          r.role === 'principal' && r.organization_id === school.data.data.id,
      ),
    );

    // A new user with one role in the school.
    const username = uniq('clerk.');
    const form = page.locator('form', { hasText: 'Create a user' });
    await form.getByLabel('Full name').fill('Ama Clerk');
    await form.getByLabel('Username', { exact: true }).fill(username);
    await form.getByLabel('Email', { exact: true }).fill(`${username}@example.test`);
    await form.getByLabel('Role', { exact: true }).selectOption('staff');
    await form.getByLabel('In', { exact: true }).selectOption(school.data.data.id);
    await form.getByRole('button', { name: 'Create a user' }).click();
    await page.getByText(`User ${username} created`).waitFor();
    const made = await call(app, 'GET', '/api/v1/users', {
      token: w.admin.token,
      query: { search: username },
    });
    assert.equal(made.data.data.length, 1);
    assert.deepEqual(made.data.data[0].roles, [{ role: 'staff', organization_id: school.data.data.id }]);

    await page.goto(`${base}/classes/${cls.id}`);
    await page.getByRole('heading', { name: cls.name, level: 1 }).waitFor();
    await page.getByLabel('Teacher', { exact: true }).selectOption(teacher.id);
    await page.getByRole('button', { name: 'Assign a teacher' }).click();
    await page.getByText('Teacher assigned.').waitFor();
    await page.getByRole('list', { name: 'Teachers' }).getByText('Test Teacher').waitFor();
    const tas = await call(app, 'GET', `/api/v1/classes/${cls.id}/teachers`, { token: w.admin.token });
    assert.deepEqual(
      tas.data.data.map((x: { faculty_id: string }) => x.faculty_id),
      [teacher.id],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});
