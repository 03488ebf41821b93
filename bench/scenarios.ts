import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { arg } from './lib/common.js';
import { drive, type Figure, replay, type Statement } from './lib/measure.js';
import type { ApiProcess } from './lib/procs.js';
import { exportScenario } from './scenarios-export.js';
import { gradeScenarios } from './scenarios-grades.js';
import { oneRosterScenario } from './scenarios-oneroster.js';
import { writeScenarios } from './scenarios-write.js';

export interface Ctx {
  /** The measured API: SQL tracing off. */
  api: ApiProcess;
  /** The same API with REGISTRAR_SQL_TRACE on, for the capture pass only (never measured). */
  traced: ApiProcess;
  ceiling: { url: string };
  dbUrl: string;
  creds: { adminUsername: string; password: string };
  n: number;
  duration: number;
  connections: number;
  traceFile: string;
}

/** One line of the result table. `ceilings` holds each limit measured for this figure. */
export interface Row {
  name: string;
  api: Figure | null;
  ceilings: Array<{ label: string; rps: number; p99?: number }>;
  note?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function readTrace(file: string): Statement[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Statement);
}

/**
 * Issues one request to the traced API process and returns the response plus the statements it ran. The
 * session's actor is loaded first (GET /auth/me), so the capture shows what a request costs once its
 * session is warm, as in the measurement (the actor cache: kernel/auth/actor-cache.ts).
 */
export async function capture(ctx: Ctx, path: string, init: RequestInit = {}) {
  const auth = new Headers(init.headers).get('authorization');
  if (auth)
    await (await fetch(`${ctx.traced.url}/api/v1/auth/me`, { headers: { authorization: auth } })).text();
  await sleep(30);
  writeFileSync(ctx.traceFile, '');
  const res = await fetch(ctx.traced.url + path, init);
  const body = await res.text();
  await sleep(30);
  return { res, body, stmts: readTrace(ctx.traceFile) };
}

export async function login(ctx: Ctx, username: string, password: string): Promise<string> {
  const res = await fetch(`${ctx.api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`bench login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as any).data.access_token;
}

/** A read endpoint against its HTTP ceiling (same body from memory) and DB ceiling (same SQL replayed). */
export async function readScenario(
  ctx: Ctx,
  name: string,
  path: string,
  token: string,
  opts: {
    selectsOnly?: boolean;
    note?: string;
    method?: 'GET' | 'POST';
    body?: string;
    headers?: Record<string, string>;
    /**
     * The one-statement ceiling: the single minimal query returning the same rows for the same actor. Without
     * it, the endpoint's captured SELECTs folded into one statement (`combined`): one round trip, same SQL.
     */
    minimal?: Statement;
  } = {},
): Promise<Row> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
  if (opts.body) headers['content-type'] = 'application/json';
  const { res, body, stmts } = await capture(ctx, path, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body,
  });
  if (!res.ok) {
    const why =
      res.status === 503 ? 'one request exceeds the 15 s statement timeout at this size' : body.slice(0, 120);
    return { name, api: null, ceilings: [], note: `not measured: ${res.status} ${why}` };
  }
  const key = name.replace(/\W+/g, '-');
  await fetch(`${ctx.ceiling.url}/__set/${key}`, {
    method: 'PUT',
    headers: {
      'x-body-type': res.headers.get('content-type') ?? 'application/json',
      'content-type': 'text/plain',
    },
    body,
  });
  const api = await drive(
    { url: ctx.api.url + path, method: opts.method, headers, body: opts.body },
    ctx.connections,
    ctx.duration,
  );
  const http = await drive(
    { url: `${ctx.ceiling.url}/c/${key}`, method: opts.method, body: opts.body },
    ctx.connections,
    ctx.duration,
  );
  const sql = opts.selectsOnly ? stmts.filter((s) => /^\s*select/i.test(s.query)) : stmts;
  const db = await replay(ctx.dbUrl, sql, ctx.connections, ctx.duration);
  const selects = stmts.filter((s) => /^\s*(select|with)\b/i.test(s.query));
  const one = opts.minimal ?? (selects.length ? combined(selects) : null);
  const single = one ? await replay(ctx.dbUrl, [one], ctx.connections, ctx.duration) : null;
  return {
    name,
    api,
    ceilings: [
      { label: 'HTTP', rps: http.rps, p99: http.p99 },
      { label: `DB (${sql.length} stmt${sql.length === 1 ? '' : 's'})`, rps: db.rps, p99: db.p99 },
      ...(single && single.errors === 0
        ? [
            {
              label: opts.minimal ? '1 stmt (minimal)' : `1 stmt (${selects.length} folded)`,
              rps: single.rps,
              p99: single.p99,
            },
          ]
        : []),
    ],
    note: opts.note,
  };
}

/**
 * Statements as ONE statement (one round trip): each SELECT's rows as a JSON array column, parameters
 * renumbered. The fallback one-statement ceiling of an endpoint without a hand-written minimal query.
 */
export function combined(stmts: Statement[]): Statement {
  if (stmts.length === 1) return stmts[0];
  let offset = 0;
  const params: unknown[] = [];
  const parts: string[] = [];
  for (const st of stmts) {
    const shift = offset;
    const text = st.query.replace(/\$(\d+)/g, (_m, d) => `$${Number(d) + shift}`);
    parts.push(`(select coalesce(json_agg(t), '[]') from (${text}) t)`);
    params.push(...st.params);
    offset += st.params.length;
  }
  return { query: `select ${parts.join(', ')}`, params };
}

/** The columns of a student as GET /students answers them. */
const STUDENT_COLS = `id, organization_id, user_id, student_number, first_name, last_name, email, phone,
  date_of_birth, gender, department_id, program_id, batch_year, semester, grade_level, category, roll_no,
  address, admission_date, student_status, (photo_key is not null) as has_photo, created_at, updated_at`;

/**
 * Hand-written one-statement ceilings: for the bench admin (organization ids of its subtree `$orgs`), the
 * single minimal query that returns the rows the endpoint returns, with its capped count where it has one.
 */
export function minimalQueries(ids: Awaited<ReturnType<typeof pick>>, orgs: string[]) {
  const orgMatch = (t: string) =>
    orgs.length === 1 ? `${t}.organization_id = $1::uuid` : `${t}.organization_id = any($1::uuid[])`;
  return {
    detail: {
      query: `select ${STUDENT_COLS} from students where id = $1 and deleted_at is null and organization_id = any($2::uuid[])`,
      params: [ids.student.id, orgs],
    },
    listPage1: {
      query: `select ${STUDENT_COLS},
          (select count(*) from (select 1 from students where deleted_at is null and organization_id = any($1::uuid[]) limit 10001) c) as total
        from students where deleted_at is null and organization_id = any($1::uuid[])
       order by last_name, first_name, id limit 20`,
      params: [orgs],
    },
    roster: {
      query: `select e.id as enrollment_id, s.id as student_id, s.student_number, s.first_name, s.last_name, s.email,
          e.status, e.enrolled_at, e.dropped_at,
          (select count(*) from enrollments where class_id = $1 and status = 'enrolled') as total
        from enrollments e join students s on s.id = e.student_id
       where e.class_id = $1 and e.status = 'enrolled'
       order by e.student_last_name, e.student_first_name, e.id limit 100`,
      params: [ids.bigClass.id],
    },
    // The best single statement: one organization compared with `=` (not `= any(array)`), so the page is
    // read in percentage order from attendance_tallies_org_pct_idx and stops at 20, as the endpoint's is.
    defaulters: {
      query: `select r.student_id, st.student_number, st.roll_no, st.first_name || ' ' || st.last_name as student_name,
          r.class_id, c.name as class_name, r.present + r.absent + r.late + r.excused as total, r.present, r.absent,
          r.late, r.excused, round(r.percentage, 2)::float8 as percentage,
          (select count(*) from (select 1 from attendance_tallies t where ${orgMatch('t')}
             and t.percentage < 75 limit 10001) n) as total_rows
        from attendance_tallies r join students st on st.id = r.student_id join classes c on c.id = r.class_id
       where ${orgMatch('r')} and r.percentage < 75
       order by r.percentage, r.student_id, r.class_id limit 20`,
      params: [orgs.length === 1 ? orgs[0] : orgs],
    },
  };
}

/** The organization ids of the subtrees where `username` is an admin (the scope the API folds into it). */
export async function adminOrgs(dbUrl: string, username: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const r = await c.query(
      `select coalesce(array_agg(distinct o.id), '{}') as ids from users u
         join role_assignments ra on ra.user_id = u.id and ra.role = 'admin'
         join organizations g on g.id = ra.organization_id
         join organizations o on o.path like g.path || '%'
        where u.username = $1`,
      [username],
    );
    return r.rows[0].ids as string[];
  } finally {
    await c.end();
  }
}

export async function pick(dbUrl: string) {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const one = async (q: string) => (await c.query(q)).rows[0];
    return {
      student: await one(`select id, user_id from students where student_number = 'BS0000042'`),
      bigClass: await one(`select id from classes where name = 'BIG-ROSTER'`),
      department: await one(`select id from departments where code = 'D3'`),
      org: await one(`select id from organizations where code = 'BU'`),
    };
  } finally {
    await c.end();
  }
}

/** `--only a,b`: run only the figures whose names start with one of these (and write no README). */
export const only = arg('only', '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);

export async function runScenarios(ctx: Ctx): Promise<Row[]> {
  const ids = await pick(ctx.dbUrl);
  const admin = await login(ctx, ctx.creds.adminUsername, ctx.creds.password);
  const minimal = minimalQueries(ids, await adminOrgs(ctx.dbUrl, ctx.creds.adminUsername));
  const rows: Row[] = [];
  const log = (r: Row) => {
    rows.push(r);
    console.log(
      `  ${r.name.padEnd(34)} ${r.api ? `${r.api.rps.toFixed(0).padStart(6)} req/s p99 ${r.api.p99} ms` : ''} ${r.note ?? ''}`,
    );
  };
  const want = (name: string) => only.length === 0 || only.some((o) => name.startsWith(o));
  const read = async (
    name: string,
    path: string,
    token: string,
    opts?: Parameters<typeof readScenario>[4],
  ) => {
    if (want(name)) log(await readScenario(ctx, name, path, token, opts));
  };
  await read('login', '/api/v1/auth/login', '', {
    method: 'POST',
    body: JSON.stringify({ username: 'bs42', password: ctx.creds.password }),
    selectsOnly: true,
    note: 'argon2id verify dominates; DB ceiling = its SELECTs',
  });
  await read(
    'student list (dept+status+search)',
    `/api/v1/students?department_id=${ids.department.id}&student_status=active&search=garcia&page_size=20`,
    admin,
  );
  // A login looked up by its email: one match at every size, found through the trigram indexes.
  await read('user search', '/api/v1/users?search=bs4242%40bench&page_size=20', admin);
  await read('student list (page 1)', '/api/v1/students?page_size=20', admin, { minimal: minimal.listPage1 });
  await read('student detail', `/api/v1/students/${ids.student.id}`, admin, { minimal: minimal.detail });
  await read(
    'class roster (1,000 students)',
    `/api/v1/classes/${ids.bigClass.id}/students?page_size=100`,
    admin,
    { minimal: minimal.roster },
  );
  await read(
    'attendance summary (student)',
    `/api/v1/attendance/summary?student_id=${ids.student.id}`,
    admin,
  );
  await read('attendance defaulters', '/api/v1/attendance/defaulters?threshold=75&page_size=20', admin, {
    minimal: minimal.defaulters,
  });
  await read('dashboard', '/api/v1/analytics/dashboard', admin);
  await read('trends (12 months)', '/api/v1/analytics/trends?months=12', admin);
  await read('district view', `/api/v1/analytics/district/${ids.org.id}`, admin, {
    note: 'the bench university has no child organizations: the view is its total',
  });
  if (want('oneroster')) for (const r of await oneRosterScenario(ctx, admin, ids.org.id)) log(r);
  // `--only grades` runs the gradebook figures (marks entry, transcript, gradebook).
  if (only.length === 0 || only.includes('grades')) {
    for (const r of await gradeScenarios(ctx, admin, ids)) log(r);
  }
  if (only.length) return rows;
  for (const r of await writeScenarios(ctx, admin, ids)) log(r);
  for (const r of await exportScenario(ctx, admin)) log(r);
  return rows;
}
