// `npm test [-- options/files...]`: Node's test runner, each test file in its own process, several at once
// (docs/testing.md). TEST_CONCURRENCY overrides how many files run at the same time (default 2).
//
// The TypeScript of src/ and test/ is first compiled to JavaScript once (esbuild, one file per file, inline
// source maps) under node_modules/.cache/registrar-test/js-<pid>/ (removed at the end), and the test
// processes run that: through tsx's loader hooks every process spent about 2 s of CPU resolving and
// transforming the same ~450 modules again.
// TEST_TSX=1 runs the sources through tsx instead (no build step).
//
// On PGlite every process has its own in-memory database, so any file may run beside any other. On
// PostgreSQL (DATABASE_URL) the files share one database and isolate themselves by creating their own
// organizations; the few listed in DATABASE_ALONE also look at whole tables, so they run afterwards, one at
// a time, with nothing else writing.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// One folder per run (two runs in one checkout must not rebuild each other's copies), removed at the end;
// folders of runs that died are removed by the next run.
const cacheDir = join(root, 'node_modules', '.cache', 'registrar-test');
const outDir = join(cacheDir, `js-${process.pid}`);
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Files whose assertions read a whole table (not just their own organizations' rows). */
const DATABASE_ALONE = [
  // snapshot(): counts and checksums every attendance row to prove a refused request wrote nothing.
  'test/attendance-access.test.ts',
];

// Options (`--test-name-pattern=...`) go to node; anything else names test files.
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = args.length
  ? args
  : readdirSync('test')
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => `test/${f}`);
const raw = process.env.TEST_CONCURRENCY ?? '2';
const concurrency = Number(raw);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(`TEST_CONCURRENCY must be a positive integer, got "${raw}"`);
  process.exit(2);
}

const normalize = (f) => f.replace(/^\.\//, '');
const alone = process.env.DATABASE_URL ? files.filter((f) => DATABASE_ALONE.includes(normalize(f))) : [];
const together = files.filter((f) => !alone.includes(f));

const tsx = process.env.TEST_TSX === '1';

/** Every .ts file of src/ and test/ (not the dependency-rule fixtures, which are data), as JavaScript. */
async function compile() {
  const entryPoints = ['src', 'test'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.startsWith('fixtures/'))
      .map((f) => join(root, dir, f)),
  );
  let old = [];
  try {
    old = readdirSync(cacheDir).filter((d) => /^js(-\d+)?$/.test(d));
  } catch {}
  for (const d of old) {
    const pid = Number(d.slice(3));
    if (!pid || !alive(pid)) rmSync(join(cacheDir, d), { recursive: true, force: true });
  }
  await build({
    entryPoints,
    outdir: outDir,
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // ESM scope for the copies (they live under node_modules, where the root package.json does not reach), and
  // the files the code reads beside itself.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'src', 'db', 'migrations'), join(outDir, 'src', 'db', 'migrations'), 'dir');
}

const env = { ...process.env, REGISTRAR_PROJECT_ROOT: root };

function run(list, n) {
  if (!list.length) return 0;
  const runner = tsx ? ['--import', 'tsx'] : ['--enable-source-maps'];
  const paths = tsx
    ? list
    : list.map((f) => join(outDir, relative(root, resolve(f)).replace(/\.ts$/, '.js')));
  const res = spawnSync(
    process.execPath,
    [...runner, '--test', `--test-concurrency=${n}`, ...flags, ...paths],
    {
      stdio: 'inherit',
      env,
    },
  );
  return res.status ?? 1;
}

if (!tsx) {
  const t0 = Date.now();
  await compile();
  console.log(`# compiled src/ and test/ to ${relative(root, outDir)}/ in ${Date.now() - t0} ms`);
}

const first = run(together, concurrency);
if (alone.length) console.log(`# then, with the database to themselves: ${alone.join(' ')}`);
const second = run(alone, 1);
if (!tsx) rmSync(outDir, { recursive: true, force: true });
process.exit(first || second);
