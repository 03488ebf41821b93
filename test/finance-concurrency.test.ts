import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { makeClass, makeCourse, makeStudent } from './helpers/academic.js';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { deskPay, dropWithHooks, enrollWithHooks, key, makeFinanceWorld } from './helpers/finance.js';

/** Runs `tasks` with at most `n` in flight. */
async function pool<T>(n: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}

// Full sizes on PostgreSQL (the acceptance test); PGlite is single-connection, so smaller sizes there.
const PG = isPostgres();

describe('finance under concurrency', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  it('should record exactly one payment per Idempotency-Key among 100 concurrent requests', async () => {
    const w = await makeFinanceWorld(app);
    await enrollWithHooks(app, w.student.id, w.cls);
    const total = PG ? 100 : 40;
    const keys = Array.from({ length: 20 }, () => key());
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        deskPay(app, w.staff.token, w.student.id, '5.00', keys[i % 20]),
      ),
    );
    for (const r of results) expectStatus(r, 201);
    const byKey = new Map<string, Set<string>>();
    results.forEach((r, i) => {
      const set = byKey.get(keys[i % 20]) ?? new Set();
      set.add(r.data.data.id);
      byKey.set(keys[i % 20], set);
    });
    assert.ok([...byKey.values()].every((s) => s.size === 1));
    const rows = await app.deps.db.execute(sql`
      select receipt_no from fee_payments where student_id = ${w.student.id} order by receipt_no`);
    assert.equal(rows.rows.length, 20);
    const year = new Date().getUTCFullYear();
    // Gapless receipt numbers: exactly 1..20 in this fresh organization.
    assert.deepEqual(
      rows.rows.map((r: any) => r.receipt_no),
      Array.from({ length: 20 }, (_, i) => `RCPT-${year}-${String(i + 1).padStart(6, '0')}`),
    );
    const fees = await call(app, 'GET', `/api/v1/students/${w.student.id}/fees`, { token: w.admin.token });
    assert.equal(fees.data.meta.summary.total_paid, '100.00');
  });

  it('should never refund more than a payment under concurrent refunds', async () => {
    const w = await makeFinanceWorld(app);
    await enrollWithHooks(app, w.student.id, w.cls);
    const p = (await deskPay(app, w.staff.token, w.student.id, '100.00')).data.data;
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        call(app, 'POST', '/api/v1/fee-payments/refund', {
          token: w.staff.token,
          headers: { 'idempotency-key': key() },
          body: { payment_id: p.id, amount: '7.00', reason: 'Concurrent refund' },
        }),
      ),
    );
    const ok = results.filter((r) => r.statusCode === 201).length;
    const refused = results.filter(
      (r) => r.statusCode === 422 && r.data.error.code === 'refund_exceeds_paid',
    ).length;
    assert.equal(ok, 14);
    assert.equal(refused, 11);
    const got = await call(app, 'GET', `/api/v1/fee-payments/${p.id}`, { token: w.admin.token });
    assert.equal(got.data.data.refunded_amount, '98.00');
    assert.equal(got.data.data.refundable_amount, '2.00');
  });

  it('should keep every balance equal to its ledger and report totals equal to ledger totals after a random mix', async () => {
    const w = await makeFinanceWorld(app);
    const nStudents = PG ? 100 : 20;
    const nClasses = PG ? 20 : 10;
    const nEnroll = PG ? 1000 : 120;
    const students = await pool(
      4,
      Array.from({ length: nStudents }, () => () => makeStudent(app, w.org)),
    );
    const classes = await pool(
      4,
      Array.from({ length: nClasses }, (_, i) => async () => {
        const c = await makeCourse(app, w.org, { feeMinor: 1000 + i * 2537 });
        return makeClass(app, w.org, { courseId: c.id });
      }),
    );
    // mulberry32: a small deterministic PRNG (integer math only, so no precision loss).
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    // "student:class" → the enrollment row once its op has run (drops await it).
    const active = new Map<string, Promise<any>>();
    // A re-enrollment waits for the previous drop of the same pair (one active enrollment per pair).
    const dropped = new Map<string, Promise<void>>();
    const payments: string[] = [];
    const ops: Array<() => Promise<unknown>> = [];
    let enrolls = 0;
    while (enrolls < nEnroll) {
      const roll = rnd(100);
      if (roll < 60) {
        const s = students[rnd(nStudents)];
        const c = classes[rnd(nClasses)];
        const k = `${s.id}:${c.id}`;
        if (active.has(k)) continue;
        enrolls++;
        const at = new Date(Date.now() - (rnd(2) ? 0 : 40) * 86400_000);
        let resolve!: (e: any) => void;
        active.set(k, new Promise((r) => (resolve = r)));
        const prevDrop = dropped.get(k);
        ops.push(async () => {
          await prevDrop;
          resolve(await enrollWithHooks(app, s.id, c, at));
        });
      } else if (roll < 70) {
        const keys = [...active.keys()];
        if (!keys.length) continue;
        const k = keys[rnd(keys.length)];
        const e = active.get(k)!;
        active.delete(k);
        let done!: () => void;
        dropped.set(k, new Promise((r) => (done = r)));
        ops.push(async () => {
          await dropWithHooks(app, await e);
          done();
        });
      } else if (roll < 88) {
        const s = students[rnd(nStudents)];
        const amt = `${1 + rnd(400)}.${String(rnd(100)).padStart(2, '0')}`;
        ops.push(async () => {
          const r = await deskPay(app, w.staff.token, s.id, amt);
          expectStatus(r, 201);
          payments.push(r.data.data.id);
        });
      } else if (roll < 95) {
        ops.push(async () => {
          if (!payments.length) return;
          const id = payments[rnd(payments.length)];
          const r = await call(app, 'POST', '/api/v1/fee-payments/refund', {
            token: w.staff.token,
            headers: { 'idempotency-key': key() },
            body: { payment_id: id, amount: `${1 + rnd(150)}.00`, reason: 'Random refund' },
          });
          assert.ok(r.statusCode === 201 || r.data.error.code === 'refund_exceeds_paid', r.body);
        });
      } else {
        const s = students[rnd(nStudents)];
        ops.push(async () => {
          const r = await call(app, 'POST', '/api/v1/finance/adjustments', {
            token: w.admin.token,
            body: {
              student_id: s.id,
              entry_type: rnd(2) ? 'concession' : 'waiver',
              amount: `${1 + rnd(50)}.00`,
              reason: 'Random grant',
            },
          });
          expectStatus(r, 201);
        });
      }
    }
    // Ops are generated in order; running them in small concurrent windows keeps drops after their enrollment.
    const window = PG ? 8 : 1;
    for (let i = 0; i < ops.length; i += window) await Promise.all(ops.slice(i, i + window).map((f) => f()));

    const led = await app.deps.db.execute(sql`
      select student_id, sum(amount_minor)::bigint as balance,
             coalesce(sum(amount_minor) filter (where entry_type in ('charge', 'late_fine')), 0)::bigint as charged,
             coalesce(-sum(amount_minor) filter (where entry_type = 'payment'), 0)::bigint as paid,
             coalesce(sum(amount_minor) filter (where entry_type = 'refund'), 0)::bigint as refunded,
             coalesce(-sum(amount_minor) filter (where entry_type in ('concession', 'waiver', 'reversal')), 0)::bigint as credited
        from ledger_entries where organization_id = ${w.org.id} group by student_id`);
    const ledger = new Map(led.rows.map((r: any) => [r.student_id, r]));
    const fmt = (m: number) => (m / 100).toFixed(2);
    for (const s of students) {
      const l: any = ledger.get(s.id) ?? { balance: 0 };
      const fees = await call(app, 'GET', `/api/v1/students/${s.id}/fees`, {
        token: w.admin.token,
        query: { page_size: 1 },
      });
      assert.equal(fees.data.meta.summary.balance, fmt(Number(l.balance)));
    }
    const sum = (f: string) => led.rows.reduce((a: number, r: any) => a + Number(r[f]), 0);
    const status = await call(app, 'GET', '/api/v1/finance/reports/status', { token: w.admin.token });
    const t = status.data.meta.totals[0];
    assert.equal(t.balance, fmt(sum('balance')));
    assert.equal(t.total_charged, fmt(sum('charged')));
    assert.equal(t.total_paid, fmt(sum('paid')));
    assert.equal(t.total_refunded, fmt(sum('refunded')));
    assert.equal(t.total_credited, fmt(sum('credited')));
    const owing = led.rows.filter((r: any) => Number(r.balance) > 0);
    const dues = await call(app, 'GET', '/api/v1/finance/dues', { token: w.admin.token });
    assert.equal(dues.data.meta.total, owing.length);
    assert.equal(
      dues.data.meta.totals[0]?.balance ?? '0.00',
      fmt(owing.reduce((a: number, r: any) => a + Number(r.balance), 0)),
    );
    const unpaid = await call(app, 'GET', '/api/v1/finance/unpaid-report', { token: w.admin.token });
    assert.equal(unpaid.data.meta.totals[0]?.balance ?? '0.00', dues.data.meta.totals[0]?.balance ?? '0.00');
    // No payment was ever refunded beyond its amount; the payment table agrees with the ledger.
    const over = await app.deps.db.execute(sql`
      select p.id from fee_payments p
       where p.organization_id = ${w.org.id}
         and p.amount_minor < (select coalesce(sum(amount_minor), 0) from ledger_entries r where r.payment_id = p.id and r.entry_type = 'refund')`);
    assert.equal(over.rows.length, 0);
    const paidTable = await app.deps.db.execute(
      sql`select coalesce(sum(amount_minor), 0)::bigint as p from fee_payments where organization_id = ${w.org.id}`,
    );
    assert.equal(Number((paidTable.rows[0] as any).p), sum('paid'));
    const charges = await app.deps.db.execute(sql`
      select count(*)::int as n from ledger_entries where organization_id = ${w.org.id} and enrollment_id is not null and entry_type = 'charge'`);
    assert.equal(Number((charges.rows[0] as any).n), nEnroll);
  });
});
