import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Server URL (any database on it); the bench databases are `registrar_bench_<N>` on that server. */
export const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * `registrar_bench_<N>`, or `registrar_bench_<N>_<BENCH_DB_SUFFIX>` when that is set, so that two checkouts
 * can each run the bench on their own copy (`createdb -T registrar_bench_200000 registrar_bench_200000_mine`).
 */
export function benchDbName(students: number): string {
  const suffix = process.env.BENCH_DB_SUFFIX;
  if (suffix && !/^[a-z0-9_]{1,20}$/.test(suffix))
    throw new Error('BENCH_DB_SUFFIX: up to 20 of a-z, 0-9, _');
  return suffix ? `registrar_bench_${students}_${suffix}` : `registrar_bench_${students}`;
}

export function benchDbUrl(students: number): string {
  const u = new URL(SERVER_URL);
  u.pathname = `/${benchDbName(students)}`;
  return u.toString();
}

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : def;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const CRED_FILE = fileURLToPath(new URL('../.credentials.json', import.meta.url));

/** Bench logins are generated per dataset and kept out of git (bench/.credentials.json). */
export function saveCredentials(students: number, creds: { adminUsername: string; password: string }) {
  const all = existsSync(CRED_FILE) ? JSON.parse(readFileSync(CRED_FILE, 'utf8')) : {};
  all[String(students)] = creds;
  writeFileSync(CRED_FILE, JSON.stringify(all, null, 2), { mode: 0o600 });
}

export function loadCredentials(students: number): { adminUsername: string; password: string } {
  if (!existsSync(CRED_FILE))
    throw new Error(`No bench data: run npm run bench:data -- --students ${students}`);
  const c = JSON.parse(readFileSync(CRED_FILE, 'utf8'))[String(students)];
  if (!c) throw new Error(`No bench data for ${students}: run npm run bench:data -- --students ${students}`);
  return c;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The middle value of a set of samples (the upper middle for an even count). */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
