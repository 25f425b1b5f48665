/**
 * Endpoint throughput: requests per second and p50/p99 latency of `POST /session` (methods list cached, as in
 * production) and `GET /payments/{ref}` (a paid payment: a store read; a pending one: read from the provider at most
 * once per 2 s, shared by every request, so nearly all are store reads too) against the demo endpoint, with the
 * sandbox and demo started in this process — beside a bare `node:http` handler answering the same JSON, measured in
 * the same run, as the floor (the ratio says what Kassa's work costs). All the load comes from one client, so the
 * demo's rate limits (per client: 120 a minute on `POST /session`, 300 on status reads) are raised out of the way:
 * this measures the work, not the limits (bench/status-reads.ts measures those).
 *
 * The load comes from autocannon (a devDependency), in a worker thread of this process: per target a warm-up (its
 * figures dropped), then a fixed duration over `connections` keep-alive connections. Requests/s is autocannon's
 * mean of its per-second samples (`requests.average`); p50/p99 are its latency percentiles, which it keeps in whole
 * milliseconds (a bare handler's p50 reads 0 ms). The generator, the demo and the sandbox share this machine's cores
 * (2 here: the generator takes most of one), so the figures are a lower bound for an endpoint on its own machine.
 *
 *   npx tsx bench/endpoint.ts [--duration 5] [--connections 10] [--warmup 1]
 */
import autocannon from 'autocannon';
import { Agent, createServer, request, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { format, numberArg, report } from './report.ts';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  requests: number;
}

interface LoadOptions {
  durationSeconds: number;
  connections: number;
  warmUpSeconds: number;
}

/** One request outside the load, to set the targets up and to copy their answers for the bare floor. */
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

/** Warm-up (connections opened, caches and the JIT warm), then the measured run; both by autocannon. */
async function load(url: URL, method: 'GET' | 'POST', body: string | undefined, options: LoadOptions): Promise<LoadResult> {
  const target = {
    url: url.href,
    method,
    connections: options.connections,
    // The worker thread takes the generator off the main thread, which serves the demo and the sandbox.
    workers: 1,
    ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
  };
  if (options.warmUpSeconds > 0) await autocannon({ ...target, duration: options.warmUpSeconds });
  const result = await autocannon({ ...target, duration: options.durationSeconds });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
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
 * Budgets (Kassa's own, on this kind of machine, the generator sharing it, 10 connections): enough throughput for a
 * busy shop's checkouts many times over, a p99 that a shopper does not notice, and every request answered 2xx.
 */
const BUDGET = { minRps: 500, p99Ms: 250, failures: 0 };

function describeLoad(result: LoadResult): string {
  return `${format(result.rps)} req/s (p50 ${result.p50} ms, p99 ${result.p99} ms, ${format(result.requests)} requests, ${result.errors} errors, ${result.non2xx} non-2xx)`;
}

function print(label: string, kassa: LoadResult, bare: LoadResult): boolean {
  let ok = true;
  console.log(`  ${label}: Kassa ${describeLoad(kassa)}`);
  console.log(`  ${' '.repeat(label.length)}  bare node:http ${describeLoad(bare)}`);
  ok = report({ name: `${label} req/s`, value: kassa.rps, unit: 'req/s', min: BUDGET.minRps }) && ok;
  report({ name: `${label} p50`, value: kassa.p50, unit: 'ms' });
  ok = report({ name: `${label} p99`, value: kassa.p99, unit: 'ms', budget: BUDGET.p99Ms }) && ok;
  ok = report({ name: `${label} errors + non-2xx`, value: kassa.errors + kassa.non2xx, unit: 'requests', budget: BUDGET.failures }) && ok;
  report({ name: `${label} bare÷Kassa req/s`, value: bare.rps / kassa.rps, unit: '×', note: `bare node:http ${format(bare.rps)} req/s` });
  // The floor must itself be clean, or the ratio compares against failures.
  if (bare.errors + bare.non2xx > 0) {
    console.log(`  ${label}: the bare floor had ${bare.errors} errors and ${bare.non2xx} non-2xx answers`);
    ok = false;
  }
  return ok;
}

export async function measureEndpoint(
  options: LoadOptions = { durationSeconds: numberArg('duration', 5), connections: numberArg('connections', 10), warmUpSeconds: numberArg('warmup', 1) },
): Promise<boolean> {
  const sandbox = await startSandbox();
  const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { rateLimitPerMinute: 1e9, statusRateLimitPerMinute: 1e9 } });
  const agent = new Agent({ keepAlive: true });
  let ok = true;
  try {
    console.log(
      `\nautocannon: ${options.connections} connections, keep-alive, ${options.warmUpSeconds} s warm-up + ${options.durationSeconds} s per target (Node ${process.version})`,
    );

    // POST /session
    const sessionUrl = new URL('/kassa/session', demo.url);
    const sessionBody = JSON.stringify({ order: 'DEMO-EUR', locale: 'en' });
    const first = await send(agent, sessionUrl, 'POST', sessionBody);
    if (first.status !== 201) throw new Error(`POST /session answered ${first.status}: ${first.text}`);
    const session = JSON.parse(first.text) as { token: string; methods: { id: string; fields?: { required?: boolean }[] }[] };
    const kassaSession = await load(sessionUrl, 'POST', sessionBody, options);
    const bareSession = await startBare(201, first.text);
    const floorSession = await load(new URL('/kassa/session', bareSession.url), 'POST', sessionBody, options);
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
      const kassa = await load(url, 'GET', undefined, options);
      const bare = await startBare(200, one.text);
      const floor = await load(new URL(`/kassa/payments/${reference}`, bare.url), 'GET', undefined, options);
      await bare.close();
      console.log(`  (${label}: state ${state}${state === 'paid' ? ', a store read' : ', read from the sandbox provider (in this same process) at most once per 2 s, else from the store'})`);
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
