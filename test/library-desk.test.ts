import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { key } from './helpers/finance.js';
import {
  addBook,
  day,
  issue,
  type LibraryWorld,
  makeLibraryWorld,
  returnLoan,
  setRule,
} from './helpers/library.js';

/** Desk actions beyond issue/return: waiving fines, declaring a copy lost, expiring uncollected holds. */
describe('library desk: fine waivers, lost copies, hold expiry', () => {
  let app: App;
  let w: LibraryWorld;
  before(async () => {
    app = await buildTestApp();
    w = await makeLibraryWorld(app);
    await setRule(app, w.admin.token, w.org.id, { fine_per_day: '10.00', grace_days: 2, max_loans: 50 });
  });
  after(() => app.close());

  const balance = async (studentId: string) => {
    const fees = await call(app, 'GET', `/api/v1/students/${studentId}/fees`, { token: w.staff.token });
    expectStatus(fees, 200);
    return fees.data.meta.summary.balance as string;
  };
  const ledgerSum = async (studentId: string) => {
    const r = await app.deps.db.execute(
      sql`select coalesce(sum(amount_minor), 0)::bigint as n from ledger_entries where student_id = ${studentId}`,
    );
    return Number((r.rows[0] as { n: string }).n);
  };

  /** A loan of w.student2 returned `late` days late: returns the fine. */
  async function lateFine(late = 5) {
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, {
      book_id: book.id,
      student_id: w.student2.id,
      issue_date: day(-14 - late),
      due_date: day(-late),
    });
    expectStatus(loan, 201);
    const ret = await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id });
    expectStatus(ret, 200);
    return ret.data.data.fine as { id: string; amount: string };
  }
  const waive = (id: string, body: Record<string, unknown>, token = w.staff.token) =>
    call(app, 'POST', `/api/v1/library/fines/${id}/waive`, { token, body });

  it('should waive part of a fine with a reason, credit the ledger by exactly that, and let the rest be paid', async () => {
    const start = await ledgerSum(w.student2.id);
    const fine = await lateFine(5); // (5 − 2) × 10.00
    assert.equal(fine.amount, '30.00');
    assert.equal((await ledgerSum(w.student2.id)) - start, 3000);

    const part = await waive(fine.id, { amount: '10.00', reason: 'Library closed two days in exam week' });
    expectStatus(part, 200);
    assert.equal(part.data.data.waived, '10.00');
    assert.equal(part.data.data.outstanding, '20.00');
    assert.equal(part.data.data.status, 'outstanding');
    assert.equal(part.data.data.waive_reason, 'Library closed two days in exam week');
    assert.equal((await ledgerSum(w.student2.id)) - start, 2000);
    const entries = await app.deps.db.execute(
      sql`select entry_type, amount_minor::int as a, reason from ledger_entries
           where student_id = ${w.student2.id} and entry_type = 'waiver'`,
    );
    assert.equal(entries.rows.length, 1);
    assert.equal((entries.rows[0] as { a: number }).a, -1000);
    assert.match((entries.rows[0] as { reason: string }).reason, /waived.*exam week/);

    // More than is outstanding: refused; the payment path takes exactly the rest.
    expectError(await waive(fine.id, { amount: '20.01', reason: 'too much' }), 422, 'amount_exceeds_fine');
    const pay = await call(app, 'POST', '/api/v1/library/pay-fine', {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { fine_id: fine.id },
    });
    expectStatus(pay, 201);
    assert.equal(pay.data.data.payment.amount, '20.00');
    assert.equal(pay.data.data.fine.outstanding, '0.00');
    assert.equal(pay.data.data.fine.status, 'waived');
    assert.equal(await ledgerSum(w.student2.id), start);
    expectError(await waive(fine.id, { reason: 'again' }), 409, 'fine_settled');

    const audit = await app.deps.db.execute(
      sql`select action from audit_logs where entity_type = 'library_fine' and entity_id = ${fine.id} order by id`,
    );
    assert.deepEqual(
      audit.rows.map((r) => (r as { action: string }).action),
      ['waive', 'pay_fine'],
    );
  });

  it('should waive a whole fine by default and drop the dues to what they were before it', async () => {
    const before = await balance(w.student2.id);
    const fine = await lateFine(4);
    assert.equal(fine.amount, '20.00');
    const all = await waive(fine.id, { reason: 'First offence' });
    expectStatus(all, 200);
    assert.equal(all.data.data.status, 'waived');
    assert.equal(all.data.data.outstanding, '0.00');
    assert.equal(await balance(w.student2.id), before);
    const paid = await call(app, 'POST', '/api/v1/library/pay-fine', {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { fine_id: fine.id },
    });
    expectError(paid, 409, 'fine_settled');
  });

  it('should refuse bad waivers: 400 without a reason or with extra fields, 401, 403 for the student, 404 out of scope', async () => {
    const fine = await lateFine(3);
    expectError(await waive(fine.id, {}), 400);
    expectError(await waive(fine.id, { reason: 'ok reason', extra: 1 }), 400);
    expectError(await waive(fine.id, { reason: 'ok reason', amount: '-1' }), 400);
    expectError(await waive('not-a-uuid', { reason: 'ok reason' }), 400);
    const anon = await call(app, 'POST', `/api/v1/library/fines/${fine.id}/waive`, {
      body: { reason: 'ok reason' },
    });
    expectError(anon, 401);
    expectError(await waive(fine.id, { reason: 'ok reason' }, w.student2.token), 403);
    expectError(await waive(fine.id, { reason: 'ok reason' }, w.otherAdmin.token), 404);
    expectError(await waive('0193a4f2-6c1e-7c3a-9d2b-5f1e2a3b4c5d', { reason: 'ok reason' }), 404);
  });

  it('should declare a copy lost: loan closed, copy lost, overdue fine and replacement charge on the ledger', async () => {
    const start = await ledgerSum(w.student2.id);
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, {
      book_id: book.id,
      student_id: w.student2.id,
      issue_date: day(-20),
      due_date: day(-6),
    });
    expectStatus(loan, 201);
    const lost = await call(app, 'POST', '/api/v1/library/lost', {
      token: w.staff.token,
      body: { barcode: loan.data.data.barcode, replacement_charge: '45.00', note: 'Reported lost' },
    });
    expectStatus(lost, 200);
    assert.equal(lost.data.data.status, 'lost');
    assert.equal(lost.data.data.replacement_charge, '45.00');
    assert.equal(lost.data.data.return_date, day(0));
    assert.equal(lost.data.data.fine.amount, '40.00'); // (6 − 2) × 10.00 up to today
    assert.equal((await ledgerSum(w.student2.id)) - start, 4500 + 4000);
    const copy = await app.deps.db.execute(
      sql`select state from library_copies where id = ${loan.data.data.copy_id}`,
    );
    assert.equal((copy.rows[0] as { state: string }).state, 'lost');
    const got = await call(app, 'GET', `/api/v1/library/books/${book.id}`, { token: w.staff.token });
    assert.equal(got.data.data.copies_available, 0);
    // Closed: neither a second declaration nor a return.
    const again = await call(app, 'POST', '/api/v1/library/lost', {
      token: w.staff.token,
      body: { loan_id: loan.data.data.id },
    });
    expectError(again, 409, 'already_returned');
    expectError(
      await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id }),
      409,
      'already_returned',
    );
    // The copy turns up again: back on the shelf through the copy endpoint.
    const found = await call(app, 'PUT', `/api/v1/library/copies/${loan.data.data.copy_id}`, {
      token: w.staff.token,
      body: { state: 'available' },
    });
    expectStatus(found, 200);
    assert.equal(found.data.data.state, 'available');
  });

  it('should record a faculty member’s lost copy without a ledger entry, and refuse bad or foreign requests', async () => {
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, { book_id: book.id, faculty_id: w.teacher.id });
    expectStatus(loan, 201);
    const lostReq = (body: Record<string, unknown>, token: string | undefined = w.staff.token) =>
      call(app, 'POST', '/api/v1/library/lost', { token, body });
    expectError(await lostReq({}), 400);
    expectError(await lostReq({ loan_id: loan.data.data.id, barcode: loan.data.data.barcode }), 400);
    expectError(await lostReq({ loan_id: loan.data.data.id, replacement_charge: '1e3' }), 400);
    expectError(
      await call(app, 'POST', '/api/v1/library/lost', { body: { loan_id: loan.data.data.id } }),
      401,
    );
    expectError(await lostReq({ loan_id: loan.data.data.id }, w.student.token), 403);
    expectError(await lostReq({ loan_id: loan.data.data.id }, w.otherAdmin.token), 404);
    const ok = await lostReq({ loan_id: loan.data.data.id, replacement_charge: '30.00' });
    expectStatus(ok, 200);
    assert.equal(ok.data.data.status, 'lost');
    assert.equal(ok.data.data.replacement_charge, '30.00');
    assert.equal(ok.data.data.fine, null);
    const title = (book as unknown as { title: string }).title;
    const entries = await app.deps.db.execute(
      sql`select count(*)::int as n from ledger_entries where position(${title} in reason) > 0`,
    );
    assert.deepEqual(entries.rows, [{ n: 0 }]);
  });

  it('should expire an uncollected ready hold and pass its copy to the next hold, then to the shelf', async () => {
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, { book_id: book.id, faculty_id: w.teacher.id });
    expectStatus(loan, 201);
    const hold = (token: string) =>
      call(app, 'POST', '/api/v1/library/holds', { token, body: { book_id: book.id } });
    const h1 = await hold(w.student.token);
    expectStatus(h1, 201);
    const h2 = await hold(w.student2.token);
    expectStatus(h2, 201);
    expectStatus(await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id }), 200);
    const holdRow = async (id: string) =>
      (
        await app.deps.db.execute(
          sql`select status, copy_id, pickup_by::text as pickup_by from library_holds where id = ${id}`,
        )
      ).rows[0] as { status: string; copy_id: string | null; pickup_by: string | null };
    assert.equal((await holdRow(h1.data.data.id)).status, 'ready');

    // Nothing is due yet: the sweep changes nothing.
    const idle = await call(app, 'POST', '/api/v1/library/holds/expire', { token: w.staff.token });
    expectStatus(idle, 200);
    assert.equal((await holdRow(h1.data.data.id)).status, 'ready');

    // The first patron does not come by the pickup date.
    await app.deps.db.execute(
      sql`update library_holds set pickup_by = current_date - 1 where id = ${h1.data.data.id}`,
    );
    const swept = await call(app, 'POST', '/api/v1/library/holds/expire', { token: w.staff.token });
    expectStatus(swept, 200);
    assert.ok(swept.data.data.expired >= 1);
    assert.equal(swept.data.data.more, false);
    assert.equal((await holdRow(h1.data.data.id)).status, 'expired');
    const second = await holdRow(h2.data.data.id);
    assert.equal(second.status, 'ready');
    assert.equal(second.copy_id, loan.data.data.copy_id);
    const told = await app.deps.db.execute(sql`
      select count(*)::int as n from user_notifications un join notifications n on n.id = un.notification_id
       where un.user_id = ${w.student.userId} and n.kind = 'library_hold_expired'`);
    assert.equal((told.rows[0] as { n: number }).n, 1);

    // The second patron does not come either; the desk issues the book to someone else, which expires the
    // hold on the way and takes the copy from the shelf.
    await app.deps.db.execute(
      sql`update library_holds set pickup_by = current_date - 1 where id = ${h2.data.data.id}`,
    );
    const other = await issue(app, w.staff.token, { book_id: book.id, faculty_id: w.teacher.id });
    expectStatus(other, 201);
    assert.equal(other.data.data.copy_id, loan.data.data.copy_id);
    assert.equal((await holdRow(h2.data.data.id)).status, 'expired');
    const listed = await call(app, 'GET', '/api/v1/library/holds', {
      token: w.staff.token,
      query: { book_id: book.id, status: 'expired' },
    });
    expectStatus(listed, 200);
    assert.equal(listed.data.meta.total, 2);
  });

  it('should keep the sweep to the desk: 401 anonymous, 403 for a student', async () => {
    expectError(await call(app, 'POST', '/api/v1/library/holds/expire', {}), 401);
    expectError(await call(app, 'POST', '/api/v1/library/holds/expire', { token: w.student.token }), 403);
  });
});
