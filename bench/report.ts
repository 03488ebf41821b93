import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib/common.js';
import type { Row } from './scenarios.js';

const README = fileURLToPath(new URL('./README.md', import.meta.url));
const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

/** Renders the result tables and (unless `write` is false) replaces the results section of bench/README.md. */
export function writeReport(
  results: Record<number, { rows: Row[]; peakRssMiB: number }>,
  meta: { machine: string; duration: number; connections: number; seconds: number },
  write = true,
): string {
  const lines: string[] = [];
  lines.push(
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${meta.machine}; ` +
      `${meta.connections} connections, ${meta.duration} s per figure; whole run ${fmt(meta.seconds)} s.`,
    '',
    '| endpoint | N | req/s | p50 ms | p99 ms | ceiling | ceiling req/s | ratio |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
  );
  for (const [n, { rows }] of Object.entries(results)) {
    for (const r of rows) {
      if (!r.api) {
        lines.push(`| ${r.name} | ${fmt(Number(n))} | – | – | – | ${r.note ?? ''} | | |`);
        continue;
      }
      const first = r.ceilings[0];
      const cell = (c?: { label: string; rps: number }) =>
        c ? `${c.label} | ${fmt(c.rps)} | **${(r.api!.rps / c.rps).toFixed(2)}**` : ' | | ';
      lines.push(
        `| ${r.name} | ${fmt(Number(n))} | ${fmt(r.api.rps)} | ${r.api.p50} | ${r.api.p99} | ${cell(first)} |`,
      );
      for (const c of r.ceilings.slice(1)) lines.push(`| | | | | | ${cell(c)} |`);
      if (r.note) lines.push(`| | | | | | _${r.note}_ | | |`);
    }
  }
  const sizes = Object.keys(results)
    .map(Number)
    .sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const [lo, hi] = [sizes[0], sizes[sizes.length - 1]];
    lines.push('', `p99 growth from N = ${fmt(lo)} to N = ${fmt(hi)} (goal: flat, ≤ 1.5×):`, '');
    lines.push(`| endpoint | p99 @ ${fmt(lo)} | p99 @ ${fmt(hi)} | growth |`, '| --- | ---: | ---: | ---: |');
    for (const r of results[lo].rows) {
      const h = results[hi].rows.find((x) => x.name === r.name);
      if (!r.api || !h?.api) continue;
      const g = h.api.p99 / Math.max(1, r.api.p99);
      lines.push(`| ${r.name} | ${r.api.p99} ms | ${h.api.p99} ms | **${g.toFixed(2)}×** |`);
    }
  }
  lines.push('', 'Peak RSS of the API process (VmHWM):', '');
  for (const [n, r] of Object.entries(results))
    lines.push(`- N = ${fmt(Number(n))}: ${fmt(r.peakRssMiB)} MiB`);
  const table = lines.join('\n');
  if (!write) return table;
  let readme = '';
  try {
    readme = readFileSync(README, 'utf8');
  } catch {}
  if (!readme.includes(BEGIN)) readme = `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const out = readme.replace(new RegExp(`${BEGIN}[\\s\\S]*${END}`), `${BEGIN}\n${table}\n${END}`);
  writeFileSync(README, out);
  return table;
}
