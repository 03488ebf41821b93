// The console's first-load budget check (scripts/check-bundle-size.mjs) on fixture builds: it counts
// every script and module preload index.html names, gzipped, and fails over the budget or without a build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fixture(files: Record<string, string | Buffer>, html: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'assets', name), body);
  writeFileSync(join(dir, 'index.html'), html);
  return dir;
}

const check = (dir: string, kb: number) =>
  spawnSync(process.execPath, ['scripts/check-bundle-size.mjs', dir, String(kb)], { encoding: 'utf8' });

describe('check-bundle-size', () => {
  const html =
    '<script type="module" crossorigin src="/assets/index-a.js"></script>' +
    '<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">';

  test('passes within the budget and counts the entry and its preloads', () => {
    const dir = fixture({ 'index-a.js': 'x'.repeat(50_000), 'vendor-b.js': 'y'.repeat(50_000) }, html);
    const res = check(dir, 300);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /index-a\.js/);
    assert.match(res.stdout, /vendor-b\.js/);
  });

  test('fails over the budget (incompressible bytes in a preload count too)', () => {
    const dir = fixture({ 'index-a.js': 'x', 'vendor-b.js': randomBytes(40 * 1024) }, html);
    const res = check(dir, 30);
    assert.equal(res.status, 1, res.stdout);
    assert.match(res.stdout, /OVER/);
  });

  test('fails without a build or without any script', () => {
    assert.equal(check(join(tmpdir(), 'no-such-build'), 300).status, 1);
    assert.equal(check(fixture({}, '<p>no scripts</p>'), 300).status, 1);
  });
});
