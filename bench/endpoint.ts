/**
 * Endpoint throughput: requests per second and p50/p99 latency of `POST /session` (methods list cached, as in
 * production) and `GET /payments/{ref}` (a paid payment: a store read; a pending one: re-read from the provider)
 * against the demo endpoint, with the sandbox and demo started in this process — beside a bare `node:http` handler
 * answering the same JSON, measured in the same run, as the floor (the ratio says what Kassa's work costs).
 *
 * No load tool is installed; the loop below keeps `C` keep-alive connections busy until `N` requests are answered.
 * The load loop, the demo and the sandbox share this one Node process (and its CPU): the figures are a lower bound
 * for an endpoint on its own machine.
 *
 *   npx tsx bench/endpoint.ts [--requests 3000] [--concurrency 32]
 */
import { Agent, createServer, request, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { format, percentile, report } from './report.ts';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function send(agent: Agent, url: URL, method: string, body?: string, headers: OutgoingHttpHeaders = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `total` requests over `concurrency` keep-alive connections; latency per request, throughput over the whole run. */
async function load(url: URL, method: string, body: string | undefined, total: number, concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm up: open the connections and let caches fill.
  await Promise.all(Array.from({ length: concurrency }, () => send(agent, url, method, body)));
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        const t0 = performance.now();
        const { status } = await send(agent, url, method, body);
        latencies.push(performance.now() - t0);
        if (status >= 400) errors++;
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  agent.destroy();
  return { rps: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

/** A bare node:http server answering one fixed JSON body, for the floor. */
async function startBare(status: number, json: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * Budgets (Kassa's own, on this kind of machine, everything in one process at concurrency 32): enough throughput
 * for a busy shop's checkouts many times over, and a p99 that a shopper does not notice.
 */
const BUDGET = { minRps: 500, p99Ms: 250 };

function print(label: string, kassa: LoadResult, bare: LoadResult): boolean {
  let ok = true;
  console.log(`  ${label}: Kassa ${format(kassa.rps)} req/s (p50 ${kassa.p50.toFixed(2)} ms, p99 ${kassa.p99.toFixed(2)} ms, ${kassa.errors} errors)`);
  console.log(`  ${' '.repeat(label.length)}  bare node:http ${format(bare.rps)} req/s (p50 ${bare.p50.toFixed(2)} ms, p99 ${bare.p99.toFixed(2)} ms)`);
  ok = report({ name: `${label} req/s`, value: kassa.rps, unit: 'req/s', min: BUDGET.minRps }) && ok;
  report({ name: `${label} p50`, value: kassa.p50, unit: 'ms' });
  ok = report({ name: `${label} p99`, value: kassa.p99, unit: 'ms', budget: BUDGET.p99Ms }) && ok;
  report({ name: `${label} bare÷Kassa req/s`, value: bare.rps / kassa.rps, unit: '×', note: `bare node:http ${format(bare.rps)} req/s` });
  return ok && kassa.errors === 0;
}

export async function measureEndpoint(total = arg('requests', 3000), concurrency = arg('concurrency', 32)): Promise<boolean> {
  const sandbox = await startSandbox();
  const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { rateLimitPerMinute: 1e9 } });
  const agent = new Agent({ keepAlive: true });
  let ok = true;
  try {
    console.log(`\n${total} requests at concurrency ${concurrency}, keep-alive (Node ${process.version})`);

    // POST /session
    const sessionUrl = new URL('/kassa/session', demo.url);
    const sessionBody = JSON.stringify({ order: 'DEMO-EUR', locale: 'en' });
    const first = await send(agent, sessionUrl, 'POST', sessionBody);
    if (first.status !== 201) throw new Error(`POST /session answered ${first.status}: ${first.text}`);
    const session = JSON.parse(first.text) as { token: string; methods: { id: string; fields?: { required?: boolean }[] }[] };
    const kassaSession = await load(sessionUrl, 'POST', sessionBody, total, concurrency);
    const bareSession = await startBare(201, first.text);
    const floorSession = await load(new URL('/kassa/session', bareSession.url), 'POST', sessionBody, total, concurrency);
    await bareSession.close();
    ok = print('POST /session', kassaSession, floorSession) && ok;

    // GET /payments/{ref}: one pending hi.health payment, one paid.
    const method = session.methods.find((m) => m.id.startsWith('hidirect:') && !(m.fields ?? []).some((f) => f.required));
    if (!method) throw new Error('no hi.health method without required fields in the session');
    const createPayment = async (key: string) => {
      const fresh = JSON.parse((await send(agent, sessionUrl, 'POST', sessionBody)).text) as { token: string };
      const answer = await send(agent, new URL('/kassa/payments', demo.url), 'POST', JSON.stringify({ token: fresh.token, method: method.id }), { 'idempotency-key': key });
      if (answer.status !== 201) throw new Error(`POST /payments answered ${answer.status}: ${answer.text}`);
      return (JSON.parse(answer.text) as { payment: { reference: string } }).payment.reference;
    };
    const pending = await createPayment('bench-pending-0001');
    const paid = await createPayment('bench-paid-00000001');
    const control = await send(agent, new URL('/_sandbox/payments?provider=hidirect', sandbox.url), 'GET');
    const listed = (JSON.parse(control.text) as { payments: { id: string; reference?: string }[] }).payments;
    const paidAtProvider = listed.find((p) => p.reference === paid) ?? listed.at(-1);
    if (!paidAtProvider) throw new Error('the sandbox lists no hi.health payment');
    await send(agent, new URL(`/_sandbox/payments/hidirect/${paidAtProvider.id}/outcome`, sandbox.url), 'POST', JSON.stringify({ outcome: 'pay' }));

    for (const [label, reference] of [['GET /payments/{ref} paid', paid], ['GET /payments/{ref} pending', pending]] as const) {
      const url = new URL(`/kassa/payments/${reference}`, demo.url);
      const one = await send(agent, url, 'GET');
      if (one.status !== 200) throw new Error(`GET /payments answered ${one.status}: ${one.text}`);
      const state = (JSON.parse(one.text) as { state?: string; payment?: { state?: string } }).state ?? '?';
      const kassa = await load(url, 'GET', undefined, total, concurrency);
      const bare = await startBare(200, one.text);
      const floor = await load(new URL(`/kassa/payments/${reference}`, bare.url), 'GET', undefined, total, concurrency);
      await bare.close();
      console.log(`  (${label}: state ${state}${state === 'paid' ? ', a store read' : ', re-read from the sandbox provider in this same process'})`);
      ok = print(label, kassa, floor) && ok;
    }
  } finally {
    agent.destroy();
    await demo.close();
    await sandbox.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: endpoint');
  process.exitCode = (await measureEndpoint()) ? 0 : 1;
}
