/**
 * The plans of the student search (GET /students/search) on PostgreSQL: prints EXPLAIN ANALYZE of the very
 * statement the repository builds, for a prefix term with many matches, a number prefix and a substring
 * that matches no prefix. Point it at a database with many students in one organization, e.g.:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/registrar_bench_200000 ORG_ID=<uuid> npx tsx bench/explain-search.ts
 *
 * Recorded in docs/performance.md.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { search } from '../src/modules/students/students.repo.js';
import { students } from '../src/modules/students/students.table.js';

const url = process.env.DATABASE_URL;
const orgId = process.env.ORG_ID;
if (!url || !orgId) {
  console.error('Set DATABASE_URL (PostgreSQL) and ORG_ID (an organization with many students).');
  process.exit(2);
}
let captured: { query: string; params: unknown[] } | null = null;
const database = await openDatabase({
  databaseUrl: url,
  dataDir: null,
  poolMax: 2,
  logQuery: (query, params) => {
    captured = { query, params };
  },
});
try {
  const scope = sql`${students.organizationId} = ${orgId}`;
  for (const term of (process.env.TERMS ?? 'garcia,es00012,arcia').split(',')) {
    const rows = await search(database.db, scope, term, 20);
    const q = captured as { query: string; params: unknown[] } | null;
    if (!q) throw new Error('no statement captured');
    const plan = await database.pool!.query(`explain (analyze, costs off, timing off) ${q.query}`, q.params);
    console.log(`\n== search "${term}": ${rows.length} rows`);
    for (const r of plan.rows) console.log(r['QUERY PLAN']);
  }
} finally {
  await database.close();
}
