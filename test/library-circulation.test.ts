import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { students } from '../src/modules/students/index.js';
import { type App, buildTestApp, call, isPostgres, uniq } from './helpers/app.js';
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

describe('library circulation: concurrency, fines on the ledger, idempotent payment', () => {
  let app: App;
  let w: LibraryWorld;
  before(async () => {
    app = await buildTestApp({ DATABASE_POOL_MAX: '25' });
    w = await makeLibraryWorld(app);
  });
  after(() => app.close());

  it(`should lend exactly 3 of 3 copies to 20 concurrent issues (${isPostgres() ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 3 });
    // Twenty different borrowers, so nothing but the copy pick itself serializes the requests.
    const patrons = await app.deps.db
      .insert(students)
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          organizationId: w.org.id,
          studentNumber: uniq(`C${i}-`),
          firstName: 'Race',
          lastName: `Patron${i}`,
          email: `${uniq('race')}@example.test`,
        })),
      )
      .returning({ id: students.id });
    const results = await Promise.all(
      patrons.map((p) => issue(app, w.staff.token, { book_id: book.id, student_id: p.id })),
    );
    const ok = results.filter((r) => r.statusCode === 201);
    assert.equal(ok.length, 3, results.map((r) => r.statusCode).join(','));
    for (const r of results.filter((x) => x.statusCode !== 201)) expectError(r, 409, 'no_copy_available');
    assert.equal(new Set(ok.map((r) => r.data.data.copy_id)).size, 3);
    const state = await app.deps.db.execute(
      sql`select state, count(*)::int as n from library_copies where book_id = ${book.id} group by state`,
    );
    assert.deepEqual(state.rows, [{ state: 'on_loan', n: 3 }]);
    const got = await call(app, 'GET', `/api/v1/library/books/${book.id}`, { token: w.staff.token });
    assert.equal(got.data.data.copies_available, 0);
  });

  it('should leave one consistent loan state when a return races a renewal', async () => {
    for (let round = 0; round < 5; round++) {
      const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
      const loan = await issue(app, w.staff.token, { book_id: book.id, student_id: w.student.id });
      expectStatus(loan, 201);
      const [ret, ren] = await Promise.all([
        returnLoan(app, w.staff.token, { loan_id: loan.data.data.id }),
        call(app, 'POST', '/api/v1/library/renew', {
          token: w.student.token,
          body: { loan_id: loan.data.data.id },
        }),
      ]);
      expectStatus(ret, 200);
      assert.ok([200, 409].includes(ren.statusCode), ren.body);
      if (ren.statusCode === 409) expectError(ren, 409, 'loan_closed');
      const r = await app.deps.db.execute(sql`
        select l.renewals, l.return_date is not null as returned, c.state
          from library_loans l join library_copies c on c.id = l.copy_id where l.id = ${loan.data.data.id}`);
      const row = r.rows[0] as { renewals: number; returned: boolean; state: string };
      assert.equal(row.returned, true);
      assert.equal(row.state, 'available');
      assert.equal(Number(row.renewals), ren.statusCode === 200 ? 1 : 0);
      const open = await app.deps.db.execute(
        sql`select count(*)::int as n from library_loans where copy_id = ${loan.data.data.copy_id} and return_date is null`,
      );
      assert.equal((open.rows[0] as { n: number }).n, 0);
    }
  });

  it('should charge 30.00 for 5 days late under 2 grace days at 10.00/day, visible at the fee desk, payable once', async () => {
    await setRule(app, w.admin.token, w.org.id, {
      fine_per_day: '10.00',
      grace_days: 2,
      max_fine: '100.00',
      max_loans: 50,
    });
    const book = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    // A loan carried over from the paper register: issued 19 days ago, due 5 days ago.
    const loan = await issue(app, w.staff.token, {
      book_id: book.id,
      student_id: w.student2.id,
      issue_date: day(-19),
      due_date: day(-5),
    });
    expectStatus(loan, 201);
    assert.equal(loan.data.data.status, 'overdue');
    const overdue = await call(app, 'GET', '/api/v1/library/overdue', {
      token: w.staff.token,
      query: { student_id: w.student2.id },
    });
    expectStatus(overdue, 200);
    assert.equal(overdue.data.data[0].days_overdue, 5);
    assert.equal(overdue.data.data[0].accrued_fine, '30.00');
    const ret = await returnLoan(app, w.staff.token, { barcode: loan.data.data.barcode });
    expectStatus(ret, 200);
    assert.equal(ret.data.data.fine.amount, '30.00');
    assert.equal(ret.data.data.fine.status, 'outstanding');

    const fees = await call(app, 'GET', `/api/v1/students/${w.student2.id}/fees`, { token: w.staff.token });
    expectStatus(fees, 200);
    const entry = fees.data.data.find((e: { entry_type: string }) => e.entry_type === 'late_fine');
    assert.ok(entry, fees.body);
    assert.equal(entry.amount, '30.00');
    assert.match(entry.reason, /Library fine/);
    assert.equal(fees.data.meta.summary.balance, '30.00');
    const dues = await call(app, 'GET', '/api/v1/finance/dues', { token: w.staff.token });
    expectStatus(dues, 200);
    assert.ok(dues.body.includes(w.student2.id), 'the student is listed in the fee desk dues');

    const k = key();
    const pay = () =>
      call(app, 'POST', '/api/v1/library/pay-fine', {
        token: w.staff.token,
        headers: { 'idempotency-key': k },
        body: { fine_id: ret.data.data.fine.id, method: 'cash' },
      });
    const [p1, p2] = await Promise.all([pay(), pay()]);
    expectStatus(p1, 201);
    expectStatus(p2, 201);
    assert.equal(p1.data.data.payment.id, p2.data.data.payment.id);
    assert.equal(p1.data.data.payment.amount, '30.00');
    assert.match(p1.data.data.payment.receipt_no, /^RCPT-/);
    const p3 = await pay();
    expectStatus(p3, 201);
    assert.equal(p3.headers['idempotent-replayed'], 'true');
    assert.equal(p3.data.data.payment.id, p1.data.data.payment.id);
    assert.equal(p3.data.data.fine.status, 'paid');
    const again = await call(app, 'POST', '/api/v1/library/pay-fine', {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { fine_id: ret.data.data.fine.id },
    });
    expectError(again, 409, 'fine_already_paid');
    const after = await call(app, 'GET', `/api/v1/students/${w.student2.id}/fees`, { token: w.staff.token });
    assert.equal(after.data.meta.summary.balance, '0.00');
    const payments = await app.deps.db.execute(
      sql`select count(*)::int as n from fee_payments where student_id = ${w.student2.id}`,
    );
    assert.equal((payments.rows[0] as { n: number }).n, 1);
  });
});
