// npm run bench:export [-- --students 200000 --repeat 3]
// The CSV export alone, repeated: the API's whole-download rate against COPY … TO STDOUT of the same rows,
// alternating the two so that both see the same machine. For iterating on the export without the full
// bench; `npm run bench` measures it once per size as part of the table.
import { arg, benchDbUrl, fmt, loadCredentials, median } from './lib/common.js';
import { startApi } from './lib/procs.js';
import type { Ctx } from './scenarios.js';
import { login } from './scenarios.js';
import { copyOut, download } from './scenarios-export.js';

const n = Number(arg('students', '200000'));
const repeat = Number(arg('repeat', '3'));
const dbUrl = benchDbUrl(n);
const creds = loadCredentials(n);
const api = await startApi(dbUrl);
try {
  const ctx = { api, dbUrl, creds, n } as unknown as Ctx;
  const token = await login(ctx, creds.adminUsername, creds.password);
  const ratios: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const big = await download(ctx, '/api/v1/students/export?format=csv&category=general', token);
    const copy = await copyOut(dbUrl, `AND category = 'general'`);
    if (big.rows !== copy.rows) throw new Error(`row counts differ: API ${big.rows}, COPY ${copy.rows}`);
    // Same rows on both sides: the ratio of rates is the inverse ratio of times.
    const ratio = copy.ms / big.ms;
    ratios.push(ratio);
    console.log(
      `run ${i + 1}: ${fmt(big.rows)} rows  API ${fmt(big.ms)} ms  COPY ${fmt(copy.ms)} ms  ratio ${ratio.toFixed(2)}  ` +
        `RSS +${big.rssGrowth.toFixed(0)} MiB`,
    );
  }
  console.log(`median ratio to COPY: ${median(ratios).toFixed(2)}`);
} finally {
  await api.stop();
}
