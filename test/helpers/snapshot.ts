import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { projectRoot } from './paths.js';

/**
 * The migrated PGlite snapshot the tests start from (docs/testing.md).
 *
 * Starting PGlite empty runs initdb and then every migration: several seconds per test file. Instead the
 * first test process of a run builds the migrated database once (with `openDatabase` and `runMigrations`
 * themselves, so with the same extensions), dumps it with `dumpDataDir()` and caches the tarball under
 * node_modules/.cache/registrar-test/, keyed by everything that shapes it. Every test app then starts from
 * it with `loadDataDir`, and migrations still run on top (no-ops), so correctness never depends on the
 * cache. A lock file keeps concurrent test processes from building it twice.
 */

/** Bump to invalidate every cached snapshot when the way it is built changes. */
const FORMAT = 'registrar-test-snapshot/1';
const root = projectRoot;
export const snapshotCacheDir = join(root, 'node_modules', '.cache', 'registrar-test');
/** A build that takes longer than this is presumed dead (its lock is taken over). */
const LOCK_STALE_MS = 5 * 60_000;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((f) => statSync(f).isFile())
    .sort();
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Hash of the migrations, the code that opens and migrates the database, and the engine versions. */
export function snapshotKey(): string {
  const h = createHash('sha256').update(FORMAT);
  h.update(
    `pglite@${packageVersion('@electric-sql/pglite')}\0drizzle-orm@${packageVersion('drizzle-orm')}\0`,
  );
  const files = [
    ...filesUnder(join(root, 'src', 'db', 'migrations')),
    join(root, 'src', 'db', 'client.ts'),
    join(root, 'src', 'db', 'migrate.ts'),
  ];
  for (const f of files) h.update(f.slice(root.length)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock left by a process that died, or held for implausibly long, may be taken over. */
function lockIsStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    const age = Date.now() - statSync(lockPath).mtimeMs;
    return (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) || age > LOCK_STALE_MS;
  } catch {
    return false; // gone already, or being written: look again
  }
}

async function buildSnapshot(file: string): Promise<void> {
  const database = await openDatabase({ databaseUrl: null, dataDir: null });
  try {
    await runMigrations(database);
    const tarball = await database.pglite!.dumpDataDir('none');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await tarball.arrayBuffer()));
    renameSync(tmp, file); // atomic: readers see the whole tarball or none
  } finally {
    await database.close();
  }
  // Snapshots of older migrations are never used again.
  for (const name of readdirSync(snapshotCacheDir)) {
    if (/^migrated-[0-9a-f]{16}\.tar$/.test(name) && join(snapshotCacheDir, name) !== file) {
      rmSync(join(snapshotCacheDir, name), { force: true });
    }
  }
}

async function loadOrBuild(): Promise<Blob> {
  mkdirSync(snapshotCacheDir, { recursive: true });
  const file = join(snapshotCacheDir, `migrated-${snapshotKey()}.tar`);
  const lockPath = `${file}.lock`;
  while (!existsSync(file)) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale(lockPath)) rmSync(lockPath, { force: true });
      else await sleep(250); // another test process is building it
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (!existsSync(file)) await buildSnapshot(file);
    } finally {
      rmSync(lockPath, { force: true });
    }
  }
  return new Blob([readFileSync(file)]);
}

let cached: Promise<Blob | undefined> | undefined;

/**
 * The migrated snapshot as a Blob for `loadDataDir`, once per process; `undefined` (start empty and
 * migrate, as production does) when REGISTRAR_TEST_SNAPSHOT=off or when the snapshot cannot be made.
 */
export function migratedSnapshot(): Promise<Blob | undefined> {
  if (process.env.REGISTRAR_TEST_SNAPSHOT === 'off') return Promise.resolve(undefined);
  cached ??= loadOrBuild().catch((err: unknown) => {
    process.emitWarning(`test snapshot unavailable, starting from an empty database: ${String(err)}`);
    return undefined;
  });
  return cached;
}
