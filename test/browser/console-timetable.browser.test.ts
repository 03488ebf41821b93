// The console's timetable screens in a real browser: a teacher's classes of today, a student's week with
// the calendar file and the transcript, and a parent's view of a child's fees.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { makeSession } from '../helpers/grades.js';
import { addBook, issue } from '../helpers/library.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, localDate, PHONE, shot, signIn, startConsole } from './console.js';

describe('console: timetable', () => {
  let browser: Browser;
  let app: App;
  let base: string;
  let w: Awaited<ReturnType<typeof makeAttendanceWorld>>;
  let loan: { book_title: string; due_date: string };
  before(async () => {
    browser = await launchChromium();
    ({ app, base } = await startConsole());
    w = await makeAttendanceWorld(app, 2);
    await makeSession(app, w.org, 'Spring term');
    const book = await addBook(app, w.admin.token, w.org.id, { title: 'Things Fall Apart' });
    const issued = await issue(app, w.staff.token, { book_id: book.id, student_id: w.students[0].id });
    assert.equal(issued.statusCode, 201, issued.body);
    loan = issued.data.data;
    const iso = new Date().getDay() || 7;
    const slot = await call(app, 'POST', '/api/v1/timetable-slots', {
      token: w.admin.token,
      body: {
        organization_id: w.org.id,
        day_of_week: iso,
        start_time: '10:00',
        end_time: '10:50',
        name: 'today',
      },
    });
    assert.equal(slot.statusCode, 201, slot.body);
    const gen = await call(app, 'POST', '/api/v1/timetable/generate', {
      token: w.admin.token,
      body: {
        effective_from: localDate(new Date(Date.now() - 7 * 86_400_000)),
        effective_to: localDate(new Date(Date.now() + 60 * 86_400_000)),
        items: [{ class_id: w.cls.id, slot_id: slot.data.data.id, room_no: 'R7' }],
      },
    });
    assert.equal(gen.statusCode, 201, gen.body);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("shows a teacher today's classes from the timetable", async () => {
    const { context, page, errors } = await signIn(browser, base, w.teacher.username, { viewport: PHONE });
    const today = page.getByRole('region', { name: /^Today: / });
    await today.getByText(/10:00–10:50 · CS-101 Section A · R7/).waitFor();
    await assertAccessible(page);
    await shot(page, 'teacher-today-phone');
    const api = await call(app, 'GET', `/api/v1/timetable/faculty/${w.teacher.id}`, {
      token: w.teacher.token,
    });
    assert.equal(api.data.data.length, 1);
    assert.equal(api.data.data[0].room_no, 'R7');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows a student the week, with the calendar file and the transcript', async () => {
    const s = w.students[0];
    const { context, page, errors } = await signIn(browser, base, s.username);
    const tt = page.getByRole('region', { name: 'Timetable' });
    await tt.getByText(/10:00–10:50 · CS-101 Section A · R7/).waitFor();
    const [ics] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the calendar feed (.ics)' }).click(),
    ]);
    const icsPath = join(screenshotDir, 'student-timetable.ics');
    await ics.saveAs(icsPath);
    const text = readFileSync(icsPath, 'utf8');
    assert.match(text, /^BEGIN:VCALENDAR/);
    assert.match(text, /CS-101 Section A/);
    // A secret calendar link a phone can subscribe to, readable without a token.
    await tt.getByRole('button', { name: 'Get a calendar link for a phone' }).click();
    const url = await tt.getByLabel('Calendar link').inputValue();
    const feed = await fetch(url);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /CS-101 Section A/);
    assert.match(
      (await tt.getByRole('link', { name: 'Subscribe in the calendar app' }).getAttribute('href')) ?? '',
      /^webcal:/,
    );
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my transcript (PDF)' }).click(),
    ]);
    const pdfPath = join(screenshotDir, 'student-transcript.pdf');
    await pdf.saveAs(pdfPath);
    assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
    const loans = page.getByRole('region', { name: 'Library loans' });
    await loans.getByText(`${loan.book_title} · Due ${loan.due_date}`).waitFor();
    const mine = await call(app, 'GET', '/api/v1/library/issued', {
      token: s.token,
      query: { student_id: s.id },
    });
    assert.deepEqual(
      mine.data.data.map((l: { book_title: string }) => l.book_title),
      ['Things Fall Apart'],
    );
    await page.getByLabel('Term').selectOption({ label: 'Spring term' });
    const [card] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report card (PDF)' }).click(),
    ]);
    const cardPath = join(screenshotDir, 'student-report-card.pdf');
    await card.saveAs(cardPath);
    assert.equal(readFileSync(cardPath).subarray(0, 5).toString(), '%PDF-');
    await assertAccessible(page);
    await shot(page, 'student-home');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("shows a parent the child's fees and timetable", async () => {
    const { context, page, errors } = await signIn(browser, base, w.parent.username);
    const fees = page.getByRole('region', { name: /^Fees of Stu0 / });
    const api = await call(app, 'GET', `/api/v1/students/${w.students[0].id}/fees`, {
      token: w.parent.token,
    });
    assert.equal(api.statusCode, 200);
    await fees.getByText(`${api.data.meta.summary.balance} ${api.data.meta.summary.currency}`).waitFor();
    const week = page.getByRole('region', { name: /^Timetable of Stu0 / });
    await week.getByText(/10:00–10:50 · CS-101 Section A · R7/).waitFor();
    const tt = await call(app, 'GET', `/api/v1/timetable/student/${w.students[0].id}`, {
      token: w.parent.token,
    });
    assert.equal(tt.data.data.length, 1);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
