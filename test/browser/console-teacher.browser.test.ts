// The console in a real browser, as a teacher: attendance on a 390 px phone (everyone present, tap the
// exceptions, marks kept on the device through a lost connection) and the gradebook grid.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { makeAssessment } from '../helpers/grades.js';
import { launchChromium } from './chromium.js';
import { assertAccessible, localDate, PHONE, shot, signIn, startConsole } from './console.js';

describe('console: teacher', () => {
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

  it('takes attendance on a 390 px phone, keeping the marks through a lost connection', async () => {
    const w = await makeAttendanceWorld(app, 4);
    const { context, page, errors } = await signIn(browser, base, w.teacher.username, { viewport: PHONE });
    await page.getByRole('heading', { name: 'My classes', level: 1 }).waitFor();
    // Only the classes this teacher teaches.
    assert.equal(await page.getByRole('heading', { name: 'CS-102 Section B' }).count(), 0);
    await page.getByRole('heading', { name: 'CS-101 Section A' }).waitFor();
    await assertAccessible(page);
    await shot(page, 'teacher-home-phone');
    await page.getByRole('link', { name: 'Take attendance' }).click();

    // Everyone starts present.
    const row = (i: number) => page.getByRole('button', { name: new RegExp(`^Stu${i} .*23/CS/${101 + i}:`) });
    await row(3).waitFor();
    for (let i = 0; i < 4; i++) assert.match((await row(i).getAttribute('aria-label')) ?? '', /: Present$/);
    assert.match(await page.getByTestId('attendance-counts').innerText(), /4 present · 0 absent/);
    // The roll list fits the phone: no horizontal scrolling.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));

    await row(1).click(); // absent
    await row(2).click();
    await row(2).click(); // late
    assert.match((await row(1).getAttribute('aria-label')) ?? '', /: Absent$/);
    assert.match((await row(2).getAttribute('aria-label')) ?? '', /: Late$/);
    assert.match(await page.getByTestId('attendance-counts').innerText(), /2 present · 1 absent · 1 late/);

    // The connection drops while saving: nothing is lost.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('You are offline.').waitFor();
    const draft = await page.evaluate(() =>
      Object.entries(localStorage).filter(([k]) => k.startsWith('registrar.attendance.')),
    );
    assert.equal(draft.length, 1);
    assert.equal(Object.values(JSON.parse(draft[0][1])).filter((s) => s === 'absent').length, 1);
    await shot(page, 'teacher-attendance-offline-phone');
    const none = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: w.teacher.token,
      query: { date: localDate() },
    });
    assert.ok(none.data.data.every((r: { status: string | null }) => r.status === null));

    // Back online, even after a reload the marks are still there; saving sends them.
    await context.setOffline(false);
    await page.reload();
    await row(3).waitFor();
    assert.match((await row(1).getAttribute('aria-label')) ?? '', /: Absent$/);
    assert.match((await row(2).getAttribute('aria-label')) ?? '', /: Late$/);
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved for 4 students.').waitFor();
    await assertAccessible(page);
    await shot(page, 'teacher-attendance-phone');
    assert.equal(
      await page.evaluate(
        () => Object.keys(localStorage).filter((k) => k.startsWith('registrar.attendance.')).length,
      ),
      0,
    );

    const res = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
      token: w.teacher.token,
      query: { date: localDate() },
    });
    const byStudent = Object.fromEntries(
      res.data.data.map((r: { student_id: string; status: string }) => [r.student_id, r.status]),
    );
    assert.deepEqual(byStudent, {
      [w.students[0].id]: 'present',
      [w.students[1].id]: 'absent',
      [w.students[2].id]: 'late',
      [w.students[3].id]: 'present',
    });

    // The class's summary and its defaulters under 75 %: the absent student (0 %).
    await page.getByRole('link', { name: 'Back' }).click();
    await page.getByRole('link', { name: 'Summary' }).first().click();
    await page.getByRole('heading', { name: /Attendance summary: CS-101 Section A/ }).waitFor();
    const summary = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance-summary`, {
      token: w.teacher.token,
    });
    for (const r of summary.data.data as Array<{ student_name: string; percentage: number }>) {
      await page.locator('tr', { hasText: r.student_name }).getByText(`${r.percentage}%`).waitFor();
    }
    const def = page.getByRole('region', { name: 'Below the threshold' });
    await def.getByText(/^Stu1 .* · 0%$/).waitFor();
    assert.equal(await def.getByRole('listitem').count(), 1);
    await assertAccessible(page);
    await shot(page, 'teacher-class-summary-phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('enters marks in the gradebook one cell at a time, with the save state and the live average', async () => {
    const w = await makeAttendanceWorld(app, 2);
    const quiz = await makeAssessment(app, w.teacher.token, {
      class_id: w.cls.id,
      name: 'Quiz 1',
      max_marks: 20,
      weight: 1,
    });
    const exam = await makeAssessment(app, w.teacher.token, {
      class_id: w.cls.id,
      name: 'Midterm',
      assessment_type: 'midterm',
      max_marks: 50,
      weight: 3,
    });
    const { context, page, errors } = await signIn(browser, base, w.teacher.username);
    await page.getByRole('link', { name: 'Gradebook' }).click();
    await page.getByRole('heading', { name: /Gradebook: CS-101 Section A/ }).waitFor();
    const s0 = w.students[0];
    const cell = (assessment: string) => page.getByLabel(new RegExp(`^Stu0 \\S+, ${assessment}$`));
    const avg = page.getByTestId(`avg-${s0.studentNumber}`);
    assert.equal(await avg.innerText(), '—');

    await cell('Quiz 1').fill('18');
    await cell('Quiz 1').press('Enter');
    const state = (assessment: string) => cell(assessment).locator('xpath=..').getByRole('status');
    await state('Quiz 1').filter({ hasText: 'Saved' }).waitFor();
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent === '90.0%',
      `avg-${s0.studentNumber}`,
    );

    // An out-of-range mark is refused in the cell, and never sent.
    await cell('Midterm').fill('70');
    await cell('Midterm').press('Tab');
    await state('Midterm').filter({ hasText: 'Enter a number from 0 to 50.' }).waitFor();

    await cell('Midterm').fill('40');
    await cell('Midterm').press('Enter');
    await state('Midterm').filter({ hasText: 'Saved' }).waitFor();
    // The average is the API's (weights and the organization's rounding applied there): it moved off 90 %
    // to between the two marks (90 % and 80 %), and the screen shows exactly what the API computed.
    const book = await call(app, 'GET', `/api/v1/classes/${w.cls.id}/gradebook`, { token: w.teacher.token });
    const mine = book.data.data.students.find((s: { student_id: string }) => s.student_id === s0.id);
    await page.waitForFunction(
      ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want,
      [`avg-${s0.studentNumber}`, `${mine.percent.toFixed(1)}%`],
    );
    assert.ok(mine.percent > 80 && mine.percent < 90, String(mine.percent));
    await assertAccessible(page);
    await shot(page, 'teacher-gradebook');

    const q = await call(app, 'GET', `/api/v1/assessments/${quiz}/marks`, { token: w.teacher.token });
    assert.deepEqual(
      q.data.data.map((m: { student_id: string; marks: number }) => [m.student_id, m.marks]),
      [[s0.id, 18]],
    );
    const e = await call(app, 'GET', `/api/v1/assessments/${exam}/marks`, { token: w.teacher.token });
    assert.deepEqual(
      e.data.data.map((m: { student_id: string; marks: number }) => [m.student_id, m.marks]),
      [[s0.id, 40]],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});
