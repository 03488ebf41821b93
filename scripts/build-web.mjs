// Builds the web console (web/ -> web/dist) with Vite, unless the last build was made from the same
// sources: the hash of every file under web/ (but dist/ and the generated schema) and package-lock.json is
// kept in web/dist/.build-hash. `npm start` runs this first (prestart), so `npm ci && npm start` serves
// the console with nothing else installed. `--force` rebuilds anyway.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const dist = join(web, 'dist');
const hashFile = join(dist, '.build-hash');
const SKIP = new Set(['dist', 'node_modules', 'schema.d.ts']);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

const hash = createHash('sha256');
for (const f of [...files(web), join(root, 'package-lock.json')]) {
  hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
}
const digest = hash.digest('hex');
const force = process.argv.includes('--force');
if (!force && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === digest) {
  console.log('web console: up to date (web/dist)');
  process.exit(0);
}
const { build } = await import('vite');
await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(hashFile, `${digest}\n`);
console.log('web console: built into web/dist');
