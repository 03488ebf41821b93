// Runs Biome (lint + format check). Only Biome's linux-x64 binary is available from our package registry, so
// it is an optional dependency; on other platforms this says so instead of failing the check.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let bin = null;
try {
  bin = join(dirname(require.resolve('@biomejs/cli-linux-x64/package.json')), 'biome');
} catch {}
if (!bin || !existsSync(bin)) {
  console.warn(
    `biome: no binary for ${process.platform}-${process.arch}; lint skipped (CI runs it on linux-x64)`,
  );
  process.exit(0);
}
const res = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit' });
process.exit(res.status ?? 1);
