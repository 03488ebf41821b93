// npm run bench:import [-- --students 100000]
// Issue 14's import bench: a N-row student CSV imported through the API (upload + dry run, then commit, in
// a job above IMPORT_SYNC_COMMIT_ROWS) against COPY of the same rows into the same table (`students`) of
// another school, and the API process's RSS growth while it imports (streaming: it must not grow with N).
// Uses its own database `registrar_bench_import` (`registrar_bench_import_<BENCH_DB_SUFFIX>` when that is set) on the
// bench server (DATABASE_URL, like `npm run bench`).
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import copyStreams from 'pg-copy-streams';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { hashPassword } from '../src/kernel/auth/passwords.js';
import { arg, fmt, SERVER_URL, withClient } from './lib/common.js';
import { startApi } from './lib/procs.js';

const N = Number(arg('students', '5000'));
// BENCH_DB_SUFFIX (as in bench/lib/common.ts) names a checkout's own database: registrar_bench_import_<suffix>.
const suffix = process.env.BENCH_DB_SUFFIX;
if (suffix && !/^[a-z0-9_]{1,20}$/.test(suffix)) throw new Error('BENCH_DB_SUFFIX: up to 20 of a-z, 0-9, _');
const dbName = suffix ? `registrar_bench_import_${suffix}` : 'registrar_bench_import';
const url = (() => {
  const u = new URL(SERVER_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

console.log(`Import bench: ${fmt(N)} students into ${dbName}`);
await withClient(SERVER_URL, async (c) => {
  await c.query(`drop database if exists ${dbName} with (force)`);
  await c.query(`create database ${dbName}`);
});
const database = await openDatabase({ databaseUrl: url, dataDir: null, poolMax: 2 });
await runMigrations(database);
await database.close();

// A district with two schools (the API imports into A, COPY loads B) and an admin of the district.
const password = randomBytes(12).toString('base64url');
const ids = { district: randomUUID(), a: randomUUID(), b: randomUUID(), admin: randomUUID() };
await withClient(url, async (c) => {
  await c.query(
    `insert into organizations (id, parent_id, kind, name, code, path) values
       ($1, null, 'district', 'Bench District', 'BD', $4),
       ($2, $1, 'school', 'Bench School A', 'BA', $5),
       ($3, $1, 'school', 'Bench School B', 'BB', $6)`,
    [
      ids.district,
      ids.a,
      ids.b,
      `/${ids.district}/`,
      `/${ids.district}/${ids.a}/`,
      `/${ids.district}/${ids.b}/`,
    ],
  );
  await c.query(
    `insert into users (id, username, email, full_name, organization_id, password_hash, password_changed_at)
     values ($1, 'bench.importer', 'bench.importer@example.test', 'Bench Importer', $2, $3, now())`,
    [ids.admin, ids.district, await hashPassword(password)],
  );
  await c.query(
    `insert into role_assignments (id, user_id, role, organization_id) values (gen_random_uuid(), $1, 'admin', $2)`,
    [ids.admin, ids.district],
  );
});

// The file: N rows, the columns a district's SIS export has.
const HEADER =
  'student_number,first_name,last_name,email,phone,date_of_birth,gender,grade_level,admission_date';
const row = (i: number) =>
  `S${String(i).padStart(7, '0')},First${i},Last${i % 5000},s${i}@bench.example.test,+1 555 ${String(i % 10000).padStart(4, '0')},` +
  `20${String(10 + (i % 8)).padStart(2, '0')}-0${(i % 9) + 1}-1${i % 10},${i % 2 ? 'female' : 'male'},${(i % 12) + 1},2026-08-2${i % 10}`;
const file = join(tmpdir(), `registrar-import-bench-${process.pid}.csv`);
await pipeline(
  Readable.from(
    (function* () {
      yield `${HEADER}\n`;
      for (let i = 1; i <= N; i++) yield `${row(i)}\n`;
    })(),
  ),
  createWriteStream(file),
);

const api = await startApi(url);
try {
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench.importer', password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const token = (await login.json()).data.access_token as string;
  const auth = { authorization: `Bearer ${token}` };

  const rssBefore = api.rss().current;
  let rssPeak = rssBefore;
  const poll = setInterval(() => {
    rssPeak = Math.max(rssPeak, api.rss().current);
  }, 20);
  const t0 = performance.now();
  const form = new FormData();
  form.set('target', 'students');
  form.set('organization_id', ids.a);
  form.set('file', await openAsBlob(file), 'students.csv');
  const up = await fetch(`${api.url}/api/v1/imports`, { method: 'POST', headers: auth, body: form });
  if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${await up.text()}`);
  const dry = (await up.json()).data;
  const tDry = performance.now();
  const rssPeakDry = rssPeak;
  if (dry.summary.create !== N) throw new Error(`dry run: ${dry.summary.create} creates, expected ${N}`);
  const commit = await fetch(`${api.url}/api/v1/imports/${dry.id}/commit`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'valid_only' }),
  });
  if (commit.status !== 200 && commit.status !== 202) {
    throw new Error(`commit failed: ${commit.status} ${await commit.text()}`);
  }
  let state = (await commit.json()).data.state as string;
  while (state === 'committing') {
    await new Promise((r) => setTimeout(r, 100));
    const g = await fetch(`${api.url}/api/v1/imports/${dry.id}`, { headers: auth });
    state = (await g.json()).data.state;
  }
  const apiMs = performance.now() - t0;
  clearInterval(poll);
  if (state !== 'committed') throw new Error(`import ended ${state}`);

  // COPY of the same rows into the same table, for school B (ids generated like the API does).
  const copyMs = await withClient(url, async (c) => {
    const t = performance.now();
    const stream = c.query(
      copyStreams.from(
        `COPY students (id, organization_id, student_number, first_name, last_name, email, phone, date_of_birth,
                        gender, grade_level, admission_date) FROM STDIN WITH (FORMAT csv)`,
      ),
    );
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 1; i <= N; i++) yield `${randomUUID()},${ids.b},${row(i)}\n`;
        })(),
      ),
      stream,
    );
    return performance.now() - t;
  });
  const counts = await withClient(url, async (c) => {
    const r = await c.query(
      `select organization_id, count(*)::int n from students where organization_id in ($1, $2) group by 1`,
      [ids.a, ids.b],
    );
    return Object.fromEntries(r.rows.map((x) => [x.organization_id, x.n]));
  });
  if (counts[ids.a] !== N || counts[ids.b] !== N) throw new Error(`row counts: ${JSON.stringify(counts)}`);

  const rate = (ms: number) => (N / ms) * 1000;
  console.log(`  API  upload + dry run ${fmt(tDry - t0)} ms, commit ${fmt(apiMs - (tDry - t0))} ms`);
  console.log(`  API  import total     ${fmt(apiMs)} ms  ${fmt(rate(apiMs))} rows/s`);
  console.log(`  COPY same rows        ${fmt(copyMs)} ms  ${fmt(rate(copyMs))} rows/s`);
  console.log(`  ratio to COPY         ${(copyMs / apiMs).toFixed(3)}  (target ≥ 0.3)`);
  console.log(
    `  API RSS               ${fmt(rssBefore)} MiB before, peak ${fmt(rssPeak)} MiB: +${fmt(rssPeak - rssBefore)} MiB (target < 100)`,
  );
  console.log(
    `  API RSS by phase      peak +${fmt(rssPeakDry - rssBefore)} MiB by the end of upload + dry run`,
  );
} finally {
  await api.stop();
  rmSync(file, { force: true });
}
