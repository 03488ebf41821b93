import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { makeFaculty, makeParent, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { makeUser } from './helpers/factories.js';
import { deskPay, enrollWithHooks, key, makeFinanceWorld } from './helpers/finance.js';

const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('fee payments', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let other: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let faculty: Awaited<ReturnType<typeof makeFaculty>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeFinanceWorld(app);
    other = await makeFinanceWorld(app);
    faculty = await makeFaculty(app, w.org);
    await enrollWithHooks(app, w.student.id, w.cls);
    await enrollWithHooks(app, other.student.id, other.cls);
  });
  after(() => app.close());

  it('should record a desk payment with a receipt number and lower the balance', async () => {
    const s = await makeStudent(app, w.org);
    await enrollWithHooks(app, s.id, w.cls);
    const res = await deskPay(app, w.staff.token, s.id, '120.50', key(), {
      method: 'cheque',
      reference: 'CHQ-1',
    });
    expectStatus(res, 201);
    const p = res.data.data;
    assert.match(p.receipt_no, /^RCPT-\d{4}-\d{6}$/);
    assert.equal(p.amount, '120.50');
    assert.equal(p.currency, 'USD');
    assert.equal(p.method, 'cheque');
    assert.equal(p.payment_status, 'completed');
    const fees = await call(app, 'GET', `/api/v1/students/${s.id}/fees`, { token: w.admin.token });
    assert.equal(fees.data.meta.summary.balance, '379.50');
    assert.equal(fees.data.meta.summary.dues_status, 'partial');
  });

  it('should replay the first result for a repeated Idempotency-Key and refuse a different body', async () => {
    const k = key();
    const a = await deskPay(app, w.staff.token, w.student.id, '10.00', k);
    const b = await deskPay(app, w.staff.token, w.student.id, '10.00', k);
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.deepEqual(b.data, a.data);
    assert.equal(b.headers['idempotent-replayed'], 'true');
    const list = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.staff.token,
      query: { student_id: w.student.id, page_size: 100 },
    });
    assert.equal(list.data.data.filter((p: any) => p.id === a.data.data.id).length, 1);
    expectError(await deskPay(app, w.staff.token, w.student.id, '11.00', k), 422, 'idempotency_key_reused');
  });

  it('should answer 400 for a missing key, bad amount, bad method and unknown fields', async () => {
    const noKey = await call(app, 'POST', '/api/v1/fee-payments', {
      token: w.staff.token,
      body: { student_id: w.student.id, amount: '1.00', method: 'cash' },
    });
    expectError(noKey, 400, 'validation_failed');
    const bad = await call(app, 'POST', '/api/v1/fee-payments', {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { student_id: w.student.id, amount: '-5', method: 'bitcoin', extra: 1 },
    });
    expectError(bad, 400, 'validation_failed');
    const fields = bad.data.error.details.map((d: any) => d.field);
    assert.ok(fields.includes('amount'), bad.body);
    expectError(await deskPay(app, w.staff.token, w.student.id, '1.005'), 400);
    expectError(await deskPay(app, w.staff.token, w.student.id, '0.00'), 422, 'invalid_amount');
  });

  it('should answer 401, 403 for students/faculty and 404 for another tenant', async () => {
    expectError(await deskPay(app, '', w.student.id, '1.00'), 401);
    expectError(await deskPay(app, w.student.token, w.student.id, '1.00'), 403, 'forbidden');
    expectError(await deskPay(app, faculty.token, w.student.id, '1.00'), 403, 'forbidden');
    expectError(await deskPay(app, w.staff.token, other.student.id, '1.00'), 404, 'not_found');
  });

  it('should record an external payment with its paid_at', async () => {
    const url = '/api/v1/finance/record-payment';
    const body = {
      student_id: w.student.id,
      amount: '5.00',
      method: 'bank_transfer',
      reference: 'BANK-7781',
      paid_at: '2026-01-15T10:00:00Z',
    };
    const ok = await call(app, 'POST', url, {
      token: w.admin.token,
      headers: { 'idempotency-key': key() },
      body,
    });
    expectStatus(ok, 201);
    assert.equal(ok.data.data.source, 'external');
    assert.equal(ok.data.data.paid_at, '2026-01-15T10:00:00.000Z');
    expectError(
      await call(app, 'POST', url, {
        token: w.admin.token,
        headers: { 'idempotency-key': key() },
        body: { ...body, method: 'gold' },
      }),
      400,
    );
    expectError(await call(app, 'POST', url, { headers: { 'idempotency-key': key() }, body }), 401);
    expectError(
      await call(app, 'POST', url, { token: w.student.token, headers: { 'idempotency-key': key() }, body }),
      403,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.admin.token,
        headers: { 'idempotency-key': key() },
        body: { ...body, student_id: other.student.id },
      }),
      404,
    );
  });

  it('should let a student pay their own dues, never more than owed', async () => {
    const s = await makeStudent(app, w.org, {}, { login: true });
    await enrollWithHooks(app, s.id, w.cls);
    const url = '/api/v1/students/me/payments';
    const k = key();
    const ok = await call(app, 'POST', url, {
      token: s.token,
      headers: { 'idempotency-key': k },
      body: { amount: '200.00', method: 'card' },
    });
    expectStatus(ok, 201);
    assert.equal(ok.data.data.source, 'self');
    assert.equal(ok.data.data.student_id, s.id);
    const again = await call(app, 'POST', url, {
      token: s.token,
      headers: { 'idempotency-key': k },
      body: { amount: '200.00', method: 'card' },
    });
    assert.deepEqual(again.data, ok.data);
    const over = await call(app, 'POST', url, {
      token: s.token,
      headers: { 'idempotency-key': key() },
      body: { amount: '300.01' },
    });
    expectError(over, 422, 'payment_exceeds_balance');
    expectError(await call(app, 'POST', url, { token: s.token, body: { amount: '1.00' } }), 400);
    expectError(
      await call(app, 'POST', url, { headers: { 'idempotency-key': key() }, body: { amount: '1.00' } }),
      401,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.admin.token,
        headers: { 'idempotency-key': key() },
        body: { amount: '1.00' },
      }),
      403,
    );
    // A student login without a student profile has no dues to pay.
    const bare = await makeUser(app, w.org, 'student');
    expectError(
      await call(app, 'POST', url, {
        token: bare.token,
        headers: { 'idempotency-key': key() },
        body: { amount: '1.00' },
      }),
      404,
    );
  });

  it("should let a parent pay a linked child's dues once per key, never more than owed; another child is 404", async () => {
    const child = await makeStudent(app, w.org);
    const stranger = await makeStudent(app, w.org);
    await enrollWithHooks(app, child.id, w.cls);
    await enrollWithHooks(app, stranger.id, w.cls);
    const parent = await makeParent(app, w.org, [child.id]);
    const url = (id: string) => `/api/v1/students/${id}/payments`;
    const payAs = (token: string, id: string, k: string | null, body: Record<string, unknown>) =>
      call(app, 'POST', url(id), { token, headers: k ? { 'idempotency-key': k } : {}, body });
    const k = key();
    const ok = await payAs(parent.token, child.id, k, { amount: '150.00', method: 'card' });
    expectStatus(ok, 201);
    assert.equal(ok.data.data.source, 'guardian');
    assert.equal(ok.data.data.student_id, child.id);
    assert.match(ok.data.data.receipt_no, /^RCPT-\d{4}-\d{6}$/);
    // The same key replays the first answer; a different body under it is refused.
    const again = await payAs(parent.token, child.id, k, { amount: '150.00', method: 'card' });
    assert.deepEqual(again.data, ok.data);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    expectError(await payAs(parent.token, child.id, k, { amount: '151.00' }), 422, 'idempotency_key_reused');
    expectError(
      await payAs(parent.token, child.id, key(), { amount: '350.01' }),
      422,
      'payment_exceeds_balance',
    );
    // What the database holds: one payment, one ledger entry, the balance lowered by 150.00 once.
    const rows = await app.deps.db.execute(sql`
      select p.source, p.amount_minor::int as minor, p.recorded_by,
             (select count(*)::int from ledger_entries l where l.payment_id = p.id) as entries
        from fee_payments p where p.student_id = ${child.id}`);
    assert.deepEqual(
      rows.rows.map((r: any) => ({ ...r })),
      [{ source: 'guardian', minor: 15000, recorded_by: parent.userId, entries: 1 }],
    );
    const fees = await call(app, 'GET', `/api/v1/students/${child.id}/fees`, { token: parent.token });
    assert.equal(fees.data.meta.summary.balance, '350.00');
    // The parent downloads the receipt of the payment.
    const pdf = await call(app, 'GET', `/api/v1/fee-payments/${ok.data.data.id}/receipt`, {
      token: parent.token,
    });
    expectStatus(pdf, 200);
    assert.match(String(pdf.headers['content-type']), /application\/pdf/);
    // Another child, an unknown id and another tenant's student: 404, and nothing is written.
    expectError(await payAs(parent.token, stranger.id, key(), { amount: '1.00' }), 404);
    expectError(await payAs(parent.token, other.student.id, key(), { amount: '1.00' }), 404);
    expectError(
      await payAs(parent.token, '00000000-0000-4000-8000-000000000000', key(), { amount: '1.00' }),
      404,
    );
    const strangerPaid = await app.deps.db.execute(
      sql`select count(*)::int as n from fee_payments where student_id in (${stranger.id}, ${other.student.id}) and source = 'guardian'`,
    );
    assert.equal((strangerPaid.rows[0] as any).n, 0);
    // 400 without a key or with unknown fields; 401 signed out; 403 for a student or the desk.
    expectError(await payAs(parent.token, child.id, null, { amount: '1.00' }), 400);
    expectError(await payAs(parent.token, child.id, key(), { amount: '1.00', student_id: stranger.id }), 400);
    expectError(await payAs(parent.token, 'nope', key(), { amount: '1.00' }), 400);
    expectError(
      await call(app, 'POST', url(child.id), {
        headers: { 'idempotency-key': key() },
        body: { amount: '1.00' },
      }),
      401,
    );
    expectError(await payAs(w.student.token, child.id, key(), { amount: '1.00' }), 403);
    expectError(await payAs(w.staff.token, child.id, key(), { amount: '1.00' }), 403);
  });

  it('should list payments in scope with filters; students see only their own', async () => {
    const mine = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.student.token,
      query: { page_size: 100 },
    });
    expectStatus(mine, 200);
    assert.ok(mine.data.data.length > 0);
    assert.ok(mine.data.data.every((p: any) => p.student_id === w.student.id));
    const desk = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.admin.token,
      query: { payment_status: 'completed', page_size: 100 },
    });
    expectStatus(desk, 200);
    assert.ok(
      desk.data.data.every((p: any) => p.organization_id === w.org.id && p.payment_status === 'completed'),
    );
    const theirs = await call(app, 'GET', '/api/v1/fee-payments', {
      token: other.admin.token,
      query: { student_id: w.student.id },
    });
    assert.equal(theirs.data.meta.total, 0);
    expectError(
      await call(app, 'GET', '/api/v1/fee-payments', {
        token: w.admin.token,
        query: { payment_status: 'lost' },
      }),
      400,
    );
    expectError(await call(app, 'GET', '/api/v1/fee-payments'), 401);
    expectError(await call(app, 'GET', '/api/v1/fee-payments', { token: faculty.token }), 403);
  });

  it('should get one payment for its student and parent, 404 for others', async () => {
    const p = (await deskPay(app, w.staff.token, w.student.id, '1.00')).data.data;
    const parent = await makeParent(app, w.org, [w.student.id]);
    const otherParent = await makeParent(app, w.org, []);
    const stranger = await makeStudent(app, w.org, {}, { login: true });
    const url = `/api/v1/fee-payments/${p.id}`;
    expectStatus(await call(app, 'GET', url, { token: w.student.token }), 200);
    expectStatus(await call(app, 'GET', url, { token: parent.token }), 200);
    expectError(await call(app, 'GET', url, { token: otherParent.token }), 404);
    expectError(await call(app, 'GET', url, { token: stranger.token }), 404);
    expectError(await call(app, 'GET', url, { token: other.admin.token }), 404);
    expectError(await call(app, 'GET', '/api/v1/fee-payments/nope', { token: w.admin.token }), 400);
    expectError(await call(app, 'GET', url), 401);
    expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
  });

  it('should produce a PDF receipt with institution, student, amount, method, date and number', async () => {
    const p = (await deskPay(app, w.staff.token, w.student.id, '42.75', key(), { method: 'bank_transfer' }))
      .data.data;
    const url = `/api/v1/fee-payments/${p.id}/receipt`;
    const res = await call(app, 'GET', url, { token: w.student.token });
    expectStatus(res, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    // Uncompressed content streams: text is written as hex glyph strings; decode the TJ operands.
    const text = decodePdfText(pdf.toString('latin1'));
    for (const expected of [
      w.org.name,
      `${w.student.firstName} ${w.student.lastName}`,
      w.student.studentNumber,
      '42.75 USD',
      'Bank transfer',
      p.receipt_no,
      p.paid_at.slice(0, 10),
    ]) {
      assert.ok(text.includes(expected), `receipt should contain "${expected}": ${text}`);
    }
    if (hasPdftotext) {
      const out = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
      for (const expected of [w.org.name, p.receipt_no, '42.75 USD']) assert.ok(out.includes(expected));
    }
    const stranger = await makeStudent(app, w.org, {}, { login: true });
    expectError(await call(app, 'GET', url, { token: stranger.token }), 404);
    expectError(await call(app, 'GET', url, { token: other.admin.token }), 404);
    expectError(await call(app, 'GET', url), 401);
    expectError(await call(app, 'GET', url, { token: faculty.token }), 403);
    expectError(await call(app, 'GET', '/api/v1/fee-payments/x/receipt', { token: w.admin.token }), 400);
  });

  it('should refund partially and fully, never more than paid', async () => {
    const p = (await deskPay(app, w.staff.token, w.student.id, '100.00')).data.data;
    const url = '/api/v1/fee-payments/refund';
    const r1 = await call(app, 'POST', url, {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { payment_id: p.id, amount: '30.00', reason: 'Overpaid' },
    });
    expectStatus(r1, 201);
    assert.equal(r1.data.data.refund.entry_type, 'refund');
    assert.equal(r1.data.data.refund.amount, '30.00');
    assert.equal(r1.data.data.payment.payment_status, 'partially_refunded');
    assert.equal(r1.data.data.payment.refundable_amount, '70.00');
    const tooMuch = await call(app, 'POST', url, {
      token: w.staff.token,
      headers: { 'idempotency-key': key() },
      body: { payment_id: p.id, amount: '70.01', reason: 'Oops' },
    });
    expectError(tooMuch, 422, 'refund_exceeds_paid');
    const r2 = await call(app, 'POST', url, {
      token: w.admin.token,
      headers: { 'idempotency-key': key() },
      body: { payment_id: p.id, amount: '70.00', reason: 'Cancelled' },
    });
    expectStatus(r2, 201);
    assert.equal(r2.data.data.payment.payment_status, 'refunded');
    const refunded = await call(app, 'GET', '/api/v1/fee-payments', {
      token: w.admin.token,
      query: { payment_status: 'refunded' },
    });
    assert.ok(refunded.data.data.some((x: any) => x.id === p.id));
    expectError(
      await call(app, 'POST', url, {
        token: w.staff.token,
        headers: { 'idempotency-key': key() },
        body: { payment_id: p.id, amount: '1' },
      }),
      400,
    );
    expectError(
      await call(app, 'POST', url, { body: { payment_id: p.id, amount: '1.00', reason: 'x12' } }),
      401,
    );
    expectError(
      await call(app, 'POST', url, {
        token: w.student.token,
        headers: { 'idempotency-key': key() },
        body: { payment_id: p.id, amount: '1.00', reason: 'x12' },
      }),
      403,
    );
    expectError(
      await call(app, 'POST', url, {
        token: other.admin.token,
        headers: { 'idempotency-key': key() },
        body: { payment_id: p.id, amount: '1.00', reason: 'x12' },
      }),
      404,
    );
  });

  it('should refund once per Idempotency-Key: a retry replays, a reuse with another body is 422, none is 400', async () => {
    const p = (await deskPay(app, w.staff.token, w.student.id, '50.00')).data.data;
    const url = '/api/v1/fee-payments/refund';
    const k = key();
    const body = { payment_id: p.id, amount: '20.00', reason: 'Retried by the desk' };
    const refund = (b: object, h: Record<string, string> = { 'idempotency-key': k }) =>
      call(app, 'POST', url, { token: w.staff.token, headers: h, body: b });
    const [a, b] = await Promise.all([refund(body), refund(body)]);
    expectStatus(a, 201);
    expectStatus(b, 201);
    assert.equal(a.data.data.refund.id, b.data.data.refund.id);
    const c = await refund(body);
    expectStatus(c, 201);
    assert.equal(c.headers['idempotent-replayed'], 'true');
    assert.equal(c.data.data.refund.id, a.data.data.refund.id);
    const entries = await app.deps.db.execute(
      sql`select count(*)::int as n from ledger_entries where payment_id = ${p.id} and entry_type = 'refund'`,
    );
    assert.deepEqual(entries.rows, [{ n: 1 }]);
    expectError(await refund({ ...body, amount: '10.00' }), 422, 'idempotency_key_reused');
    expectError(await refund(body, {}), 400);
    const got = await call(app, 'GET', `/api/v1/fee-payments/${p.id}`, { token: w.staff.token });
    assert.equal(got.data.data.refundable_amount, '30.00');
  });

  it('should list pending and defaulters for the desk only', async () => {
    const s = await makeStudent(app, w.org);
    await enrollWithHooks(app, s.id, w.cls);
    // A late fine due in the past makes the student a defaulter.
    const fine = await call(app, 'POST', '/api/v1/finance/adjustments', {
      token: w.staff.token,
      body: {
        student_id: s.id,
        entry_type: 'late_fine',
        amount: '15.00',
        reason: 'Late registration',
        due_date: '2026-01-01',
      },
    });
    expectStatus(fine, 201);
    const pending = await call(app, 'GET', '/api/v1/fee-payments/pending', {
      token: w.staff.token,
      query: { payment_status: 'unpaid', page_size: 100 },
    });
    expectStatus(pending, 200);
    assert.ok(pending.data.data.some((r: any) => r.student_id === s.id && r.dues_status === 'unpaid'));
    const d = await call(app, 'GET', '/api/v1/fee-payments/defaulters', {
      token: w.staff.token,
      query: { min_days_overdue: 1, page_size: 100 },
    });
    expectStatus(d, 200);
    const row = d.data.data.find((r: any) => r.student_id === s.id);
    assert.equal(row.overdue_amount, '15.00');
    assert.equal(row.oldest_due_date, '2026-01-01');
    assert.ok(row.days_overdue > 0);
    const theirs = await call(app, 'GET', '/api/v1/fee-payments/defaulters', {
      token: other.admin.token,
      query: { page_size: 100 },
    });
    assert.ok(theirs.data.data.every((r: any) => r.organization_id === other.org.id));
    for (const u of ['/api/v1/fee-payments/pending', '/api/v1/fee-payments/defaulters']) {
      expectError(await call(app, 'GET', u, { token: w.staff.token, query: { page_size: 0 } }), 400);
      expectError(await call(app, 'GET', u), 401);
      expectError(await call(app, 'GET', u, { token: w.student.token }), 403);
    }
  });
});

/** Extracts the text of an uncompressed pdfkit document (hex-encoded TJ strings). */
export function decodePdfText(pdf: string): string {
  const parts: string[] = [];
  for (const m of pdf.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    let line = '';
    for (const h of m[1].matchAll(/<([0-9a-fA-F]+)>|\(((?:\\.|[^\\)])*)\)/g)) {
      if (h[1]) line += Buffer.from(h[1], 'hex').toString('latin1');
      else line += h[2];
    }
    parts.push(line);
  }
  return parts.join('\n');
}
