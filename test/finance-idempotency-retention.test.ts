import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { purgeIdempotencyKeys } from '../src/modules/finance/index.js';
import { type App, buildTestApp } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { deskPay, key, makeFinanceWorld } from './helpers/finance.js';

describe('Idempotency-Key retention', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp({ IDEMPOTENCY_RETENTION_HOURS: '24' });
  });
  after(() => app.close());

  const keyRows = async (k: string) =>
    (await app.deps.db.execute(sql`select id from idempotency_keys where key = ${k}`)).rows.length;

  it('should purge keys older than the retention, keep younger ones and every payment', async () => {
    const w = await makeFinanceWorld(app);
    const oldKey = key();
    const newKey = key();
    const first = await deskPay(app, w.staff.token, w.student.id, '10.00', oldKey);
    expectStatus(first, 201);
    expectStatus(await deskPay(app, w.staff.token, w.student.id, '10.00', newKey), 201);
    // Within the retention a retry replays.
    const replay = await deskPay(app, w.staff.token, w.student.id, '10.00', oldKey);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.data.data.id, first.data.data.id);

    await app.deps.db.execute(
      sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = ${oldKey}`,
    );
    const purged = await purgeIdempotencyKeys(app.deps.db, app.deps.config.idempotencyRetentionHours);
    assert.ok(purged >= 1, `purged ${purged}`);
    assert.equal(await keyRows(oldKey), 0);
    assert.equal(await keyRows(newKey), 1);
    const payments = await app.deps.db.execute(
      sql`select count(*)::int as n from fee_payments where student_id = ${w.student.id}`,
    );
    assert.deepEqual(payments.rows, [{ n: 2 }]);
    // After the retention the key is free: the same key is a new request.
    const later = await deskPay(app, w.staff.token, w.student.id, '10.00', oldKey);
    expectStatus(later, 201);
    assert.notEqual(later.data.data.id, first.data.data.id);
    assert.equal(later.headers['idempotent-replayed'], undefined);
  });

  it('should refuse a retention outside 1..720 hours', async () => {
    await assert.rejects(
      () => buildTestApp({ IDEMPOTENCY_RETENTION_HOURS: '0' }),
      /IDEMPOTENCY_RETENTION_HOURS/,
    );
  });
});
