// Sign-in, session refresh and sign-out in a real browser; API errors in plain words; navigation by role.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { makeStudent } from '../helpers/academic.js';
import { type App, call } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';
import { launchChromium } from './chromium.js';
import { assertAccessible, shot, signIn, startConsole } from './console.js';

describe('console: session', () => {
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

  it('says a wrong password in plain words, and shows no Google button unless configured', async () => {
    const w = await makeWorld(app, 'school');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Username or email').fill(w.admin.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The username or password is not right.' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in with Google' }).count(), 0);
    await assertAccessible(page);
    await shot(page, 'sign-in-error');
    await context.close();
  });

  it('keeps the session across a reload (refresh token), and sign-out revokes it', async () => {
    const w = await makeWorld(app, 'school');
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    const first = await page.evaluate(() => localStorage.getItem('registrar.refresh_token'));
    assert.ok(first);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The reload traded the refresh token for a new pair (rotation): the old one is spent.
    const second = await page.evaluate(() => localStorage.getItem('registrar.refresh_token'));
    assert.ok(second && second !== first);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('registrar.refresh_token')), null);
    const replay = await call(app, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: second } });
    assert.equal(replay.statusCode, 401);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows each role only its own screens', async () => {
    const w = await makeWorld(app, 'school');
    const student = await makeStudent(app, w.org, {}, { login: true });
    const { context, page, errors } = await signIn(browser, base, student.username);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Fees' }).waitFor();
    const links = await nav.getByRole('link').allTextContents();
    assert.deepEqual(links, ['My school', 'Fees', 'Notifications', 'My documents', 'My account']);
    // Typing an office address shows nothing of it.
    await page.goto(`${base}/classes`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Classes' }).count(), 0);
    await context.close();

    const admin = await signIn(browser, base, w.admin.username);
    const adminLinks = await admin.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .allTextContents();
    for (const l of [
      'Dashboard',
      'Organization',
      'Students',
      'Classes',
      'Fee desk',
      'Personnel',
      'Imports',
      'Library desk',
      'Hostels',
    ]) {
      assert.ok(adminLinks.includes(l), l);
    }
    assert.ok(!adminLinks.includes('Fees'));
    assert.deepEqual([...errors, ...admin.errors], []);
    await admin.context.close();
  });
});
