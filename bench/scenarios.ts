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
  api: ApiProcess;
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

/** Issues one request with SQL tracing on and returns the response plus the statements it ran. */
export async function capture(ctx: Ctx, path: string, init: RequestInit = {}) {
  writeFileSync(ctx.traceFile, '');
  const res = await fetch(ctx.api.url + path, init);
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
  return {
    name,
    api,
    ceilings: [
      { label: 'HTTP', rps: http.rps, p99: http.p99 },
      { label: `DB (${sql.length} stmt${sql.length === 1 ? '' : 's'})`, rps: db.rps, p99: db.p99 },
    ],
    note: opts.note,
  };
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
  await read('student list (page 1)', '/api/v1/students?page_size=20', admin);
  await read('student detail', `/api/v1/students/${ids.student.id}`, admin);
  await read(
    'class roster (1,000 students)',
    `/api/v1/classes/${ids.bigClass.id}/students?page_size=100`,
    admin,
  );
  await read(
    'attendance summary (student)',
    `/api/v1/attendance/summary?student_id=${ids.student.id}`,
    admin,
  );
  await read('attendance defaulters', '/api/v1/attendance/defaulters?threshold=75&page_size=20', admin);
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
