/**
 * Status streams (`GET /payments/{ref}/events`, Server-Sent Events): what open streams cost the endpoint, where it
 * stops taking more, and whether other shoppers notice. The sandbox and the endpoint run in this process.
 * - (a) memory per 1,000 open streams: this process's JS heap (`heapUsed`, plus `external`: buffers outside it) and
 *   RSS after garbage collection, with `--streams` streams (default 1,000; limits raised) held open by the endpoint,
 *   minus the same with none open, scaled to 1,000. Before the baseline as many streams were opened and closed once,
 *   so compiled code and grown pools are in both readings. The clients are raw sockets in a child process, so only
 *   the endpoint's side is counted. Every stream follows the same pending hi.health payment: the figure is a stream's
 *   own cost (socket, request, response stream, store subscription, timers), not the watcher's loop per payment.
 *   Budget (heap + external, "memory per open stream"): 30 kB a stream, so the default cap of 500 costs at most
 *   15 MB, a sixteenth of a small (256 MB) container.
 * - (b) the refusal point with the defaults (16 streams per client, 500 in all), on an endpoint mounted with
 *   `trustProxy: 1` so clients are told apart by `X-Forwarded-For`: one client opens streams until refused (expect
 *   16, then 429 `too-many-streams`); then clients opening 10 each until the endpoint is full (expect 500, then 503
 *   `server-busy`).
 * - (c) how long another client waits for `GET /health` and `POST /session` while the endpoint holds its 500
 *   streams, against the same with no stream open, measured in the same run: two rounds of `--requests` (50) of
 *   each, one after another on one keep-alive connection; p50 over both rounds, and max as the lower of the two
 *   rounds' slowest (a stall the streams cause shows in both; a hiccup of this shared machine seldom does). Budgets:
 *   p50 at most 2× the figure with none open, since idle streams hold sockets and timers, not the event loop, so a
 *   shopper starting a checkout should not wait on them (a ratio, as the figures are fractions of a millisecond
 *   here); max at most 50 ms, an absolute bound, as the slowest request is one garbage collection or scheduling
 *   hiccup, which no ratio describes, and 50 ms is still not a wait a shopper notices.
 *
 * File descriptors: (b) and (c) hold both ends of 500+ sockets in this process; (a) holds `--streams` here and as
 * many in the child. Both are checked against the open-files limit (`ulimit -n`) and capped, as the output says,
 * when it is lower.
 *
 *   npx tsx bench/streams.ts [--streams 1000] [--requests 50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { demoKassaConfig } from '../demo/config.ts';
import { startDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { isFinalState, type PaymentState } from '../src/core/model.ts';
import { problemCode } from '../src/core/problems.ts';
import type { KassaConfig } from '../src/server/config.ts';
import { createKassaHandler } from '../src/server/handler.ts';
import { answerClientErrors, createNodeListener, nodeServerOptions } from '../src/server/http/node.ts';
import { MemoryStore, type PaymentListener } from '../src/server/stores/store.ts';
import { format, numberArg, percentile, report, sleep } from './report.ts';

const MB = 1024 * 1024;
/** Kassa's budgets; see the top comment for why. */
const BUDGET = { perStreamKb: 30, p50Ratio: 2, maxMs: 50 };
/** The endpoint's defaults, which (b) expects to find. */
const DEFAULT_PER_CLIENT = 16;
const DEFAULT_TOTAL = 500;
const STREAMS_PER_CLIENT = 10;
/** Sockets this process uses besides the streams (servers, the sandbox, the latency client, stdio), with room to spare. */
const FD_MARGIN = 200;

/** `global.gc` without needing `node --expose-gc` (run.mjs starts every bench the same way). */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The soft limit on open files (`ulimit -n`), or Infinity when it cannot be read. */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (soft) return soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    // not Linux: ask the shell
  }
  const shell = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const value = shell.stdout?.trim();
  return !value || value === 'unlimited' ? Infinity : Number(value) || Infinity;
}

/** Counts the store's live subscriptions: each open stream holds one, from its first byte until it closes. */
class CountingStore extends MemoryStore {
  live = 0;

  override subscribe(reference: string, listener: PaymentListener): () => void {
    const unsubscribe = super.subscribe(reference, listener);
    this.live++;
    let done = false;
    return () => {
      if (!done) this.live--;
      done = true;
      unsubscribe();
    };
  }

  async until(count: number, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.live !== count) {
      if (Date.now() > deadline) throw new Error(`${what}: the endpoint holds ${this.live} streams, not ${count}`);
      await sleep(20);
    }
  }
}

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A hi.health payment that stays pending, so its streams stay open (a final payment's stream ends after one event). */
async function pendingPayment(endpoint: string, key: string): Promise<string> {
  const session = await post<{ token: string }>(`${endpoint}/session`, { order: 'DEMO-EUR' });
  const { payment } = await post<{ payment: { reference: string; state: PaymentState } }>(
    `${endpoint}/payments`,
    { token: session.token, method: 'hidirect:hi-health' },
    { 'idempotency-key': `${key}-${process.pid}` },
  );
  if (isFinalState(payment.state)) throw new Error(`a new hi.health payment is ${payment.state}`);
  return payment.reference;
}

// ——— (a) memory ———

/**
 * The child process's side: opens `count` streams as raw sockets, 50 at a time, says "open" once each has its first
 * status event, and closes them all when told (a line on stdin). Plain JavaScript, run with `node -e`.
 */
const STREAM_CLIENTS = `
const net = require('node:net');
const [port, path, count] = process.argv.slice(1);
const sockets = [];
const openOne = () => new Promise((resolve, reject) => {
  const socket = net.connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  let seen = '';
  socket.setEncoding('utf8');
  socket.on('connect', () => socket.write('GET ' + path + ' HTTP/1.1\\r\\nHost: 127.0.0.1:' + port + '\\r\\nAccept: text/event-stream\\r\\n\\r\\n'));
  socket.on('data', (text) => {
    if (seen === null) return;
    seen += text;
    if (!seen.startsWith('HTTP/1.1 200')) return reject(new Error(seen.split('\\r\\n')[0]));
    if (seen.includes('event: status')) { seen = null; resolve(); }
  });
  socket.on('error', reject);
});
(async () => {
  for (let i = 0; i < Number(count); i += 50) await Promise.all(Array.from({ length: Math.min(50, Number(count) - i) }, openOne));
  process.stdout.write('open\\n');
})().catch((error) => { console.error('stream client: ' + error.message); process.exit(1); });
process.stdin.on('data', () => { for (const s of sockets) s.destroy(); process.exit(0); });
`;

/** Opens `count` streams from a child process; answers its `close`, which resolves once the child has exited. */
async function childStreams(url: URL, count: number): Promise<{ close(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', STREAM_CLIENTS, url.port, url.pathname, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('open')) resolve();
    });
    void exited.then((code) => reject(new Error(`the stream client exited (${code}) before all ${count} streams were open`)));
  });
  return {
    close: async () => {
      child.stdin.write('close\n');
      await exited;
    },
  };
}

interface Memory {
  heap: number;
  external: number;
  rss: number;
}

async function settledMemory(gc: () => void): Promise<Memory> {
  // Several passes with turns of the event loop between them: one pass may leave what the next frees.
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(50);
  }
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heap: heapUsed, external, rss };
}

async function measureMemory(sandboxUrl: string, wanted: number, fdLimit: number): Promise<boolean> {
  const count = Math.min(wanted, fdLimit - FD_MARGIN);
  if (count < wanted) console.log(`  (a): ulimit -n is ${fdLimit}: ${count} streams instead of ${wanted}`);
  const store = new CountingStore();
  const demo = await startDemo({
    sandboxUrl,
    overrides: { store, statusRateLimitPerMinute: 1e9, maxStreamsPerClient: count + 10, maxStreams: count + 10 },
  });
  const gc = garbageCollector();
  try {
    const reference = await pendingPayment(`${demo.url}/kassa`, 'bench-streams-memory');
    const url = new URL(`/kassa/payments/${reference}/events`, demo.url);
    // Once over, so the code and pools the streams use are already there when the baseline is read.
    const warmUp = await childStreams(url, count);
    await store.until(count, 'warm-up');
    await warmUp.close();
    await store.until(0, 'after the warm-up');
    const idle = await settledMemory(gc);
    const started = performance.now();
    const held = await childStreams(url, count);
    await store.until(count, 'measured');
    const openMs = performance.now() - started;
    const open = await settledMemory(gc);
    await held.close();
    await store.until(0, 'after the measured streams');

    const per1000 = (bytes: number) => ((bytes / count) * 1000) / MB;
    const heap = open.heap + open.external - (idle.heap + idle.external);
    console.log(
      `  (a): ${format(count)} streams opened in ${format(openMs)} ms; heap ${format(idle.heap / MB)} → ${format(open.heap / MB)} MB, external ${format(idle.external / MB)} → ${format(open.external / MB)} MB, RSS ${format(idle.rss / MB)} → ${format(open.rss / MB)} MB`,
    );
    report({ name: '(a) JS heap per 1,000 open streams', value: per1000(open.heap - idle.heap), unit: 'MB', note: `${format((open.heap - idle.heap) / count / 1024)} kB a stream` });
    report({ name: '(a) RSS per 1,000 open streams', value: per1000(open.rss - idle.rss), unit: 'MB', note: 'after GC; freed pages may stay with the process' });
    report({ name: '(a) heap + external per 1,000 open streams', value: per1000(heap), unit: 'MB', note: `at the default cap of ${DEFAULT_TOTAL}: ${format(per1000(heap) / 2)} MB` });
    return report({
      name: 'memory per open stream (heap + external)',
      value: heap / count / 1024,
      unit: 'kB',
      budget: BUDGET.perStreamKb,
      note: `${format(count)} streams held, against none`,
    });
  } finally {
    await demo.close();
  }
}

// ——— (b) and (c): the defaults, clients told apart by X-Forwarded-For ———

interface Endpoint {
  url: string;
  store: CountingStore;
  errors: string[];
  close(): Promise<void>;
}

/** The demo's configuration with the defaults, on its own node:http server, behind one (pretend) proxy. */
async function startEndpoint(sandboxUrl: string, overrides: Partial<KassaConfig> = {}): Promise<Endpoint> {
  const server: Server = createServer(nodeServerOptions());
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new CountingStore();
  const errors: string[] = [];
  const config = demoKassaConfig({ sandboxUrl, shopUrl: url });
  const handler = createKassaHandler({ ...config, store, onError: (error, context) => void errors.push(`${context}: ${String(error)}`), ...overrides });
  server.on('request', createNodeListener(handler, { trustProxy: 1 }));
  return {
    url,
    store,
    errors,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Stream {
  status: number;
  /** The problem's code when refused. */
  type: string;
  close(): void;
}

/** Opens a stream as `client`: open once its first status event is in, or refused with a problem. */
function openStream(endpoint: Endpoint, reference: string, client: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    // Its own connection (no agent): an open stream holds one, as a browser's EventSource does.
    const req = request(`${endpoint.url}/kassa/payments/${reference}/events`, { agent: false, headers: { 'x-forwarded-for': client } }, (res: IncomingMessage) => {
      let seen = '';
      res.setEncoding('utf8');
      const onData = (text: string) => {
        seen += text;
        if (res.statusCode === 200 && seen.includes('event: status')) {
          res.off('data', onData);
          res.resume();
          resolve({ status: 200, type: '', close: () => req.destroy() });
        }
      };
      res.on('data', onData);
      res.on('end', () => {
        if (res.statusCode === 200) return reject(new Error('a stream ended before its first status'));
        let type = '';
        try {
          type = problemCode((JSON.parse(seen) as { type?: unknown }).type) ?? '';
        } catch {
          // not a problem body: the status alone is reported
        }
        resolve({ status: res.statusCode ?? 0, type, close: () => req.destroy() });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens streams, a new client every `perClient`, until one is refused; answers those held and the refusal. */
async function openUntilRefused(endpoint: Endpoint, reference: string, client: (k: number) => string, perClient: number, most: number) {
  const held: Stream[] = [];
  for (let i = 0; i < most; i++) {
    const stream = await openStream(endpoint, reference, client(Math.floor(i / perClient)));
    if (stream.status !== 200) return { held, refusal: stream };
    held.push(stream);
  }
  return { held, refusal: undefined };
}

async function closeAll(endpoint: Endpoint, held: Stream[]): Promise<void> {
  for (const stream of held) stream.close();
  await endpoint.store.until(0, 'after closing');
}

/** `requests` of each kind, one after another on one keep-alive connection, after 10 of each to warm up. */
async function timeRequests(endpoint: Endpoint, client: string, requests: number): Promise<{ health: number[]; session: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = (method: 'GET' | 'POST', path: string, body?: string) =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const headers: Record<string, string> = { 'x-forwarded-for': client, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) };
      const req = request(`${endpoint.url}${path}`, { method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve(performance.now() - started) : reject(new Error(`${method} ${path} answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  // What was just opened or closed settles first: the figure is about streams held, not about opening them.
  await sleep(500);
  const health = () => one('GET', '/kassa/health');
  const session = () => one('POST', '/kassa/session', '{"order":"DEMO-EUR"}');
  try {
    for (let i = 0; i < 10; i++) {
      await health();
      await session();
    }
    const times = { health: [] as number[], session: [] as number[] };
    for (let i = 0; i < requests; i++) times.health.push(await health());
    for (let i = 0; i < requests; i++) times.session.push(await session());
    return times;
  } finally {
    agent.destroy();
  }
}

interface Timings {
  /** Every request of both rounds. */
  all: number[];
  /** The lower of the two rounds' slowest. */
  max: number;
}

/**
 * Two rounds (each from its own client, within `POST /session`'s 120 a minute): a stall the streams cause shows in
 * both rounds' slowest request, a hiccup of this shared machine seldom in both.
 */
async function latencies(endpoint: Endpoint, clients: [string, string], requests: number): Promise<{ health: Timings; session: Timings }> {
  const rounds = [await timeRequests(endpoint, clients[0], requests), await timeRequests(endpoint, clients[1], requests)];
  const timings = (route: 'health' | 'session'): Timings => ({
    all: rounds.flatMap((r) => r[route]),
    max: Math.min(...rounds.map((r) => Math.max(...r[route]))),
  });
  return { health: timings('health'), session: timings('session') };
}

async function measureCaps(sandboxUrl: string, requests: number, fdLimit: number): Promise<boolean> {
  const endpoint = await startEndpoint(sandboxUrl);
  let ok = true;
  const held: Stream[] = [];
  try {
    const reference = await pendingPayment(`${endpoint.url}/kassa`, 'bench-streams-caps');

    // (b) one client
    const single = await openUntilRefused(endpoint, reference, () => '203.0.113.1', Infinity, DEFAULT_PER_CLIENT * 4);
    const first = single.refusal ? `${single.refusal.status} ${single.refusal.type}` : 'none';
    console.log(`  (b) one client: ${single.held.length} streams accepted, then ${first}`);
    ok = report({ name: '(b) streams accepted from one client', value: single.held.length, unit: 'streams', budget: DEFAULT_PER_CLIENT, note: `then ${first}` }) && ok;
    if (single.held.length !== DEFAULT_PER_CLIENT || first !== '429 too-many-streams') {
      console.log(`  (b) one client: expected ${DEFAULT_PER_CLIENT} accepted, then 429 too-many-streams`);
      ok = false;
    }
    await closeAll(endpoint, single.held);

    // (c) baseline, no stream open
    const idle = await latencies(endpoint, ['198.51.100.1', '198.51.100.2'], requests);

    // (b) many clients, until the endpoint is full
    const room = fdLimit - FD_MARGIN;
    if (room < 2 * (DEFAULT_TOTAL + 1)) {
      console.log(`  (b) many clients: ulimit -n is ${fdLimit}, too low to hold both ends of ${DEFAULT_TOTAL} streams in one process: not measured`);
      return false;
    }
    const address = (k: number) => `10.0.${Math.floor(k / 250)}.${(k % 250) + 1}`;
    const many = await openUntilRefused(endpoint, reference, address, STREAMS_PER_CLIENT, DEFAULT_TOTAL * 2);
    held.push(...many.held);
    const full = many.refusal ? `${many.refusal.status} ${many.refusal.type}` : 'none';
    const clients = Math.ceil(many.held.length / STREAMS_PER_CLIENT);
    console.log(`  (b) many clients: ${many.held.length} streams accepted from ${clients} clients (${STREAMS_PER_CLIENT} each), then ${full}; the endpoint holds ${endpoint.store.live}`);
    ok = report({ name: '(b) streams accepted in all', value: many.held.length, unit: 'streams', budget: DEFAULT_TOTAL, note: `then ${full}` }) && ok;
    if (many.held.length !== DEFAULT_TOTAL || full !== '503 server-busy' || endpoint.store.live !== DEFAULT_TOTAL) {
      console.log(`  (b) many clients: expected ${DEFAULT_TOTAL} accepted and held, then 503 server-busy`);
      ok = false;
    }

    // (c) at the cap
    const busy = await latencies(endpoint, ['198.51.100.3', '198.51.100.4'], requests);
    for (const [label, route] of [['GET /health', 'health'], ['POST /session', 'session']] as const) {
      const [p50Idle, p50Busy] = [percentile(idle[route].all, 50), percentile(busy[route].all, 50)];
      const [maxIdle, maxBusy] = [idle[route].max, busy[route].max];
      console.log(`  (c) ${label}, 2 × ${requests} requests: no streams p50 ${p50Idle.toFixed(2)} ms, max ${maxIdle.toFixed(2)} ms; ${DEFAULT_TOTAL} streams open p50 ${p50Busy.toFixed(2)} ms, max ${maxBusy.toFixed(2)} ms`);
      report({ name: `(c) ${label} p50 at the stream cap`, value: p50Busy, unit: 'ms', note: `${p50Idle.toFixed(2)} ms with none open` });
      ok = report({ name: `(c) ${label} p50, at the cap ÷ none open`, value: p50Busy / p50Idle, unit: '×', budget: BUDGET.p50Ratio }) && ok;
      ok = report({ name: `(c) ${label} max at the stream cap`, value: maxBusy, unit: 'ms', budget: BUDGET.maxMs, note: `${maxIdle.toFixed(2)} ms with none open` }) && ok;
    }
    if (endpoint.errors.length) {
      console.log(`  the endpoint reported ${endpoint.errors.length} errors, the first: ${endpoint.errors[0]}`);
      ok = false;
    }
  } finally {
    for (const stream of held) stream.close();
    await endpoint.close();
  }
  return ok;
}

export async function measureStreams(streams = numberArg('streams', 1000), requests = numberArg('requests', 50)): Promise<boolean> {
  const fdLimit = openFilesLimit();
  const sandbox = await startSandbox();
  let ok = true;
  try {
    console.log(`\nopen status streams: ${format(streams)} for memory; the default caps (${DEFAULT_PER_CLIENT} a client, ${DEFAULT_TOTAL} in all); ${requests} requests of each kind timed (ulimit -n ${fdLimit}, Node ${process.version})`);
    ok = (await measureMemory(sandbox.url, streams, fdLimit)) && ok;
    ok = (await measureCaps(sandbox.url, requests, fdLimit)) && ok;
  } finally {
    await sandbox.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: streams');
  process.exitCode = (await measureStreams()) ? 0 : 1;
}
