// The console's office setup screens in a real browser: fee structures (create, apply), a concession,
// pending dues and defaulters (contact); the import wizard (mapping editor, dry run, confirm, a commit run
// as a job with progress, final summary); the district drill-down and missing rolls; reports with a CSV
// download; exams with a venue and a paper; a grading scale and a course's override. Each test checks the
// screen and then the API or the database.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { ledgerEntries } from '../../src/modules/finance/finance.table.js';
import { students } from '../../src/modules/students/students.table.js';
import { enrollDirect, makeClass, makeCourse, makeStudent } from '../helpers/academic.js';
import { type App, buildTestApp, call, uniq } from '../helpers/app.js';
import { makeChildOrg, makeUser, makeWorld } from '../helpers/factories.js';
import { enrollWithHooks, makeFinanceWorld } from '../helpers/finance.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, localDate, shot, signIn } from './console.js';

describe('console: office setup screens', () => {
  let browser: Browser;
  let app: App;
  let base: string;
  before(async () => {
    browser = await launchChromium();
    // Every commit of more than one row runs as a job, so the wizard's progress step is exercised.
    app = await buildTestApp({
      JOBS_WORKER: 'true',
      JOBS_RETRY_DELAY_SECONDS: '1',
      IMPORT_SYNC_COMMIT_ROWS: '1',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates and applies a fee structure, grants a concession, lists dues and contacts a defaulter', async () => {
    const w = await makeFinanceWorld(app, 30_000);
    await enrollWithHooks(app, w.student.id, w.cls);
    const past = localDate(new Date(Date.now() - 3 * 86_400_000));
    const staff = await signIn(browser, base, w.staff.username);
    const page = staff.page;
    await page.getByRole('link', { name: 'Fee structures' }).click();
    await page.getByRole('button', { name: 'New fee structure' }).click();
    await page.getByLabel('Class', { exact: true }).selectOption(w.cls.id);
    await page.getByLabel('Name', { exact: true }).fill('Term 1 extras');
    await page.getByLabel('Due date').fill(past);
    await page.getByLabel('Component 1 name').fill('Books');
    await page.getByLabel('Component 1 amount').fill('100.00');
    await page.getByRole('button', { name: 'Add a component' }).click();
    await page.getByLabel('Component 2 name').fill('Lab');
    await page.getByLabel('Component 2 amount').fill('25.50');
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('tr', { hasText: 'Term 1 extras' });
    await row.getByText('125.50').waitFor();
    await row.getByRole('button', { name: 'Charge students' }).click();
    await page.getByText('Charged 1 student').waitFor();
    await assertAccessible(page);
    await shot(page, 'staff-fee-structures');
    const fs = await call(app, 'GET', '/api/v1/fee-structures', {
      token: w.staff.token,
      query: { class_id: w.cls.id },
    });
    assert.equal(fs.data.data.length, 1);
    assert.deepEqual(
      fs.data.data[0].components.map((c: { name: string; amount: string }) => [c.name, c.amount]),
      [
        ['Books', '100.00'],
        ['Lab', '25.50'],
      ],
    );
    const charged = await call(app, 'GET', `/api/v1/students/${w.student.id}/fees`, { token: w.staff.token });
    assert.equal(charged.data.meta.summary.balance, '425.50');

    // A concession needs an administrator.
    const admin = await signIn(browser, base, w.admin.username);
    await admin.page.getByRole('link', { name: 'Concessions' }).click();
    await admin.page.getByLabel('Find a student').fill(w.student.studentNumber);
    await admin.page.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.page
      .locator('tr', { hasText: w.student.studentNumber })
      .getByRole('button', { name: 'Select' })
      .click();
    await admin.page.getByTestId('student-balance').getByText('Balance 425.50').waitFor();
    await admin.page.getByLabel('Amount').fill('25.50');
    await admin.page.getByLabel('Reason').fill('Sibling discount');
    await admin.page.getByRole('button', { name: 'Grant' }).click();
    await admin.page.getByText('Granted 25.50').waitFor();
    await admin.page.getByTestId('student-balance').getByText('Balance 400.00').waitFor();
    await admin.page.getByRole('cell', { name: 'Sibling discount' }).waitFor();
    // A second one granted by mistake, then revoked: the ledger keeps both, the balance is back.
    await admin.page.getByLabel('Amount').fill('10.00');
    await admin.page.getByLabel('Reason').fill('Wrong student');
    await admin.page.getByRole('button', { name: 'Grant' }).click();
    await admin.page.getByTestId('student-balance').getByText('Balance 390.00').waitFor();
    await admin.page
      .locator('tr', { hasText: 'Wrong student' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await admin.page.getByLabel('Why it is revoked').fill('Granted by mistake');
    await admin.page.getByRole('form', { name: 'Revoke' }).getByRole('button', { name: 'Revoke' }).click();
    await admin.page.getByText('Revoked: 10.00').waitFor();
    await admin.page.getByTestId('student-balance').getByText('Balance 400.00').waitFor();
    await admin.page.locator('tr', { hasText: 'Wrong student' }).getByText('Revoked').waitFor();
    await assertAccessible(admin.page);
    await shot(admin.page, 'admin-concessions');
    const credits = await app.deps.db
      .select()
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.studentId, w.student.id),
          inArray(ledgerEntries.entryType, ['concession', 'revocation']),
        ),
      );
    const credit = credits.find((c) => c.reason === 'Sibling discount');
    assert.equal(credit?.amountMinor, -2550);
    assert.equal(credit?.approvedBy, w.admin.id);
    const mistake = credits.find((c) => c.reason === 'Wrong student');
    const revocation = credits.find((c) => c.entryType === 'revocation');
    assert.equal(revocation?.reversesEntryId, mistake?.id);
    assert.equal(revocation?.amountMinor, 1000);
    assert.equal(revocation?.reason, 'Granted by mistake');

    // Pending dues, then the defaulters (the structure was due three days ago) and a contact.
    await page.getByRole('link', { name: 'Dues and defaulters' }).click();
    await page.locator('tr', { hasText: w.student.studentNumber }).getByText('400.00').waitFor();
    const pending = await call(app, 'GET', '/api/v1/fee-payments/pending', { token: w.staff.token });
    const status = pending.data.data.find(
      (x: { student_id: string }) => x.student_id === w.student.id,
    ).dues_status;
    await page.getByLabel('Dues status').selectOption(status === 'partial' ? 'unpaid' : 'partial');
    await page.getByText('Nothing here yet.').waitFor();
    await page.getByLabel('Dues status').selectOption(status);
    await page.locator('tr', { hasText: w.student.studentNumber }).waitFor();
    await page.getByRole('button', { name: 'Defaulters (overdue)' }).click();
    const d = page.locator('tr', { hasText: w.student.studentNumber });
    await d.getByText('100.00').waitFor(); // overdue: the 125.50 due, less the 25.50 concession
    await d.getByRole('button', { name: 'Contact' }).click();
    await page.getByText('Contact logged').waitFor();
    await assertAccessible(page);
    await shot(page, 'staff-defaulters');
    const def = await call(app, 'GET', '/api/v1/fee-payments/defaulters', { token: w.staff.token });
    const mine = def.data.data.find((x: { student_id: string }) => x.student_id === w.student.id);
    assert.equal(mine.overdue_amount, '100.00');
    assert.ok(mine.last_contacted_at);
    // The defaulters as a file: every row the API lists, the contact included.
    const [defCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    assert.match(defCsv.suggestedFilename(), /^defaulters-\d{4}-\d{2}-\d{2}\.csv$/);
    const defPath = join(screenshotDir, 'defaulters.csv');
    await defCsv.saveAs(defPath);
    const defLines = readFileSync(defPath, 'utf8').trim().split(/\r?\n/);
    assert.equal(defLines[0].split(',').slice(0, 3).join(','), 'student_id,student_number,student_name');
    assert.equal(defLines.length - 1, def.data.meta.total);
    const line = defLines.find((l) => l.startsWith(`${w.student.id},`));
    assert.ok(line?.includes(',100.00,'), line);
    assert.ok(line?.includes(mine.last_contacted_at), line);
    // Pending dues as XLSX, filtered by the status chosen above.
    await page.getByRole('button', { name: 'Pending dues' }).click();
    await page.getByLabel('Dues status').selectOption(status);
    await page.locator('tr', { hasText: w.student.studentNumber }).waitFor();
    const [penXlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download XLSX' }).click(),
    ]);
    assert.match(penXlsx.suggestedFilename(), /^pending-dues-.*\.xlsx$/);
    const penPath = join(screenshotDir, 'pending-dues.xlsx');
    await penXlsx.saveAs(penPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(penPath);
    const ws = wb.worksheets[0];
    const same = await call(app, 'GET', '/api/v1/fee-payments/pending', {
      token: w.staff.token,
      query: { payment_status: status, page_size: 100 },
    });
    assert.equal(ws.rowCount - 1, same.data.meta.total);
    const ids: unknown[] = [];
    ws.eachRow((r, i) => {
      if (i > 1) ids.push(r.getCell(1).value);
    });
    assert.deepEqual(
      ids,
      same.data.data.map((x: { student_id: string }) => x.student_id),
    );
    assert.deepEqual([...staff.errors, ...admin.errors], []);
    await staff.context.close();
    await admin.context.close();
  });

  it('imports students with an edited column mapping, commits them as a job and shows the summary', async () => {
    const w = await makeWorld(app, 'school');
    const n1 = uniq('P-');
    const n2 = uniq('P-');
    const csv = `Pupil Ref,Surname,Given Name,House\n${n1},Owusu,Ama,Red\n${n2},Mensah,Kofi,Blue\n`;
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Imports' }).click();
    const target = page.getByLabel('What the file holds');
    for (const t of ['personnel', 'students', 'faculty', 'guardians', 'class_rosters', 'oneroster']) {
      assert.equal(await target.locator(`option[value="${t}"]`).count(), 1, t);
    }
    await target.selectOption('students');
    await page.getByLabel('School').selectOption(w.org.id);
    await page.getByLabel('File (CSV, XLSX or JSON)').setInputFiles({
      name: 'pupils.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    // Defaults by header: Surname and Given Name map by alias; Pupil Ref maps to nothing yet.
    await page.getByLabel('Field for column Surname').waitFor();
    assert.equal(await page.getByLabel('Field for column Surname').inputValue(), 'last_name');
    assert.equal(await page.getByLabel('Field for column Given Name').inputValue(), 'first_name');
    await page.getByText('No column fills the required field(s): student_number.').waitFor();
    await page.getByLabel('Field for column Pupil Ref').selectOption('student_number');
    await page.getByText('No column fills the required field(s)').waitFor({ state: 'detached' });
    await assertAccessible(page);
    await shot(page, 'admin-import-mapping');
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click();
    await page.getByTestId('import-summary').getByText('2 to create').waitFor();
    await page.getByText('Columns not imported: House').waitFor();
    await page.getByLabel('All or nothing (every row must be valid)').check();
    await page.getByRole('button', { name: 'Commit (all rows must be valid)' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor({ timeout: 30_000 });
    assert.match(await result.innerText(), /Created\s+2/);
    await page.getByText('Import committed: 2 rows written.').waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-import-summary');

    // An XLSX file: its header row is read in the browser too, with the same defaults.
    await page.getByRole('button', { name: 'Import another file' }).click();
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Pupils').addRow(['Pupil Ref', 'Surname', 'Given Name']);
    await page.getByLabel('File (CSV, XLSX or JSON)').setInputFiles({
      name: 'pupils.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await page.getByLabel('Field for column Surname').waitFor();
    assert.equal(await page.getByLabel('Field for column Surname').inputValue(), 'last_name');
    assert.equal(await page.getByLabel('Field for column Pupil Ref').inputValue(), '');

    const rows = await app.deps.db
      .select({ n: students.studentNumber, first: students.firstName, last: students.lastName })
      .from(students)
      .where(inArray(students.studentNumber, [n1, n2]));
    assert.deepEqual(
      rows.map((r) => `${r.n} ${r.first} ${r.last}`).sort(),
      [`${n1} Ama Owusu`, `${n2} Kofi Mensah`].sort(),
    );
    const hist = await call(app, 'GET', '/api/v1/imports', { token: w.admin.token });
    const imp = hist.data.data[0];
    assert.equal(imp.state, 'committed');
    assert.ok(imp.job_id, 'the commit ran as a job');
    assert.deepEqual(imp.summary.result, { created: 2, updated: 0, deactivated: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('drills down from the district dashboard to a school and its missing rolls; downloads a report', async () => {
    const w = await makeWorld(app, 'district');
    const a = await makeChildOrg(app, w.org, 'school', `North ${uniq()}`);
    const b = await makeChildOrg(app, w.org, 'school', `South ${uniq()}`);
    const s = await makeStudent(app, a);
    await makeStudent(app, b);
    const cls = await makeClass(app, a, { name: `Form 1 ${uniq()}` });
    await enrollDirect(app, s.id, cls);
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Open the district view' }).click();
    const table = page.getByTestId('district-schools');
    await table.getByRole('link', { name: a.name }).waitFor();
    await table.getByRole('link', { name: b.name }).waitFor();
    const api = await call(app, 'GET', `/api/v1/analytics/district/${w.org.id}`, { token: w.admin.token });
    assert.equal(await table.locator('tbody tr').count(), api.data.data.schools.length);
    await assertAccessible(page);
    await shot(page, 'admin-district');

    await table.getByRole('link', { name: a.name }).click();
    await page.getByRole('heading', { name: a.name, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Classes without a roll call' }).waitFor();
    const missing = await call(app, 'GET', '/api/v1/reports/attendance-compliance', {
      token: w.admin.token,
      query: { organization_id: a.id, date: localDate() },
    });
    const names = missing.data.data.map((r: { class_name: string }) => r.class_name);
    // A school day lists the class without a roll call; a weekend lists nothing. The screen shows the same.
    if (names.length) await page.getByRole('cell', { name: cls.name }).waitFor();
    else await page.getByText('Nothing here yet.').waitFor();
    await shot(page, 'admin-missing-rolls');

    // The school's principal: the same missing rolls on their own compliance screen.
    const principal = await makeUser(app, a, 'principal');
    const p = await signIn(browser, base, principal.username);
    await p.page.getByRole('link', { name: 'Missing rolls' }).click();
    await p.page.getByRole('heading', { name: 'Attendance compliance', level: 1 }).waitFor();
    if (names.length) {
      await p.page.getByRole('cell', { name: cls.name }).waitFor();
      assert.equal(await p.page.locator('tbody tr').count(), names.length);
    } else await p.page.getByText('Nothing here yet.').waitFor();
    await assertAccessible(p.page);
    await shot(p.page, 'principal-missing-rolls');
    assert.deepEqual(p.errors, []);
    await p.context.close();

    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByLabel('Report', { exact: true }).selectOption('department-wise');
    await page.getByLabel('Report', { exact: true }).selectOption('attendance');
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByLabel('Totals over every matching row').first().waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-reports');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = join(screenshotDir, 'report-attendance.csv');
    await file.saveAs(path);
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    const rep = await call(app, 'GET', '/api/v1/reports/attendance', { token: w.admin.token });
    assert.equal(lines.length, 1 + rep.data.meta.total, lines.join('\n'));
    assert.match(lines[0], /class_name/);

    // The same report as a background job: progress while it runs (the first poll is shown as running at
    // 40 %, however fast the worker is), a live notification and a download link when it is ready.
    let firstPoll = true;
    await page.route('**/api/v1/jobs/*', async (route) => {
      if (!firstPoll) return route.continue();
      firstPoll = false;
      const real = await route.fetch();
      const body = await real.json();
      await route.fulfill({
        response: real,
        json: { data: { ...body.data, state: 'running', progress: 40, result: null } },
      });
    });
    await page.getByRole('button', { name: 'Run as a job (CSV)' }).click();
    const progress = page.getByRole('progressbar', { name: 'Progress of the report job' });
    await page.getByText('Writing the file: 40%').waitFor();
    assert.equal(await progress.getAttribute('value'), '40');
    await page.locator('.toast', { hasText: 'Report export is ready' }).waitFor();
    const dlButton = page.getByRole('button', { name: /^Download attendance-\d{4}-\d{2}-\d{2}\.csv$/ });
    await dlButton.waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-report-job');
    const [jobFile] = await Promise.all([page.waitForEvent('download'), dlButton.click()]);
    const jobPath = join(screenshotDir, 'report-attendance-job.csv');
    await jobFile.saveAs(jobPath);
    assert.deepEqual(readFileSync(jobPath, 'utf8').trim().split(/\r?\n/), lines);
    // What the API holds: the admin's job, succeeded, for this report; and its notification.
    const jobs = await call(app, 'GET', '/api/v1/jobs', {
      token: w.admin.token,
      query: { kind: 'reports.export' },
    });
    const job = jobs.data.data[0];
    assert.equal(job.state, 'succeeded');
    assert.equal(job.progress, 100);
    assert.equal(job.params.report, 'attendance');
    assert.equal(job.params.format, 'csv');
    assert.equal(jobFile.suggestedFilename(), job.result.file_name);
    const notes = await call(app, 'GET', '/api/v1/notifications', { token: w.admin.token });
    assert.ok(
      notes.data.data.some(
        (n: { title: string; data?: { job_id?: string } }) =>
          n.title === 'Report export is ready' && n.data?.job_id === job.id,
      ),
      JSON.stringify(notes.data.data.map((n: { title: string }) => n.title)),
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('sets up an exam with a venue and a paper, and a grading scale with a course override', async () => {
    const w = await makeWorld(app, 'school');
    const course = await makeCourse(app, w.org, { code: uniq('MTH') });
    const cls = await makeClass(app, w.org, { name: `Maths ${uniq()}`, courseId: course.id });
    const s = await makeStudent(app, w.org);
    await enrollDirect(app, s.id, cls);
    const { context, page, errors } = await signIn(browser, base, w.admin.username);
    await page.getByRole('link', { name: 'Exams' }).click();
    const create = page.locator('form', { hasText: 'Create an exam' });
    await create.getByLabel('Organization').selectOption(w.org.id);
    await create.getByLabel('Exam name').fill('End of term');
    await create.getByLabel('Type').selectOption('final');
    await create.getByLabel('First day').fill('2027-03-01');
    await create.getByLabel('Last day').fill('2027-03-05');
    await create.getByRole('button', { name: 'Create an exam' }).click();
    await page.getByRole('heading', { name: 'Timetable: End of term' }).waitFor();
    const venue = page.locator('form', { hasText: 'Venue name' });
    await venue.getByLabel('Venue name').fill('Hall A');
    await venue.getByLabel('Seats').fill('40');
    await venue.getByRole('button', { name: 'Add a venue' }).click();
    const paper = page.getByRole('form', { name: 'Add a paper' });
    await paper.getByLabel('Venue').locator('option', { hasText: 'Hall A' }).waitFor({ state: 'attached' });
    await paper.getByLabel('Class').selectOption(cls.id);
    await paper.getByLabel('Date').fill('2027-03-02');
    await paper.getByLabel('Start time').fill('09:30');
    await paper.getByRole('button', { name: 'Add a paper' }).click();
    await page.getByText('Paper added.').waitFor();
    await page.getByRole('cell', { name: 'Hall A' }).waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-exams');
    const entries = await call(app, 'GET', '/api/v1/exam-timetable', {
      token: w.admin.token,
      query: { class_id: cls.id },
    });
    assert.equal(entries.data.data.length, 1);
    const e = entries.data.data[0];
    assert.deepEqual(
      [e.exam_name, e.date, e.start_time, e.venue, e.student_count],
      ['End of term', '2027-03-02', '09:30', 'Hall A', 1],
    );

    await page.getByRole('link', { name: 'Grading scales' }).click();
    const code = uniq('pf').toLowerCase();
    const form = page.locator('form', { hasText: 'Create a scale' });
    await form.getByLabel('Organization').selectOption(w.org.id);
    await form.getByLabel('Code').fill(code);
    await form.getByLabel('Name', { exact: true }).fill('Pass or fail');
    await form.getByLabel('Band 1 letter').fill('P');
    await form.getByLabel('Band 1 from (%)').fill('50');
    await form.getByLabel('Band 1 grade points').fill('4');
    await form.getByRole('button', { name: 'Add a band' }).click();
    await form.getByLabel('Band 2 letter').fill('F');
    await form.getByLabel('Band 2 from (%)').fill('0');
    await form.getByRole('button', { name: 'Create a scale' }).click();
    await page.getByText('Scale “Pass or fail” created.').waitFor();
    await page.getByRole('cell', { name: code, exact: true }).waitFor();
    const override = page.locator('section', { hasText: 'A course’s scale' });
    await override.getByLabel('Course', { exact: true }).selectOption(course.id);
    await override.getByLabel('Scale', { exact: true }).selectOption({ label: 'Pass or fail' });
    await override.getByRole('button', { name: 'Use this scale for the course' }).click();
    await page
      .getByTestId('course-scale')
      .getByText('The course uses Pass or fail (set for the course).')
      .waitFor();
    await assertAccessible(page);
    await shot(page, 'admin-grading-scales');
    const scales = await call(app, 'GET', '/api/v1/grading-scales', { token: w.admin.token });
    const mine = scales.data.data.find((x: { code: string }) => x.code === code);
    assert.deepEqual(
      mine.bands.map((b: { letter: string; min_percent: number; is_passing: boolean }) => [
        b.letter,
        b.min_percent,
        b.is_passing,
      ]),
      [
        ['P', 50, true],
        ['F', 0, false],
      ],
    );
    const eff = await call(app, 'GET', `/api/v1/courses/${course.id}/grading-scale`, {
      token: w.admin.token,
    });
    assert.deepEqual([eff.data.data.grading_scale_id, eff.data.data.source], [mine.id, 'course']);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
