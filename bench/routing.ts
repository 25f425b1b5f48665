/**
 * The cost of routing per session: `POST /session` latency (p50/p95) with the session listing one entry per method
 * type (routing rules, offers, provider health read per candidate) against the same endpoint listing every provider's
 * own entry (`routing.list: 'provider'`: the providers' lists as they come), measured in the same run, requests
 * alternating between the two so both see the same machine. Method lists are cached (as in production), so what is
 * left is the endpoint's own work. One request at a time over a keep-alive connection: latency, not throughput.
 *
 *   npx tsx bench/routing.ts [--requests 2000] [--warmup 200]
 */
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { format, numberArg, percentile, report } from './report.ts';

/** Routing may add at most this much to the session's p50 and p95 (Kassa's own budget). */
const BUDGET = { ratio: 1.25, p95Ms: 20 };

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`POST /session answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function measureRouting(requests = numberArg('requests', 2_000), warmUp = numberArg('warmup', 200)): Promise<boolean> {
  const sandbox = await startSandbox();
  const overrides = { rateLimitPerMinute: 1e9, statusRateLimitPerMinute: 1e9 };
  const routed = await startDemo({ sandboxUrl: sandbox.url, overrides });
  const listed = await startDemo({ sandboxUrl: sandbox.url, overrides: { ...overrides, routing: { list: 'provider' } } });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ order: 'DEMO-EUR', locale: 'en' });
  const targets = [
    { name: 'one entry per type (routing)', url: new URL('/kassa/session', routed.url), times: [] as number[] },
    { name: "every provider's entry", url: new URL('/kassa/session', listed.url), times: [] as number[] },
  ];
  try {
    for (let i = 0; i < warmUp; i++) for (const target of targets) await post(agent, target.url, body);
    for (let i = 0; i < requests; i++) for (const target of i % 2 ? [...targets].reverse() : targets) target.times.push(await post(agent, target.url, body));
  } finally {
    agent.destroy();
    await routed.close();
    await listed.close();
    await sandbox.close();
  }
  const [withRouting, without] = targets.map((t) => ({ ...t, p50: percentile(t.times, 50), p95: percentile(t.times, 95) }));
  console.log(`\n${format(requests)} sessions each, alternating, one at a time (Node ${process.version})`);
  for (const t of [withRouting!, without!]) console.log(`  POST /session, ${t.name}: p50 ${t.p50.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms`);
  let ok = true;
  ok = report({ name: 'POST /session p50, routing ÷ every provider', value: withRouting!.p50 / without!.p50, unit: '×', budget: BUDGET.ratio }) && ok;
  ok = report({ name: 'POST /session p95, routing ÷ every provider', value: withRouting!.p95 / without!.p95, unit: '×', budget: BUDGET.ratio }) && ok;
  ok = report({ name: 'POST /session p95 with routing', value: withRouting!.p95, unit: 'ms', budget: BUDGET.p95Ms }) && ok;
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: routing');
  process.exitCode = (await measureRouting()) ? 0 : 1;
}
