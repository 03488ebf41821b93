// The console's admin screens for people and structure, in a real browser: students (create without a login,
// edit, deactivate/reactivate, photo, guardians, documents), classes (edit, delete, roster removal,
// unassigning a teacher), the organization tree, users (deactivate, password reset, register access) and the
// allow-list, personnel registers and personnel. Each test checks the screen and then the API or database.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { personnel } from '../../src/modules/personnel/personnel.table.js';
import { assignTeacher, enrollDirect, makeClass, makeFaculty, makeStudent } from '../helpers/academic.js';
import { type App, call, uniq } from '../helpers/app.js';
import { login, makeUser, makeWorld } from '../helpers/factories.js';
import { addPerson, makeRegister } from '../helpers/personnel.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, shot, signIn, startConsole } from './console.js';

/** A real 1×1 PNG (the photo route checks the content, and the screenshot shows it). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Presses a ConfirmButton and then its "Yes". */
async function confirm(page: Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('group', { name }).getByRole('button', { name: 'Yes', exact: true }).click();
}

describe('console: administrator, people and structure', () => {
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

  it('adds a student without a login, edits and deactivates them, and manages photo, guardians and documents', async () => {
    const w = await makeWorld(app, 'school');
    const family = uniq('Mensah');
    const number = uniq('N');
    const grace = await call(app, 'POST', '/api/v1/guardians', {
      token: w.admin.token,
      body: { organization_id: w.org.id, first_name: 'Grace', last_name: family },
    });
    assert.equal(grace.statusCode, 201, grace.body);
    const { context, page, errors } = await signIn(browser, base, w.admin.username);

    await page.getByRole('link', { name: 'Students' }).click();
    await page.getByRole('button', { name: 'Add a student' }).click();
    const form = page.getByRole('form', { name: 'Add a student' });
    await form.getByLabel('First name').fill('Ada');
    await form.getByLabel('Last name').fill(family);
    await form.getByLabel('Student number').fill(number);
    // No email: the login checkbox cannot be ticked.
    assert.equal(await form.getByLabel(/Create a login/).isDisabled(), true);
    await form.getByRole('button', { name: 'Save the student' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Student Ada ${family} added.` })
      .waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Open' }).click();
    await page.getByRole('heading', { name: `Ada ${family}`, level: 1 }).waitFor();
    await page.getByText('This student has no login.').waitFor();

    await page.getByRole('button', { name: 'Edit the profile' }).click();
    await page.getByLabel('Roll no.').fill('12');
    await page.getByLabel('Grade level').fill('5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    await confirm(page, 'Deactivate');
    await page.getByText('Status is now: Inactive.').waitFor();
    const listed = await call(app, 'GET', '/api/v1/students', {
      token: w.admin.token,
      query: { search: family, student_status: 'inactive' },
    });
    assert.equal(listed.data.data.length, 1);
    const id = listed.data.data[0].id as string;
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByText('Status is now: Active.').waitFor();

    await page
      .getByLabel(/Photo file/)
      .setInputFiles({ name: 'ada.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'Upload the photo' }).click();
    await page.getByText('Photo uploaded.').waitFor();
    await page.getByRole('img', { name: `Photo of Ada ${family}` }).waitFor();

    // A new guardian, created and linked as the primary contact; then an existing one linked and unlinked.
    await page.getByRole('button', { name: 'Add a new guardian' }).click();
    const gform = page.getByRole('form', { name: 'Add a new guardian' });
    await gform.getByLabel('First name').fill('Maria');
    await gform.getByLabel('Last name').fill(family);
    await gform.getByLabel('Relationship').fill('mother');
    await gform.getByLabel('Primary contact').check();
    await gform.getByRole('button', { name: 'Add and link the guardian' }).click();
    const glist = page.getByRole('list', { name: 'Guardians' });
    await glist.getByText(`Maria ${family} · mother · primary contact`).waitFor();
    await page.getByRole('button', { name: 'Link an existing guardian' }).click();
    await page.getByLabel('Find a guardian by name or email').fill(family);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const lform = page.getByRole('form', { name: 'Link an existing guardian' });
    await lform.getByLabel('Guardian', { exact: true }).selectOption(grace.data.data.id);
    await lform.getByLabel('Relationship').fill('grandmother');
    await lform.getByRole('button', { name: 'Link the guardian' }).click();
    await glist.getByText(`Grace ${family} · grandmother`).waitFor();
    await confirm(page, `Unlink Grace ${family}`);
    await page.getByText('Guardian unlinked.').waitFor();
    await glist.getByText(`Grace ${family}`).waitFor({ state: 'detached' });

    // A document: upload, download (the same bytes), delete.
    const text = `Certificate of ${family}\n`;
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'certificate.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(text),
    });
    await page.getByLabel('Title').fill('Birth certificate');
    await page.getByLabel('Type', { exact: true }).fill('certificate');
    await page.getByRole('button', { name: 'Upload a document' }).click();
    await page.getByText('Document “Birth certificate” uploaded.').waitFor();
    const docRow = page.locator('tr', { hasText: 'Birth certificate' });
    await docRow.waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-student-profile');
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Birth certificate' }).click(),
    ]);
    const saved = join(screenshotDir, 'student-document.txt');
    await dl.saveAs(saved);
    assert.equal(readFileSync(saved, 'utf8'), text);
    const docsBefore = await call(app, 'GET', `/api/v1/students/${id}/documents`, { token: w.admin.token });
    assert.equal(docsBefore.data.data.length, 1);
    assert.equal(docsBefore.data.data[0].document_type, 'certificate');
    await confirm(page, 'Delete Birth certificate');
    await page.getByText('Document deleted.').waitFor();

    // What the API holds now.
    const s = (await call(app, 'GET', `/api/v1/students/${id}`, { token: w.admin.token })).data.data;
    assert.equal(s.user_id, null);
    assert.equal(s.email, null);
    assert.equal(s.student_number, number);
    assert.equal(s.roll_no, '12');
    assert.equal(s.grade_level, '5');
    assert.equal(s.student_status, 'active');
    assert.equal(s.has_photo, true);
    const photo = await call(app, 'GET', `/api/v1/students/${id}/photo`, { token: w.admin.token });
    assert.equal(photo.statusCode, 200);
    assert.match(String(photo.headers['content-type']), /image\/png/);
    const gs = await call(app, 'GET', `/api/v1/students/${id}/guardians`, { token: w.admin.token });
    assert.deepEqual(
      gs.data.data.map((g: { first_name: string; relationship: string; is_primary: boolean }) => [
        g.first_name,
        g.relationship,
        g.is_primary,
      ]),
      [['Maria', 'mother', true]],
    );
    const docs = await call(app, 'GET', `/api/v1/students/${id}/documents`, { token: w.admin.token });
    assert.equal(docs.data.data.length, 0);

    // Removing the student (the API's soft delete) returns to the list; the student is gone from it.
    await confirm(page, 'Remove the student');
    await page.getByRole('heading', { name: 'Students', level: 1 }).waitFor();
    const removed = await call(app, 'GET', `/api/v1/students/${id}`, { token: w.admin.token });
    assert.equal(removed.statusCode, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('edits a class, removes a student and a teacher, and deletes a class (refused while it has history)', async () => {
    const w = await makeWorld(app, 'school');
    const family = uniq('Boateng');
    const teacher = await makeFaculty(app, w.org);
    const cls = await makeClass(app, w.org, { name: `Physics ${uniq()}` });
    const empty = await makeClass(app, w.org, { name: `Old class ${uniq()}` });
    const a = await makeStudent(app, w.org, { firstName: 'Kofi', lastName: family });
    const b = await makeStudent(app, w.org, { firstName: 'Esi', lastName: family });
    await enrollDirect(app, a.id, cls);
    await enrollDirect(app, b.id, cls);
    await assignTeacher(app, teacher.id, cls.id);
    const { context, page, errors } = await signIn(browser, base, w.admin.username);

    await page.goto(`${base}/classes/${cls.id}`);
    await page.getByRole('heading', { name: cls.name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit the class' }).click();
    const renamed = `Physics II ${uniq()}`;
    const form = page.getByRole('form', { name: 'Edit the class' });
    await form.getByLabel('Class name').fill(renamed);
    await form.getByLabel('Capacity').fill('30');
    await form.getByLabel('Room').fill('Lab 4');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Class saved.').waitFor();
    await page.getByRole('heading', { name: renamed, level: 1 }).waitFor();

    await confirm(page, `Remove Kofi ${family}`);
    await page.getByText('Student removed from the roster.').waitFor();
    const roster = page.getByRole('list', { name: 'Roster' });
    await roster.getByText(`Esi ${family}`).waitFor();
    await roster.getByText(`Kofi ${family}`).waitFor({ state: 'detached' });

    await confirm(page, 'Unassign Test Teacher');
    await page.getByText('Teacher unassigned.').waitFor();
    await page.getByText('No teacher assigned yet.').waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-class-edit');

    // The class has enrollments (history): the API refuses the delete and says why.
    await confirm(page, 'Delete the class');
    await page
      .getByRole('alert')
      .filter({ hasText: /enrollments? uses? this class/ })
      .waitFor();

    const got = (await call(app, 'GET', `/api/v1/classes/${cls.id}`, { token: w.admin.token })).data.data;
    assert.equal(got.name, renamed);
    assert.equal(got.capacity, 30);
    assert.equal(got.room, 'Lab 4');
    const ros = await call(app, 'GET', `/api/v1/classes/${cls.id}/students`, { token: w.admin.token });
    assert.deepEqual(
      ros.data.data.map((r: { student_id: string }) => r.student_id),
      [b.id],
    );
    const tas = await call(app, 'GET', `/api/v1/classes/${cls.id}/teachers`, { token: w.admin.token });
    assert.equal(tas.data.data.length, 0);

    // A class nothing refers to goes, and the console returns to the list.
    await page.goto(`${base}/classes/${empty.id}`);
    await page.getByRole('heading', { name: empty.name, level: 1 }).waitFor();
    await confirm(page, 'Delete the class');
    await page.getByRole('heading', { name: 'Classes', level: 1 }).waitFor();
    const gone = await call(app, 'GET', `/api/v1/classes/${empty.id}`, { token: w.admin.token });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('edits the organization tree, the allow-list, and a user (deactivate, reset password, registers)', async () => {
    const w = await makeWorld(app, 'district');
    const staff = await makeUser(app, w.org, 'staff', { fullName: `Clerk ${uniq()}` });
    const reg = await makeRegister(app, w.admin.token, w.org.id, `Payroll ${uniq()}`);
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Organization' }).click();
    const tree = page.getByRole('region', { name: 'Organization tree' });
    await tree.getByText(w.org.name).waitFor();

    const school = `East School ${uniq()}`;
    await page.getByRole('button', { name: `Add under ${w.org.name}` }).click();
    const add = page.getByRole('form', { name: `Add under ${w.org.name}` });
    await add.getByLabel('Name').fill(school);
    assert.equal(await add.getByLabel('Kind').inputValue(), 'school');
    await add.getByLabel('Code').fill('EAST');
    await add.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${school} created.`).waitFor();
    await tree.locator('.tree-node', { hasText: school }).waitFor();
    const academy = `East Academy ${uniq()}`;
    await page.getByRole('button', { name: `Edit ${school}` }).click();
    const edit = page.getByRole('form', { name: `Edit ${school}` });
    await edit.getByLabel('Name').fill(academy);
    await edit.getByLabel('Time zone').fill('Africa/Accra');
    await edit.getByLabel('Students may register themselves').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${academy} saved.`).waitFor();
    const kids = await call(app, 'GET', `/api/v1/organizations/${w.org.id}/children`, {
      token: w.admin.token,
    });
    assert.deepEqual(
      kids.data.data.map((o: Record<string, unknown>) => [
        o.name,
        o.code,
        o.kind,
        o.currency,
        o.timezone,
        o.allow_self_registration,
      ]),
      [[academy, 'EAST', 'school', w.org.currency, 'Africa/Accra', true]],
    );
    const academyId = kids.data.data[0].id as string;

    // The allow-list: add an email with a role, then remove it.
    const email = `${uniq('g.')}@example.test`;
    const allow = page.getByRole('form', { name: 'Allow this email' });
    await allow.getByLabel('Email', { exact: true }).fill(email);
    await allow.getByLabel('Role', { exact: true }).selectOption('faculty');
    await allow.getByLabel('In', { exact: true }).selectOption(academyId);
    await allow.getByRole('button', { name: 'Allow this email' }).click();
    await page.getByText(`${email} may now sign in with Google.`).waitFor();
    const listed = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: email },
    });
    assert.deepEqual(
      listed.data.data.map((a: { email: string; role: string; organization_id: string }) => [
        a.email,
        a.role,
        a.organization_id,
      ]),
      [[email, 'faculty', academyId]],
    );
    await shot(page, 'admin-organization-edit');
    await confirm(page, `Remove ${email}`);
    await page.getByText('Email removed from the allow-list.').waitFor();
    const after = await call(app, 'GET', '/api/v1/allowed-emails', {
      token: w.admin.token,
      query: { search: email },
    });
    assert.equal(after.data.data.length, 0);

    // A zone office under the district, then the school moves under it (and the tree shows it there).
    const zone = `Zone Office ${uniq()}`;
    await page.getByRole('button', { name: `Add under ${w.org.name}` }).click();
    const addZone = page.getByRole('form', { name: `Add under ${w.org.name}` });
    await addZone.getByLabel('Name').fill(zone);
    await addZone.getByLabel('Kind').selectOption('office');
    await addZone.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${zone} created.`).waitFor();
    await page.getByRole('button', { name: `Move ${academy}` }).click();
    const moveForm = page.getByRole('form', { name: `Move ${academy}` });
    await moveForm.getByLabel('New parent').selectOption({ label: `${zone} (office)` });
    await moveForm.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByText(`${academy} moved under ${zone}.`).waitFor();
    await tree
      .locator('li', { has: page.locator('.tree-node', { hasText: zone }) })
      .locator('.tree-node', { hasText: academy })
      .waitFor();
    const moved = await call(app, 'GET', `/api/v1/organizations/${academyId}`, { token: w.admin.token });
    const zoneRow = (
      await call(app, 'GET', '/api/v1/organizations', { token: w.admin.token, query: { search: zone } })
    ).data.data[0];
    assert.equal(moved.data.data.parent_id, zoneRow.id);

    // The school has no children and no records: it can be deleted.
    await confirm(page, `Delete ${academy}`);
    await page.getByText(`${academy} deleted.`).waitFor();
    const gone = await call(app, 'GET', `/api/v1/organizations/${academyId}`, { token: w.admin.token });
    assert.equal(gone.statusCode, 404);

    // One user: deactivate (signed out at once), reactivate, set a password, give register access.
    await page.getByLabel('Search users').fill(staff.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: /^Clerk / }).click();
    await page.getByRole('heading', { name: /^Clerk /, level: 1 }).waitFor();
    await confirm(page, 'Deactivate');
    await page.getByText('User deactivated.').waitFor();
    const u1 = (await call(app, 'GET', `/api/v1/users/${staff.id}`, { token: w.admin.token })).data.data;
    assert.equal(u1.is_active, false);
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: staff.token });
    assert.equal(me.statusCode, 401);
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByText('User reactivated.').waitFor();
    const renamed = `Clerk Renamed ${uniq()}`;
    const account = page.getByRole('form', { name: 'Account' });
    await account.getByLabel('Full name').fill(renamed);
    await account.getByRole('button', { name: 'Save', exact: true }).click();
    await account.getByText('Saved').waitFor();
    await page.getByRole('heading', { name: renamed, level: 1 }).waitFor();

    await page.getByLabel('New password').fill('Another-Horse-77');
    await page.getByRole('button', { name: 'Reset the password' }).click();
    await page.getByText('Password set;').waitFor();
    await page.getByLabel(new RegExp(reg.short_code)).check();
    await page.getByRole('button', { name: 'Save register access' }).click();
    await page.getByText('Register access saved.').waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-user');

    const u2 = (await call(app, 'GET', `/api/v1/users/${staff.id}`, { token: w.admin.token })).data.data;
    assert.equal(u2.is_active, true);
    assert.equal(u2.full_name, renamed);
    assert.deepEqual(u2.allowed_register_ids, [reg.id]);
    await login(app, staff.username, 'Another-Horse-77');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('manages registers and personnel: add, status change with history, edit, bulk delete, delete', async () => {
    const w = await makeWorld(app, 'office');
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Personnel' }).click();
    await page.getByRole('button', { name: 'Manage registers' }).click();
    const regName = `Garrison ${uniq()}`;
    const code = uniq('G').toUpperCase();
    const create = page.getByRole('form', { name: 'Create a register' });
    await create.getByLabel('Name').fill(regName);
    await create.getByLabel('Short code').fill(code);
    await create.getByRole('button', { name: 'Create a register' }).click();
    await page.getByText(`Register ${regName} created.`).waitFor();
    const regs = await call(app, 'GET', '/api/v1/registers', {
      token: w.admin.token,
      query: { search: regName },
    });
    const reg = regs.data.data[0] as { id: string; short_code: string };
    assert.equal(reg.short_code, code);
    const sn = uniq('SN');
    const ama = await addPerson(app, w.admin.token, reg.id, { first_name: 'Ama', last_name: 'Owusu' });
    const efua = await addPerson(app, w.admin.token, reg.id, { first_name: 'Efua', last_name: 'Owusu' });
    const yaw = await addPerson(app, w.admin.token, reg.id, { first_name: 'Yaw', last_name: 'Owusu' });

    await page.getByLabel('Register', { exact: true }).selectOption(reg.id);
    await page.getByRole('button', { name: 'Add a person' }).click();
    const add = page.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Service number').fill(sn);
    await add.getByLabel('First name').fill('Kwame');
    await add.getByLabel('Last name').fill('Asare');
    await add.getByLabel('Rank').fill('Corporal');
    await add.getByRole('button', { name: 'Add a person' }).click();
    await page.getByText('Kwame Asare added.').waitFor();

    await page.getByRole('link', { name: 'Kwame Asare' }).click();
    await page.getByRole('heading', { name: 'Kwame Asare', level: 1 }).waitFor();
    await page.getByLabel('New status').selectOption('awol');
    await page.getByLabel('Status date').fill('2026-11-30');
    await page.getByLabel('Reason for the status change').fill('Missed the muster');
    await page.getByRole('button', { name: 'Change the status' }).click();
    await page.getByText('Status changed.').waitFor();
    const hist = page.getByRole('region', { name: 'Status history' });
    await hist.getByText('Missed the muster').waitFor();
    await page.getByLabel('Rank').fill('Sergeant');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Record saved.').waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-person');
    const list = await call(app, 'GET', `/api/v1/personnel/register/${reg.id}`, {
      token: w.admin.token,
      query: { search: sn },
    });
    const kwame = list.data.data[0];
    assert.equal(kwame.status, 'awol');
    assert.equal(kwame.rank, 'Sergeant');
    assert.equal(kwame.status_date, '2026-11-30');
    const h = await call(app, 'GET', `/api/v1/personnel/${kwame.id}/status-history`, {
      token: w.admin.token,
    });
    assert.deepEqual(
      h.data.data.map((x: { from_status: string | null; to_status: string; reason: string | null }) => [
        x.from_status,
        x.to_status,
        x.reason,
      ]),
      [
        ['active', 'awol', 'Missed the muster'],
        [null, 'active', 'created'],
      ],
    );

    // Back on the register: the status filter, then a bulk delete of two, and one deleted from its page.
    await page.getByRole('link', { name: 'Back to the register' }).click();
    await page.getByLabel('Register', { exact: true }).selectOption(reg.id);
    await page.getByRole('link', { name: 'Efua Owusu' }).waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('awol');
    await page.getByRole('link', { name: 'Efua Owusu' }).waitFor({ state: 'detached' });
    const people = page.locator('tbody tr', { has: page.getByRole('checkbox') });
    assert.deepEqual(await people.getByRole('link').allInnerTexts(), ['Kwame Asare']);
    await page.getByLabel('Status', { exact: true }).selectOption('all');
    await page.getByRole('link', { name: 'Efua Owusu' }).waitFor();
    await page.getByLabel(`Select ${ama.service_number}`).check();
    await page.getByLabel(`Select ${efua.service_number}`).check();
    await confirm(page, 'Delete 2 selected');
    await page.getByText('2 of 2 deleted.').waitFor();
    await page.getByRole('link', { name: 'Yaw Owusu' }).click();
    await page.getByRole('heading', { name: 'Yaw Owusu', level: 1 }).waitFor();
    await confirm(page, 'Delete the person');
    await page.getByRole('heading', { name: 'Personnel registers', level: 1 }).waitFor();
    const deleted = await app.deps.db
      .select({ id: personnel.id })
      .from(personnel)
      .where(and(eq(personnel.registerId, reg.id), isNotNull(personnel.deletedAt)));
    assert.deepEqual(deleted.map((r) => r.id).sort(), [ama.id, efua.id, yaw.id].sort());

    // The register still holds Kwame: the delete asks again, saying how many go with it.
    await page.getByRole('button', { name: 'Manage registers' }).click();
    await page.getByRole('button', { name: `Delete ${regName}`, exact: true }).click();
    await page.getByText('This register still holds 1 personnel.', { exact: false }).waitFor();
    await page
      .getByRole('group', { name: `Delete ${regName}` })
      .getByRole('button', { name: 'Yes' })
      .click();
    // Every record on it goes: the live one and the three soft-deleted ones.
    await page.getByText('Register deleted with 4 personnel records.').waitFor();
    await page.getByRole('link', { name: 'Kwame Asare' }).waitFor({ state: 'detached' });
    const gone = await call(app, 'GET', `/api/v1/registers/${reg.id}`, { token: w.admin.token });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
