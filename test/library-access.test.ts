import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser, type TestUser } from './helpers/factories.js';
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

type Row = { id: string };
const ids = (res: { data: { data: Row[] } }) => res.data.data.map((r) => r.id);
const L = '/api/v1/library';

describe('library circulation, holds, rules and fines: every endpoint and who may see what', () => {
  let app: App;
  let w: LibraryWorld;
  let nobody: TestUser;
  let other: { bookId: string; loanId: string; holdId: string; fineId: string };
  before(async () => {
    app = await buildTestApp();
    w = await makeLibraryWorld(app);
    nobody = await makeUser(app, w.org, null);
    await setRule(app, w.admin.token, w.org.id, { fine_per_day: '1.50', grace_days: 0, max_loans: 20 });
    await setRule(app, w.admin.token, w.org.id, {
      patron_type: 'faculty',
      fine_per_day: '2.00',
      max_loans: 2,
    });
    await setRule(app, w.otherAdmin.token, w.otherOrg.id, { fine_per_day: '1.00' });
    // Another school's loan, late return (fine) and hold, for out-of-scope checks.
    const ob = await addBook(app, w.otherAdmin.token, w.otherOrg.id, { copies: 1 });
    const ol = await issue(app, w.otherAdmin.token, {
      book_id: ob.id,
      student_id: w.otherStudent.id,
      issue_date: day(-20),
      due_date: day(-3),
    });
    const ret = await returnLoan(app, w.otherAdmin.token, { loan_id: ol.data.data.id });
    const ol2 = await issue(app, w.otherAdmin.token, { book_id: ob.id, student_id: w.otherStudent.id });
    const empty = await addBook(app, w.otherAdmin.token, w.otherOrg.id, { copies: 0 });
    const oh = await call(app, 'POST', `${L}/holds`, {
      token: w.otherStudent.token,
      body: { book_id: empty.id },
    });
    expectStatus(oh, 201);
    other = {
      bookId: ob.id,
      loanId: ol2.data.data.id,
      holdId: oh.data.data.id,
      fineId: ret.data.data.fine.id,
    };
  });
  after(() => app.close());

  it('POST /library/issue: by book or barcode, carried-over dates; 400; 401; 403; 404; 422 rules', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 2 });
    const res = await issue(app, w.staff.token, { book_id: b.id, student_id: w.student.id });
    expectStatus(res, 201);
    assert.equal(res.data.data.issue_date, day(0));
    assert.equal(res.data.data.due_date, day(14));
    assert.equal(res.data.data.status, 'active');
    const copies = await call(app, 'GET', `${L}/books/${b.id}/copies`, { token: w.staff.token });
    const free = copies.data.data.find((c: { state: string }) => c.state === 'available');
    const byBarcode = await issue(app, w.staff.token, { barcode: free.barcode, faculty_id: w.teacher.id });
    expectStatus(byBarcode, 201);
    assert.equal(byBarcode.data.data.patron_type, 'faculty');
    expectError(
      await issue(app, w.staff.token, { barcode: free.barcode, student_id: w.student2.id }),
      409,
      'copy_not_available',
    );
    expectError(
      await issue(app, w.staff.token, { book_id: b.id, student_id: w.student2.id }),
      409,
      'no_copy_available',
    );
    expectError(await issue(app, w.staff.token, { student_id: w.student.id }), 400);
    expectError(
      await issue(app, w.staff.token, { book_id: b.id, student_id: w.student.id, faculty_id: w.teacher.id }),
      400,
    );
    expectError(
      await issue(app, w.staff.token, { book_id: b.id, student_id: w.student.id, issue_date: day(3) }),
      400,
    );
    expectError(
      await call(app, 'POST', `${L}/issue`, { body: { book_id: b.id, student_id: w.student.id } }),
      401,
    );
    expectError(await issue(app, w.student.token, { book_id: b.id, student_id: w.student.id }), 403);
    expectError(await issue(app, w.staff.token, { book_id: other.bookId, student_id: w.student.id }), 404);
    expectError(await issue(app, w.staff.token, { book_id: b.id, student_id: w.otherStudent.id }), 404);
    const ref = await addBook(app, w.staff.token, w.org.id, { copies: 1, is_reference: true });
    expectError(
      await issue(app, w.staff.token, { book_id: ref.id, student_id: w.student.id }),
      422,
      'reference_not_loanable',
    );
    const b2 = await addBook(app, w.staff.token, w.org.id, { copies: 2 });
    const second = await issue(app, w.staff.token, { book_id: b2.id, faculty_id: w.teacher.id });
    expectStatus(second, 201);
    expectError(
      await issue(app, w.staff.token, { book_id: b2.id, faculty_id: w.teacher.id }),
      422,
      'loan_limit_reached',
    );
    // Free the teacher's loans for the other tests.
    for (const l of [byBarcode, second]) {
      expectStatus(await returnLoan(app, w.staff.token, { loan_id: l.data.data.id }), 200);
    }
  });

  it('PUT /library/return: closes the loan, fines a late return; 400; 401; 403; 404; 409', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, {
      book_id: b.id,
      student_id: w.student.id,
      issue_date: day(-30),
      due_date: day(-4),
    });
    expectError(
      await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id, return_date: day(2) }),
      400,
    );
    expectError(await returnLoan(app, w.staff.token, {}), 400);
    expectError(await call(app, 'PUT', `${L}/return`, { body: { loan_id: loan.data.data.id } }), 401);
    expectError(await returnLoan(app, w.student.token, { loan_id: loan.data.data.id }), 403);
    expectError(await returnLoan(app, w.staff.token, { loan_id: other.loanId }), 404);
    const res = await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id });
    expectStatus(res, 200);
    assert.equal(res.data.data.status, 'returned');
    assert.equal(res.data.data.days_overdue, 4);
    assert.equal(res.data.data.fine.amount, '6.00');
    expectError(
      await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id }),
      409,
      'already_returned',
    );
    const book = await call(app, 'GET', `${L}/books/${b.id}`, { token: w.staff.token });
    assert.equal(book.data.data.copies_available, 1);
  });

  it('POST /library/renew: the borrower renews their own; limits; 400; 401; 403; 404', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, { book_id: b.id, student_id: w.student.id });
    const renew = (token: string, body: Record<string, unknown>) =>
      call(app, 'POST', `${L}/renew`, { token, body });
    const r1 = await renew(w.student.token, { loan_id: loan.data.data.id });
    expectStatus(r1, 200);
    assert.equal(r1.data.data.due_date, day(28));
    assert.equal(r1.data.data.renewals, 1);
    expectStatus(await renew(w.staff.token, { barcode: loan.data.data.barcode }), 200);
    expectError(await renew(w.student.token, { loan_id: loan.data.data.id }), 422, 'renewal_limit_reached');
    expectError(await renew(w.student.token, {}), 400);
    expectError(await call(app, 'POST', `${L}/renew`, { body: { loan_id: loan.data.data.id } }), 401);
    expectError(await renew(w.parent.token, { loan_id: loan.data.data.id }), 403);
    expectError(await renew(w.student2.token, { loan_id: loan.data.data.id }), 404);
    expectError(await renew(w.staff.token, { loan_id: other.loanId }), 404);
    const late = await issue(app, w.staff.token, {
      book_id: (await addBook(app, w.staff.token, w.org.id)).id,
      student_id: w.student.id,
      issue_date: day(-20),
      due_date: day(-1),
    });
    expectError(await renew(w.student.token, { loan_id: late.data.data.id }), 422, 'loan_overdue');
  });

  it('holds: a returned copy goes to the first hold, the patron is notified, renewals stop, the hold is issued', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, { book_id: b.id, student_id: w.student.id });
    const hold = (token: string, body: Record<string, unknown>) =>
      call(app, 'POST', `${L}/holds`, { token, body });
    const h1 = await hold(w.student2.token, { book_id: b.id });
    expectStatus(h1, 201);
    assert.equal(h1.data.data.status, 'waiting');
    assert.equal(h1.data.data.queue_position, 1);
    const h2 = await hold(w.staff.token, { book_id: b.id, faculty_id: w.teacher.id });
    expectStatus(h2, 201);
    assert.equal(h2.data.data.queue_position, 2);
    expectError(await hold(w.student2.token, { book_id: b.id }), 409);
    expectError(await hold(w.student2.token, { book_id: 'x' }), 400);
    expectError(await call(app, 'POST', `${L}/holds`, { body: { book_id: b.id } }), 401);
    expectError(await hold(w.parent.token, { book_id: b.id }), 403);
    expectError(await hold(w.student2.token, { book_id: other.bookId }), 404);
    const onShelf = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    expectError(await hold(w.student2.token, { book_id: onShelf.id }), 422, 'copies_available');
    const ref = await addBook(app, w.staff.token, w.org.id, { copies: 0, is_reference: true });
    expectError(await hold(w.student2.token, { book_id: ref.id }), 422, 'reference_not_loanable');

    expectError(
      await call(app, 'POST', `${L}/renew`, { token: w.student.token, body: { loan_id: loan.data.data.id } }),
      422,
      'hold_waiting',
    );
    expectStatus(await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id }), 200);
    const queue = await call(app, 'GET', `${L}/holds`, { token: w.staff.token, query: { book_id: b.id } });
    expectStatus(queue, 200);
    const first = queue.data.data.find((h: Row) => h.id === h1.data.data.id);
    assert.equal(first.status, 'ready');
    assert.equal(first.barcode, loan.data.data.barcode);
    assert.ok(first.pickup_by);
    assert.equal(queue.data.data.find((h: Row) => h.id === h2.data.data.id).queue_position, 1);
    const note = await app.deps.db.execute(sql`
      select count(*)::int as n from user_notifications un join notifications n on n.id = un.notification_id
       where un.user_id = ${w.student2.userId} and n.kind = 'library_hold_ready'`);
    assert.equal((note.rows[0] as { n: number }).n, 1);
    // The copy is set aside: nobody else gets it, the hold's patron does.
    expectError(
      await issue(app, w.staff.token, { book_id: b.id, faculty_id: w.teacher.id }),
      409,
      'no_copy_available',
    );
    const got = await issue(app, w.staff.token, { book_id: b.id, student_id: w.student2.id });
    expectStatus(got, 201);
    const done = await call(app, 'GET', `${L}/holds`, { token: w.student2.token, query: { book_id: b.id } });
    assert.equal(done.data.data[0].status, 'fulfilled');
    assert.equal(done.data.data[0].loan_id, got.data.data.id);
  });

  it('GET /library/holds: own, children, desk; 400; 401; 403; other school excluded', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 0 });
    const mine = await call(app, 'POST', `${L}/holds`, { token: w.student.token, body: { book_id: b.id } });
    const theirs = await call(app, 'POST', `${L}/holds`, {
      token: w.student2.token,
      body: { book_id: b.id },
    });
    const byStudent = await call(app, 'GET', `${L}/holds`, { token: w.student.token });
    expectStatus(byStudent, 200);
    assert.ok(ids(byStudent).includes(mine.data.data.id));
    assert.ok(!ids(byStudent).includes(theirs.data.data.id));
    const byParent = await call(app, 'GET', `${L}/holds`, {
      token: w.parent.token,
      query: { book_id: b.id },
    });
    assert.deepEqual(ids(byParent), [mine.data.data.id]);
    const desk = await call(app, 'GET', `${L}/holds`, { token: w.staff.token, query: { status: 'waiting' } });
    assert.ok(ids(desk).includes(theirs.data.data.id));
    assert.ok(!ids(desk).includes(other.holdId));
    expectError(
      await call(app, 'GET', `${L}/holds`, { token: w.staff.token, query: { status: 'nope' } }),
      400,
    );
    expectError(await call(app, 'GET', `${L}/holds`), 401);
    expectError(await call(app, 'GET', `${L}/holds`, { token: nobody.token }), 403);
  });

  it('DELETE /library/holds/{id}: cancel; a ready copy passes to the next hold; 400; 401; 403; 404; 409', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 1 });
    const loan = await issue(app, w.staff.token, { book_id: b.id, faculty_id: w.teacher.id });
    const a = await call(app, 'POST', `${L}/holds`, { token: w.student.token, body: { book_id: b.id } });
    const c = await call(app, 'POST', `${L}/holds`, { token: w.student2.token, body: { book_id: b.id } });
    await returnLoan(app, w.staff.token, { loan_id: loan.data.data.id });
    expectError(await call(app, 'DELETE', `${L}/holds/bad`, { token: w.student.token }), 400);
    expectError(await call(app, 'DELETE', `${L}/holds/${a.data.data.id}`), 401);
    expectError(await call(app, 'DELETE', `${L}/holds/${a.data.data.id}`, { token: w.parent.token }), 403);
    expectError(await call(app, 'DELETE', `${L}/holds/${a.data.data.id}`, { token: w.student2.token }), 404);
    expectError(await call(app, 'DELETE', `${L}/holds/${other.holdId}`, { token: w.staff.token }), 404);
    const res = await call(app, 'DELETE', `${L}/holds/${a.data.data.id}`, { token: w.student.token });
    expectStatus(res, 200);
    assert.equal(res.data.data.status, 'cancelled');
    expectError(
      await call(app, 'DELETE', `${L}/holds/${a.data.data.id}`, { token: w.staff.token }),
      409,
      'hold_closed',
    );
    const next = await call(app, 'GET', `${L}/holds`, { token: w.student2.token, query: { book_id: b.id } });
    assert.equal(next.data.data[0].id, c.data.data.id);
    assert.equal(next.data.data[0].status, 'ready');
  });

  it('GET /library/issued and /library/overdue: scoped lists with days overdue; 400; 401; 403', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 3 });
    const mine = await issue(app, w.staff.token, {
      book_id: b.id,
      student_id: w.student.id,
      issue_date: day(-20),
      due_date: day(-6),
    });
    const theirs = await issue(app, w.staff.token, { book_id: b.id, student_id: w.student2.id });
    const teachers = await issue(app, w.staff.token, { book_id: b.id, faculty_id: w.teacher.id });
    const get = (url: string, token: string, query = {}) => call(app, 'GET', `${L}/${url}`, { token, query });
    const own = await get('issued', w.student.token, { book_id: b.id });
    expectStatus(own, 200);
    assert.deepEqual(ids(own), [mine.data.data.id]);
    assert.deepEqual(ids(await get('issued', w.parent.token, { book_id: b.id })), [mine.data.data.id]);
    assert.deepEqual(ids(await get('issued', w.teacher.token, { book_id: b.id })), [teachers.data.data.id]);
    const desk = await get('issued', w.staff.token, { book_id: b.id });
    assert.equal(desk.data.meta.total, 3);
    assert.ok(ids(desk).includes(theirs.data.data.id));
    const all = await get('issued', w.principal.token, { status: 'all', page_size: 100 });
    assert.ok(!ids(all).includes(other.loanId));
    expectError(await get('issued', w.staff.token, { status: 'bogus' }), 400);
    expectError(await call(app, 'GET', `${L}/issued`), 401);
    expectError(await get('issued', nobody.token), 403);

    const overdue = await get('overdue', w.staff.token, { page_size: 100 });
    expectStatus(overdue, 200);
    const row = overdue.data.data.find((r: Row) => r.id === mine.data.data.id);
    assert.equal(row.days_overdue, 6);
    assert.equal(row.accrued_fine, '9.00');
    assert.ok(!ids(overdue).includes(theirs.data.data.id));
    assert.deepEqual(ids(await get('overdue', w.student2.token)), []);
    expectError(await get('overdue', w.staff.token, { min_days: 0 }), 400);
    expectError(await call(app, 'GET', `${L}/overdue`), 401);
    expectError(await get('overdue', nobody.token), 403);
  });

  it('GET|PUT /library/rules: effective rules per category; 400; 401; 403; 404', async () => {
    const res = await call(app, 'GET', `${L}/rules`, {
      token: w.staff.token,
      query: { organization_id: w.org.id },
    });
    expectStatus(res, 200);
    const student = res.data.data.find((r: { patron_type: string }) => r.patron_type === 'student');
    assert.equal(student.fine_per_day, '1.50');
    const staffRule = res.data.data.find((r: { patron_type: string }) => r.patron_type === 'staff');
    assert.equal(staffRule.source_organization_id, null);
    expectError(await call(app, 'GET', `${L}/rules`, { token: w.staff.token }), 400);
    expectError(await call(app, 'GET', `${L}/rules`, { query: { organization_id: w.org.id } }), 401);
    expectError(
      await call(app, 'GET', `${L}/rules`, { token: w.student.token, query: { organization_id: w.org.id } }),
      403,
    );
    expectError(
      await call(app, 'GET', `${L}/rules`, {
        token: w.staff.token,
        query: { organization_id: w.otherOrg.id },
      }),
      404,
    );
    const body = {
      organization_id: w.org.id,
      patron_type: 'staff',
      loan_days: 30,
      max_loans: 10,
      max_renewals: 3,
      fine_per_day: '0.50',
      grace_days: 1,
      max_fine: '20.00',
    };
    const put = await call(app, 'PUT', `${L}/rules`, { token: w.admin.token, body });
    expectStatus(put, 200);
    assert.equal(put.data.data.max_fine, '20.00');
    assert.equal(put.data.data.source_organization_id, w.org.id);
    expectError(
      await call(app, 'PUT', `${L}/rules`, { token: w.admin.token, body: { ...body, fine_per_day: '-1' } }),
      400,
    );
    expectError(await call(app, 'PUT', `${L}/rules`, { body }), 401);
    expectError(await call(app, 'PUT', `${L}/rules`, { token: w.staff.token, body }), 403);
    expectError(
      await call(app, 'PUT', `${L}/rules`, {
        token: w.admin.token,
        body: { ...body, organization_id: w.otherOrg.id },
      }),
      404,
    );
  });

  it('GET /library/fines and POST /library/pay-fine: own fines; self payment; faculty settled at the desk', async () => {
    const b = await addBook(app, w.staff.token, w.org.id, { copies: 2 });
    const sl = await issue(app, w.staff.token, {
      book_id: b.id,
      student_id: w.student.id,
      issue_date: day(-10),
      due_date: day(-2),
    });
    const fl = await issue(app, w.staff.token, {
      book_id: b.id,
      faculty_id: w.teacher.id,
      issue_date: day(-10),
      due_date: day(-3),
    });
    const sFine = (await returnLoan(app, w.staff.token, { loan_id: sl.data.data.id })).data.data.fine;
    const fFine = (await returnLoan(app, w.staff.token, { loan_id: fl.data.data.id })).data.data.fine;
    assert.equal(sFine.amount, '3.00');
    assert.equal(fFine.amount, '6.00');
    const list = (token: string, query = {}) => call(app, 'GET', `${L}/fines`, { token, query });
    const own = await list(w.student.token);
    expectStatus(own, 200);
    assert.ok(ids(own).includes(sFine.id));
    assert.ok(!ids(own).includes(fFine.id));
    assert.equal(own.data.data.find((f: Row) => f.id === sFine.id).on_ledger, true);
    assert.ok(ids(await list(w.parent.token)).includes(sFine.id));
    const teacherFines = await list(w.teacher.token);
    assert.deepEqual(ids(teacherFines), [fFine.id]);
    assert.equal(teacherFines.data.data[0].on_ledger, false);
    const desk = await list(w.staff.token, { status: 'outstanding' });
    assert.ok(ids(desk).includes(fFine.id) && !ids(desk).includes(other.fineId));
    expectError(await list(w.staff.token, { status: 'x' }), 400);
    expectError(await call(app, 'GET', `${L}/fines`), 401);
    expectError(await list(nobody.token), 403);

    const pay = (token: string, body: Record<string, unknown>, k: string | null = key()) =>
      call(app, 'POST', `${L}/pay-fine`, { token, body, headers: k ? { 'idempotency-key': k } : {} });
    expectError(await pay(w.student.token, { fine_id: sFine.id }, null), 400);
    expectError(
      await pay(w.student.token, { fine_id: sFine.id, amount: '9.00' }),
      422,
      'amount_exceeds_fine',
    );
    expectError(
      await call(app, 'POST', `${L}/pay-fine`, {
        body: { fine_id: sFine.id },
        headers: { 'idempotency-key': key() },
      }),
      401,
    );
    expectError(await pay(w.parent.token, { fine_id: sFine.id }), 403);
    expectError(await pay(w.student2.token, { fine_id: sFine.id }), 404);
    expectError(await pay(w.staff.token, { fine_id: other.fineId }), 404);
    expectError(await pay(w.student.token, { fine_id: fFine.id }), 404);
    const self = await pay(w.student.token, { fine_id: sFine.id });
    expectStatus(self, 201);
    assert.equal(self.data.data.fine.status, 'paid');
    assert.equal(self.data.data.payment.amount, '3.00');
    const fees = await call(app, 'GET', '/api/v1/students/me/fees', { token: w.student.token });
    assert.ok(
      fees.data.data.some(
        (e: { entry_type: string; amount: string }) => e.entry_type === 'payment' && e.amount === '-3.00',
      ),
    );
    const k = key();
    const settled = await pay(w.staff.token, { loan_id: fl.data.data.id, method: 'cash' }, k);
    expectStatus(settled, 201);
    assert.equal(settled.data.data.payment, null);
    assert.equal(settled.data.data.fine.status, 'paid');
    assert.equal(settled.data.data.fine.settlement_method, 'cash');
    const replay = await pay(w.staff.token, { loan_id: fl.data.data.id, method: 'cash' }, k);
    expectStatus(replay, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    expectError(await pay(w.staff.token, { loan_id: fl.data.data.id }), 409, 'fine_already_paid');
  });
});
