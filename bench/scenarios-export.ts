import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { median } from './lib/common.js';
import type { Ctx, Row } from './scenarios.js';

/** Line feeds in a chunk, counted with the native indexOf (a byte loop in JS would load the shared CPUs). */
function newlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/** Streams a response to the end, counting lines; returns elapsed ms and the API's peak RSS meanwhile. */
export async function download(ctx: Ctx, path: string, token: string) {
  const before = ctx.api.rss().current;
  let peak = before;
  const poll = setInterval(() => {
    peak = Math.max(peak, ctx.api.rss().current);
  }, 20);
  const t0 = performance.now();
  const res = await fetch(ctx.api.url + path, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) {
    clearInterval(poll);
    throw new Error(`export failed: ${res.status} ${await res.text()}`);
  }
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as any as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    lines += newlines(chunk);
  }
  const ms = performance.now() - t0;
  clearInterval(poll);
  return { ms, rows: lines - 1, bytes, rssGrowth: peak - before };
}

/** COPY of the same rows (same filter, same order) straight out of PostgreSQL: the export ceiling. */
export async function copyOut(dbUrl: string, where: string) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const t0 = performance.now();
    const stream = client.query(
      copyStreams.to(
        `COPY (SELECT student_number, first_name, last_name, email, student_status, batch_year, semester, category,
                      roll_no, date_of_birth, gender, created_at
                 FROM students WHERE deleted_at IS NULL ${where}
                ORDER BY last_name, first_name, id) TO STDOUT WITH (FORMAT csv, HEADER)`,
      ),
    );
    let lines = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) lines += newlines(chunk);
    return { ms: performance.now() - t0, rows: lines - 1 };
  } finally {
    await client.end();
  }
}

/**
 * The CSV export of ~half the students (100,000 at N = 200,000) against COPY … TO STDOUT of the same rows,
 * three times each, alternating, so that both see the same machine (one download is one sample; the median
 * is reported). The API's RSS growth during the export is compared with an export a quarter the size
 * (flat = streaming); the first export of a fresh process also grows the heap once, so the median is used.
 */
export async function exportScenario(ctx: Ctx, token: string): Promise<Row[]> {
  const bigPath = '/api/v1/students/export?format=csv&category=general';
  const runs: Array<{
    big: Awaited<ReturnType<typeof download>>;
    copy: Awaited<ReturnType<typeof copyOut>>;
  }> = [];
  for (let i = 0; i < 3; i++) {
    const big = await download(ctx, bigPath, token).catch((e) => e);
    if (big instanceof Error)
      return [
        { name: 'CSV export', api: null, ceilings: [], note: `not measured: ${big.message.slice(0, 100)}` },
      ];
    runs.push({ big, copy: await copyOut(ctx.dbUrl, `AND category = 'general'`) });
  }
  const small = await download(ctx, '/api/v1/students/export?format=csv&category=general&semester=1', token);
  const rows = runs[0].big.rows;
  const copyRows = runs[0].copy.rows;
  const apiMs = median(runs.map((r) => r.big.ms));
  const copyMs = median(runs.map((r) => r.copy.ms));
  const rss = median(runs.map((r) => r.big.rssGrowth));
  return [
    {
      name: `CSV export (${rows.toLocaleString('en-US')} rows; rows/s)`,
      api: { rps: (rows / apiMs) * 1000, p50: Math.round(apiMs), p99: Math.round(apiMs), errors: 0 },
      ceilings: [
        {
          label: `COPY TO STDOUT (${copyRows.toLocaleString('en-US')} rows)`,
          rps: (copyRows / copyMs) * 1000,
        },
      ],
      note:
        `median of 3 downloads and 3 COPYs, alternating; RSS +${rss.toFixed(0)} MiB during this export ` +
        `(first: +${runs[0].big.rssGrowth.toFixed(0)}) vs +${small.rssGrowth.toFixed(0)} MiB for ` +
        `${small.rows.toLocaleString('en-US')} rows; latency columns = whole download ms`,
    },
  ];
}
