import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { executePrepared } from '../src/db/client.js';
import { type App, buildTestApp, isPostgres } from './helpers/app.js';

describe('db: executePrepared', () => {
  let app: App;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  it('should answer like db.execute, with parameters, arrays and NULLs', async () => {
    const q = (n: number) =>
      sql`select ${n}::int as n, cardinality(${sql.param(['a', null, 'c'])}::text[]) as len, ${null}::text as nothing`;
    for (const n of [1, 2, 3]) {
      const res = await executePrepared(app.deps.db, q(n));
      assert.deepEqual(res.rows, [{ n, len: 3, nothing: null }]);
    }
  });

  it('should run as one named statement per text on PostgreSQL (parsed and planned once per connection)', async () => {
    const names = await app.deps.db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) await executePrepared(tx, sql`select ${n}::int + 1 as m`);
      await executePrepared(tx, sql`select ${4}::int + 2 as m`);
      const res = await tx.execute(sql`
        select name, statement from pg_prepared_statements where statement like '%::int + %' order by name`);
      return (res as any).rows as Array<{ name: string; statement: string }>;
    });
    if (!isPostgres()) {
      assert.deepEqual(names, [], 'PGlite runs it as a plain execute');
      return;
    }
    assert.equal(names.length, 2, 'one prepared statement per distinct text');
    assert.ok(names.every((r) => /^r_[0-9a-f]{20}$/.test(r.name)));
  });

  it('should fall back to plain execute with DATABASE_PREPARED_STATEMENTS=false (poolers without them)', async () => {
    const plain = await buildTestApp({ DATABASE_PREPARED_STATEMENTS: 'false' });
    try {
      const names = await plain.deps.db.transaction(async (tx) => {
        const res = await executePrepared(tx, sql`select ${5}::int + 3 as m`);
        assert.deepEqual(res.rows, [{ m: 8 }]);
        const ps = await tx.execute(
          sql`select name from pg_prepared_statements where statement like '%::int + 3%'`,
        );
        return (ps as any).rows;
      });
      assert.deepEqual(names, [], 'no named statement');
    } finally {
      await plain.close();
    }
  });
});
