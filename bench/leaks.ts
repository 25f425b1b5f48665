/**
 * Leaks: 1000 mount/unmount cycles of `<kassa-status>` and 1000 of `<kassa-checkout>` in headless Chromium, on a
 * demo page that loaded dist/kassa.js, then what is left behind:
 * - in the page: EventSource and WebSocket connections still open, and timers still pending (setTimeout not yet
 *   fired nor cleared, setInterval not cleared) — counted by wrappers an init script installs before any of the
 *   page's scripts run; and the JS heap (CDP `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`), with the
 *   DOM nodes and event listeners (`Memory.getDOMCounters`), after a warm-up and after the cycles;
 * - on the servers: the endpoint's open status streams (Server-Sent Events), counted by a store that counts its live
 *   subscriptions (each stream holds one from its first byte until it closes; the demo endpoint is given that store),
 *   and the sandbox's open Kronor websockets (`POST /_sandbox/kronor/drop-connections` answers how many it closed;
 *   called once, at the very end).
 *
 * The status mounts follow real payments made through the demo endpoint: a pending hi.health payment over the
 * endpoint's event stream (nine mounts in ten; every tenth of those waits for the stream's first status before it is
 * removed) and a Kronor Swish payment followed at Kronor over its websocket through the Kronor chunk (one mount in
 * ten; every other one waits until its socket is open). The checkouts open a DEMO-EUR session; one in ten waits
 * until its methods are on screen (which also loads the checkout's other elements), the others are removed while the
 * session is loading.
 *
 * Budgets are Kassa's own: no connection left open, in the page or on either server; no timer left pending beyond
 * those the page had before the cycles (the allowance: the demo page's own, none today; the count before is
 * printed); JS heap growth ≤ 1 MB over the 2000 cycles (≤ 500 bytes a cycle: a retained element, shadow root or
 * Apollo client is far more; what is left is one-off — compiled code, caches — so the growth over the second half
 * is printed too); no growth in DOM nodes or event listeners (exact counts after GC).
 *
 *   npx tsx bench/leaks.ts [--cycles 1000]
 */
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { isFinalState, type NextAction, type PaymentResponse, type SessionResponse } from '../src/core/model.ts';
import { MemoryStore } from '../src/server/stores/store.ts';
import type { PaymentListener } from '../src/server/stores/store.ts';
import { json, type Shop, startKronorSwish, startShop } from './browser.ts';
import { report } from './report.ts';

const MB = 1024 * 1024;
const BUDGET_HEAP_GROWTH_BYTES = 1 * MB;
/** Before the measured cycles: every code path once (the Kronor chunk and the checkout's parts loaded, JIT warm). */
const WARM_UP_CYCLES = 100;
/** How long connections may take to close after the last removal (a socket's close handshake, a stream's abort). */
const SETTLE_MS = 10_000;

function cyclesArg(): number {
  const i = process.argv.indexOf('--cycles');
  return i > 0 ? Number(process.argv[i + 1]) : 1000;
}

/** The endpoint's store, counting live subscriptions: one per open status stream. */
class CountingStore extends MemoryStore {
  live = 0;
  opened = 0;

  override subscribe(reference: string, listener: PaymentListener): () => void {
    const unsubscribe = super.subscribe(reference, listener);
    this.live++;
    this.opened++;
    let done = false;
    return () => {
      if (!done) this.live--;
      done = true;
      unsubscribe();
    };
  }
}

/**
 * Installed before the page's own scripts (plain JavaScript text: tsx would add helpers to a function's source
 * that the page lacks). Holds only what is still open or pending, so the trackers themselves do not grow.
 */
const TRACKERS = `
(() => {
  const live = { eventSources: new Set(), sockets: new Set(), timeouts: new Map(), intervals: new Map() };
  const made = { eventSources: 0, streamsOpened: 0, sockets: 0, socketsOpened: 0 };
  const nativeSetTimeout = window.setTimeout;
  const nativeClearTimeout = window.clearTimeout;
  const nativeSetInterval = window.setInterval;
  const nativeClearInterval = window.clearInterval;

  const NativeEventSource = window.EventSource;
  window.EventSource = class extends NativeEventSource {
    constructor(url, init) {
      super(url, init);
      made.eventSources++;
      live.eventSources.add(this);
      this.addEventListener('open', () => made.streamsOpened++);
      // The browser gives up on its own (an answer that is not a stream): closed without close().
      this.addEventListener('error', () => { if (this.readyState === NativeEventSource.CLOSED) live.eventSources.delete(this); });
    }
    close() {
      super.close();
      live.eventSources.delete(this);
    }
  };

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      made.sockets++;
      live.sockets.add(this);
      this.addEventListener('open', () => made.socketsOpened++);
      this.addEventListener('close', () => live.sockets.delete(this));
    }
  };

  const clear = (id) => {
    live.timeouts.delete(id);
    live.intervals.delete(id);
  };
  window.setTimeout = function (handler, ms, ...args) {
    if (typeof handler !== 'function') return nativeSetTimeout.call(window, handler, ms, ...args);
    const id = nativeSetTimeout.call(window, function (...a) {
      live.timeouts.delete(id);
      return handler.apply(this, a);
    }, ms, ...args);
    live.timeouts.set(id, ms ?? 0);
    return id;
  };
  window.setInterval = function (handler, ms, ...args) {
    const id = nativeSetInterval.call(window, handler, ms, ...args);
    live.intervals.set(id, ms ?? 0);
    return id;
  };
  // Either clear function clears either kind of timer, as in browsers.
  window.clearTimeout = function (id) { clear(id); return nativeClearTimeout.call(window, id); };
  window.clearInterval = function (id) { clear(id); return nativeClearInterval.call(window, id); };

  window.kassaLeaks = {
    live,
    made,
    /** The bench's own waits, on the native timer so they are not counted. */
    sleep: (ms) => new Promise((resolve) => nativeSetTimeout.call(window, resolve, ms)),
    counts() {
      return {
        eventSources: [...live.eventSources].filter((s) => s.readyState !== NativeEventSource.CLOSED).length,
        sockets: live.sockets.size,
        timeouts: live.timeouts.size,
        intervals: live.intervals.size,
        timerDelays: [...live.timeouts.values(), ...live.intervals.values()],
        made: { ...made },
      };
    },
  };
})();
`;

/** In the page: the cycles, in batches (one `evaluate` each). */
const IN_PAGE = `
window.kassaLeaks.cycles = {
  async until(predicate, what, timeout = 10000) {
    const deadline = performance.now() + timeout;
    while (!predicate()) {
      if (performance.now() > deadline) throw new Error(what);
      await window.kassaLeaks.sleep(5);
    }
  },
  async status(from, count, sseReference, kronor) {
    const made = window.kassaLeaks.made;
    for (let i = from; i < from + count; i++) {
      const el = document.createElement('kassa-status');
      el.setAttribute('endpoint', '/kassa');
      el.setAttribute('locale', 'en');
      const followsKronor = i % 10 === 0;
      el.setAttribute('reference', followsKronor ? kronor.reference : sseReference);
      if (followsKronor) el.kronor = kronor.access;
      const socketsOpened = made.socketsOpened;
      const streamsOpened = made.streamsOpened;
      document.body.append(el);
      await customElements.whenDefined('kassa-status');
      await el.updateComplete;
      if (followsKronor && i % 20 === 0) {
        await this.until(() => made.socketsOpened > socketsOpened, 'status mount ' + i + ' (Kronor) opened no websocket');
      } else if (i % 10 === 5) {
        await this.until(() => made.streamsOpened > streamsOpened && el.getAttribute('state'), 'status mount ' + i + ' got no status over its stream');
      }
      el.remove();
    }
  },
  async checkout(from, count) {
    for (let i = from; i < from + count; i++) {
      const el = document.createElement('kassa-checkout');
      el.setAttribute('endpoint', '/kassa');
      el.setAttribute('order', 'DEMO-EUR');
      el.setAttribute('locale', 'en');
      document.body.append(el);
      await customElements.whenDefined('kassa-checkout');
      await el.updateComplete;
      if (i % 10 === 0) {
        const methods = () => el.shadowRoot.querySelector('kassa-method-picker')?.shadowRoot?.querySelectorAll('[role="radio"]').length ?? 0;
        await this.until(() => methods() > 0, 'checkout mount ' + i + ' showed no methods');
      }
      el.remove();
    }
  },
};
`;

interface PageCounts {
  eventSources: number;
  sockets: number;
  timeouts: number;
  intervals: number;
  timerDelays: number[];
  made: { eventSources: number; streamsOpened: number; sockets: number; socketsOpened: number };
}

interface Memory {
  heap: number;
  nodes: number;
  listeners: number;
}

/** A payment made through the demo endpoint as a shop's page would: session, then POST /payments. */
async function createPayment(shop: Shop, order: string, provider: string, label: string): Promise<PaymentResponse> {
  const endpoint = `${shop.demo.url}/kassa`;
  // A fresh variant of the demo order (`DEMO-EUR~…`): one order is paid at most once.
  const session = await json<SessionResponse>(`${endpoint}/session`, { method: 'POST', body: JSON.stringify({ order: `${order}~leaks-${label}-${process.pid}`, locale: 'en' }) });
  const method = session.methods.find((m) => m.provider === provider && !(m.fields ?? []).some((f) => f.required));
  if (!method) throw new Error(`no ${provider} method for ${order}`);
  return json<PaymentResponse>(`${endpoint}/payments`, {
    method: 'POST',
    headers: { 'idempotency-key': `bench-leaks-${label}-${process.pid}` },
    body: JSON.stringify({ token: session.token, method: method.id }),
  });
}

/** A Kronor Swish payment started at Kronor, as the checkout's Kronor client does: what kassa-status follows there. */
async function kronorPayment(shop: Shop): Promise<{ reference: string; access: Record<string, string> }> {
  const { payment, action } = await createPayment(shop, 'DEMO-SEK', 'kronor', 'kronor');
  if (action.type !== 'kronor' || isFinalState(payment.state)) throw new Error(`a Kronor payment answered a ${action.type} action, ${payment.state}`);
  const kronor = action as Extract<NextAction, { type: 'kronor' }>;
  const waitToken = await startKronorSwish(kronor, `bench-leaks-swish-${process.pid}`);
  return { reference: payment.reference, access: { sessionToken: kronor.sessionToken, httpUrl: kronor.httpUrl, wsUrl: kronor.wsUrl, waitToken } };
}

/** The JS heap after garbage collection (several passes: one may leave what the next frees), and DOM counters. */
async function memory(page: Page, cdp: CDPSession): Promise<Memory> {
  // Resource timing entries (one per request, up to the browser's buffer of 250) are the page's, not Kassa's.
  await page.evaluate(() => performance.clearResourceTimings());
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { heap: usedSize, nodes, listeners: jsEventListeners };
}

const counts = (page: Page) => page.evaluate('window.kassaLeaks.counts()') as Promise<PageCounts>;

async function runCycles(page: Page, kind: 'status' | 'checkout', from: number, count: number, payments: { sse: string; kronor: unknown }): Promise<void> {
  const BATCH = 100;
  for (let start = from; start < from + count; start += BATCH) {
    const n = Math.min(BATCH, from + count - start);
    const args = kind === 'status' ? [start, n, payments.sse, payments.kronor] : [start, n];
    await page.evaluate(`window.kassaLeaks.cycles.${kind}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
  }
}

/** Waits until the page and the endpoint hold no connection (or SETTLE_MS passed), then a little for late timers. */
async function settle(page: Page, store: CountingStore): Promise<PageCounts> {
  const deadline = Date.now() + SETTLE_MS;
  let now = await counts(page);
  while ((now.eventSources || now.sockets || store.live) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    now = await counts(page);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  return counts(page);
}

export async function measureLeaks(cycles = cyclesArg()): Promise<boolean> {
  const store = new CountingStore();
  const shop = await startShop({ store });
  let ok = true;
  try {
    const { payment: followed } = await createPayment(shop, 'DEMO-EUR', 'hidirect', 'sse');
    // A final payment's stream closes by itself after one event: it would leave nothing open to leak.
    if (isFinalState(followed.state)) throw new Error(`the hi.health payment is already ${followed.state}`);
    const sse = followed.reference;
    const kronor = await kronorPayment(shop);
    const payments = { sse, kronor };

    const context = await shop.browser.newContext();
    await context.addInitScript(TRACKERS);
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    page.on('pageerror', (error) => console.log(`  page error: ${error.message}`));
    await page.goto(`${shop.demo.url}/checkout.html?order=DEMO-EUR`);
    await page.evaluate(() => customElements.whenDefined('kassa-checkout'));
    await page.evaluate(() => document.querySelectorAll('kassa-checkout, kassa-status').forEach((e) => e.remove()));
    await page.evaluate(IN_PAGE);
    const cdp = await context.newCDPSession(page);

    await runCycles(page, 'status', 0, WARM_UP_CYCLES, payments);
    await runCycles(page, 'checkout', 0, WARM_UP_CYCLES, payments);
    const before = await settle(page, store);
    const memoryBefore = await memory(page, cdp);
    const streamsBefore = store.opened;

    // In two halves, with the heap read between them: growth that is one-off (compiled code, caches filling) shows
    // in the first half only; a leak grows in both.
    const started = Date.now();
    const half = Math.floor(cycles / 2);
    await runCycles(page, 'status', WARM_UP_CYCLES, half, payments);
    await runCycles(page, 'checkout', WARM_UP_CYCLES, half, payments);
    await settle(page, store);
    const memoryHalfway = await memory(page, cdp);
    await runCycles(page, 'status', WARM_UP_CYCLES + half, cycles - half, payments);
    await runCycles(page, 'checkout', WARM_UP_CYCLES + half, cycles - half, payments);
    const cyclingMs = Date.now() - started;
    const after = await settle(page, store);
    const memoryAfter = await memory(page, cdp);
    const serverStreams = store.live;
    // At the very end: it closes what it counts.
    const { closed: kronorSockets } = (await shop.control('POST', '/kronor/drop-connections')) as { closed: number };
    await context.close();

    // The cycles must really have opened what they are meant to check, or zero open connections would prove nothing.
    const made = {
      eventSources: after.made.eventSources - before.made.eventSources,
      streams: after.made.streamsOpened - before.made.streamsOpened,
      socketsCreated: after.made.sockets - before.made.sockets,
      sockets: after.made.socketsOpened - before.made.socketsOpened,
    };
    const sseMounts = cycles - Math.ceil(cycles / 10);
    if (made.eventSources < sseMounts) throw new Error(`${made.eventSources} EventSources for ${sseMounts} stream mounts`);
    if (made.streams === 0 || made.sockets === 0 || store.opened === streamsBefore) throw new Error(`the cycles opened ${made.streams} streams and ${made.sockets} sockets (endpoint: ${store.opened - streamsBefore})`);

    console.log(`\n${cycles} kassa-status + ${cycles} kassa-checkout mounts in ${(cyclingMs / 1000).toFixed(1)} s, after ${WARM_UP_CYCLES} + ${WARM_UP_CYCLES} to warm up`);
    console.log(
      `  made: ${made.eventSources} EventSources (${made.streams} reached the stream), ${made.socketsCreated} Kronor websockets (${made.sockets} open before removal), ${store.opened - streamsBefore} streams at the endpoint`,
    );
    ok = report({ name: 'open EventSources in the page', value: after.eventSources, unit: 'open', budget: 0 }) && ok;
    ok = report({ name: 'open WebSockets in the page', value: after.sockets, unit: 'open', budget: 0 }) && ok;
    ok = report({ name: 'open status streams at the endpoint', value: serverStreams, unit: 'open', budget: 0 }) && ok;
    ok = report({ name: 'open Kronor websockets at the sandbox', value: kronorSockets, unit: 'open', budget: 0 }) && ok;
    const pendingBefore = before.timeouts + before.intervals;
    const pendingAfter = after.timeouts + after.intervals;
    const delays = after.timerDelays.length ? `delays ${after.timerDelays.join(', ')} ms` : 'none';
    ok = report({ name: 'timers pending, beyond those before the cycles', value: pendingAfter - pendingBefore, unit: 'pending', budget: 0, note: `${pendingBefore} before, ${pendingAfter} after: ${delays}` }) && ok;
    report({ name: 'JS heap after warm-up (after GC)', value: memoryBefore.heap / MB, unit: 'MB' });
    report({ name: 'JS heap after the cycles (after GC)', value: memoryAfter.heap / MB, unit: 'MB' });
    const growth = memoryAfter.heap - memoryBefore.heap;
    ok = report({ name: `JS heap growth over ${2 * cycles} cycles`, value: growth / MB, unit: 'MB', budget: BUDGET_HEAP_GROWTH_BYTES / MB }) && ok;
    const secondHalf = memoryAfter.heap - memoryHalfway.heap;
    report({ name: `JS heap growth over the last ${2 * (cycles - half)} cycles`, value: secondHalf / MB, unit: 'MB', note: `${Math.round(secondHalf / (2 * (cycles - half)))} bytes a cycle` });
    // Exact counts after GC: a removed element that something still holds keeps its whole shadow tree here (Blink's
    // heap, which the JS heap above does not include).
    ok = report({ name: 'DOM nodes, growth', value: memoryAfter.nodes - memoryBefore.nodes, unit: 'nodes', budget: 0, note: `${memoryBefore.nodes} → ${memoryAfter.nodes}` }) && ok;
    ok = report({ name: 'JS event listeners, growth', value: memoryAfter.listeners - memoryBefore.listeners, unit: 'listeners', budget: 0, note: `${memoryBefore.listeners} → ${memoryAfter.listeners}` }) && ok;
  } finally {
    await shop.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: leaks (headless Chromium)');
  process.exitCode = (await measureLeaks()) ? 0 : 1;
}
