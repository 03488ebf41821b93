import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type App, buildTestApp, call, isPostgres } from './helpers/app.js';
import { expectStatus } from './helpers/assert.js';
import { projectRoot } from './helpers/paths.js';

const root = projectRoot;

/** Runs `npm run seed:demo`'s script against a fresh PGlite DATA_DIR; resolves with its output. */
function seedDemo(dir: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: dir,
        DATABASE_URL: '',
        JWT_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The printed accounts table: fixed columns (ROLE 10, ORGANIZATION 44, NAME 22, USERNAME 24, PASSWORD). */
function accounts(out: string) {
  return out
    .split('\n')
    .filter((l) => /^(admin|staff|principal|faculty|student|parent)\s/.test(l))
    .map((l) => ({
      role: l.slice(0, 10).trim(),
      org: l.slice(10, 54).trim(),
      username: l.slice(76, 100).trim(),
      password: l.slice(100).trim(),
    }));
}

describe('seed:demo fills every screen', { skip: isPostgres() ? 'runs on a PGlite DATA_DIR' : false }, () => {
  let dir: string;
  let app: App;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'registrar-demo-'));
    const r = await seedDemo(dir);
    out = r.out;
    assert.equal(r.code, 0, out);
    app = await buildTestApp({ DATA_DIR: dir }, { dataDir: dir });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = async (role: string, org: RegExp) => {
    const a = accounts(out).find((x) => x.role === role && org.test(x.org));
    assert.ok(a, `a ${role} of ${org} in the printed accounts`);
    const res = await call(app, 'POST', '/api/v1/auth/login', {
      body: { username: a.username, password: a.password },
    });
    expectStatus(res, 200);
    return res.data.data.access_token as string;
  };

  it('prints what it made: fee charges, payments and three weeks of attendance', () => {
    const m = /course fee charges (\d+), payments (\d+), attendance roll calls (\d+) \((\d+) records/.exec(
      out,
    );
    assert.ok(m, out);
    const [charges, payments, sessions, records] = m.slice(1).map(Number);
    assert.ok(charges > 100 && payments > 50 && sessions > 100 && records > 1000, m[0]);
  });

  it('the finance desk has dues, payments and receipts; attendance reports have data', async () => {
    const token = await signIn('admin', /Northfield University/);
    const dues = await call(app, 'GET', '/api/v1/finance/dues', { token });
    expectStatus(dues, 200);
    assert.ok(dues.data.data.length > 0, 'students owe course fees');
    const payments = await call(app, 'GET', '/api/v1/fee-payments', { token });
    expectStatus(payments, 200);
    assert.ok(payments.data.data.length > 0, 'payments were recorded');
    const receipt = await app.inject({
      method: 'GET',
      url: `/api/v1/fee-payments/${payments.data.data[0].id}/receipt`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(receipt.statusCode, 200, 'a seeded payment has a printable receipt');
    const report = await call(app, 'GET', '/api/v1/attendance/reports', {
      token,
      query: { group_by: 'class' },
    });
    expectStatus(report, 200);
    assert.ok(report.data.data.length > 0, 'attendance by class');
    const defaulters = await call(app, 'GET', '/api/v1/attendance/defaulters', {
      token,
      query: { threshold: 99 },
    });
    expectStatus(defaulters, 200);
    assert.ok(defaulters.data.data.length > 0, 'some students fell below 99%');
    // A school sees its own attendance too.
    const school = await signIn('admin', /Riverside/);
    const schoolReport = await call(app, 'GET', '/api/v1/attendance/reports', {
      token: school,
      query: { group_by: 'day' },
    });
    expectStatus(schoolReport, 200);
    assert.ok(schoolReport.data.data.length >= 10, 'about fifteen school days');
  });

  it('a demo student sees their own fees and attendance', async () => {
    const token = await signIn('student', /Northfield University/);
    const att = await call(app, 'GET', '/api/v1/students/me/attendance', { token });
    expectStatus(att, 200);
    assert.ok(att.data.data[0].records_total > 0);
    const fees = await call(app, 'GET', '/api/v1/students/me/fees', { token });
    expectStatus(fees, 200);
  });
});
