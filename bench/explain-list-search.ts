/**
 * The plans of the list searches (`GET /students?search=`, and with the bench's department + status filter)
 * on PostgreSQL: EXPLAIN ANALYZE of the very statement the repository builds (page and capped count in one
 * statement). Point it at a bench database:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/registrar_bench_200000_x npx tsx bench/explain-list-search.ts
 *
 * `CAP=10000` counts up to the general cap instead (what a search did before SEARCH_COUNT_CAP).
 *
 * Recorded in docs/performance.md.
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { countLimit, pageWindow, SEARCH_COUNT_CAP } from '../src/kernel/pagination.js';
import { list } from '../src/modules/students/students.repo.js';
import type { StudentFilters } from '../src/modules/students/students.schemas.js';
import { students } from '../src/modules/students/students.table.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL (PostgreSQL).');
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
const pool = database.pool!;
const one = async (text: string) => (await pool.query(text)).rows[0]?.id as string;
try {
  const orgs = (await pool.query(`select id from organizations order by id`)).rows.map((r) => r.id as string);
  const dept = await one(`select id from departments where code = 'D3'`);
  const scope = sql`${students.organizationId} in (${sql.join(
    orgs.map((o) => sql`${o}`),
    sql`, `,
  )})`;
  const cases: Array<[string, StudentFilters]> = [
    ['dept+status+search garcia', { department_id: dept, student_status: 'active', search: 'garcia' }],
    ['search garcia', { search: 'garcia' }],
    ['search bs00012', { search: 'bs00012' }],
    ['search arcia 1', { search: 'arcia 1' }],
  ];
  const w = pageWindow({ page: 1, page_size: 20 });
  for (const [label, f] of cases) {
    captured = null;
    // The limit GET /students uses: a search counts up to SEARCH_COUNT_CAP (students.service listStudents);
    // CAP=10000 shows the plan with the count cap searches had before.
    const cap = process.env.CAP ? Number(process.env.CAP) : SEARCH_COUNT_CAP;
    const { rows, total } = await list(database.db, scope, f, w, countLimit(w, 'capped', cap));
    const q = captured as { query: string; params: unknown[] } | null;
    if (!q) throw new Error('no statement captured');
    const plan = await pool.query(`explain (analyze, buffers, costs off, timing off) ${q.query}`, q.params);
    console.log(`\n== ${label}: ${rows.length} rows, total ${total}`);
    // RUNS=n: the statement run n times in a row, median wall time (what the DB ceiling replays).
    const runs = Number(process.env.RUNS ?? 0);
    if (runs > 0) {
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await pool.query(q.query, q.params);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      console.log(`median ${ms[Math.floor(runs / 2)].toFixed(2)} ms over ${runs} runs`);
    }
    for (const r of plan.rows) console.log(r['QUERY PLAN']);
  }
} finally {
  await database.close();
}
