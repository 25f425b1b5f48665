/**
 * Reconciliation (src/server/status/reconciler.ts): what keeping `--pending` (1,000) payments that nobody decides
 * up to date costs the provider and the endpoint. No status stream is open and no webhook arrives (the sandbox
 * withholds them: a `drop` fault), so every provider read in the window is the reconciler's: its schedule reads a
 * payment every 10 s during its first 2 minutes.
 *
 * The sandbox runs in a child process (`node --import tsx sandbox/main.ts`), so this process's CPU
 * (`process.cpuUsage`) is the endpoint's: the demo server with the Kassa handler, its reconciler, its provider
 * client, the store; nothing else runs in it during the window. The sandbox's CPU (and redis-server's, from
 * `INFO cpu`) is printed beside it, for information. The payments are hi.health's (its create is one call), made
 * through the endpoint over HTTP (`POST /session`, `POST /payments`, one fresh `DEMO-EUR~…` order each, up to
 * `--concurrency` (16) at a time), spread evenly over 10 s — one period of the schedule, so its reads are spread
 * evenly too and a window counts the same whatever its phase (made in a burst, the reads would come in bursts every
 * 10–11 s, and a 60 s window would count 5 or 6 of them); then, once on the schedule every payment has had its
 * first read (the last one created + 12 s), the window (`--window` 60 s) starts. The provider reads are hi.health's `getPayment` calls as the
 * sandbox counts them (`GET /_sandbox/requests`, each stamped), so nothing in the endpoint counts itself; which
 * payment each read was for comes from the store (the per-payment provider-read window `ProviderReads` takes before
 * each read), checked against the sandbox's total. The window has to end before the oldest payment is 2 minutes
 * old (then the schedule slows to every 30 s): it is shortened when creating the payments took too long, and says so.
 *
 * Figures, per store (MemoryStore; RedisStore on a real redis-server, test/support/redis.ts):
 * - provider reads per minute per 1,000 pending payments. Budget (`BUDGET.readsPerMinute`): the schedule's own
 *   cost, one read per payment per 10 s = 6,000. More means reads the schedule does not ask for.
 * - how long a payment went between two reads in the window, p50 / p95 / max, and the payments not read at all in
 *   it. Budget (`BUDGET.gapP95Ms`): p95 ≤ 12 s, the schedule's 10 s plus the reconciler's 1 s look at it and a
 *   read's round trip. A reconciler that cannot keep up with the schedule reads fewer than 6,000 a minute (under the
 *   first budget) but fails this one: it is the promise the schedule makes ("a change nobody reports is found within
 *   30 s").
 * - the endpoint process's CPU over the window, as % of one core and per read. Budget (`BUDGET.cpuPercent`): ≤ 20 %
 *   of a core, loose: it is there to catch a reconciler that costs far more than its reads. The note estimates what
 *   the schedule's reads would cost at the CPU per read measured (an estimate, not a measurement, when the
 *   reconciler reads fewer).
 * Measured on the project's 2-core machine, both stores: about 5,640 reads a minute (by the payments' gaps, 5,550),
 * each payment read every 11.0 s (the schedule's 10 s, counted from the end of a read, then picked up at the
 * reconciler's next look, once a second), CPU 5.8–5.9 % of a core, about 0.6 ms per read; the sandbox 1–2 %,
 * redis-server 0.6 %. Before commit 3337514 the reconciler started reads only when it looked at its schedule (16 at
 * most, once a second): it read 960 a minute, each payment only about every 62 s, and the gap budget caught it.
 * Each store takes about 85 s (creating the payments 10 s, the first wave 12 s, the window 60 s): under 3 minutes in
 * all with the sandbox's start.
 *
 * Then "5,000 pending payments" (`--batch-pending`), on a MemoryStore: the providers that read many payments in one
 * call (Hero `getPaymentsInfos`, WhenThen `listPayments`, Kronor `paymentRequests`), 16 % Hero (its sandbox takes
 * 1,800 calls a minute per key, and a Hero payment costs 2 to make), 42 % WhenThen (Klarna), 42 % Kronor (Swish,
 * its payment request started as the browser would). The payments are made through the endpoint over HTTP as above
 * (16 at a time, interleaved across providers), but 5,000 take longer than one schedule period on a 2-core machine,
 * and reading them while they are made would slow the making (and, one by one, run into Hero's rate limit): so the
 * endpoint's reconciler is held back meanwhile (its store answers no due reads), then let go, as an instance taking
 * over a store full of pending payments would be; the window starts 12 s later, once it has caught up, and ends
 * before the oldest payment is 2 minutes old. Figures:
 * - provider calls per second, all three providers together, as the sandbox counts their status calls. Budget ≤ 20:
 *   the cost per tick is per provider, not per payment (one by one, 5,000 payments every 10 s would be 500 a second).
 * - the endpoint process's CPU, % of one core. Budget ≤ 10 %.
 * - between two reads of a payment, p95, the reads being the ones the store let through for it (alone or in a
 *   batch: bench/provider-reads.ts). Budget as above: the schedule's promise.
 * Measured on the project's 2-core machine before batch reads (the reconciler reading one by one, so calls = reads):
 * see the bench's output; the making takes about 40 s and the part about 2 minutes.
 *
 *   npx tsx bench/reconciliation.ts [--pending 1000] [--window 60] [--concurrency 16] [--stores memory,redis|none] [--batch-pending 5000]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { startDemo, type RunningDemo } from '../demo/server.ts';
import { startKronorSwish } from './browser.ts';
import { callControl } from '../sandbox/testing.ts';
import { isFinalState, type PaymentResponse, type SessionResponse } from '../src/core/model.ts';
import { RECONCILE_SCHEDULE } from '../src/server/status/reconciler.ts';
import { RedisStore } from '../src/server/stores/redis-store.ts';
import { MemoryStore, type KassaStore } from '../src/server/stores/store.ts';
import { startRedisServer, type RunningRedis } from '../test/support/redis.ts';
import { ReadNotingStore, statusCalls, type SandboxCall } from './provider-reads.ts';
import { format, mean, numberArg, percentile, report, sleep } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Kassa's budgets; see the top comment for why. */
const BUDGET = {
  /** Per 1,000 pending payments: one read each per 10 s. */
  readsPerMinute: 6_000,
  /** Between two reads of one payment. */
  gapP95Ms: 12_000,
  /** Of one core, over the window. */
  cpuPercent: 20,
};
const PROVIDER = 'hidirect';
/** The sandbox's name for a hi.health status read. */
const STATUS_OPERATION = 'getPayment';
/** The schedule's first step: read every 10 s while the payment is younger than 2 minutes. */
const FIRST_STEP = RECONCILE_SCHEDULE[0]!;
/** After the last payment is created: its first read (10 s), the reconciler's look (1 s), and a little more. */
const FIRST_WAVE_MS = FIRST_STEP.everyMs + 2_000;
/** The window ends this long before the oldest payment leaves the schedule's first step. */
const AGE_MARGIN_MS = 2_000;
/** Clock ticks per second in /proc/<pid>/stat (Linux's USER_HZ). */
const CLOCK_TICKS = 100;

type StoreName = 'MemoryStore' | 'RedisStore';

interface SandboxProcess {
  url: string;
  /** CPU seconds the sandbox process has used so far; undefined where /proc is not there to read. */
  cpuSeconds(): number | undefined;
  close(): Promise<void>;
}

/** The sandbox in a child process of its own, on a free port. */
async function startSandboxProcess(): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: root,
    env: { ...process.env, KASSA_SANDBOX_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in 20 s: ${output}`)), 20_000);
    const look = (chunk: Buffer) => {
      output += chunk;
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}): ${output}`)));
  });
  return {
    url,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return undefined;
  }
}

/** The store, wrapped to note when each payment's provider read was let through (`provider-read:<ref>` hits). */
function noting(store: KassaStore, reads: Map<string, number[]>): KassaStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'hit') {
        return async (key: string, limit: number, windowMs: number) => {
          const due = await target.hit(key, limit, windowMs);
          if (due && key.startsWith('provider-read:')) {
            const reference = key.slice('provider-read:'.length);
            reads.set(reference, [...(reads.get(reference) ?? []), Date.now()]);
          }
          return due;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function post<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return { status: response.status, body: JSON.parse(text) as T };
}

/** One hi.health payment for a fresh order, left undecided (`action_required`: the shopper never opens the page); answers its reference and when it was created. */
async function pendingPayment(demo: RunningDemo, order: string): Promise<{ reference: string; at: number }> {
  const session = (await post<SessionResponse>(`${demo.url}/kassa/session`, { order })).body;
  const method = session.methods.find((m) => m.provider === PROVIDER);
  if (!method) throw new Error(`no ${PROVIDER} method for ${order}`);
  const created = (await post<PaymentResponse>(`${demo.url}/kassa/payments`, { token: session.token, method: method.id }, { 'idempotency-key': randomUUID() })).body;
  if (!created.payment || isFinalState(created.payment.state)) throw new Error(`a new ${PROVIDER} payment for ${order} is ${created.payment?.state}`);
  return { reference: created.payment.reference, at: Date.now() };
}

async function statusReadTimes(sandboxUrl: string): Promise<number[]> {
  const { requests } = await callControl<{ requests: { at: string }[] }>(sandboxUrl, 'GET', `/requests?provider=${PROVIDER}&operation=${STATUS_OPERATION}`);
  return requests.map((r) => Date.parse(r.at));
}

interface Target {
  name: StoreName;
  store(): KassaStore;
  /** CPU seconds redis-server has used so far (`INFO cpu`); undefined without one. */
  cpuSeconds(): Promise<number | undefined>;
  close(): Promise<void>;
}

async function measureStore(sandbox: SandboxProcess, target: Target, pending: number, windowS: number, concurrency: number): Promise<boolean> {
  await callControl(sandbox.url, 'POST', '/reset');
  // No webhooks: hi.health's "created" callback (and any other) is withheld, so only the reconciler reads.
  await callControl(sandbox.url, 'POST', '/faults', { provider: PROVIDER, operation: 'webhook', kind: 'drop' });
  const errors: string[] = [];
  const reads = new Map<string, number[]>();
  const demo = await startDemo({
    sandboxUrl: sandbox.url,
    overrides: {
      store: noting(target.store(), reads),
      rateLimitPerMinute: 100_000,
      statusRateLimitPerMinute: 100_000,
      onError: (error, context) => void errors.push(`${context}: ${String(error)}`),
    },
  });
  let ok = true;
  try {
    // Create the payments.
    const created: Array<{ reference: string; at: number }> = [];
    const run = randomUUID().slice(0, 8);
    const startedCreating = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, pending) }, async () => {
        while (next < pending) {
          const n = next++;
          // Spread over one period of the schedule, so its reads are too: a window then counts the same whatever its phase.
          await sleep(startedCreating + (n * FIRST_STEP.everyMs) / pending - Date.now());
          created.push(await pendingPayment(demo, `DEMO-EUR~bench-rec-${run}-${n}`));
        }
      }),
    );
    const createdMs = Date.now() - startedCreating;
    const oldest = Math.min(...created.map((c) => c.at));
    const newest = Math.max(...created.map((c) => c.at));

    // The window: after every payment's first read, ending before the oldest one's schedule slows down.
    const windowStart = newest + FIRST_WAVE_MS;
    const latestEnd = oldest + FIRST_STEP.untilAgeMs - AGE_MARGIN_MS;
    const windowEnd = Math.min(windowStart + windowS * 1000, latestEnd);
    const windowMs = windowEnd - windowStart;
    const shortened = windowMs < windowS * 1000;
    console.log(
      `  ${target.name}: ${format(pending)} pending ${PROVIDER} payments created in ${(createdMs / 1000).toFixed(1)} s (spread over ${FIRST_STEP.everyMs / 1000} s at most ${concurrency} at a time); window ${(windowMs / 1000).toFixed(1)} s from ${((windowStart - newest) / 1000).toFixed(0)} s after the last one${shortened ? ` (shortened from ${windowS} s: it must end before the oldest payment is ${FIRST_STEP.untilAgeMs / 60_000} minutes old)` : ''}`,
    );
    if (windowMs < 2 * FIRST_STEP.everyMs) throw new Error(`the window would be ${(windowMs / 1000).toFixed(1)} s: create fewer payments or more at a time`);
    await sleep(windowStart - Date.now());
    const cpuBefore = process.cpuUsage();
    const [sandboxBefore, redisBefore] = [sandbox.cpuSeconds(), await target.cpuSeconds()];
    const wallBefore = performance.now();
    await sleep(windowEnd - Date.now());
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    const [sandboxAfter, redisAfter] = [sandbox.cpuSeconds(), await target.cpuSeconds()];

    // Provider reads in the window, by the sandbox's count and per payment by the store's.
    const inWindow = (t: number) => t >= windowStart && t < windowEnd;
    const sandboxReads = (await statusReadTimes(sandbox.url)).filter(inWindow).length;
    const references = new Set(created.map((c) => c.reference));
    let storeReads = 0;
    let unread = 0;
    /** Each read in the window: how long since the payment's read before it (or since it was created). */
    const gaps: number[] = [];
    /** The longest any payment went unread in the window, counting the time from its last read to the window's end. */
    let longest = 0;
    for (const { reference, at } of created) {
      const times = [at, ...(reads.get(reference) ?? [])].filter((t) => t < windowEnd);
      for (let i = 1; i < times.length; i++) {
        if (!inWindow(times[i]!)) continue;
        storeReads++;
        gaps.push(times[i]! - times[i - 1]!);
      }
      if (!times.some(inWindow)) unread++;
      longest = Math.max(longest, windowEnd - times.at(-1)!);
    }
    const otherReads = [...reads.keys()].filter((r) => !references.has(r)).length;
    const perMinute = (sandboxReads / (windowMs / 60_000)) * (1_000 / pending);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const cpuPercent = (cpuSeconds / (wallMs / 1000)) * 100;
    const [p50, p95, max] = [percentile(gaps, 50), percentile(gaps, 95), Math.max(longest, ...gaps)];
    const sandboxCpu = sandboxBefore !== undefined && sandboxAfter !== undefined ? ((sandboxAfter - sandboxBefore) / (wallMs / 1000)) * 100 : undefined;
    const redisCpu = redisBefore !== undefined && redisAfter !== undefined ? ((redisAfter - redisBefore) / (wallMs / 1000)) * 100 : undefined;
    console.log(
      `  ${target.name}: ${format(sandboxReads)} ${PROVIDER} ${STATUS_OPERATION} calls in the window (the store let ${format(storeReads)} reads through${otherReads ? `, ${otherReads} for other payments` : ''}); between two reads of a payment p50 ${(p50 / 1000).toFixed(1)} s, p95 ${(p95 / 1000).toFixed(1)} s, max ${(max / 1000).toFixed(1)} s; ${unread} payments not read in the window; endpoint CPU ${cpuSeconds.toFixed(2)} s (${cpuPercent.toFixed(1)} % of a core)${sandboxCpu !== undefined ? `, sandbox process ${sandboxCpu.toFixed(1)} %` : ''}${redisCpu !== undefined ? `, redis-server ${redisCpu.toFixed(1)} %` : ''}`,
    );
    if (sandboxReads !== storeReads) console.log(`  ${target.name}: the sandbox counted ${sandboxReads} reads, the store let ${storeReads} through`);
    ok = report({ name: `${target.name} provider reads per minute per 1,000 pending`, value: perMinute, unit: 'reads', budget: BUDGET.readsPerMinute, note: `${format(pending)} pending, ${(windowMs / 1000).toFixed(0)} s window; ${format((60_000 / mean(gaps)) * 1_000)} by the mean gap between reads` }) && ok;
    ok = report({ name: `${target.name} between two reads of a payment, p95`, value: p95 / 1000, unit: 's', budget: BUDGET.gapP95Ms / 1000, note: `p50 ${(p50 / 1000).toFixed(1)} s, max ${(max / 1000).toFixed(1)} s; ${unread} of ${format(pending)} not read in the window` }) && ok;
    // What the reads the schedule asks for (one per payment per 10 s) would cost at this CPU per read: an estimate.
    const perRead = sandboxReads ? cpuSeconds / sandboxReads : NaN;
    const onSchedule = ((perRead * pending) / (FIRST_STEP.everyMs / 1000)) * 100;
    ok =
      report({
        name: `${target.name} endpoint CPU, % of a core`,
        value: cpuPercent,
        unit: '%',
        budget: BUDGET.cpuPercent,
        note: `${format(perRead * 1e6)} µs per read (${onSchedule.toFixed(1)} % at one read per payment per ${FIRST_STEP.everyMs / 1000} s, estimated); sandbox (own process) ${sandboxCpu?.toFixed(1) ?? '?'} %${redisCpu !== undefined ? `, redis-server ${redisCpu.toFixed(1)} %` : ''}`,
      }) && ok;
  } finally {
    await demo.close();
    await callControl(sandbox.url, 'DELETE', '/faults').catch(() => {});
  }
  if (errors.length) {
    console.log(`  ${target.name}: the endpoint reported ${errors.length} errors, the first: ${errors[0]}`);
    ok = false;
  }
  return ok;
}


// ——— 5,000 pending payments at the providers with batch reads ———

/** How the batch part's payments are shared out: Hero's sandbox takes 1,800 calls a minute per key, and each Hero payment costs 2 to make. */
const BATCH_SHARE: ReadonlyArray<{ provider: BatchProvider; share: number }> = [
  { provider: 'hero', share: 0.16 },
  { provider: 'whenthen', share: 0.42 },
  { provider: 'kronor', share: 0.42 },
];
type BatchProvider = 'hero' | 'whenthen' | 'kronor';
const BATCH_PROVIDERS: readonly BatchProvider[] = ['hero', 'whenthen', 'kronor'];
const BATCH_LABELS: Record<BatchProvider, string> = { hero: 'Hero', whenthen: 'WhenThen', kronor: 'Kronor' };
/** The order and method each provider's payments are made with; none needs a field the shopper fills in. */
const BATCH_METHODS: Record<BatchProvider, { order: string; pick: (m: { id: string; provider: string }) => boolean }> = {
  hero: { order: 'DEMO-EUR', pick: (m) => m.provider === 'hero' },
  whenthen: { order: 'DEMO-EUR', pick: (m) => m.provider === 'whenthen' && /klarna/.test(m.id) },
  kronor: { order: 'DEMO-SEK', pick: (m) => m.provider === 'kronor' && /swish/.test(m.id) },
};
/** Kassa's budgets for the batch part; see the top comment. */
const BATCH_BUDGET = { callsPerSecond: 20, cpuPercent: 10 };

interface BatchPayment {
  provider: BatchProvider;
  reference: string;
  at: number;
}

/** One pending payment of `provider` for a fresh order, made through the endpoint (Kronor's Swish request started as the browser would). */
async function batchPayment(demo: RunningDemo, provider: BatchProvider, order: string): Promise<BatchPayment> {
  const { pick } = BATCH_METHODS[provider];
  const session = (await post<SessionResponse>(`${demo.url}/kassa/session`, { order })).body;
  const method = session.methods.find(pick);
  if (!method) throw new Error(`no ${provider} method for ${order}`);
  const created = (await post<PaymentResponse>(`${demo.url}/kassa/payments`, { token: session.token, method: method.id }, { 'idempotency-key': randomUUID() })).body;
  if (!created.payment || isFinalState(created.payment.state)) throw new Error(`a new ${provider} payment for ${order} is ${created.payment?.state}`);
  const payment: BatchPayment = { provider, reference: created.payment.reference, at: Date.now() };
  if (provider === 'kronor') {
    const action = created.action as { type?: string; httpUrl: string; sessionToken: string; returnUrl: string } | undefined;
    if (action?.type !== 'kronor') throw new Error(`a Kronor payment answered a ${action?.type} action`);
    await startKronorSwish(action, randomUUID());
  }
  return payment;
}

async function measureBatchProviders(sandbox: SandboxProcess, pending: number, windowS: number, concurrency: number): Promise<boolean> {
  await callControl(sandbox.url, 'POST', '/reset');
  for (const provider of BATCH_PROVIDERS) await callControl(sandbox.url, 'POST', '/faults', { provider, operation: 'webhook', kind: 'drop' });
  const errors: string[] = [];
  const store = new ReadNotingStore();
  store.holdReconciliation = true;
  const demo = await startDemo({
    sandboxUrl: sandbox.url,
    overrides: {
      store,
      rateLimitPerMinute: 1e9,
      statusRateLimitPerMinute: 1e9,
      onError: (error, context) => void errors.push(`${context}: ${String(error)}`),
    },
  });
  let ok = true;
  try {
    // Interleaved, so each provider's payments are made over the whole time it takes.
    const plan: BatchProvider[] = [];
    const made = new Map<BatchProvider, number>();
    for (let n = 1; n <= pending; n++) {
      // The provider furthest behind its share so far.
      const { provider } = BATCH_SHARE.reduce((a, b) => (b.share * n - (made.get(b.provider) ?? 0) > a.share * n - (made.get(a.provider) ?? 0) ? b : a));
      made.set(provider, (made.get(provider) ?? 0) + 1);
      plan.push(provider);
    }
    const run = randomUUID().slice(0, 8);
    const created: BatchPayment[] = [];
    const startedCreating = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, pending) }, async () => {
        while (next < plan.length) {
          const n = next++;
          const provider = plan[n]!;
          created.push(await batchPayment(demo, provider, `${BATCH_METHODS[provider].order}~bench-batch-${run}-${n}`));
        }
      }),
    );
    const createdMs = Date.now() - startedCreating;
    store.holdReconciliation = false;
    const letGo = Date.now();

    // The window: once the reconciler has caught up with the payments made while it was held back, ending before the oldest one's schedule slows down.
    const oldest = Math.min(...created.map((c) => c.at));
    const windowStart = letGo + FIRST_WAVE_MS;
    const windowEnd = Math.min(windowStart + windowS * 1000, oldest + FIRST_STEP.untilAgeMs - AGE_MARGIN_MS);
    const windowMs = windowEnd - windowStart;
    const shares = BATCH_PROVIDERS.map((p) => `${format(created.filter((c) => c.provider === p).length)} ${BATCH_LABELS[p]}`).join(', ');
    console.log(
      `  ${format(pending)} pending payments (${shares}) made through the endpoint in ${(createdMs / 1000).toFixed(1)} s, at most ${concurrency} at a time, its reconciler held back meanwhile; window ${(windowMs / 1000).toFixed(1)} s from ${FIRST_WAVE_MS / 1000} s after letting it go`,
    );
    if (windowMs < 2 * FIRST_STEP.everyMs) throw new Error(`the window would be ${(windowMs / 1000).toFixed(1)} s: making the payments took too long`);
    await sleep(windowStart - Date.now());
    const cpuBefore = process.cpuUsage();
    const sandboxBefore = sandbox.cpuSeconds();
    const wallBefore = performance.now();
    await sleep(windowEnd - Date.now());
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    const sandboxAfter = sandbox.cpuSeconds();

    const { requests } = await callControl<{ requests: SandboxCall[] }>(sandbox.url, 'GET', '/requests');
    const inWindow = (t: number) => t >= windowStart && t < windowEnd;
    const calls = statusCalls(requests, windowStart, windowEnd);
    const callsOf = (p: BatchProvider) => calls.filter((r) => r.provider === p).length;
    const reads = store.reads;
    const gaps: number[] = [];
    let longest = 0;
    let unread = 0;
    let paymentReads = 0;
    for (const { reference, at } of created) {
      const times = [at, ...(reads.get(reference) ?? []).filter((t) => t > at)];
      for (let i = 1; i < times.length; i++) {
        if (!inWindow(times[i]!)) continue;
        paymentReads++;
        gaps.push(times[i]! - times[i - 1]!);
      }
      if (!times.some(inWindow)) unread++;
      longest = Math.max(longest, windowEnd - times.at(-1)!);
    }
    const windowSeconds = windowMs / 1000;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const cpuPercent = (cpuSeconds / (wallMs / 1000)) * 100;
    const sandboxCpu = sandboxBefore !== undefined && sandboxAfter !== undefined ? ((sandboxAfter - sandboxBefore) / (wallMs / 1000)) * 100 : undefined;
    const [p50, p95, max] = [percentile(gaps, 50), percentile(gaps, 95), Math.max(longest, ...gaps)];
    const perProvider = BATCH_PROVIDERS.map((p) => `${BATCH_LABELS[p]} ${(callsOf(p) / windowSeconds).toFixed(1)}`).join(', ');
    console.log(
      `  ${format(calls.length)} status calls in the window (${perProvider} a second), reading ${format(paymentReads)} payments (${format(paymentReads / windowSeconds)}/s); between two reads of a payment p50 ${(p50 / 1000).toFixed(1)} s, p95 ${(p95 / 1000).toFixed(1)} s, max ${(max / 1000).toFixed(1)} s; ${unread} not read in the window; endpoint CPU ${cpuSeconds.toFixed(2)} s${sandboxCpu !== undefined ? `, sandbox process ${sandboxCpu.toFixed(1)} %` : ''}`,
    );
    ok = report({ name: `${format(pending)} pending payments: provider calls/s`, value: calls.length / windowSeconds, unit: 'calls', budget: BATCH_BUDGET.callsPerSecond, note: `${perProvider}; ${format(paymentReads / windowSeconds)} payment reads/s` }) && ok;
    ok = report({ name: `${format(pending)} pending payments: endpoint CPU, % of a core`, value: cpuPercent, unit: '%', budget: BATCH_BUDGET.cpuPercent, note: `sandbox (own process) ${sandboxCpu?.toFixed(1) ?? '?'} %` }) && ok;
    ok = report({ name: `${format(pending)} pending payments: between two reads of a payment, p95`, value: p95 / 1000, unit: 's', budget: BUDGET.gapP95Ms / 1000, note: `p50 ${(p50 / 1000).toFixed(1)} s, max ${(max / 1000).toFixed(1)} s; ${unread} of ${format(pending)} not read in the window` }) && ok;
  } finally {
    await demo.close();
    await callControl(sandbox.url, 'DELETE', '/faults').catch(() => {});
  }
  if (errors.length) {
    console.log(`  ${format(pending)} pending payments: the endpoint reported ${errors.length} errors, the first: ${errors[0]}`);
    ok = false;
  }
  return ok;
}

function memoryTarget(): Target {
  return { name: 'MemoryStore', store: () => new MemoryStore(), cpuSeconds: async () => undefined, close: async () => {} };
}

async function redisTarget(redis: RunningRedis): Promise<Target> {
  const client = createClient({ url: redis.url });
  const clientErrors: unknown[] = [];
  client.on('error', (error) => void clientErrors.push(error));
  await client.connect();
  const stores: RedisStore[] = [];
  return {
    name: 'RedisStore',
    store: () => {
      const store = new RedisStore(client, { prefix: `kassa-bench-reconciliation:${randomUUID()}:` });
      stores.push(store);
      return store;
    },
    cpuSeconds: async () => {
      const info = String(await client.sendCommand(['INFO', 'cpu']));
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1]);
      return field('used_cpu_user') + field('used_cpu_sys');
    },
    close: async () => {
      for (const store of stores) await store.close();
      await client.close();
      if (clientErrors.length) throw new Error(`the Redis client reported ${clientErrors.length} errors, the first: ${String(clientErrors[0])}`);
    },
  };
}

function storesArg(): StoreName[] {
  const i = process.argv.indexOf('--stores');
  const names = i > 0 ? (process.argv[i + 1] ?? '').split(',') : ['memory', 'redis'];
  // `--stores none` leaves only the batch part.
  return names.filter((n) => n.trim() && n.trim() !== 'none').map((n) => (n.trim().toLowerCase().startsWith('redis') ? 'RedisStore' : 'MemoryStore'));
}

export async function measureReconciliation(
  pending = numberArg('pending', 1_000),
  windowS = numberArg('window', 60),
  concurrency = numberArg('concurrency', 16),
  stores = storesArg(),
  batchPending = numberArg('batch-pending', 5_000),
): Promise<boolean> {
  console.log(
    `\nreconciliation: ${format(pending)} pending ${PROVIDER} payments, no streams, webhooks withheld; provider reads and endpoint CPU over ${windowS} s; ${stores.join(', ')} (Node ${process.version})`,
  );
  let ok = true;
  const sandbox = await startSandboxProcess();
  try {
    for (const name of stores) {
      if (name === 'MemoryStore') {
        ok = (await measureStore(sandbox, memoryTarget(), pending, windowS, concurrency)) && ok;
        continue;
      }
      let redis: RunningRedis;
      try {
        redis = await startRedisServer();
      } catch (error) {
        console.log(`  RedisStore: not measured: ${(error as Error).message}`);
        ok = false;
        continue;
      }
      try {
        const target = await redisTarget(redis);
        try {
          ok = (await measureStore(sandbox, target, pending, windowS, concurrency)) && ok;
        } finally {
          await target.close();
        }
      } finally {
        await redis.stop();
      }
    }
    if (batchPending > 0) {
      console.log(`\n${format(batchPending)} pending payments at the providers with batch reads (${BATCH_PROVIDERS.map((p) => BATCH_LABELS[p]).join(', ')}), no streams, webhooks withheld; MemoryStore`);
      ok = (await measureBatchProviders(sandbox, batchPending, windowS, concurrency)) && ok;
    }
  } finally {
    await sandbox.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: reconciliation');
  process.exitCode = (await measureReconciliation()) ? 0 : 1;
}
