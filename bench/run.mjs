/**
 * `npm run bench`: every benchmark in turn (each also runs alone with `npx tsx bench/<name>.ts`), then one summary
 * table of every figure with its budget. Arguments are passed on (`npm run bench -- --compare` adds Adyen Web to
 * the size benchmark). Exits 1 when a figure is over its budget or a benchmark fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BENCHES = ['size', 'install-size', 'endpoint', 'routing', 'status-reads', 'streams', 'events', 'reconciliation', 'time-to-methods', 'status-latency', 'status-withheld', 'picker-render', 'page-load', 'leaks'];
/**
 * Each benchmark is stopped after 3 minutes; reconciliation waits out 60 s windows on two stores and then on 5,000
 * payments (about 5 minutes), status-withheld changes payments over their first 2 minutes (about 2.5 minutes),
 * page-load makes 80 cold page loads, half on an emulated slow phone (about 4 minutes).
 */
const TIMEOUT_MS = { reconciliation: 480_000, 'status-withheld': 240_000, 'page-load': 480_000 };
const rows = [];
const failed = [];

for (const name of BENCHES) {
  const started = Date.now();
  const result = spawnSync('npx', ['tsx', `bench/${name}.ts`, ...process.argv.slice(2)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KASSA_BENCH_SUMMARY: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: TIMEOUT_MS[name] ?? 180_000,
  });
  for (const line of (result.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH\t')) rows.push([name, ...line.split('\t').slice(1)]);
    else console.log(line);
  }
  if (result.stderr) process.stderr.write(result.stderr);
  console.log(`  (${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  if (result.status !== 0) failed.push(name);
}

const header = ['bench', 'figure', 'value', 'budget', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
console.log('Summary');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
if (failed.length) console.log(`\nOver budget or failed: ${failed.join(', ')}`);
process.exitCode = failed.length ? 1 : 0;
