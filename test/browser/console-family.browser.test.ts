// The console in a real browser, as a student and a parent: the student pays a fee and downloads the PDF
// receipt; the parent sees a child's attendance. Each test checks the screen and then the API.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { enrollWithHooks, makeFinanceWorld } from '../helpers/finance.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, shot, signIn, startConsole } from './console.js';

describe('console: student and parent', () => {
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

  it('a student pays a fee and downloads the receipt', async () => {
    const w = await makeFinanceWorld(app, 50_000);
    await enrollWithHooks(app, w.student.id, w.cls);
    const { context, page, errors } = await signIn(browser, base, w.student.username);
    await page.getByRole('heading', { name: 'My school', level: 1 }).waitFor();
    await shot(page, 'student-home');
    await page.getByRole('link', { name: 'Fees' }).click();
    await page.getByRole('heading', { name: 'My fees', level: 1 }).waitFor();
    const balance = page.getByTestId('balance');
    await balance.filter({ hasText: '500.00' }).waitFor();

    await page.getByLabel('Amount').fill('200.00');
    await page.getByLabel('Method').selectOption('card');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Payment received.' });
    await notice.waitFor();
    const receiptNo = /Receipt (\S+)\./.exec(await notice.innerText())?.[1];
    assert.ok(receiptNo);
    await balance.filter({ hasText: '300.00' }).waitFor();
    await assertAccessible(page);
    await shot(page, 'student-fees');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download ${receiptNo}` }).click(),
    ]);
    const path = join(screenshotDir, `receipt-${receiptNo.replace(/[^\w-]/g, '_')}.pdf`);
    await download.saveAs(path);
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');

    // What the API holds: one payment of 200.00 with that receipt number, and 300.00 still due.
    const fees = await call(app, 'GET', '/api/v1/students/me/fees', { token: w.student.token });
    assert.equal(fees.data.meta.summary.balance, '300.00');
    const pays = await call(app, 'GET', '/api/v1/fee-payments', { token: w.student.token });
    assert.equal(pays.data.data.length, 1);
    assert.equal(pays.data.data[0].amount, '200.00');
    assert.equal(pays.data.data[0].receipt_no, receiptNo);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("a parent sees a child's attendance", async () => {
    const w = await makeAttendanceWorld(app, 2);
    const child = w.students[0];
    for (const [date, status] of [
      ['2026-03-02', 'present'],
      ['2026-03-03', 'absent'],
      ['2026-03-04', 'present'],
      ['2026-03-05', 'late'],
    ] as const) {
      const r = await call(app, 'POST', '/api/v1/attendance/bulk', {
        token: w.teacher.token,
        body: { class_id: w.cls.id, date, records: [{ student_id: child.id, status }] },
      });
      assert.ok(r.statusCode < 300, r.body);
    }
    const { context, page, errors } = await signIn(browser, base, w.parent.username);
    await page.getByRole('heading', { name: 'My children', level: 1 }).waitFor();
    const card = page.getByRole('region', { name: /^Attendance of Stu0 / });
    await card.waitFor();
    const api = await call(app, 'GET', '/api/v1/attendance/summary', {
      token: w.parent.token,
      query: { student_id: child.id },
    });
    assert.equal(api.statusCode, 200);
    assert.equal(api.data.data.total, 4);
    assert.equal(api.data.data.absent, 1);
    await card
      .getByTestId(`pct-${child.id}`)
      .filter({ hasText: `${api.data.data.percentage}%` })
      .waitFor();
    const byClass = await card.locator('tbody tr').first().locator('td').allInnerTexts();
    assert.equal(byClass[0], 'CS-101 Section A');
    assert.equal(byClass[2], '1');
    // Only the parent's own child is shown.
    assert.equal(await page.getByRole('region', { name: /^Attendance of Stu1 / }).count(), 0);
    await assertAccessible(page);
    await shot(page, 'parent-attendance');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
