// POST /finance/adjustments/{id}/revoke: an administrator cancels a concession or waiver with a revocation
// entry; the balance, the report totals, the audit log and the student's notification follow.
import '../src/app.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { ledgerEntries } from '../src/modules/finance/finance.table.js';
import { makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call } from './helpers/app.js';
import { expectError, expectStatus } from './helpers/assert.js';
import { enrollWithHooks, makeFinanceWorld } from './helpers/finance.js';

describe('revoking a concession or waiver', () => {
  let app: App;
  let w: Awaited<ReturnType<typeof makeFinanceWorld>>;
  let other: Awaited<ReturnType<typeof makeFinanceWorld>>;
  before(async () => {
    app = await buildTestApp();
    w = await makeFinanceWorld(app, 30_000);
    other = await makeFinanceWorld(app, 30_000);
  });
  after(() => app.close());

  const grant = async (studentId: string, entry_type: 'concession' | 'waiver', amount: string) => {
    const r = await call(app, 'POST', '/api/v1/finance/adjustments', {
      token: w.admin.token,
      body: { student_id: studentId, entry_type, amount, reason: 'Sibling discount' },
    });
    expectStatus(r, 201);
    return r.data.data;
  };
  const revoke = (id: string, token = w.admin.token, reason = 'Granted to the wrong student') =>
    call(app, 'POST', `/api/v1/finance/adjustments/${id}/revoke`, { token, body: { reason } });
  const fees = async (studentId: string) =>
    (await call(app, 'GET', `/api/v1/students/${studentId}/fees`, { token: w.admin.token })).data.meta
      .summary;

  it('cancels the credit with one revocation entry, audited and notified, and restores the balance', async () => {
    const s = await makeStudent(app, w.org, {}, { login: true });
    await enrollWithHooks(app, s.id, w.cls);
    const c = await grant(s.id, 'concession', '40.00');
    assert.equal((await fees(s.id)).balance, '260.00');

    const r = await revoke(c.id);
    expectStatus(r, 201);
    const rev = r.data.data;
    assert.equal(rev.entry_type, 'revocation');
    assert.equal(rev.direction, 'debit');
    assert.equal(rev.amount, '40.00');
    assert.equal(rev.reverses_entry_id, c.id);
    assert.equal(rev.approved_by, w.admin.id);
    assert.equal(rev.reason, 'Granted to the wrong student');

    const sum = await fees(s.id);
    assert.equal(sum.balance, '300.00');
    assert.equal(sum.total_credited, '0.00');
    assert.equal(sum.total_charged, '300.00');
    const rows = await app.deps.db
      .select({
        type: ledgerEntries.entryType,
        minor: ledgerEntries.amountMinor,
        rev: ledgerEntries.reversesEntryId,
      })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.studentId, s.id));
    assert.deepEqual(
      rows.map((x) => `${x.type}:${x.minor}:${x.rev ?? ''}`).sort(),
      ['charge:30000:', 'concession:-4000:', `revocation:4000:${c.id}`].sort(),
    );
    const audit = await app.deps.db.execute(
      sql`select action, entity_id from audit_logs where entity_id = ${c.id} and action = 'revoke'`,
    );
    assert.equal(audit.rows.length, 1);
    const note = await call(app, 'GET', '/api/v1/notifications', { token: s.token });
    assert.ok(
      note.data.data.some((n: { title: string }) => n.title === 'A concession was revoked'),
      JSON.stringify(note.data.data.map((n: { title: string }) => n.title)),
    );
    const list = await call(app, 'GET', `/api/v1/students/${s.id}/fees`, {
      token: w.admin.token,
      query: { entry_type: 'revocation' },
    });
    assert.deepEqual(
      list.data.data.map((e: { reverses_entry_id: string }) => e.reverses_entry_id),
      [c.id],
    );
  });

  it('revokes once: a second revocation is 409 and writes nothing', async () => {
    const s = await makeStudent(app, w.org);
    const c = await grant(s.id, 'waiver', '5.00');
    expectStatus(await revoke(c.id), 201);
    expectError(await revoke(c.id), 409, 'already_revoked');
    const [{ n }] = await app.deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.studentId, s.id), eq(ledgerEntries.entryType, 'revocation')));
    assert.equal(n, 1);
    assert.equal((await fees(s.id)).balance, '0.00');
  });

  it('refuses other entries, other organizations, the desk and bad bodies', async () => {
    const s = await makeStudent(app, w.org);
    await enrollWithHooks(app, s.id, w.cls);
    const [charge] = await app.deps.db
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.studentId, s.id), eq(ledgerEntries.entryType, 'charge')));
    expectError(await revoke(charge.id), 422, 'not_revocable');
    const c = await grant(s.id, 'concession', '10.00');
    expectError(await revoke(c.id, w.staff.token), 403);
    expectError(await revoke(c.id, other.admin.token), 404);
    expectError(await revoke(c.id, w.admin.token, 'no'), 400, 'validation_failed');
    expectError(
      await call(app, 'POST', `/api/v1/finance/adjustments/${c.id}/revoke`, {
        token: w.admin.token,
        body: { reason: 'Mistake', amount: '1.00' },
      }),
      400,
      'validation_failed',
    );
    expectError(
      await call(app, 'POST', `/api/v1/finance/adjustments/${c.id}/revoke`, { body: { reason: 'Mistake' } }),
      401,
    );
    assert.equal((await fees(s.id)).balance, '290.00');
  });

  it('keeps the dues report identity: charged − paid + refunded − credited = balance', async () => {
    const s = await makeStudent(app, w.org);
    await enrollWithHooks(app, s.id, w.cls);
    const a = await grant(s.id, 'concession', '20.00');
    await grant(s.id, 'waiver', '5.00');
    expectStatus(await revoke(a.id), 201);
    const dues = await call(app, 'GET', '/api/v1/finance/dues', {
      token: w.admin.token,
      query: { search: s.studentNumber },
    });
    const row = dues.data.data.find((x: { student_id: string }) => x.student_id === s.id);
    assert.equal(row.total_credited, '5.00');
    assert.equal(row.balance, '295.00');
    assert.equal(
      Number(row.total_charged) -
        Number(row.total_paid) +
        Number(row.total_refunded) -
        Number(row.total_credited),
      Number(row.balance),
    );
  });
});
