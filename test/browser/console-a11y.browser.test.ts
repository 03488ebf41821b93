// Accessibility of every console screen a role's navigation offers, in a real browser: admin, teacher (on a
// 390 px phone), student and parent. On each screen: form controls, buttons and links have accessible names,
// images have alt text, exactly one h1, no positive tabindex, and text contrast of at least 4.5:1 (3:1 for
// large text) against its effective background. The teacher's attendance sheet works from the keyboard.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeClass, makeCourse } from '../helpers/academic.js';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { makeUser } from '../helpers/factories.js';
import { enrollWithHooks } from '../helpers/finance.js';
import { makeAssessment } from '../helpers/grades.js';
import { addPerson, makeRegister } from '../helpers/personnel.js';
import { launchChromium } from './chromium.js';
import { localDate, PHONE, shot, signIn, startConsole } from './console.js';

/** The problems of the screen shown (empty when it passes), computed in the page. */
async function audit(page: Page): Promise<string[]> {
  // tsx's transform names the inner arrow functions with a helper the page lacks.
  await page.evaluate('window.__name ??= (f) => f');
  return page.evaluate(() => {
    const out: string[] = [];
    const short = (el: Element) => el.outerHTML.slice(0, 90);
    const byIds = (ids: string | null) =>
      (ids ?? '')
        .split(/\s+/)
        .map((id) => (id ? document.getElementById(id)?.textContent?.trim() : ''))
        .join(' ')
        .trim();
    const named = (el: Element) =>
      Boolean(
        el.getAttribute('aria-label')?.trim() ||
          byIds(el.getAttribute('aria-labelledby')) ||
          el.textContent?.trim() ||
          [...el.querySelectorAll('img[alt]')].some((i) => i.getAttribute('alt')?.trim()),
      );
    for (const el of document.querySelectorAll<HTMLInputElement>('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labelled = [...(el.labels ?? [])].some((l) => l.textContent?.trim());
      if (!labelled && !el.getAttribute('aria-label')?.trim() && !byIds(el.getAttribute('aria-labelledby')))
        out.push(`unlabelled control ${short(el)}`);
    }
    for (const el of document.querySelectorAll('button, a[href], [role="button"], [role="link"]')) {
      if (!named(el)) out.push(`nameless ${short(el)}`);
    }
    for (const img of document.querySelectorAll('img')) {
      if (!img.hasAttribute('alt')) out.push(`image without alt ${short(img)}`);
    }
    for (const s of document.querySelectorAll('svg[role="img"]')) {
      if (!s.getAttribute('aria-label')?.trim() && !byIds(s.getAttribute('aria-labelledby')))
        out.push('unlabelled chart');
    }
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    for (const el of document.querySelectorAll('[tabindex]')) {
      if (Number(el.getAttribute('tabindex')) > 0) out.push(`positive tabindex ${short(el)}`);
    }

    // Contrast: every visible element with its own text, its colour against the first opaque background
    // up its ancestors (translucent ones blended on the way), white at the root.
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba => {
      const m = c.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
    };
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1) as Rgba;
    };
    const background = (el: Element | null): Rgba => {
      const layers: Rgba[] = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let acc: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) acc = over(layer, acc);
      return acc;
    };
    const lum = (c: Rgba) => {
      const ch = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
    };
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      if (!own) continue;
      const st = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (st.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue; // hidden or sr-only
      if (el.closest(':disabled, [aria-disabled="true"], option')) continue; // WCAG exempts disabled controls
      const bg = background(el);
      // SVG text (chart labels) is painted with fill, not color.
      const paint = el instanceof SVGElement && st.fill.startsWith('rgb') ? st.fill : st.color;
      const fg = over(parse(paint), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = Number.parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        out.push(
          `contrast ${ratio.toFixed(2)}:1 "${el.textContent?.trim().slice(0, 30)}" (${st.color} on rgb(${bg.slice(0, 3).join(', ')}))`,
        );
    }
    return out;
  });
}

/**
 * What a detail page adds to the screen audit: headings that never skip a level (h1, then h2, h3 …), and a
 * keyboard walk from the page title through the main content, where Tab visits every visible control in
 * the order it appears (no control skipped, none reached twice, none out of order), each one showing a
 * focus outline.
 */
async function detailAudit(page: Page): Promise<string[]> {
  await page.evaluate('window.__name ??= (f) => f');
  const out = await page.evaluate(() => {
    const found: string[] = [];
    let prev = 0;
    for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
      const level = Number(h.tagName[1]);
      if (level > prev + 1)
        found.push(`heading h${level} after h${prev} "${h.textContent?.trim().slice(0, 40)}"`);
      prev = level;
    }
    return found;
  });
  // Every control a keyboard user should reach, in document order (one radio per group, as browsers do).
  const expected = await page.evaluate(() => {
    const sel =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const seenRadio = new Set<string>();
    const list: string[] = [];
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>(`main ${sel.split(', ').join(', main ')}`)) {
      const box = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (box.width <= 1 || box.height <= 1 || st.visibility === 'hidden') continue;
      if (el.matches(':disabled') || el.closest('[inert]')) continue;
      if (el instanceof HTMLInputElement && el.type === 'radio') {
        if (seenRadio.has(el.name)) continue;
        seenRadio.add(el.name);
      }
      el.dataset.a11yOrder = String(n++);
      list.push(el.outerHTML.slice(0, 70));
    }
    return list;
  });
  if (expected.length < 3) out.push(`only ${expected.length} controls to reach: is the page drawn?`);
  await page.locator('h1#page-title').focus();
  const visited: number[] = [];
  for (let i = 0; i < expected.length * 3 + 5; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el?.closest('main')) return null;
      const st = getComputedStyle(el);
      const ring =
        (st.outlineStyle !== 'none' && Number.parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none';
      return { order: el.dataset.a11yOrder ?? null, ring, html: el.outerHTML.slice(0, 70) };
    });
    if (at === null) break; // left the main content
    if (at.order === null) {
      out.push(`focus on an element not visible in order ${at.html}`);
      continue;
    }
    // A date or time field takes one Tab per part (day, month, year): one stop in the order.
    if (visited.at(-1) === Number(at.order)) continue;
    if (!at.ring) out.push(`no focus outline on ${at.html}`);
    visited.push(Number(at.order));
  }
  const order = expected.map((_, i) => i);
  if (visited.join(',') !== order.join(',')) {
    const firstBad = visited.findIndex((v, i) => v !== i);
    const at = firstBad === -1 ? visited.length : firstBad;
    out.push(
      `focus order: Tab ${at + 1} reached ${visited[at] === undefined ? 'nothing' : expected[visited[at]]}, expected ${expected[at] ?? 'the end'}`,
    );
  }
  await page.evaluate(() => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-a11y-order]')) delete el.dataset.a11yOrder;
  });
  return out;
}

/** A detail page: the screen audit and the detail audit. */
async function settledDetailAudit(page: Page): Promise<string[]> {
  const found = await settledAudit(page);
  return [...found, ...(await detailAudit(page))];
}

/** Opens a navigation link, through the menu when the phone layout hides it. */
async function go(page: Page, label: string) {
  const link = page.locator('#main-nav').getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) await page.locator('.menu-toggle').click();
  await link.click();
}

/** Clicks through every link of the main navigation (opening the menu on a phone) and audits each screen. */
async function auditNav(page: Page, who: string): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const labels = await page.locator('#main-nav a').allTextContents();
  assert.ok(labels.length > 0, `${who} has no navigation`);
  for (const label of labels) {
    await go(page, label);
    found[`${who} ${label}`] = await settledAudit(page);
  }
  return found;
}

/** Waits for the screen's heading and for its data (no "Loading…" left), then audits it. */
async function settledAudit(page: Page): Promise<string[]> {
  await page.locator('h1#page-title').waitFor();
  await page.getByText('Loading…').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForTimeout(100);
  return audit(page);
}

function assertClean(found: Record<string, string[]>) {
  if (process.env.A11Y_DEBUG) console.log(JSON.stringify(found, null, 1));
  const bad = Object.entries(found).filter(([, p]) => p.length);
  assert.deepEqual(
    bad.map(([screen, p]) => `${screen}: ${p.join('; ')}`),
    [],
    `screens checked: ${Object.keys(found).join(', ')}`,
  );
}

describe('console: accessibility of every screen', () => {
  let browser: Browser;
  let app: App;
  let base: string;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  let register: { id: string };
  let clerk: { username: string };
  before(async () => {
    browser = await launchChromium();
    ({ app, base } = await startConsole());
    w = await makeAttendanceWorld(app, 3);
    // Enough on every screen to draw its rows, badges and forms: a fee due, an assessment with a mark,
    // attendance on two days, and an unread notification for each person.
    const course = await makeCourse(app, w.org, { feeMinor: 25_000, code: `A11Y${Date.now() % 1e6}` });
    const feeClass = await makeClass(app, w.org, { courseId: course.id });
    await enrollWithHooks(app, w.students[0].id, feeClass);
    const quiz = await makeAssessment(app, w.teacher.token, {
      class_id: w.cls.id,
      name: 'Quiz 1',
      max_marks: 20,
    });
    const marked = await call(app, 'POST', `/api/v1/assessments/${quiz}/marks`, {
      token: w.teacher.token,
      body: { marks: [{ student_id: w.students[0].id, marks: 15 }] },
    });
    assert.ok(marked.statusCode < 300, marked.body);
    for (const [date, status] of [
      ['2026-03-02', 'present'],
      ['2026-03-03', 'absent'],
    ] as const) {
      const r = await call(app, 'POST', '/api/v1/attendance/bulk', {
        token: w.teacher.token,
        body: { class_id: w.cls.id, date, records: [{ student_id: w.students[0].id, status }] },
      });
      assert.ok(r.statusCode < 300, r.body);
    }
    const users = [w.teacher.userId, w.parent.userId, w.admin.id, w.students[0].userId];
    const sent = await call(app, 'POST', '/api/v1/notifications', {
      token: w.admin.token,
      body: {
        title: 'Term dates',
        body: 'Term starts on Monday',
        target_audience: 'specific',
        target_ids: users,
      },
    });
    assert.ok(sent.statusCode < 300, sent.body);
    register = await makeRegister(app, w.admin.token, w.org.id);
    clerk = await makeUser(app, w.org, 'staff', { fullName: 'Clerk Adjoa' });
    const person = await addPerson(app, w.admin.token, register.id, {
      first_name: 'Akosua',
      last_name: 'Boateng',
    });
    const moved = await call(app, 'PATCH', `/api/v1/personnel/${person.id}`, {
      token: w.admin.token,
      body: { status: 'posted', status_date: '2026-11-02', status_reason: 'Posted north' },
    });
    assert.ok(moved.statusCode < 300, moved.body);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('admin screens', async () => {
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    const found = await auditNav(page, 'admin');
    assert.ok(Object.keys(found).length >= 10, Object.keys(found).join(', '));
    // The pages behind the lists: a student's profile and a class, the richest forms of the office.
    await go(page, 'Students');
    await page
      .getByRole('link', { name: /^Stu0 / })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Stu0 /, level: 1 }).waitFor();
    found['admin student profile'] = await settledDetailAudit(page);
    await go(page, 'Classes');
    await page.getByRole('link', { name: 'CS-101 Section A' }).first().click();
    await page.getByRole('heading', { name: /CS-101 Section A/, level: 1 }).waitFor();
    found['admin class'] = await settledDetailAudit(page);
    // A person of a personnel register, and a user's page.
    await go(page, 'Personnel');
    await page.getByLabel('Register', { exact: true }).selectOption(register.id);
    await page.getByRole('link', { name: 'Akosua Boateng' }).click();
    await page.getByRole('heading', { name: 'Akosua Boateng', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Status history' }).getByText('Posted north').waitFor();
    found['admin person'] = await settledDetailAudit(page);
    await go(page, 'Organization');
    await page.getByLabel('Search users').fill(clerk.username);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'Clerk Adjoa' }).click();
    await page.getByRole('heading', { name: 'Clerk Adjoa', level: 1 }).waitFor();
    found['admin user'] = await settledDetailAudit(page);
    for (const screen of ['admin student profile', 'admin class', 'admin person', 'admin user'])
      assert.ok(screen in found, screen);
    assertClean(found);

    // The audit itself catches each kind of problem (planted on the last screen, then removed).
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.id = 'planted';
      box.innerHTML =
        '<input name="planted"><button type="button"></button><img src="data:,"><h1>Second</h1>' +
        '<a href="#x" tabindex="2">Tab</a><p style="color:#999;background:#fff">Pale</p>';
      document.querySelector('main')?.append(box);
    });
    const planted = (await audit(page)).join('\n');
    for (const kind of [
      'unlabelled control',
      'nameless',
      'image without alt',
      '2 h1',
      'positive tabindex',
      'contrast 2.85:1 "Pale"',
    ])
      assert.ok(planted.includes(kind), `${kind} not caught:\n${planted}`);
    await page.evaluate(() => document.getElementById('planted')?.remove());
    // … and the detail audit a skipped heading level, a control Tab skips, one without a focus outline.
    await page.evaluate(() => {
      const box = document.createElement('div');
      box.id = 'planted';
      box.innerHTML =
        '<h4>Deep</h4><button type="button" tabindex="-1">Skipped</button>' +
        '<button type="button" style="outline:none">Ringless</button>';
      document.querySelector('main h1')?.after(box);
    });
    const plantedDetail = (await detailAudit(page)).join('\n');
    for (const kind of [
      'heading h4 after h1 "Deep"',
      'focus order: Tab 1 reached <button type="button" style="outline:none"',
      'no focus outline on <button type="button" style="outline:none"',
    ])
      assert.ok(plantedDetail.includes(kind), `${kind} not caught:\n${plantedDetail}`);
    await page.evaluate(() => document.getElementById('planted')?.remove());
    assert.deepEqual(await detailAudit(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('teacher screens on a 390 px phone; attendance marks from the keyboard', async () => {
    const { context, page, errors } = await signIn(browser, base, w.teacher.username, { viewport: PHONE });
    const found = await auditNav(page, 'teacher');
    for (const link of ['Take attendance', 'Gradebook', 'Summary']) {
      await go(page, 'My classes');
      await page.getByRole('link', { name: link }).first().click();
      found[`teacher ${link}`] = await settledAudit(page);
    }
    assertClean(found);

    // Attendance by keyboard: Tab reaches a student's mark; Space and Enter change it.
    await go(page, 'My classes');
    await page.getByRole('link', { name: 'Take attendance' }).click();
    const first = page.getByRole('button', { name: /^Stu0 .*: Present$/ });
    await first.waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await first.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, 'Tab reaches the first mark');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: /^Stu0 .*: Absent$/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^Stu0 .*: Late$/ }).waitFor();
    assert.ok(
      await page
        .getByRole('button', { name: /^Stu0 .*: Late$/ })
        .evaluate((el) => el === document.activeElement),
    );
    // Saved from the keyboard too; the API holds the mark.
    await page.getByRole('button', { name: 'Save attendance' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Attendance saved for 3 students.').waitFor();
    const held = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: w.teacher.token,
      query: { date: localDate() },
    });
    const mark = held.data.data.find((r: { student_id: string }) => r.student_id === w.students[0].id);
    assert.equal(mark?.status, 'late');
    await shot(page, 'a11y-teacher-attendance-keyboard');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('student screens', async () => {
    const { context, page, errors } = await signIn(browser, base, w.students[0].username);
    assertClean(await auditNav(page, 'student'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('parent screens', async () => {
    const { context, page, errors } = await signIn(browser, base, w.parent.username);
    assertClean(await auditNav(page, 'parent'));
    assert.deepEqual(errors, []);
    await context.close();
  });
});
