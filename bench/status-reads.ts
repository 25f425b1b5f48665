/**
 * Status reads against the provider: what one client asking about a payment over and over costs the merchant's
 * provider quota. Kassa's budget: at most one provider read per payment per 2 s (`providerReadIntervalMs`), however
 * many status requests and streams ask. The sandbox and the demo run in this process; the provider calls are Hero's
 * `getPaymentsInfos` as the sandbox counts them (`GET /_sandbox/requests`), so nothing in the endpoint is trusted to
 * count itself.
 * - (a) one pending Hero payment, polled with `GET /payments/{ref}` by one client as fast as it can over 4 keep-alive
 *   connections for `--duration` seconds, against the demo's defaults: the status rate limit (300 a minute) answers
 *   most polls 429 before anything is read;
 * - (b) the same with that rate limit out of the way (`statusRateLimitPerMinute` 1e9): the polls reach the endpoint
 *   thousands of times, and only the shared read interval keeps the provider calls down;
 * - (c) `--payments` (200) pending Hero payments, each followed by one open event stream for `--duration` seconds: the reads come
 *   from the endpoint's watcher (a read at its first tick after the stream opens, then one a tick, every 2.1 s, while
 *   the payment is young), per payment counted by a store that counts the read leases it grants (checked against the
 *   sandbox's total: Hero reads the payments due together in one `getPaymentsInfos` call, so there are at most as
 *   many calls as leases).
 *
 * The figure is provider calls per 2 s per payment, as (calls − 1) ÷ (seconds ÷ 2): the first read comes with the
 * first request and each later one at least 2 s after the one before, so n reads span n − 1 intervals: 11 in 20 s
 * is on budget, and a client polling without pause, as in (b), meets it exactly (1.00). The sandbox's Hero allows 200 calls a second and 1,800 a minute per key, so (c) creates its payments
 * and opens its streams at a pace that stays under both: a 429 from it would still count as a call, but would be an
 * error in the endpoint's log, which is printed.
 *
 *   npx tsx bench/status-reads.ts [--duration 20] [--payments 200]
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../demo/server.ts';
import { startSandbox } from '../sandbox/server.ts';
import { callControl } from '../sandbox/testing.ts';
import { isFinalState, type PaymentState } from '../src/core/model.ts';
import type { KassaConfig } from '../src/server/config.ts';
import { MemoryStore } from '../src/server/stores/store.ts';
import { watchedReadDelay } from '../src/server/status/watcher.ts';
import { format, numberArg, report, sleep } from './report.ts';

/** Kassa's budget, and the default read interval it is written against. */
const BUDGET_CALLS_PER_INTERVAL = 1;
const INTERVAL_MS = 2_000;
const POLLING_CONNECTIONS = 4;
/** (c): the sandbox's Hero takes 200 calls a second per key; a payment costs 2 (createPayment, setOrderId). */
const CREATES_PER_SECOND = 40;
const STREAMS_PER_BATCH = 50;
const STREAM_BATCH_GAP_MS = 500;

/** The demo endpoint with its errors collected (printed with the figures) instead of logged. */
interface Shop {
  demo: RunningDemo;
  endpoint: string;
  errors: string[];
}

async function startShop(sandboxUrl: string, overrides: Partial<KassaConfig> = {}): Promise<Shop> {
  const errors: string[] = [];
  const demo = await startDemo({ sandboxUrl, overrides: { onError: (error, context) => void errors.push(`${context}: ${String(error)}`), ...overrides } });
  return { demo, endpoint: `${demo.url}/kassa`, errors };
}

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A session for DEMO-EUR and its Hero method; one session can start many payments (one Idempotency-Key each). */
async function heroSession(shop: Shop): Promise<{ token: string; method: string }> {
  const session = await post<{ token: string; methods: { id: string; provider: string }[] }>(`${shop.endpoint}/session`, { order: 'DEMO-EUR' });
  const method = session.methods.find((m) => m.provider === 'hero');
  if (!method) throw new Error('no Hero method for DEMO-EUR');
  return { token: session.token, method: method.id };
}

/** A Hero payment the shopper has not completed: it stays pending, so every status read may ask the provider. */
async function heroPayment(shop: Shop, session: { token: string; method: string }, key: string): Promise<string> {
  const { payment } = await post<{ payment: { reference: string; state: PaymentState } }>(
    `${shop.endpoint}/payments`,
    { token: session.token, method: session.method },
    { 'idempotency-key': `${key}-${process.pid}` },
  );
  if (isFinalState(payment.state)) throw new Error(`a new Hero payment is ${payment.state}`);
  return payment.reference;
}

/** When the sandbox's Hero answered `getPaymentsInfos`, every call since it started, as epoch ms. */
async function heroReads(sandboxUrl: string): Promise<number[]> {
  const { requests } = await callControl<{ requests: { at: string }[] }>(sandboxUrl, 'GET', '/requests?provider=hero&operation=getPaymentsInfos');
  return requests.map((r) => Date.parse(r.at));
}

/** One GET with its body read and dropped; answers the status. */
function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `connections` loops, each one request after another on its own kept-alive connection, until the time is up. */
async function pollFor(url: URL, durationMs: number): Promise<{ statuses: Map<number, number>; polls: number; ms: number }> {
  const statuses = new Map<number, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: POLLING_CONNECTIONS }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (performance.now() < deadline) {
          const status = await get(agent, url);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return { statuses, polls: [...statuses.values()].reduce((a, b) => a + b, 0), ms: performance.now() - started };
}

/** n reads over `ms`: the first at the start, then one per interval at most. */
const perInterval = (reads: number, ms: number) => Math.max(0, reads - 1) / (ms / INTERVAL_MS);

function shortestGap(times: number[]): number | undefined {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return gaps.length ? Math.min(...gaps) : undefined;
}

function printErrors(shop: Shop): boolean {
  if (!shop.errors.length) return true;
  console.log(`  the endpoint reported ${shop.errors.length} errors, the first: ${shop.errors[0]}`);
  return false;
}

/** (a) and (b): one payment, polled from one client; answers whether the figures are within budget. */
async function polling(sandboxUrl: string, part: 'a' | 'b', tag: string, overrides: Partial<KassaConfig>, durationMs: number): Promise<boolean> {
  const label = `(${part}) polling, ${tag}`;
  const shop = await startShop(sandboxUrl, overrides);
  try {
    const reference = await heroPayment(shop, await heroSession(shop), `bench-status-reads-${part}`);
    const before = (await heroReads(sandboxUrl)).length;
    const { statuses, polls, ms } = await pollFor(new URL(`${shop.endpoint}/payments/${reference}`), durationMs);
    await sleep(100); // a read the last poll started is counted too
    const reads = (await heroReads(sandboxUrl)).slice(before);
    const answers = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${format(n)} × ${status}`).join(', ');
    const gap = shortestGap(reads);
    console.log(`  ${label}: ${format(polls)} polls in ${(ms / 1000).toFixed(1)} s (${format(polls / (ms / 1000))}/s; ${answers}) → ${reads.length} Hero getPaymentsInfos calls`);
    report({ name: `${label}: answers 200`, value: statuses.get(200) ?? 0, unit: 'polls', note: `of ${format(polls)}` });
    // A status read is answered 200 or, over the rate limit, 429: anything else is the endpoint failing under the load.
    const clean = (statuses.get(200) ?? 0) + (statuses.get(429) ?? 0) === polls;
    if (!clean) console.log(`  ${label}: answers other than 200 and 429: ${answers}`);
    report({ name: `${label}: provider calls`, value: reads.length, unit: 'calls', note: `in ${(ms / 1000).toFixed(1)} s` });
    if (gap !== undefined) report({ name: `${label}: shortest gap between calls`, value: gap, unit: 'ms', note: 'as the sandbox logged them' });
    const ok = report({ name: `${label}: provider calls per 2 s`, value: perInterval(reads.length, ms), unit: 'calls', budget: BUDGET_CALLS_PER_INTERVAL });
    return printErrors(shop) && ok && clean && (statuses.get(200) ?? 0) > 0;
  } finally {
    await shop.demo.close();
  }
}

/** The demo's store, counting the provider-read leases it grants per payment: one lease, one read from the provider. */
class CountingStore extends MemoryStore {
  readonly reads = new Map<string, number>();

  override async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const granted = await super.hit(key, limit, windowMs);
    if (granted && key.startsWith('provider-read:')) {
      const reference = key.slice('provider-read:'.length);
      this.reads.set(reference, (this.reads.get(reference) ?? 0) + 1);
    }
    return granted;
  }
}

interface OpenStream {
  reference: string;
  openedAt: number;
  close(): void;
}

/** Opens a payment's event stream; resolves once its first status event arrived. */
function openStream(endpoint: string, reference: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    // Its own connection (no agent): an open stream holds one, as a browser's EventSource does.
    const req = request(`${endpoint}/payments/${reference}/events`, { agent: false, headers: { accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`the stream of ${reference} answered ${res.statusCode}`));
      }
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (!seen.includes('event: status')) return;
        res.off('data', onData);
        res.resume();
        resolve({ reference, openedAt: performance.now(), close: () => req.destroy() });
      };
      res.on('data', onData);
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

/** The most reads the watcher's schedule makes in `ms` of watching a new payment: one at its first tick, then by its age. */
function scheduledReads(ms: number): { count: number; at: number[] } {
  const at: number[] = [0];
  for (let t = watchedReadDelay(0, INTERVAL_MS); t <= ms; t += watchedReadDelay(t, INTERVAL_MS)) at.push(t);
  return { count: at.length, at };
}

/** (c): many payments, each followed by one open stream. */
async function streams(sandboxUrl: string, payments: number, durationMs: number): Promise<boolean> {
  const store = new CountingStore();
  const limits = { rateLimitPerMinute: 1e9, statusRateLimitPerMinute: 1e9, maxStreamsPerClient: payments + 10, maxStreams: payments + 10 };
  const shop = await startShop(sandboxUrl, { store, ...limits });
  const open: OpenStream[] = [];
  let ok = true;
  try {
    const session = await heroSession(shop);
    const references: string[] = [];
    const createStarted = performance.now();
    for (let i = 0; i < payments; i += CREATES_PER_SECOND) {
      const second = performance.now();
      const batch = Array.from({ length: Math.min(CREATES_PER_SECOND, payments - i) }, (_, j) => i + j);
      references.push(...(await Promise.all(batch.map((n) => heroPayment(shop, session, `bench-status-reads-c-${n}`)))));
      await sleep(Math.max(0, 1000 - (performance.now() - second)));
    }
    const createMs = performance.now() - createStarted;
    const before = (await heroReads(sandboxUrl)).length;
    store.reads.clear();

    // In batches, so the watchers' first reads (1 s after each stream opens) stay well under Hero's 200 a second.
    for (let i = 0; i < references.length; i += STREAMS_PER_BATCH) {
      open.push(...(await Promise.all(references.slice(i, i + STREAMS_PER_BATCH).map((reference) => openStream(shop.endpoint, reference)))));
      if (i + STREAMS_PER_BATCH < references.length) await sleep(STREAM_BATCH_GAP_MS);
    }
    await sleep(durationMs - (performance.now() - open.at(-1)!.openedAt));
    const closedAt = performance.now();
    for (const stream of open) stream.close();
    await sleep(200); // reads in flight when the streams closed
    const sandboxReads = (await heroReads(sandboxUrl)).length - before;
    const leases = [...store.reads.values()].reduce((a, b) => a + b, 0);
    console.log(`  (c): the store granted ${leases} read leases; the sandbox logged ${sandboxReads} getPaymentsInfos calls`);
    if (sandboxReads > leases) {
      console.log(`  (c): more calls than leases: reads outside the bound`);
      ok = false;
    }

    const watched = open.map((s) => closedAt - s.openedAt);
    const perPayment = open.map((s) => store.reads.get(s.reference) ?? 0);
    const rates = open.map((s, i) => perInterval(perPayment[i]!, watched[i]!));
    const longest = Math.max(...watched);
    const schedule = scheduledReads(longest);
    console.log(
      `  (c): ${payments} Hero payments made in ${(createMs / 1000).toFixed(1)} s; each followed by one open stream for ${(Math.min(...watched) / 1000).toFixed(1)}–${(longest / 1000).toFixed(1)} s → ${sandboxReads} Hero getPaymentsInfos calls`,
    );
    console.log(
      `  (c): the watcher's schedule reads at ${schedule.at.map((t) => t / 1000).join(', ')} s: ${schedule.count} reads a payment in ${(longest / 1000).toFixed(1)} s; measured ${Math.min(...perPayment)}–${Math.max(...perPayment)}`,
    );
    report({ name: '(c) streams: provider calls', value: sandboxReads, unit: 'calls', note: `${format(sandboxReads / payments)} a payment` });
    ok = report({ name: '(c) streams: most reads of one payment (schedule)', value: Math.max(...perPayment), unit: 'reads', budget: schedule.count }) && ok;
    ok = report({ name: '(c) streams: calls per 2 s, the most-read payment', value: Math.max(...rates), unit: 'calls', budget: BUDGET_CALLS_PER_INTERVAL }) && ok;
    ok = printErrors(shop) && ok;
  } finally {
    for (const stream of open) stream.close();
    await shop.demo.close();
  }
  return ok;
}

export async function measureStatusReads(durationMs = numberArg('duration', 20) * 1000, payments = numberArg('payments', 200)): Promise<boolean> {
  const sandbox = await startSandbox();
  let ok = true;
  try {
    console.log(`\none client, one pending Hero payment, ${POLLING_CONNECTIONS} keep-alive connections polling for ${durationMs / 1000} s; then ${payments} payments with a stream each (Node ${process.version})`);
    ok = (await polling(sandbox.url, 'a', 'defaults', {}, durationMs)) && ok;
    ok = (await polling(sandbox.url, 'b', 'no status limit', { statusRateLimitPerMinute: 1e9 }, durationMs)) && ok;
    ok = (await streams(sandbox.url, payments, durationMs)) && ok;
  } finally {
    await sandbox.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: status reads');
  process.exitCode = (await measureStatusReads()) ? 0 : 1;
}
