import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { projectRoot } from './helpers/paths.js';

const root = projectRoot;
const fixture = `${projectRoot}test/fixtures/dependency-rules/`;

/** Runs the project's dependency-cruiser rules over `cwd`/src (as `npm run check` does over src/). */
function cruise(cwd: string) {
  const res = spawnSync(
    process.execPath,
    [
      `${root}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`,
      'src',
      '--config',
      `${root}.dependency-cruiser.cjs`,
      '--output-type',
      'json',
    ],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const out = JSON.parse(res.stdout) as {
    summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
  };
  return { violations: out.summary.violations };
}

describe('dependency rules (docs/architecture.md)', () => {
  it('should fail on an import cycle, an internal cross-module import and a kernel that imports a module', () => {
    const { violations } = cruise(fixture);
    const names = new Set(violations.map((v) => v.rule.name));
    assert.ok(names.has('no-circular'), 'a cycle is reported');
    assert.ok(
      violations.some(
        (v) => v.rule.name === 'module-internals' && v.to === 'src/modules/alpha/alpha.service.ts',
      ),
      "an import of another module's internal file is reported",
    );
    assert.ok(names.has('kernel-independent'), 'a kernel import of a module is reported');
  });

  it('should pass on the project itself', () => {
    const { violations } = cruise(root);
    assert.deepEqual(
      violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`),
      [],
    );
  });
});
