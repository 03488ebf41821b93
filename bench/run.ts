// npm run bench [-- --sizes 10000,200000 --duration 8 --connections 10 --only grades,dashboard,trends]
// Starts the API against each bench database in its own process, drives every scenario from this process
// with autocannon, measures each figure's ceilings in the same run, prints one table and writes it to
// bench/README.md. Ratios are the result; absolute numbers vary between runs and machines.
import { cpus, totalmem } from 'node:os';
import { arg, benchDbUrl, fmt, loadCredentials } from './lib/common.js';
import { startApi, startCeilingServer } from './lib/procs.js';
import { writeReport } from './report.js';
import { only, type Row, runScenarios } from './scenarios.js';

const sizes = arg('sizes', '10000,200000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter(Boolean);
const duration = Number(arg('duration', '8'));
const connections = Number(arg('connections', '10'));
const started = Date.now();
const results: Record<number, { rows: Row[]; peakRssMiB: number }> = {};

const ceiling = await startCeilingServer();
try {
  for (const n of sizes) {
    const creds = loadCredentials(n);
    const dbUrl = benchDbUrl(n);
    const traceFile = `/tmp/registrar-bench-trace-${process.pid}.jsonl`;
    console.log(`\n== N = ${fmt(n)} students (${dbUrl.replace(/\/\/[^@]*@/, '//')})`);
    // Measured with tracing off, as production runs; a second process of the same build (same JWT secret,
    // same database) has REGISTRAR_SQL_TRACE on and serves only the capture pass (one request per figure),
    // so the synchronous trace writes never fall inside a measurement.
    const jwtSecret = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}-not-a-real-secret`;
    const api = await startApi(dbUrl, { JWT_SECRET: jwtSecret });
    const traced = await startApi(dbUrl, { JWT_SECRET: jwtSecret, REGISTRAR_SQL_TRACE: traceFile });
    try {
      const rows = await runScenarios({
        api,
        traced,
        ceiling,
        dbUrl,
        creds,
        n,
        duration,
        connections,
        traceFile,
      });
      results[n] = { rows, peakRssMiB: api.rss().peak };
    } finally {
      await traced.stop();
      await api.stop();
    }
  }
} finally {
  await ceiling.stop();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
// With --only the run covers some figures: print them, keep the README's full results.
const report = writeReport(
  results,
  { machine, duration, connections, seconds: (Date.now() - started) / 1000 },
  only.length === 0,
);
console.log(`\n${report}`);
