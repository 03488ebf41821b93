// The console's role screens in a real browser: a teacher's periods, assessments, mark states and exam
// marks; a parent paying a child's fee; the library desk and the hostel office (staff); a student's
// documents and account; an admin sending a notification and publishing a term. Each test checks the
// screen and then what the API holds.
import '../../src/app.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { assignTeacher, enrollDirect, makeClass, makeParent } from '../helpers/academic.js';
import { type App, call } from '../helpers/app.js';
import { makeAttendanceWorld } from '../helpers/attendance.js';
import { upload } from '../helpers/documents.js';
import { enrollWithHooks, makeFinanceWorld } from '../helpers/finance.js';
import { makeAssessment, makeSession } from '../helpers/grades.js';
import { createHostel, createRoom } from '../helpers/hostels.js';
import { addBook, day, issue, returnLoan, setRule } from '../helpers/library.js';
import { launchChromium, screenshotDir } from './chromium.js';
import { assertAccessible, localDate, PHONE, shot, signIn, startConsole } from './console.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

describe('console: role screens', () => {
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

  it('a teacher picks the period, adds an assessment, marks EX in the gradebook and enters exam marks', async () => {
    const w = await makeAttendanceWorld(app, 2);
    const term = await makeSession(app, w.org, 'Autumn term');
    // The class meets twice today: periods 1 and 2 of the day's lesson slots (the break does not count).
    const iso = new Date().getDay() || 7;
    const slot = async (start: string, end: string, slot_type = 'lecture') => {
      const r = await call(app, 'POST', '/api/v1/timetable-slots', {
        token: w.admin.token,
        body: {
          organization_id: w.org.id,
          day_of_week: iso,
          start_time: start,
          end_time: end,
          slot_type,
          name: start,
        },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.data.data.id as string;
    };
    const p1 = await slot('08:00', '08:50');
    await slot('08:50', '09:00', 'break');
    const p2 = await slot('09:00', '09:50');
    const gen = await call(app, 'POST', '/api/v1/timetable/generate', {
      token: w.admin.token,
      body: {
        effective_from: localDate(new Date(Date.now() - 7 * 86_400_000)),
        effective_to: localDate(new Date(Date.now() + 60 * 86_400_000)),
        items: [
          { class_id: w.cls.id, slot_id: p1, room_no: 'R1' },
          { class_id: w.cls.id, slot_id: p2, room_no: 'R1' },
        ],
      },
    });
    assert.equal(gen.statusCode, 201, gen.body);
    const [s0, s1] = w.students;

    const { context, page, errors } = await signIn(browser, base, w.teacher.username, { viewport: PHONE });
    await page.getByRole('heading', { name: 'My classes', level: 1 }).waitFor();
    await page
      .getByRole('region', { name: /^Today: / })
      .getByText(/09:00–09:50 · CS-101 Section A/)
      .waitFor();
    await page.getByRole('link', { name: 'Take attendance' }).last().click();
    await page.getByLabel('Period').selectOption({ label: 'Period 2 (09:00–09:50)' });
    await page.getByRole('button', { name: new RegExp(`^${s0.firstName} .*: Present$`) }).click();
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved for 2 students.').waitFor();
    await assertAccessible(page);
    await shot(page, 'roles-teacher-period-phone');
    const sheet = async (period: number) =>
      Object.fromEntries(
        (
          await call(app, 'GET', `/api/v1/classes/${w.cls.id}/attendance`, {
            token: w.teacher.token,
            query: { date: localDate(), period: String(period) },
          })
        ).data.data.map((r: { student_id: string; status: string | null }) => [r.student_id, r.status]),
      );
    assert.deepEqual(await sheet(2), { [s0.id]: 'absent', [s1.id]: 'present' });
    assert.deepEqual(await sheet(1), { [s0.id]: null, [s1.id]: null });

    // A new assessment from the gradebook's form, then EX (excused) and a score in its cells.
    await page.goto(`${base}/teach/${w.cls.id}/gradebook`);
    await page.getByRole('heading', { name: /Gradebook: CS-101 Section A/ }).waitFor();
    await page.getByLabel('Assessment name').fill('Essay 1');
    await page.getByLabel('Kind').selectOption('assignment');
    await page.getByLabel('Max marks').fill('40');
    await page.getByLabel('Date', { exact: true }).fill('2026-11-20');
    await page.getByLabel('Term').selectOption({ label: 'Autumn term' });
    await page.getByRole('button', { name: 'Add the assessment' }).click();
    await page.getByText('Assessment “Essay 1” saved.').waitFor();
    const list = await call(app, 'GET', '/api/v1/assessments', {
      token: w.teacher.token,
      query: { class_id: w.cls.id },
    });
    const essay = list.data.data.find((a: { name: string }) => a.name === 'Essay 1');
    assert.deepEqual(
      [essay.assessment_type, essay.max_marks, essay.date, essay.academic_session_id],
      ['assignment', 40, '2026-11-20', term.id],
    );
    const cell = (s: { firstName: string }) => page.getByLabel(new RegExp(`^${s.firstName} \\S+, Essay 1$`));
    await cell(s0).fill('EX');
    await cell(s0).press('Enter');
    await cell(s0).locator('xpath=..').getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await cell(s1).fill('30');
    await cell(s1).press('Enter');
    await page.waitForFunction(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent === '75.0%',
      `avg-${s1.studentNumber}`,
    );
    assert.equal(await page.getByTestId(`avg-${s0.studentNumber}`).textContent(), '—');
    await assertAccessible(page);
    await shot(page, 'roles-teacher-gradebook-phone');
    const marks = await call(app, 'GET', `/api/v1/assessments/${essay.id}/marks`, { token: w.teacher.token });
    const byStudent = Object.fromEntries(
      marks.data.data.map((m: { student_id: string; state: string; marks: number | null }) => [
        m.student_id,
        [m.state, m.marks],
      ]),
    );
    assert.deepEqual(byStudent, { [s0.id]: ['excused', null], [s1.id]: ['scored', 30] });

    // Exam marks for the teacher's own exam (seed 002), the whole class in one save.
    const exam = await makeAssessment(app, w.teacher.token, {
      class_id: w.cls.id,
      name: 'Final exam',
      assessment_type: 'exam',
      max_marks: 50,
    });
    await page.goto(`${base}/teach/exams`);
    await page.getByRole('heading', { name: 'Exam marks', level: 1 }).waitFor();
    await page.getByLabel(new RegExp(`^${s0.firstName} .*\\(${s0.studentNumber}\\)$`)).fill('41');
    await page.getByLabel(new RegExp(`^${s1.firstName} .*\\(${s1.studentNumber}\\)$`)).fill('37.5');
    await page.getByRole('button', { name: 'Save the marks' }).click();
    await page.getByText('2 marks saved.').waitFor();
    await assertAccessible(page);
    await shot(page, 'roles-teacher-exam-marks-phone');
    const em = await call(app, 'GET', `/api/v1/exams/${exam}/marks`, { token: w.teacher.token });
    assert.deepEqual(
      Object.fromEntries(
        em.data.data.map((m: { student_id: string; marks: number }) => [m.student_id, m.marks]),
      ),
      { [s0.id]: 41, [s1.id]: 37.5 },
    );

    // The teacher notifies the class: its two students and the parent of Stu0.
    await page.goto(`${base}/notifications`);
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'CS-101 Section A' });
    await page.getByLabel('Title').fill('Exam results are out');
    await page.getByLabel('Message').fill('See your marks in the console.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Sent to 3 recipients.').waitFor();
    await shot(page, 'roles-teacher-notify-class-phone');
    for (const token of [s0.token, w.parent.token]) {
      const inbox = await call(app, 'GET', '/api/v1/notifications', { token });
      assert.ok(inbox.data.data.some((n: { title: string }) => n.title === 'Exam results are out'));
    }
    assert.deepEqual(errors, []);
    await context.close();
  });

  it("a parent pays a child's fee, downloads the receipt and sees the posted grade with its course", async () => {
    const w = await makeFinanceWorld(app, 50_000);
    await enrollWithHooks(app, w.student.id, w.cls);
    const parent = await makeParent(app, w.org, [w.student.id]);
    const graded = await call(app, 'POST', '/api/v1/grades', {
      token: w.admin.token,
      body: { student_id: w.student.id, class_id: w.cls.id, percent: 91 },
    });
    assert.equal(graded.statusCode, 201, graded.body);
    const posted = await call(app, 'POST', '/api/v1/grades/publish', {
      token: w.admin.token,
      body: { class_id: w.cls.id },
    });
    assert.equal(posted.statusCode, 200, posted.body);
    const name = `${w.student.firstName} ${w.student.lastName}`;

    const { context, page, errors } = await signIn(browser, base, parent.username);
    const pay = page.getByRole('region', { name: `Pay for ${name}` });
    await pay.getByLabel('Amount').fill('120.00');
    await pay.getByRole('button', { name: 'Pay', exact: true }).click();
    const notice = pay.getByRole('status').filter({ hasText: 'Payment received.' });
    await notice.waitFor();
    const receiptNo = /Receipt (\S+)\./.exec((await notice.textContent()) ?? '')?.[1];
    assert.ok(receiptNo);
    await page
      .getByRole('region', { name: `Fees of ${name}` })
      .getByText('380.00 USD')
      .waitFor();
    const grades = page.getByRole('region', { name: `Posted grades of ${name}` });
    await grades.getByText(new RegExp(`${w.course.code} Test Course`)).waitFor();
    await assertAccessible(page);
    await shot(page, 'roles-parent-family');
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      pay.getByRole('button', { name: `Download ${receiptNo}` }).click(),
    ]);
    const path = join(screenshotDir, `roles-parent-receipt.pdf`);
    await dl.saveAs(path);
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');

    // What the API holds: one guardian payment of 120.00 with that receipt, recorded by the parent.
    const list = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.admin.token,
      query: { student_id: w.student.id },
    });
    assert.deepEqual(
      list.data.data.map((p: { amount: string; source: string; receipt_no: string; recorded_by: string }) => [
        p.amount,
        p.source,
        p.receipt_no,
        p.recorded_by,
      ]),
      [['120.00', 'guardian', receiptNo, parent.userId]],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the library desk issues, renews and returns a book; the hostel office allocates and vacates a bed', async () => {
    const w = await makeAttendanceWorld(app, 1);
    const s = w.students[0];
    const book = await addBook(app, w.admin.token, w.org.id, { title: 'Half of a Yellow Sun', copies: 1 });
    // A late return at 1.00 a day: a fine of 6.00 for the desk to collect.
    await setRule(app, w.admin.token, w.org.id, { fine_per_day: '1.00' });
    const late = await addBook(app, w.admin.token, w.org.id, { title: 'Purple Hibiscus', copies: 1 });
    const lateLoan = await issue(app, w.staff.token, {
      book_id: late.id,
      student_id: s.id,
      issue_date: day(-20),
    });
    assert.equal(lateLoan.statusCode, 201, lateLoan.body);
    const back = await returnLoan(app, w.staff.token, { loan_id: lateLoan.data.data.id });
    assert.equal(back.statusCode, 200, back.body);
    const hostel = await createHostel(app, w.admin.token, w.org.id, { name: 'Baobab Hall' });
    const room = await createRoom(app, w.admin.token, hostel.id, { room_number: 'B-12', capacity: 2 });

    const { context, page, errors } = await signIn(browser, base, w.staff.username);
    await page.getByRole('link', { name: 'Library desk' }).click();
    await page.getByRole('heading', { name: 'Library desk', level: 1 }).waitFor();
    await page.getByLabel('Search the catalogue').fill('Yellow Sun');
    await page.getByRole('button', { name: 'Issue a book: Half of a Yellow Sun' }).click();
    await page.getByLabel('Student number or name').fill(s.studentNumber);
    await page
      .getByLabel('Student', { exact: true })
      .locator(`option[value="${s.id}"]`)
      .waitFor({ state: 'attached' });
    await page.getByLabel('Student', { exact: true }).selectOption(s.id);
    await page.getByRole('button', { name: 'Issue a book', exact: true }).click();
    await page.getByText(/^Issued “Half of a Yellow Sun”, due /).waitFor();
    const loans = async () =>
      (
        await call(app, 'GET', '/api/v1/library/issued', {
          token: w.staff.token,
          query: { student_id: s.id, status: 'all' },
        })
      ).data.data as Array<{ book_id: string; status: string; renewals: number; return_date: string | null }>;
    assert.deepEqual(
      (await loans()).filter((l) => l.book_id === book.id).map((l) => [l.status, l.renewals]),
      [['active', 0]],
    );
    await page.getByRole('button', { name: /^Renew: Half of a Yellow Sun, / }).click();
    await page.getByText(/^Renewed, now due /).waitFor();
    assert.equal((await loans()).find((l) => l.book_id === book.id)?.renewals, 1);
    await assertAccessible(page);
    await shot(page, 'roles-library-desk');
    await page.getByRole('button', { name: /^Return: Half of a Yellow Sun, / }).click();
    await page.getByText('“Half of a Yellow Sun” returned.').waitFor();
    assert.equal((await loans()).find((l) => l.book_id === book.id)?.status, 'returned');
    // The fine of the late return, paid at the desk (through the finance payment path).
    const fines = page.getByRole('region', { name: 'Fines' });
    await fines
      .getByRole('row', { name: /Purple Hibiscus/ })
      .getByText('6.00 USD')
      .waitFor();
    await fines.getByRole('button', { name: /^Pay: Purple Hibiscus, / }).click();
    await page.getByText('Fine paid.').waitFor();
    const fine = await call(app, 'GET', '/api/v1/library/fines', {
      token: w.staff.token,
      query: { student_id: s.id },
    });
    assert.deepEqual(
      fine.data.data.map((f: { book_title: string; paid: string; outstanding: string }) => [
        f.book_title,
        f.paid,
        f.outstanding,
      ]),
      [['Purple Hibiscus', '6.00', '0.00']],
    );

    await page.getByRole('link', { name: 'Hostels' }).click();
    await page.getByRole('heading', { name: 'Hostels', level: 1 }).waitFor();
    const occupancy = page.getByTestId(`hostel-${hostel.id}`);
    await occupancy.getByRole('cell', { name: '0', exact: true }).first().waitFor();
    await page.getByLabel('Student number or name').fill(s.studentNumber);
    await page
      .getByLabel('Student', { exact: true })
      .locator(`option[value="${s.id}"]`)
      .waitFor({ state: 'attached' });
    await page.getByLabel('Student', { exact: true }).selectOption(s.id);
    await page.getByLabel('Room', { exact: true }).selectOption(room.id);
    await page.getByLabel('Academic year').fill('2026-27');
    await page.getByRole('button', { name: 'Allocate a bed' }).click();
    await page.getByText(new RegExp(`^${s.firstName} .* allocated to room B-12\\.$`)).waitFor();
    await page
      .getByRole('region', { name: 'Residents' })
      .getByText(new RegExp(`${s.firstName} .*B-12`))
      .waitFor();
    await assertAccessible(page);
    await shot(page, 'roles-hostels');
    const allocations = async () =>
      (
        await call(app, 'GET', '/api/v1/hostel-allocations', {
          token: w.staff.token,
          query: { student_id: s.id },
        })
      ).data.data as Array<{ room_id: string; status: string; academic_year: string }>;
    assert.deepEqual(
      (await allocations()).map((a) => [a.room_id, a.status, a.academic_year]),
      [[room.id, 'active', '2026-27']],
    );
    await page.getByRole('button', { name: new RegExp(`^Vacate: ${s.firstName} `) }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Vacate' }).click();
    await page.getByText(new RegExp(`^${s.firstName} .* has vacated\\.$`)).waitFor();
    assert.deepEqual(
      (await allocations()).map((a) => a.status),
      ['vacated'],
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a student downloads an issued certificate and changes the password; an admin notifies them and publishes a term', async () => {
    const w = await makeAttendanceWorld(app, 1);
    const s = w.students[0];
    const term = await makeSession(app, w.org, 'Winter term');
    const cert = await upload(
      app,
      w.staff.token,
      { content: PDF, filename: 'merit.pdf', type: 'application/pdf' },
      {
        title: 'Merit certificate',
        document_type: 'certificate',
        related_entity_type: 'student',
        related_entity_id: s.id,
      },
    );
    assert.equal(cert.statusCode, 201, cert.body);

    const { context, page, errors } = await signIn(browser, base, s.username);
    await page.getByRole('link', { name: 'My documents' }).click();
    const certs = page.getByRole('region', { name: 'Certificates issued to me' });
    await certs.getByText('Merit certificate').waitFor();
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      certs.getByRole('button', { name: 'Download Merit certificate' }).click(),
    ]);
    const path = join(screenshotDir, 'roles-student-certificate.pdf');
    await dl.saveAs(path);
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
    await assertAccessible(page);
    await shot(page, 'roles-student-documents');

    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByTestId('account-username').filter({ hasText: s.username }).waitFor();
    await page.getByLabel('Current password').fill('Correct-Horse-42');
    await page.getByLabel('New password', { exact: true }).fill('Battery-Staple-77');
    await page.getByLabel('New password again').fill('Battery-Staple-77');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Your other sessions were signed out.').waitFor();
    await assertAccessible(page);
    await shot(page, 'roles-student-account');
    const relogin = await call(app, 'POST', '/api/v1/auth/login', {
      body: { username: s.username, password: 'Battery-Staple-77' },
    });
    assert.equal(relogin.statusCode, 200, relogin.body);
    assert.deepEqual(errors, []);
    await context.close();

    // An admin sends the student a notification, then publishes the grades of a term.
    const cls = await makeClass(app, w.org, { name: 'PUB-1', academicSessionId: term.id });
    await assignTeacher(app, w.teacher.id, cls.id);
    await enrollDirect(app, s.id, cls);
    const quiz = await makeAssessment(app, w.teacher.token, {
      class_id: cls.id,
      name: 'Quiz',
      max_marks: 10,
    });
    const m = await call(app, 'POST', `/api/v1/assessments/${quiz}/marks`, {
      token: w.teacher.token,
      body: { marks: [{ student_id: s.id, marks: 8 }] },
    });
    assert.equal(m.statusCode, 200, m.body);
    const admin = await signIn(browser, base, w.admin.username);
    await admin.page.getByRole('link', { name: 'Notifications', exact: true }).click();
    await admin.page.getByLabel('Send to').selectOption('user');
    await admin.page.getByLabel('Find a person (username or name)').fill(s.username);
    const person = admin.page.getByLabel('Person', { exact: true });
    await person.locator('option', { hasText: s.username }).waitFor({ state: 'attached' });
    await person.selectOption({ index: 1 });
    await admin.page.getByLabel('Title').fill('Library week');
    await admin.page.getByLabel('Message').fill('Return your books by Friday.');
    await admin.page.getByRole('button', { name: 'Send', exact: true }).click();
    await admin.page.getByText('Sent to 1 recipient.').waitFor();
    await assertAccessible(admin.page);
    await shot(admin.page, 'roles-admin-send-notification');
    const login = await call(app, 'POST', '/api/v1/auth/login', {
      body: { username: s.username, password: 'Battery-Staple-77' },
    });
    const inbox = await call(app, 'GET', '/api/v1/notifications', { token: login.data.data.access_token });
    assert.ok(inbox.data.data.some((n: { title: string }) => n.title === 'Library week'));

    await admin.page.goto(`${base}/teach/${cls.id}/gradebook`);
    await admin.page.getByRole('heading', { name: 'Gradebook: PUB-1' }).waitFor();
    const publish = admin.page.getByRole('region', { name: "Publish a term's grades" });
    await publish.getByLabel('Term').selectOption({ label: 'Winter term' });
    await publish.getByRole('button', { name: 'Publish the grades…' }).click();
    await publish
      .getByRole('alertdialog')
      .getByText(/^Publish every class of Winter term\?/)
      .waitFor();
    await publish.getByRole('button', { name: 'Yes, publish' }).click();
    await publish.getByText('1 grade published in 1 class.').waitFor();
    await assertAccessible(admin.page);
    await shot(admin.page, 'roles-admin-publish');
    const grades = await call(app, 'GET', '/api/v1/grades', {
      token: w.admin.token,
      query: { class_id: cls.id },
    });
    assert.deepEqual(
      grades.data.data.map(
        (g: { student_id: string; status: string; percent: number; class_name: string }) => [
          g.student_id,
          g.status,
          g.percent,
          g.class_name,
        ],
      ),
      [[s.id, 'posted', 80, 'PUB-1']],
    );
    assert.deepEqual(admin.errors, []);
    await admin.context.close();
  });
});
