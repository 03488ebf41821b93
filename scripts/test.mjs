// `npm test [-- options/files...]`: Node's test runner, several processes at once (docs/testing.md).
// TEST_CONCURRENCY overrides how many processes run at the same time (default 2).
//
// Each process runs a batch of test files one after the other, each file inside its own `describe` (so its
// top-level hooks and tests stay its own, and its app and database are closed before the next file starts):
// a process pays the module graph's evaluation and PGlite's WebAssembly compilation (about 3.5 s of CPU) once
// per batch instead of once per file. Every file still builds its own app on its own database. Batches are
// balanced by the files' durations of the previous run (node_modules/.cache/registrar-test/timings.json; file
// size before the first run). TEST_BATCHES sets how many batches (default 3 per process slot);
// TEST_BATCHES=0 runs each file in its own process as before. Files in PROCESS_ALONE always get their own.
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
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  // The files that start a job worker (JOBS_WORKER=true): on one PostgreSQL database the workers of two
  // files' apps would claim each other's jobs and run them with the other app's configuration (an import
  // committed twice, a restart test's job taken by a stranger), and GET /imports/{id} shows rows_written
  // only from the process running the commit (docs/imports.md).
  'test/imports-jobs.test.ts',
  'test/jobs.test.ts',
  'test/jobs-restart.test.ts',
  'test/oneroster-roundtrip.test.ts',
  'test/reports-jobs.test.ts',
];

/** Files that change something process-wide for their whole run, so they never share a process. */
const PROCESS_ALONE = [];

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

const rawBatches = process.env.TEST_BATCHES ?? String(concurrency * 3);
const batchCount = Number(rawBatches);
if (!Number.isInteger(batchCount) || batchCount < 0) {
  console.error(`TEST_BATCHES must be a non-negative integer, got "${rawBatches}"`);
  process.exit(2);
}
const timingsFile = join(cacheDir, 'timings.json');
function readTimings() {
  try {
    return JSON.parse(readFileSync(timingsFile, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * `list` split into `n` batches of about equal expected duration (longest first, each to the lightest
 * batch); the previous run's time of a file, else its size as a stand-in (scaled to the known files' ms per byte).
 */
function batches(list, n) {
  const timings = readTimings();
  const known = list.filter((f) => timings[normalize(f)] > 0);
  const bytes = (f) => statSync(f).size;
  const perByte = known.length
    ? known.reduce((a, f) => a + timings[normalize(f)], 0) / known.reduce((a, f) => a + bytes(f), 0)
    : 1;
  const weight = (f) => timings[normalize(f)] ?? bytes(f) * perByte;
  const out = Array.from({ length: Math.min(n, list.length) }, () => ({ total: 0, files: [] }));
  for (const f of [...list].sort((a, b) => weight(b) - weight(a))) {
    const lightest = out.reduce((m, b) => (b.total < m.total ? b : m));
    lightest.files.push(f);
    lightest.total += weight(f);
  }
  return out.map((b) => b.files).filter((b) => b.length);
}

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

const runnable = (f) => (tsx ? resolve(f) : join(outDir, relative(root, resolve(f)).replace(/\.ts$/, '.js')));

// Each batch is a module that imports its files, one `describe` per file (named by the file), in order.
const batchDir = tsx ? join(cacheDir, `batches-${process.pid}`) : join(outDir, 'batches');
const batchSource = (files) =>
  `import { describe } from 'node:test';\n${files
    .map(
      (f) =>
        `describe(${JSON.stringify(normalize(f))}, async () => {\n  await import(${JSON.stringify(pathToFileURL(runnable(f)).href)});\n});\n`,
    )
    .join('')}`;

// A reporter beside the usual one records each file's duration for the next run's balancing.
const timingsReporter = join(batchDir, 'timings-reporter.mjs');
const timingsOut = join(batchDir, 'timings.jsonl');
const reporterSource = `import { appendFileSync } from 'node:fs';
export default async function* timings(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file)
      appendFileSync(${JSON.stringify(timingsOut)}, JSON.stringify({ name: event.data.name, ms: event.data.details.duration_ms }) + '\\n');
  }
}
`;

let batchSeq = 0;
function run(list, n) {
  if (!list.length) return 0;
  const runner = tsx ? ['--import', 'tsx'] : ['--enable-source-maps'];
  const shared = list.filter((f) => !PROCESS_ALONE.includes(normalize(f)));
  const groups =
    batchCount === 0
      ? list.map((f) => [f])
      : [
          ...batches(shared, batchCount),
          ...list.filter((f) => PROCESS_ALONE.includes(normalize(f))).map((f) => [f]),
        ];
  const paths = groups.map((files) => {
    const p = join(batchDir, `batch-${++batchSeq}.test.mjs`);
    writeFileSync(p, batchSource(files));
    return p;
  });
  const reporters = [
    `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
    '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(timingsReporter).href}`,
    '--test-reporter-destination=stderr',
  ];
  const res = spawnSync(
    process.execPath,
    [...runner, '--test', `--test-concurrency=${n}`, ...reporters, ...flags, ...paths],
    {
      stdio: 'inherit',
      env,
    },
  );
  return res.status ?? 1;
}

/** The durations of this run's files merged into the timings of earlier runs. */
function saveTimings() {
  if (!existsSync(timingsOut)) return;
  const timings = readTimings();
  for (const line of readFileSync(timingsOut, 'utf8').split('\n').filter(Boolean)) {
    const { name, ms } = JSON.parse(line);
    timings[name] = Math.round(ms);
  }
  writeFileSync(timingsFile, `${JSON.stringify(timings, null, 1)}\n`);
}

if (!tsx) {
  const t0 = Date.now();
  await compile();
  console.log(`# compiled src/ and test/ to ${relative(root, outDir)}/ in ${Date.now() - t0} ms`);
}

mkdirSync(batchDir, { recursive: true });
writeFileSync(timingsReporter, reporterSource);
const first = run(together, concurrency);
if (alone.length) console.log(`# then, with the database to themselves: ${alone.join(' ')}`);
const second = run(alone, 1);
saveTimings();
rmSync(tsx ? batchDir : outDir, { recursive: true, force: true });
process.exit(first || second);
