import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRoot } from './helpers/paths.js';

const root = projectRoot;

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function run(script: string, env: Record<string, string>): Run {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function waitReady(port: number, r: Run, ms = 240_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (r.child.exitCode !== null) throw new Error(`server exited early: ${r.out()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.status === 200) return;
    } catch {}
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`server not ready: ${r.out()}`);
}

describe('one process per embedded DATA_DIR', { timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'registrar-lock-'));
  const started: Run[] = [];
  after(() => {
    for (const r of started) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse a second server and seed:demo on a held DATA_DIR, take over a stale lock, and say when the port is taken', async () => {
    const port = await freePort();
    const first = run('src/server.ts', { DATA_DIR: dir, PORT: String(port) });
    started.push(first);
    await waitReady(port, first);
    const holder = JSON.parse(readFileSync(join(dir, 'registrar.lock'), 'utf8')) as { pid: number };
    assert.equal(holder.pid, first.child.pid);

    // A second server on the same directory exits at once, naming the holder and what to do.
    const second = run('src/server.ts', { DATA_DIR: dir, PORT: String(await freePort()) });
    started.push(second);
    assert.equal(await second.exited, 3);
    assert.match(second.out(), new RegExp(`in use by process ${first.child.pid}`));
    assert.match(second.out(), /stop that process first|DATABASE_URL/);

    // So does the demo seed (which used to print accounts that were then lost).
    const seed = run('scripts/seed-demo.ts', { DATA_DIR: dir });
    started.push(seed);
    assert.equal(await seed.exited, 3);
    assert.match(seed.out(), /seed:demo cannot run: DATA_DIR .* is in use by process/);
    assert.doesNotMatch(seed.out(), /password/i);

    // The first server still serves.
    assert.equal((await fetch(`http://127.0.0.1:${port}/ready`)).status, 200);

    // Another directory on the taken port: one clear line, no stack trace.
    const other = mkdtempSync(join(tmpdir(), 'registrar-lock-port-'));
    const clash = run('src/server.ts', { DATA_DIR: other, PORT: String(port) });
    started.push(clash);
    assert.equal(await clash.exited, 4);
    assert.match(clash.out(), new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    assert.doesNotMatch(clash.out(), /\n\s+at /);
    rmSync(other, { recursive: true, force: true });

    // A crash leaves the lock file behind; the next start sees its process is gone and takes over.
    first.child.kill('SIGKILL');
    await first.exited;
    const port2 = await freePort();
    const third = run('src/server.ts', { DATA_DIR: dir, PORT: String(port2) });
    started.push(third);
    await waitReady(port2, third);
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0);
  });
});
