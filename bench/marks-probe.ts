// Marks entry A/B probe (not part of `npm run bench`): POST /assessments/{id}/marks for the bench's 40-student
// classes through the API of this checkout and, with BASE_DIR=<another checkout, e.g. `git archive` of the
// base commit with node_modules linked>, of that one too, alternating with a plain multi-row INSERT, and the
// CPU per request of each side (API process, PostgreSQL backends, autocannon) from /proc.
//   BENCH_DB_SUFFIX=x [BASE_DIR=…] [ROUNDS=2 SECS=6 PROF=<dir for --cpu-prof>] npx tsx bench/marks-probe.ts
// Use a fresh copy of registrar_bench_10000 (autovacuum is off there: each run leaves dead versions behind).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchDbUrl, loadCredentials } from './lib/common.js';
import { drive } from './lib/measure.js';
import { freePort } from './lib/procs.js';

const n = 10000;
const dbUrl = benchDbUrl(n);
const creds = loadCredentials(n);
const secs = Number(process.env.SECS ?? 6);
const rounds = Number(process.env.ROUNDS ?? 2);
const root = fileURLToPath(new URL('..', import.meta.url));

async function start(cwd: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROF}`] : []),
      '--import',
      'tsx',
      'src/server.ts',
    ],
    {
      cwd,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: dbUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        JWT_SECRET: 'probe-marksfast-not-a-real-secret-0123456789abcdef',
        RATE_LIMIT_MAX: '1000000000',
        RATE_LIMIT_AUTH_MAX: '1000000000',
        DATABASE_POOL_MAX: '10',
        DATABASE_STATEMENT_TIMEOUT_MS: '15000',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

const c = new pg.Client({ connectionString: dbUrl });
await c.connect();
const { rows: classes } = await c.query(
  `select cl.id as class_id, cl.organization_id, a.id as assessment_id,
          array_agg(e.student_id order by e.student_id) as students
     from (select id, organization_id from classes where name <> 'BIG-ROSTER' order by name limit 200) cl
     join assessments a on a.class_id = cl.id and a.name = 'Bench entry'
     join enrollments e on e.class_id = cl.id and e.status = 'enrolled'
    group by cl.id, cl.organization_id, a.id`,
);
await c.end();
const markOf = (j: number, v: number) => (j * 7 + v * 13) % 51;
const body = (cl: any, v: number) =>
  JSON.stringify({
    marks: cl.students.map((s: string, j: number) => ({ student_id: s, marks: markOf(j, v) })),
  });
const ticks = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
};
const pgPids = async () => {
  const cc = new pg.Client({ connectionString: dbUrl });
  await cc.connect();
  const { rows } = await cc.query(
    `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  await cc.end();
  return rows.map((r: any) => r.pid as number);
};
const pgCpu = (pids: number[]) => pids.reduce((a, p) => a + ticks(p), 0);
const self = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const servers: Array<[string, Awaited<ReturnType<typeof start>>]> = [];
if (process.env.BASE_DIR) servers.push(['base', await start(process.env.BASE_DIR)]);
servers.push(['new', await start(root)]);
try {
  const tokens = new Map<string, string>();
  for (const [name, api] of servers) {
    const lr = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: creds.adminUsername, password: creds.password }),
    });
    tokens.set(name, ((await lr.json()) as any).data.access_token);
    const one = await fetch(`${api.url}/api/v1/assessments/${classes[0].assessment_id}/marks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(name)}`, 'content-type': 'application/json' },
      body: body(classes[0], 7),
    });
    console.log(name, 'probe', one.status, (await one.text()).slice(0, 200));
  }
  for (let r = 0; r < rounds; r++) {
    const out: Record<string, number> = {};
    for (const [name, api] of servers) {
      const auth = { authorization: `Bearer ${tokens.get(name)}`, 'content-type': 'application/json' };
      let seq = 0;
      const pids0 = await pgPids();
      const a0 = ticks(api.pid);
      const pg0 = pgCpu(pids0);
      const s0 = self();
      const a = await drive(
        {
          url: `${api.url}/api/v1/assessments/${classes[0].assessment_id}/marks`,
          method: 'POST',
          headers: auth,
          requests: [
            {
              method: 'POST',
              setupRequest: (req: any) => {
                const k = seq++;
                const cl = classes[Math.floor(k / 2) % classes.length];
                return {
                  ...req,
                  path: `/api/v1/assessments/${cl.assessment_id}/marks`,
                  body: body(cl, k % 2),
                };
              },
            },
          ],
        },
        10,
        secs,
      );
      const pids1 = await pgPids();
      const reqs = a.rps * secs;
      console.log(
        `  ${name}: ${a.rps.toFixed(0)} req/s err ${a.errors} p99 ${a.p99}; node ${((ticks(api.pid) - a0) / reqs).toFixed(2)} ms/req, pg ${((pgCpu(pids1) - pg0) / reqs).toFixed(2)}, autocannon ${((self() - s0) / reqs).toFixed(2)}`,
      );
      out[name] = a.rps;
    }
    const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
    const cs = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
    const ppids = (await Promise.all(cs.map((x) => x.query('select pg_backend_pid() as p')))).map(
      (x) => x.rows[0].p as number,
    );
    const pp0 = pgCpu(ppids);
    const s1 = self();
    let kk = 0;
    let done = 0;
    const until = Date.now() + secs * 1000;
    await Promise.all(
      cs.map(async (cl2) => {
        while (Date.now() < until) {
          const k = kk++;
          const cl = classes[Math.floor(k / 2) % classes.length];
          const values = cl.students
            .map(
              (_: string, j: number) =>
                `(gen_random_uuid(), $1, $2, $${j + 4}, $3, ${markOf(j, k % 2)}, 'scored')`,
            )
            .join(',');
          await cl2.query(
            `insert into assessment_marks (id, organization_id, assessment_id, student_id, class_id, marks, state)
         values ${values} on conflict (assessment_id, student_id) do update
            set marks = excluded.marks, state = excluded.state, version = assessment_marks.version + 1, updated_at = now()`,
            [cl.organization_id, cl.assessment_id, cl.class_id, ...cl.students],
          );
          done++;
        }
      }),
    );
    const ppMs = pgCpu(ppids) - pp0;
    for (const x of cs) x.release();
    await pool.end();
    console.log(
      `  plain: ${(done / secs).toFixed(0)}/s; pg ${(ppMs / done).toFixed(2)} ms/call, client ${((self() - s1) / done).toFixed(2)}`,
    );
    console.log(
      `round ${r}: ${Object.entries(out)
        .map(([k, v]) => `${k} ${(v / (done / secs)).toFixed(2)}`)
        .join(', ')}`,
    );
  }
} finally {
  for (const [, api] of servers) await api.stop();
}
