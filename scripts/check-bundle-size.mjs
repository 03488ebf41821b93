// The console's first load: every script and module preload that web/dist/index.html names, gzipped,
// must stay within the budget (300 KB). Run after the build (`.ci/run`, `npm run check:bundle`).
//   node scripts/check-bundle-size.mjs [dist folder] [budget in KB]   (test/console-build.test.ts uses both)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = Number(process.argv[3] ?? 300) * 1024;
const dist = process.argv[2] ?? fileURLToPath(new URL('../web/dist/', import.meta.url));
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.error('web/dist/index.html missing: run `npm run build:web` first');
  process.exit(1);
}
const html = readFileSync(indexPath, 'utf8');
const srcs = new Set();
for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) srcs.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) srcs.add(m[1]);
if (srcs.size === 0) {
  console.error('no script found in web/dist/index.html');
  process.exit(1);
}
let total = 0;
for (const src of srcs) {
  const size = gzipSync(readFileSync(join(dist, src.replace(/^\//, '')))).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB gz  ${src}`);
}
const ok = total <= BUDGET;
console.log(
  `first-load JS: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB): ${ok ? 'ok' : 'OVER'}`,
);
process.exit(ok ? 0 : 1);
