/**
 * Rate of POST /attendance/bulk (whole request: auth, validation, roster resolution, freeze check, upsert,
 * audit) against a plain multi-row INSERT of the same rows into the same table. Runs on DATABASE_URL
 * (PostgreSQL) or, without it, on in-memory PGlite.
 *
 *   DATABASE_URL=postgres://… BENCH_N=10000 BENCH_ROUNDS=3 npx tsx bench/attendance-bulk.ts
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { uuidv7 } from '../src/kernel/ids.js';
import { makeClass } from '../test/helpers/academic.js';
import { call, uniq } from '../test/helpers/app.js';
import { makeUser, makeWorld } from '../test/helpers/factories.js';
import { median } from './lib/common.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const app = await buildApp(
  loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: ':memory:',
      JWT_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_MAX: '100000',
      LOG_LEVEL: 'silent',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    { dataDir: null },
  ),
);
const db = app.deps.db;
const rows = (r: unknown) => (r as { rows: any[] }).rows;

try {
  const w = await makeWorld(app, 'school');
  const admin = await makeUser(app, w.org, 'admin');
  const cls = await makeClass(app, w.org, { name: 'Bench' });
  const tag = uniq('BN');
  await db.execute(sql`
    with s as (
      insert into students (id, organization_id, student_number, first_name, last_name, email, roll_no)
      select gen_random_uuid(), ${w.org.id}, ${tag} || '-' || g, 'Bench', 'Student ' || g, ${tag} || g || '@x.test',
             ${tag} || '/' || lpad(g::text, 6, '0')
        from generate_series(1, ${N}) g returning id)
    insert into enrollments (id, organization_id, student_id, class_id)
    select gen_random_uuid(), ${w.org.id}, s.id, ${cls.id} from s`);
  await db.execute(sql`analyze students`).catch(() => {});
  await db.execute(sql`analyze enrollments`).catch(() => {});
  const roster = rows(await db.execute(sql`select student_id from enrollments where class_id = ${cls.id}`));
  const records = roster.map((r, i) => ({
    student_id: r.student_id as string,
    status: i % 9 ? 'present' : 'absent',
  }));

  const dayOf = (k: number) => new Date(Date.UTC(2030, 0, 1 + k)).toISOString().slice(0, 10);
  const bulkMs: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const t0 = performance.now();
    const res = await call(app, 'POST', '/api/v1/attendance/bulk', {
      token: admin.token,
      body: { class_id: cls.id, date: dayOf(k), records },
    });
    bulkMs.push(performance.now() - t0);
    if (res.statusCode !== 200 || res.data.data.created !== N)
      throw new Error(`bulk failed: ${res.body.slice(0, 300)}`);
  }

  // Baseline: the same rows with a plain multi-row INSERT (chunked under the 65,535-parameter limit), one
  // transaction, into a fresh session per round; no roster check, no upsert, no audit.
  const plainMs: number[] = [];
  const CHUNK = 5000;
  for (let k = 0; k < ROUNDS; k++) {
    const date = dayOf(100 + k);
    const sessionId = uuidv7();
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into attendance_sessions (id, organization_id, class_id, session_date)
                           values (${sessionId}, ${w.org.id}, ${cls.id}, ${date})`);
      for (let i = 0; i < records.length; i += CHUNK) {
        const part = records.slice(i, i + CHUNK);
        const values = sql.join(
          part.map(
            (r) =>
              sql`(${uuidv7()}, ${sessionId}, ${r.student_id}, ${cls.id}, ${w.org.id}, ${date}, ${r.status}, ${admin.id})`,
          ),
          sql`, `,
        );
        await tx.execute(sql`insert into attendance_records (id, session_id, student_id, class_id, organization_id,
                               attendance_date, status, marked_by) values ${values}`);
      }
    });
    plainMs.push(performance.now() - t0);
  }

  const bulk = median(bulkMs);
  const plain = median(plainMs);
  const rate = (ms: number) => Math.round((N / ms) * 1000);
  const out = {
    database: app.deps.database.kind,
    records_per_request: N,
    rounds: ROUNDS,
    bulk_endpoint_ms_median: Math.round(bulk),
    bulk_endpoint_records_per_s: rate(bulk),
    plain_insert_ms_median: Math.round(plain),
    plain_insert_records_per_s: rate(plain),
    ratio_bulk_to_plain: Number((plain / bulk).toFixed(2)),
    bulk_ms_all: bulkMs.map(Math.round),
    plain_ms_all: plainMs.map(Math.round),
  };
  console.log(JSON.stringify(out, null, 2));
} finally {
  await app.close();
}
