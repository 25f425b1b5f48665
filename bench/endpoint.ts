/**
 * Endpoint throughput: requests per second, p50/p99 latency and CPU per request of `POST /session` (methods list
 * cached, as in production) and `GET /payments/{ref}` (a paid payment: a store read; a pending one: read from the
 * provider at most once per 2 s, shared by every request, so nearly all are store reads too).
 *
 * `POST /session` is measured three ways in the same run, in alternating rounds:
 * - Kassa on node:http through `createNodeListener` (what the demo and a Node merchant run);
 * - Kassa's Fetch handler behind a generic node:http ↔ Fetch adapter (a `Request` per request, the body through
 *   `Readable.toWeb`, the `Response` written back), as a merchant gets mounting `kassa(request)` with any adapter;
 * - a minimal node:http handler doing the same essential work, the reference: parse the JSON body, look the order up
 *   with the demo's `resolveDemoOrder`, sign the same HS256 session token with jose, and answer the same JSON
 *   (a real `/session` answer taken at start, its method list and every other member copied, with this request's
 *   order, token and expiry: the same bytes).
 * The budget is on Kassa's Node path against that reference: ≥ 0.6× its req/s, p99 ≤ 2× its p99.
 * `GET /payments/{ref}` is measured beside a bare node:http handler answering the same JSON, as the floor.
 *
 * All the servers (the sandbox, the demo endpoint, the Fetch-path server, the reference and the floors) run in one
 * child process; this process only generates the load (autocannon), so the child's CPU time over a target's load,
 * divided by the requests answered, is the CPU per request of that target (the other servers are idle meanwhile).
 * All the load comes from one client, so the demo's rate limits (per client: 120 a minute on `POST /session`, 300 on
 * status reads) are raised out of the way: this measures the work, not the limits (bench/status-reads.ts measures those).
 *
 * Requests/s is autocannon's mean of its per-second samples (`requests.average`); p50/p99 are its latency
 * percentiles, which it keeps in whole milliseconds (a bare handler's p50 reads 0 ms). Each figure is the median of
 * the rounds. The generator and the servers share this machine's cores (2 here), so the figures are a lower bound
 * for an endpoint on its own machine; the ratios are what the budgets hold.
 *
 *   npx tsx bench/endpoint.ts [--duration 5] [--connections 10] [--warmup 1] [--rounds 3] [--cpu-prof <dir>]
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { resolveDemoOrder } from '../demo/catalogue.ts';
import { DEMO_SECRET } from '../demo/config.ts';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import type { SessionResponse } from '../src/core/model.ts';
import { nodeServerOptions } from '../src/server/http/node.ts';
import { format, numberArg, report } from './report.ts';

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  requests: number;
  /** CPU time of the server process over the load, in µs. */
  cpuMicros: number;
}

interface LoadOptions {
  durationSeconds: number;
  connections: number;
  warmUpSeconds: number;
  rounds: number;
}

/** What the server process answers once it is up: where each target listens. */
interface Targets {
  /** The demo: Kassa through `createNodeListener`. */
  node: string;
  /** The same handler behind a generic Fetch adapter. */
  fetch: string;
  /** The minimal handler doing a session's essential work. */
  reference: string;
  sessionBody: string;
  payments: Array<{ label: string; path: string; state: string; floor: string }>;
}

type ServerMessage = { targets: Targets } | { cpu: NodeJS.CpuUsage } | { error: string };

/** One request outside the load, to set the targets up and to copy their answers for the floors. */
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

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(nodeServerOptions(), handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A bare node:http handler answering one fixed JSON body, for the floor. */
function bareHandler(status: number, json: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  };
}

/**
 * The reference for `POST /session`: the work a session needs and nothing else — the body parsed, the order looked
 * up, a session token with the same claims signed by jose with the same HS256 key (imported once, as Kassa does), the
 * same answer written.
 */
export function referenceSessionHandler(secret: string, ttlSeconds: number, sample: SessionResponse) {
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { order: string; locale?: string };
      const order = resolveDemoOrder(body.order);
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ ord: order.reference, amt: order.amount, cur: order.currency, sid: randomBytes(12).toString('base64url'), typ: 'session' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('kassa')
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(await key);
      const answer: SessionResponse = {
        ...sample,
        token,
        order: order.reference,
        amount: order.amount,
        currency: order.currency,
        locale: body.locale ?? 'en',
        expiresAt: new Date((now + ttlSeconds) * 1000).toISOString(),
      };
      const json = JSON.stringify(answer);
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
      res.end(json);
    });
  };
}

/**
 * A generic node:http ↔ Fetch adapter, as a merchant mounting the Fetch handler writes one (or takes one from a
 * framework): a `Request` with the Node headers and the body as a web stream, the `Response` written back.
 */
function fetchAdapter(handler: (request: Request, context: { clientAddress?: string }) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const one of value) headers.append(name, one);
      else if (value !== undefined) headers.set(name, value);
    }
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: abort.signal };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
    const response = await handler(new Request(`http://${req.headers.host}${req.url}`, init), { clientAddress: req.socket.remoteAddress });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    res.writeHead(response.status, out);
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  };
}

/** The server process: the sandbox, the demo and every target, then CPU readings on request until told to stop. */
async function serve(): Promise<void> {
  const sandbox = await startSandbox();
  const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { rateLimitPerMinute: 1e9, statusRateLimitPerMinute: 1e9 } });
  const agent = new Agent({ keepAlive: true });
  const closers: Array<() => Promise<void>> = [];

  const sessionBody = JSON.stringify({ order: 'DEMO-EUR', locale: 'en' });
  const sessionUrl = new URL('/kassa/session', demo.url);
  const first = await send(agent, sessionUrl, 'POST', sessionBody);
  if (first.status !== 201) throw new Error(`POST /session answered ${first.status}: ${first.text}`);
  const session = JSON.parse(first.text) as SessionResponse;
  const ttlSeconds = Math.round((Date.parse(session.expiresAt) - Date.now()) / 1000);
  const fetchPath = await listen(fetchAdapter(demo.kassa));
  const reference = await listen(referenceSessionHandler(DEMO_SECRET, ttlSeconds, session));
  closers.push(fetchPath.close, reference.close);
  for (const url of [fetchPath.url, reference.url]) {
    const answer = await send(agent, new URL('/kassa/session', url), 'POST', sessionBody);
    if (answer.status !== 201 || (JSON.parse(answer.text) as SessionResponse).methods.length !== session.methods.length) {
      throw new Error(`${url} answered ${answer.status}: ${answer.text}`);
    }
  }

  // GET /payments/{ref}: one pending hi.health payment, one paid.
  const method = session.methods.find((m) => m.provider === 'hidirect' && !(m.fields ?? []).some((f) => f.required));
  if (!method) throw new Error('no hi.health method without required fields in the session');
  const createPayment = async (key: string) => {
    // An order of its own for each: a paid order would refuse the sessions measured after it.
    const body = JSON.stringify({ order: `DEMO-EUR~${key}`, locale: 'en' });
    const fresh = JSON.parse((await send(agent, sessionUrl, 'POST', body)).text) as { token: string };
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
  const payments: Targets['payments'] = [];
  for (const [label, ref] of [['GET /payments/{ref} paid', paid], ['GET /payments/{ref} pending', pending]] as const) {
    const path = `/kassa/payments/${ref}`;
    const one = await send(agent, new URL(path, demo.url), 'GET');
    if (one.status !== 200) throw new Error(`GET /payments answered ${one.status}: ${one.text}`);
    const state = (JSON.parse(one.text) as { state?: string; payment?: { state?: string } }).state ?? '?';
    const floor = await listen(bareHandler(200, one.text));
    closers.push(floor.close);
    payments.push({ label, path, state, floor: floor.url });
  }
  agent.destroy();

  const stop = async () => {
    for (const close of closers) await close();
    await demo.close();
    await sandbox.close();
    process.disconnect?.();
    // Exits on its own, so a --cpu-prof profile is written.
    process.exit(0);
  };
  process.on('message', (message: string) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() } satisfies ServerMessage);
    if (message === 'stop') void stop();
  });
  process.send?.({ targets: { node: demo.url, fetch: fetchPath.url, reference: reference.url, sessionBody, payments } } satisfies ServerMessage);
}

/** The server process and a way to read its CPU time. */
async function startServers(profileDir: string | undefined): Promise<{ targets: Targets; cpuMicros(): Promise<number>; stop(): Promise<void> }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () =>
    new Promise<ServerMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the server process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message: ServerMessage) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const ready = await next();
  if (!('targets' in ready)) throw new Error(`the server process did not start: ${'error' in ready ? ready.error : JSON.stringify(ready)}`);
  return {
    targets: ready.targets,
    cpuMicros: async () => {
      const reply = next();
      child.send('cpu');
      const message = await reply;
      if (!('cpu' in message)) throw new Error('no CPU reading from the server process');
      return message.cpu.user + message.cpu.system;
    },
    stop: async () => {
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Warm-up (connections opened, caches and the JIT warm), then the measured run, with the server's CPU around it. */
async function load(url: URL, method: 'GET' | 'POST', body: string | undefined, options: LoadOptions, cpuMicros: () => Promise<number>): Promise<LoadResult> {
  const target = {
    url: url.href,
    method,
    connections: options.connections,
    ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
  };
  if (options.warmUpSeconds > 0) await autocannon({ ...target, duration: options.warmUpSeconds });
  const cpuBefore = await cpuMicros();
  const result = await autocannon({ ...target, duration: options.durationSeconds });
  const cpuAfter = await cpuMicros();
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
    cpuMicros: cpuAfter - cpuBefore,
  };
}

/** The rounds of one target as one figure: median req/s and latencies, CPU over all requests, failures summed. */
function combine(results: LoadResult[]): LoadResult {
  const median = (pick: (r: LoadResult) => number) => {
    const sorted = results.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const sum = (pick: (r: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    rps: median((r) => r.rps),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    requests: sum((r) => r.requests),
    cpuMicros: sum((r) => r.cpuMicros),
  };
}

const cpuPerRequest = (result: LoadResult) => result.cpuMicros / Math.max(1, result.requests);

/**
 * Budgets. Absolute ones (Kassa's own, on this kind of machine, the generator sharing it, 10 connections): enough
 * throughput for a busy shop's checkouts many times over, a p99 that a shopper does not notice, every request
 * answered 2xx. Against the reference: the endpoint's routing, validation, limits and adapter may cost up to
 * 1 − 0.6 of the throughput a minimal session handler reaches, and double its p99.
 */
const BUDGET = { minRps: 500, p99Ms: 250, failures: 0, minReferenceRatio: 0.6, referenceP99Ratio: 2 };

function describeLoad(result: LoadResult): string {
  return `${format(result.rps)} req/s (p50 ${result.p50} ms, p99 ${result.p99} ms, ${format(cpuPerRequest(result))} µs CPU/request, ${format(result.requests)} requests, ${result.errors} errors, ${result.non2xx} non-2xx)`;
}

function clean(label: string, result: LoadResult): boolean {
  if (result.errors + result.non2xx === 0) return true;
  console.log(`  ${label} had ${result.errors} errors and ${result.non2xx} non-2xx answers`);
  return false;
}

function printAbsolute(label: string, kassa: LoadResult): boolean {
  let ok = report({ name: `${label} req/s`, value: kassa.rps, unit: 'req/s', min: BUDGET.minRps });
  report({ name: `${label} p50`, value: kassa.p50, unit: 'ms' });
  ok = report({ name: `${label} p99`, value: kassa.p99, unit: 'ms', budget: BUDGET.p99Ms }) && ok;
  report({ name: `${label} CPU per request`, value: cpuPerRequest(kassa), unit: 'µs' });
  ok = report({ name: `${label} errors + non-2xx`, value: kassa.errors + kassa.non2xx, unit: 'requests', budget: BUDGET.failures }) && ok;
  return ok;
}

function printSession(node: LoadResult, fetchPath: LoadResult, reference: LoadResult): boolean {
  console.log(`  POST /session: Kassa (createNodeListener) ${describeLoad(node)}`);
  console.log(`                 Kassa (Fetch handler, generic adapter) ${describeLoad(fetchPath)}`);
  console.log(`                 minimal node:http handler ${describeLoad(reference)}`);
  let ok = printAbsolute('POST /session', node);
  const referenceNote = `minimal handler ${format(reference.rps)} req/s, p99 ${reference.p99} ms, ${format(cpuPerRequest(reference))} µs CPU/request`;
  ok =
    report({ name: 'POST /session vs minimal handler req/s', value: node.rps / reference.rps, unit: '×', min: BUDGET.minReferenceRatio, note: referenceNote }) && ok;
  // p99 in whole ms: a reference p99 of 0 ms is taken as 1 ms.
  ok = report({ name: 'POST /session vs minimal handler p99', value: node.p99 / Math.max(1, reference.p99), unit: '×', budget: BUDGET.referenceP99Ratio }) && ok;
  report({ name: 'POST /session vs minimal handler CPU per request', value: cpuPerRequest(node) / cpuPerRequest(reference), unit: '×' });
  report({ name: 'POST /session Fetch path req/s', value: fetchPath.rps, unit: 'req/s', note: `${format(fetchPath.rps / reference.rps)}× the minimal handler` });
  report({ name: 'POST /session Fetch path p99', value: fetchPath.p99, unit: 'ms' });
  report({ name: 'POST /session Fetch path CPU per request', value: cpuPerRequest(fetchPath), unit: 'µs' });
  ok = clean('POST /session (Fetch path)', fetchPath) && ok;
  // The reference must itself be clean, or the ratio compares against failures.
  return clean('the minimal handler', reference) && ok;
}

export async function measureEndpoint(
  options: LoadOptions = {
    durationSeconds: numberArg('duration', 5),
    connections: numberArg('connections', 10),
    warmUpSeconds: numberArg('warmup', 1),
    rounds: numberArg('rounds', 3),
  },
): Promise<boolean> {
  const profileAt = process.argv.indexOf('--cpu-prof');
  const servers = await startServers(profileAt > 0 ? process.argv[profileAt + 1] : undefined);
  const { targets } = servers;
  let ok = true;
  try {
    console.log(
      `\nautocannon: ${options.connections} connections, keep-alive, ${options.warmUpSeconds} s warm-up + ${options.durationSeconds} s per target, ${options.rounds} rounds; servers in a child process (Node ${process.version})`,
    );

    const sessionTargets = [
      ['node', targets.node],
      ['fetch', targets.fetch],
      ['reference', targets.reference],
    ] as const;
    const sessionRuns: Record<string, LoadResult[]> = { node: [], fetch: [], reference: [] };
    for (let round = 0; round < options.rounds; round++) {
      // Each round in another order, so no target always runs first (or right after another).
      const order = sessionTargets.map((_, i) => sessionTargets[(i + round) % sessionTargets.length]!);
      for (const [name, base] of order) {
        sessionRuns[name]!.push(await load(new URL('/kassa/session', base), 'POST', targets.sessionBody, options, servers.cpuMicros));
      }
    }
    ok = printSession(combine(sessionRuns.node!), combine(sessionRuns.fetch!), combine(sessionRuns.reference!)) && ok;

    for (const { label, path, state, floor } of targets.payments) {
      const kassa = await load(new URL(path, targets.node), 'GET', undefined, options, servers.cpuMicros);
      const bare = await load(new URL(path, floor), 'GET', undefined, options, servers.cpuMicros);
      console.log(`  ${label}: Kassa ${describeLoad(kassa)}`);
      console.log(`  ${' '.repeat(label.length)}  bare node:http ${describeLoad(bare)}`);
      console.log(`  (state ${state}${state === 'paid' ? ', a store read' : ', read from the sandbox provider at most once per 2 s, else from the store'})`);
      ok = printAbsolute(label, kassa) && ok;
      report({ name: `${label} bare÷Kassa req/s`, value: bare.rps / kassa.rps, unit: '×', note: `bare node:http ${format(bare.rps)} req/s` });
      ok = clean(`${label}: the bare floor`, bare) && ok;
    }
  } finally {
    await servers.stop();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--serve')) {
    await serve().catch((error: unknown) => {
      process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ServerMessage);
      process.exit(1);
    });
  } else {
    console.log('Kassa bench: endpoint');
    process.exitCode = (await measureEndpoint()) ? 0 : 1;
  }
}
