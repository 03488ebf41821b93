// `npm test [-- options/files...]`: Node's test runner through tsx, each test file in its own process, several at once
// (docs/testing.md). TEST_CONCURRENCY overrides how many files run at the same time (default 2).
//
// On PGlite every process has its own in-memory database, so any file may run beside any other. On
// PostgreSQL (DATABASE_URL) the files share one database and isolate themselves by creating their own
// organizations; the few listed in DATABASE_ALONE also look at whole tables, so they run afterwards, one at
// a time, with nothing else writing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

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

function run(list, n) {
  if (!list.length) return 0;
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${n}`, ...flags, ...list],
    { stdio: 'inherit' },
  );
  return res.status ?? 1;
}

const first = run(together, concurrency);
if (alone.length) console.log(`# then, with the database to themselves: ${alone.join(' ')}`);
const second = run(alone, 1);
process.exit(first || second);
