// The console's other office screens in a real browser: students (search, status filter, CSV export,
// profile), the fee desk (record a payment, refund), personnel registers with a status filter, and a
// notification arriving live. Each test checks the screen and then the API.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeStudent } from '../helpers/academic.js';
import { type App, call, uniq } from '../helpers/app.js';
import { makeUser, makeWorld } from '../helpers/factories.js';
import { enrollWithHooks, makeFinanceWorld } from '../helpers/finance.js';
import { addPerson, makeRegister } from '../helpers/personnel.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, shot, signIn, startConsole } from './console.js';

describe('console: office screens', () => {
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

  it('lists students with search and a status filter, exports them as CSV, opens a profile', async () => {
    const w = await makeWorld(app, 'school');
    const family = uniq('Quaye');
    const active = await makeStudent(app, w.org, { firstName: 'Esi', lastName: family, batchYear: 2024 });
    await makeStudent(app, w.org, { firstName: 'Gus', lastName: family, batchYear: 2025 });
    await makeStudent(app, w.org, { firstName: 'Fiifi', lastName: family, studentStatus: 'graduated' });
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Students' }).click();
    await page.getByLabel('Search students').fill(family);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: `Fiifi ${family}` }).waitFor();
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('link', { name: `Fiifi ${family}` }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 2);
    await page.getByLabel('Batch year').fill('2024');
    await page.getByRole('link', { name: `Gus ${family}` }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);
    await assertAccessible(page);
    await shot(page, 'admin-students');

    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = join(screenshotDir, 'students-export.csv');
    await file.saveAs(path);
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, 2, lines.join('\n')); // header + the one student of the filter (active, 2024)
    assert.match(lines[1], new RegExp(active.studentNumber));

    await page.getByRole('link', { name: `Esi ${family}` }).click();
    await page.getByRole('heading', { name: `Esi ${family}`, level: 1 }).waitFor();
    const api = await call(app, 'GET', `/api/v1/students/${active.id}`, { token: w.admin.token });
    await page.getByText(api.data.data.student_number, { exact: true }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('records a payment at the fee desk and refunds part of it', async () => {
    const w = await makeFinanceWorld(app, 30_000);
    await enrollWithHooks(app, w.student.id, w.cls);
    const { context, page, errors } = await signIn(browser, base, w.staff.username);
    await page.getByRole('link', { name: 'Fee desk' }).click();
    const row = page.locator('tr', { hasText: w.student.studentNumber });
    await row.getByRole('button', { name: 'Record payment' }).click();
    await page.getByLabel('Amount').fill('120.00');
    await page.getByLabel('Method').selectOption('cash');
    await page
      .locator('form', { hasText: 'Record payment:' })
      .getByRole('button', { name: 'Record payment' })
      .click();
    const notice = page.getByRole('status').filter({ hasText: 'Payment recorded.' });
    await notice.waitFor();
    const receiptNo = /Receipt (\S+)\./.exec(await notice.innerText())?.[1];
    await page.getByRole('button', { name: receiptNo }).waitFor();

    await page.locator('tr', { hasText: receiptNo }).getByRole('button', { name: 'Refund' }).click();
    await page.getByLabel('Refund amount').fill('20.00');
    await page.getByLabel('Reason').fill('Overpaid');
    await page.locator('form', { hasText: 'Refund amount' }).getByRole('button', { name: 'Refund' }).click();
    await page.getByText('Refund recorded.').waitFor();
    await assertAccessible(page);
    await shot(page, 'staff-fee-desk');

    const pays = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.staff.token,
      query: { student_id: w.student.id },
    });
    assert.equal(pays.data.data.length, 1);
    assert.equal(pays.data.data[0].receipt_no, receiptNo);
    assert.equal(pays.data.data[0].amount, '120.00');
    assert.equal(pays.data.data[0].refunded_amount, '20.00');
    const fees = await call(app, 'GET', `/api/v1/students/${w.student.id}/fees`, { token: w.staff.token });
    assert.equal(fees.data.meta.summary.balance, '200.00');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a personnel register filtered by status', async () => {
    const w = await makeWorld(app, 'office');
    const reg = await makeRegister(app, w.admin.token, w.org.id, `Register ${uniq()}`);
    await addPerson(app, w.admin.token, reg.id, { first_name: 'Yaw', status: 'active' });
    await addPerson(app, w.admin.token, reg.id, { first_name: 'Abena', status: 'posted' });
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Personnel' }).click();
    await page.getByRole('cell', { name: 'Yaw Mensah' }).waitFor();
    await page.getByRole('cell', { name: 'Abena Mensah' }).waitFor();
    await page.getByLabel('Status').selectOption('posted');
    await page.getByRole('cell', { name: 'Yaw Mensah' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('tbody tr').count(), 1);
    await assertAccessible(page);
    await shot(page, 'admin-personnel');
    const api = await call(app, 'GET', `/api/v1/personnel/register/${reg.id}`, {
      token: w.admin.token,
      query: { filter: 'posted' },
    });
    assert.deepEqual(
      api.data.data.map((p: { first_name: string }) => p.first_name),
      ['Abena'],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a notification arriving live', async () => {
    const w = await makeWorld(app, 'school');
    const teacher = await makeUser(app, w.org, 'faculty');
    const { context, page, errors } = await signIn(browser, base, teacher.username);
    await page.getByRole('heading', { name: 'My classes', level: 1 }).waitFor();
    // Give the stream a moment to connect before the notification is created.
    await page.waitForTimeout(500);
    const title = `Staff meeting ${uniq()}`;
    const sent = await call(app, 'POST', '/api/v1/notifications', {
      token: w.admin.token,
      body: { title, body: 'At 3 pm in the library', target_audience: 'specific', target_ids: [teacher.id] },
    });
    assert.ok(sent.statusCode < 300, sent.body);
    await page.locator('.toast', { hasText: title }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.locator('main strong', { hasText: title }).waitFor();
    // A slow answer (as on a loaded PostgreSQL) must not make the screen say "Read" before the server
    // has it: the item says "Saving…" until the PUT is answered, and "Read" only then.
    await page.route('**/api/v1/notifications/*/read', async (r) => {
      await new Promise((done) => setTimeout(done, 400));
      await r.continue();
    });
    await page.getByRole('button', { name: 'Mark as read' }).click();
    await page.getByText('Saving…', { exact: true }).waitFor();
    await page.getByText('Read', { exact: true }).waitFor();
    const unread = await call(app, 'GET', '/api/v1/notifications/unread', { token: teacher.token });
    assert.equal(unread.data.data.unread, 0);
    const list = await call(app, 'GET', '/api/v1/notifications', { token: teacher.token });
    assert.equal(list.data.data.find((n: { title: string }) => n.title === title)?.is_read, true);

    // A second one, while the page is open, joins the list and the count without a reload.
    const second = `Fire drill ${uniq()}`;
    const again = await call(app, 'POST', '/api/v1/notifications', {
      token: w.admin.token,
      body: { title: second, body: 'At 11 am', target_audience: 'specific', target_ids: [teacher.id] },
    });
    assert.ok(again.statusCode < 300, again.body);
    await page.locator('main strong', { hasText: second }).waitFor({ timeout: 15_000 });
    await page.locator('.bell .sr-only', { hasText: '1 unread' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Mark as read' }).count(), 1);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
