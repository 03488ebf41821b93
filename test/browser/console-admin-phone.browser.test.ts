// The admin's list and detail screens on a 390 px wide phone: the page body never scrolls sideways, a
// table wider than the screen scrolls inside its own container, and every action (button, link, field)
// lies on the screen or inside such a container, where the user can scroll to it. Each screen is also
// checked against what the API holds (the rows it lists).
import '../../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeClass, makeCourse } from '../helpers/academic.js';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { makeUser } from '../helpers/factories.js';
import { enrollWithHooks } from '../helpers/finance.js';
import { addPerson, makeRegister } from '../helpers/personnel.js';
import { launchChromium } from './chromium.js';
import { PHONE, shot, signIn, startConsole } from './console.js';

/** The layout problems of the screen shown at the phone's width (empty when it passes), computed in the page. */
async function layout(page: Page): Promise<string[]> {
  await page.evaluate('window.__name ??= (f) => f');
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const short = (el: Element) => el.outerHTML.slice(0, 80);
    const doc = document.scrollingElement ?? document.documentElement;
    /** The nearest ancestor that scrolls sideways itself (overflow-x auto or scroll), if any. */
    const scroller = (el: Element) => {
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const o = getComputedStyle(e).overflowX;
        if (o === 'auto' || o === 'scroll') return e;
      }
      return null;
    };
    if (doc.scrollWidth > vw + 1 || document.body.scrollWidth > vw + 1) {
      // Name what sticks out: the innermost elements past the right edge that no scrolling box holds.
      const wide = [...document.querySelectorAll('body *')].filter(
        (e) => e.getBoundingClientRect().right > vw + 1 && !scroller(e),
      );
      // … or whose text runs past their own box (a long word, an email address).
      const spill = [...document.querySelectorAll<HTMLElement>('body *')].filter(
        (e) =>
          e.scrollWidth > e.clientWidth + 1 &&
          e.clientWidth > 0 &&
          !scroller(e) &&
          getComputedStyle(e).overflowX === 'visible',
      );
      wide.push(...spill);
      const leaves = wide.filter((e) => !wide.some((o) => o !== e && e.contains(o))).slice(0, 3);
      out.push(
        `the page scrolls sideways: ${doc.scrollWidth}px in ${vw}px (${leaves.map(short).join(' | ')})`,
      );
    }
    for (const table of document.querySelectorAll('main table')) {
      if (table.closest('.sr-only')) continue; // a chart's table for screen readers
      const box = scroller(table);
      if (!box) out.push(`a table outside a scrolling container ${short(table)}`);
      else if (box.getBoundingClientRect().right > vw + 1 || box.getBoundingClientRect().left < -1)
        out.push(`a table container wider than the screen ${short(box)}`);
    }
    const actions = 'main a[href], main button, main input:not([type="hidden"]), main select, main textarea';
    for (const el of document.querySelectorAll<HTMLElement>(actions)) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
      const box = scroller(el);
      if (box) {
        // Reachable by scrolling its container: the container itself must be on the screen.
        const b = box.getBoundingClientRect();
        if (b.left < -1 || b.right > vw + 1) out.push(`off screen (in its container) ${short(el)}`);
      } else if (r.left < -1 || r.right > vw + 1) {
        out.push(`off screen ${Math.round(r.left)}..${Math.round(r.right)} ${short(el)}`);
      }
    }
    return out;
  });
}

/** Opens a navigation link through the phone's menu. */
async function go(page: Page, label: string) {
  const link = page.locator('#main-nav').getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) await page.locator('.menu-toggle').click();
  await link.click();
}

async function settled(page: Page) {
  await page.locator('h1#page-title').waitFor();
  await page.getByText('Loading…').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForTimeout(100);
}

describe('console: admin screens on a 390 px phone', () => {
  let browser: Browser;
  let app: App;
  let base: string;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  let register: { id: string };
  let clerk: { id: string; username: string };
  before(async () => {
    browser = await launchChromium();
    ({ app, base } = await startConsole());
    w = await makeAttendanceWorld(app, 3);
    const course = await makeCourse(app, w.org, { feeMinor: 25_000, code: `PH${Date.now() % 1e6}` });
    const feeClass = await makeClass(app, w.org, { courseId: course.id });
    await enrollWithHooks(app, w.students[0].id, feeClass);
    register = await makeRegister(app, w.admin.token, w.org.id);
    await addPerson(app, w.admin.token, register.id, {
      first_name: 'Akosua',
      last_name: 'Boateng',
      rank: 'Warrant Officer Class One',
      unit: 'Northern Command Signals Regiment',
    });
    clerk = await makeUser(app, w.org, 'staff', { fullName: 'Clerk Adjoa' });
    // A fine due in the past makes the first student a defaulter.
    const fine = await call(app, 'POST', '/api/v1/finance/adjustments', {
      token: w.admin.token,
      body: {
        student_id: w.students[0].id,
        entry_type: 'late_fine',
        amount: '12.00',
        reason: 'Late',
        due_date: '2026-01-05',
      },
    });
    assert.equal(fine.statusCode, 201, fine.body);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists and detail pages fit the phone; tables scroll inside their container; actions are reachable', async () => {
    const { context, page, errors } = await signIn(browser, base, w.admin.username, { viewport: PHONE });
    const found: Record<string, string[]> = {};
    const labels = await page.locator('#main-nav a').allTextContents();
    assert.ok(labels.length >= 10, labels.join(', '));
    for (const label of labels) {
      await go(page, label);
      await settled(page);
      found[label] = await layout(page);
    }

    // The students list shows the API's students; the profile of one.
    await go(page, 'Students');
    await settled(page);
    const api = await call(app, 'GET', '/api/v1/students', {
      token: w.admin.token,
      query: { page_size: 25 },
    });
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), api.data.data.length);
    await page
      .getByRole('link', { name: /^Stu0 / })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Stu0 /, level: 1 }).waitFor();
    await settled(page);
    found['student profile'] = await layout(page);
    await shot(page, 'phone-admin-student-profile');

    await go(page, 'Classes');
    await page.getByRole('link', { name: 'CS-101 Section A' }).first().click();
    await page.getByRole('heading', { name: /CS-101 Section A/, level: 1 }).waitFor();
    await settled(page);
    const roster = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/students`, { token: w.admin.token });
    assert.equal(roster.statusCode, 200, roster.body);
    for (const s of roster.data.data as Array<{ first_name: string }>) {
      await page.locator('main').getByText(s.first_name, { exact: false }).first().waitFor();
    }
    found['class'] = await layout(page);
    await shot(page, 'phone-admin-class');

    await go(page, 'Personnel');
    await page.getByLabel('Register', { exact: true }).selectOption(register.id);
    await page.getByRole('link', { name: 'Akosua Boateng' }).waitFor();
    await settled(page);
    found['personnel register'] = await layout(page);
    await page.getByRole('link', { name: 'Akosua Boateng' }).click();
    await page.getByRole('heading', { name: 'Akosua Boateng', level: 1 }).waitFor();
    await settled(page);
    found['person'] = await layout(page);
    await shot(page, 'phone-admin-person');

    await go(page, 'Organization');
    await page.getByLabel('Search users').fill(clerk.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Clerk Adjoa' }).click();
    await page.getByRole('heading', { name: 'Clerk Adjoa', level: 1 }).waitFor();
    await settled(page);
    found['user'] = await layout(page);
    await shot(page, 'phone-admin-user');

    // An action at the far end of a wide table row is reached by scrolling the table's own container (the
    // page does not move sideways), and works: the API then holds the contact.
    await go(page, 'Dues and defaulters');
    await page.getByRole('button', { name: 'Defaulters (overdue)' }).click();
    const row = page.locator('main tr', { hasText: w.students[0].studentNumber });
    await row.waitFor();
    const wrap = page.locator('main .table-wrap', {
      has: page.locator('tr', { hasText: w.students[0].studentNumber }),
    });
    const sizes = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    assert.ok(
      sizes.scroll > sizes.client,
      `the defaulters table is wider than the phone: ${JSON.stringify(sizes)}`,
    );
    found['defaulters'] = await layout(page);
    await row.getByRole('button', { name: 'Contact' }).click();
    await page.getByText('Contact logged').waitFor();
    assert.ok((await wrap.evaluate((e) => e.scrollLeft)) > 0, 'the table scrolled to its last column');
    assert.equal(await page.evaluate(() => window.scrollX), 0, 'the page did not scroll sideways');
    await shot(page, 'phone-admin-defaulters');
    const d = await call(app, 'GET', '/api/v1/fee-payments/defaulters', { token: w.admin.token });
    const mine = d.data.data.find((x: { student_id: string }) => x.student_id === w.students[0].id);
    assert.ok(mine?.last_contacted_at, 'the API holds the contact');

    if (process.env.A11Y_DEBUG) console.log(JSON.stringify(found, null, 1));
    const bad = Object.entries(found).filter(([, p]) => p.length);
    assert.deepEqual(
      bad.map(([screen, p]) => `${screen}: ${p.join('; ')}`),
      [],
      `screens checked: ${Object.keys(found).join(', ')}`,
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});
