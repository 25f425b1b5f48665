/**
 * Cold page load against Adyen Web: Kassa's demo checkout page (the demo server, the sandbox, dist/kassa.js) and a
 * page with Adyen Web's Drop-in showing the same seven methods, its `paymentMethodsResponse` inlined in the page.
 * Each load is a new browser context (cold cache, new connections); Kassa and Adyen loads alternate, `--loads` of
 * each (20 by default), once with 4× CPU throttling and DevTools' "Slow 4G" preset, once unthrottled.
 *
 * Two figures per load, both from one Chromium trace (devtools.timeline):
 * - method list visible: ms from navigation start to the animation frame in which the first method row is in the
 *   DOM (Kassa: `[part~=method]` in the picker's shadow root; Adyen: `.adyen-checkout__payment-method`), polled with
 *   requestAnimationFrame from a script added to every document, so the row is painted at the end of that frame;
 * - script time to visible: the union of the renderer main thread's script slices (compile, evaluate, function
 *   calls, timers, microtasks, animation frames) from navigation start to that frame.
 *
 * Kassa's demo page renders the checkout on the server (declarative shadow DOM, demo/ssr.ts) with its stylesheet in
 * the page: the methods show with the HTML, before kassa.js arrives, which then hydrates them. With the throttling
 * it also prints what a page that waits for its script would take at least — its HTML, then kassa.js, one request
 * after the other at the preset's latency and throughput, with no script time (twoRequestFloor) — against Adyen's.
 *
 * Adyen Web is installed at bench time into a temporary folder (as `bench/size.ts --compare` does) and bundled with
 * esbuild (minified ESM, its CSS as a file). Both pages are served gzip-compressed, as a shop's server or CDN would
 * (the demo server through a compressing proxy on loopback). Every request
 * to another host (Adyen's checkoutshopper-*.adyen.com, PayPal) is aborted: Adyen's figures are a lower bound.
 *
 *   npx tsx bench/page-load.ts [--loads 20] [--timeline] [--breakdown]
 *
 * --timeline: each load's resource timings; --breakdown: each load's critical path from its trace (every request
 * with its start, first byte and end and whether it blocks rendering, the main thread's parsing, script and
 * rendering work, the first paint and the visible frame), to see where the time goes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser, BrowserContext } from 'playwright-core';
import { startShop } from './browser.ts';
import { numberArg, report } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** DevTools' "Slow 4G" preset (front_end/core/sdk/NetworkManager.ts; "Fast 3G" before May 2024). */
const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1000 * 1000 / 8) * 0.9, uploadThroughput: (750 * 1000 / 8) * 0.9 };
const CPU_SLOWDOWN = 4;
const BUDGET_VISIBLE_RATIO = 0.5;
const BUDGET_SCRIPT_RATIO = 1.0;
const ORDER = 'DEMO-EUR';
const VISIBLE_MARK = 'page-load-methods-visible';

/**
 * Added to every document before its own scripts: marks the first animation frame with a method row in the DOM and
 * hands its time to the bench. Reaches Kassa's row through the checkout's and the picker's shadow roots.
 */
const VISIBLE_PROBE = `(() => {
  if (window.top !== window) return;
  const found = () => {
    const picker = document.querySelector('kassa-checkout')?.shadowRoot?.querySelector('kassa-method-picker');
    return Boolean(picker?.shadowRoot?.querySelector('[part~="method"]') || document.querySelector('.adyen-checkout__payment-method'));
  };
  const frame = () => {
    if (!found()) return void requestAnimationFrame(frame);
    performance.mark('${VISIBLE_MARK}');
    window.pageLoadVisible(performance.now());
  };
  requestAnimationFrame(frame);
})();`;

/**
 * Adyen's equivalent of each of Kassa's seven demo methods for DEMO-EUR: Hero's B2B pay later → AfterPay B2B,
 * card (Visa, Mastercard), PayPal, MB WAY (a phone field), hi.health → Trustly (a redirect), Klarna, bank transfer.
 */
const ADYEN_METHODS = {
  paymentMethods: [
    { name: 'Pay later for businesses', type: 'afterpay_b2b' },
    { name: 'Cards', type: 'scheme', brands: ['visa', 'mc'] },
    { name: 'PayPal', type: 'paypal' },
    { name: 'MB WAY', type: 'mbway' },
    { name: 'Trustly', type: 'trustly' },
    { name: 'Pay later with Klarna.', type: 'klarna' },
    { name: 'Bank Transfer', type: 'bankTransfer_IBAN' },
  ],
};

const ADYEN_ENTRY = `import { AdyenCheckout, Dropin, AfterPayB2B, Card, PayPal, MBWay, Trustly, Klarna, BankTransfer } from '@adyen/adyen-web';
import '@adyen/adyen-web/styles/adyen.css';

const paymentMethodsResponse = JSON.parse(document.getElementById('adyen-methods').textContent);
const checkout = await AdyenCheckout({
  paymentMethodsResponse,
  clientKey: 'test_PAGELOADBENCH0000000000000000000',
  environment: 'test',
  locale: 'en-US',
  countryCode: 'NL',
  amount: { value: 4990, currency: 'EUR' },
  analytics: { enabled: false },
  onSubmit: (state, component, actions) => actions.reject(),
  onAdditionalDetails: (state, component, actions) => actions.reject(),
});
new Dropin(checkout, { paymentMethodComponents: [AfterPayB2B, Card, PayPal, MBWay, Trustly, Klarna, BankTransfer] }).mount('#dropin');
`;

const adyenPage = (methods: unknown) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout — Adyen Web</title>
<link rel="stylesheet" href="/adyen.css">
<script type="module" src="/adyen.js"></script>
</head><body>
<main><h1>Checkout</h1><p>Order <code>${ORDER}</code></p>
<script type="application/json" id="adyen-methods">${JSON.stringify(methods)}</script>
<div id="dropin"></div></main>
</body></html>`;

interface AdyenSite {
  url: string;
  version: string;
  close(): Promise<void>;
}

/** Adyen Web installed and bundled into a temporary folder, served on loopback; undefined (with the reason) when the install fails. */
async function adyenSite(): Promise<AdyenSite | string> {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-adyen-load-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kassa-bench-adyen-load', private: true, type: 'module' }));
  const installed = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '@adyen/adyen-web@6'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (installed.status !== 0) {
    cleanup();
    return `npm install @adyen/adyen-web failed (${(installed.stderr || installed.error?.message || '').trim().split('\n').slice(-2).join(' ')})`;
  }
  const version = JSON.parse(readFileSync(join(dir, 'node_modules/@adyen/adyen-web/package.json'), 'utf8')).version as string;
  writeFileSync(join(dir, 'entry.js'), ADYEN_ENTRY);
  const result = await build({
    entryPoints: [join(dir, 'entry.js')],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(dir, 'out'),
    entryNames: 'adyen',
    write: false,
    logLevel: 'silent',
  });
  const files = new Map<string, { type: string; body: Uint8Array }>();
  for (const file of result.outputFiles) {
    const name = `/${file.path.split('/').pop()}`;
    files.set(name, { type: name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', body: file.contents });
  }
  files.set('/', { type: 'text/html; charset=utf-8', body: new TextEncoder().encode(adyenPage(ADYEN_METHODS)) });
  const server: Server = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) return void res.writeHead(404).end();
    sendCompressed(req, res, 200, { 'content-type': file.type }, file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const js = files.get('/adyen.js')?.body.length ?? 0;
  const css = files.get('/adyen.css')?.body ?? new Uint8Array();
  console.log(`  Adyen Web ${version}: adyen.js ${js.toLocaleString('en-US')} B, adyen.css ${css.length.toLocaleString('en-US')} B (raw; served gzip-compressed)`);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    version,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      cleanup();
    },
  };
}

const COMPRESSIBLE = /^(text\/|application\/(json|javascript))/;

/** Answers with the body gzip-compressed when the browser takes it and the type is text. */
function sendCompressed(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | string[] | undefined>, body: Uint8Array): void {
  const type = String(headers['content-type'] ?? '');
  if (!COMPRESSIBLE.test(type) || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.writeHead(status, headers);
    return void res.end(body);
  }
  const zipped = gzipSync(body);
  res.writeHead(status, { ...headers, 'content-encoding': 'gzip', 'content-length': String(zipped.length), vary: 'accept-encoding' });
  res.end(zipped);
}

/**
 * A loopback proxy in front of the demo server that compresses its answers (event streams pass as they come), so
 * Kassa's page travels as Adyen's does. The Host header goes along, so the endpoint sees the page's own origin.
 */
async function compressingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const out = forward({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const headers = { ...answer.headers };
      if (String(headers['content-type']).startsWith('text/event-stream') || headers['content-encoding']) {
        res.writeHead(answer.statusCode ?? 502, headers);
        return void answer.pipe(res);
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        sendCompressed(req, res, answer.statusCode ?? 502, headers, Buffer.concat(chunks));
      });
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Load {
  visibleMs: number;
  scriptMs: number;
  /** Compressed body bytes of the page itself and of each script and stylesheet it fetched, by path. */
  bytes: { page: number; byPath: Map<string, number> };
}

/** Trace slices the DevTools performance panel counts as scripting (nested ones are merged, not added twice). */
const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'v8.evaluateModule',
  'v8.compile',
  'v8.compileModule',
  'FunctionCall',
  'TimerFire',
  'FireAnimationFrame',
  'FireIdleCallback',
  'RunMicrotasks',
  'V8.Execute',
]);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, any>; beginData?: Record<string, any> };
}

/** Main-thread slices the breakdown lists (each at least 1 ms), by what they do. */
const BREAKDOWN_WORK: Record<string, string> = {
  ParseHTML: 'parse HTML',
  'v8.compileModule': 'compile',
  'v8.evaluateModule': 'evaluate',
  EvaluateScript: 'evaluate',
  FunctionCall: 'call',
  RunMicrotasks: 'microtasks',
  TimerFire: 'timer',
  FireAnimationFrame: 'animation frame',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  Paint: 'paint',
  ParseAuthorStyleSheet: 'parse CSS',
};

/**
 * One load's critical path, in ms from navigation start, read from its trace: each request (sent, first byte, done,
 * bytes, and whether it blocked rendering) and the main thread's work of 1 ms or more up to the visible frame.
 */
export function loadBreakdown(events: TraceEvent[], mark: string): string[] {
  const marked = events.find((e) => e.name === mark);
  if (!marked) throw new Error(`no ${mark} in the trace`);
  const start = events.find((e) => e.name === 'navigationStart' && e.pid === marked.pid)?.ts ?? 0;
  const at = (ts: number) => `${Math.round((ts - start) / 1000)}`.padStart(5);
  const lines: string[] = [];
  const requests = new Map<string, { url: string; sent: number; blocking: string; head?: number; done?: number; bytes?: number }>();
  for (const e of events) {
    const data = e.args?.data;
    if (!data?.requestId) continue;
    if (e.name === 'ResourceSendRequest' && /^https?:/.test(String(data.url))) requests.set(data.requestId, { url: String(data.url), sent: e.ts, blocking: String(data.renderBlocking ?? '') });
    const request = requests.get(data.requestId);
    if (!request) continue;
    if (e.name === 'ResourceReceiveResponse') request.head = e.ts;
    if (e.name === 'ResourceFinish') {
      request.done = e.ts;
      request.bytes = data.encodedDataLength;
    }
  }
  for (const r of requests.values()) {
    if (r.sent > marked.ts) continue;
    const path = r.url.replace(/^https?:\/\/[^/]+/, '');
    lines.push(`${at(r.sent)} request  ${path.slice(0, 70)}${r.blocking ? ` [${r.blocking}]` : ''}: first byte ${r.head ? at(r.head).trim() : '—'}, done ${r.done ? at(r.done).trim() : '—'} (${r.bytes ?? '?'} B)`);
  }
  for (const e of events) {
    if (e.pid !== marked.pid || e.tid !== marked.tid || e.ph !== 'X' || e.ts > marked.ts) continue;
    const what = BREAKDOWN_WORK[e.name];
    if (!what || (e.dur ?? 0) < 1000) continue;
    const url = e.args?.data?.url ?? e.args?.beginData?.url ?? '';
    const source = url ? ` ${String(url).replace(/^https?:\/\/[^/]+/, '').slice(0, 50)}` : '';
    lines.push(`${at(e.ts)} ${what}${source}: ${((e.dur ?? 0) / 1000).toFixed(1)} ms`);
  }
  for (const e of events) {
    if (e.pid === marked.pid && (e.name === 'firstPaint' || e.name === 'firstContentfulPaint')) lines.push(`${at(e.ts)} ${e.name}`);
  }
  lines.push(`${at(marked.ts)} method list visible`);
  return lines.sort((a, b) => Number(a.slice(0, 5)) - Number(b.slice(0, 5)));
}

/** Script time on the visible mark's thread, from the first navigation event to the mark, in ms. */
export function scriptTimeToMark(events: TraceEvent[], mark: string): number {
  const marked = events.find((e) => e.name === mark);
  if (!marked) throw new Error(`no ${mark} in the trace`);
  const start = events.find((e) => e.name === 'navigationStart' && e.pid === marked.pid)?.ts ?? 0;
  const spans: Array<[number, number]> = [];
  const open = new Map<string, number[]>();
  for (const e of events) {
    if (e.pid !== marked.pid || e.tid !== marked.tid || !SCRIPT_EVENTS.has(e.name)) continue;
    if (e.ph === 'X') spans.push([e.ts, e.ts + (e.dur ?? 0)]);
    else if (e.ph === 'B') open.set(e.name, [...(open.get(e.name) ?? []), e.ts]);
    else if (e.ph === 'E') {
      const begun = open.get(e.name)?.pop();
      if (begun !== undefined) spans.push([begun, e.ts]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = start;
  for (const [from, to] of spans) {
    const a = Math.max(from, reached);
    const b = Math.min(to, marked.ts);
    if (b > a) total += b - a;
    reached = Math.max(reached, Math.min(to, marked.ts));
  }
  return total / 1000;
}

/** One cold load of `url` in a new context: the visible time (performance.now) and the script time before it. */
async function coldLoad(browser: Browser, url: string, throttled: boolean): Promise<Load> {
  const context: BrowserContext = await browser.newContext();
  try {
    const local = new URL(url).host;
    // Adyen's own hosts and PayPal are not reachable offline: failing them at once keeps Adyen's figure a lower bound.
    await context.route((address) => address.host !== local, (route) => route.abort());
    let resolveVisible!: (ms: number) => void;
    const visible = new Promise<number>((resolve) => (resolveVisible = resolve));
    await context.exposeFunction('pageLoadVisible', (ms: number) => resolveVisible(ms));
    await context.addInitScript(VISIBLE_PROBE);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`  page error: ${error.message}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (throttled) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    }
    await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'v8.execute', 'loading'] });
    let visibleMs: number;
    let trace: Buffer;
    try {
      await page.goto(url, { waitUntil: 'commit' });
      visibleMs = await Promise.race([visible, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no method row on ${url} after 30 s`)), 30_000))]);
    } finally {
      trace = await browser.stopTracing();
    }
    if (process.argv.includes('--timeline')) {
      const entries = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => `${Math.round(e.startTime)}–${Math.round(e.responseEnd)} ms ${e.name.replace(location.origin, '')}`));
      console.log(`  ${url}: visible at ${Math.round(visibleMs)} ms\n    ${entries.join('\n    ')}`);
    }
    const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    if (process.argv.includes('--breakdown')) console.log(`  ${url}${throttled ? ' (throttled)' : ''}:\n    ${loadBreakdown(events, VISIBLE_MARK).join('\n    ')}`);
    const sizes = await page.evaluate(() => ({
      page: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).encodedBodySize,
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => [new URL(e.name).pathname, e.encodedBodySize] as const),
    }));
    return { visibleMs, scriptMs: scriptTimeToMark(events, VISIBLE_MARK), bytes: { page: sizes.page, byPath: new Map(sizes.resources) } };
  } finally {
    await context.close();
  }
}

/**
 * Two requests in a row on Slow 4G: each pays the latency, then its compressed bytes at the download throughput. For
 * Kassa's page, 2 × 562.5 ms + (2.6 kB + 20.2 kB) / 180 kB/s ≈ 1,250 ms before kassa.js can run; Adyen's page needs
 * the same two round trips and 147 kB (≈ 1,940 ms) before its script's ~300 ms, about 2,300 ms in all. So 0.5× its
 * time (≈ 1,150 ms) is under Kassa's two round trips alone: the budget stays at 0.5, out of reach while the page
 * loads its script from a second request.
 */
export function twoRequestFloor(pageBytes: number, scriptBytes: number, conditions = SLOW_4G): number {
  return 2 * conditions.latency + ((pageBytes + scriptBytes) / conditions.downloadThroughput) * 1000;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function measurePageLoad(loads = numberArg('loads', 20)): Promise<boolean> {
  if (!existsSync(join(root, 'dist/kassa.js'))) {
    console.log('dist/kassa.js is missing: running `npm run build` first');
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const adyen = await adyenSite();
  if (typeof adyen === 'string') console.log(`  Adyen Web: skipped: ${adyen}`);
  const shop = await startShop();
  const proxy = await compressingProxy(shop.demo.url);
  let ok = true;
  try {
    const kassaUrl = `${proxy.url}/checkout.html?order=${ORDER}`;
    for (const throttled of [true, false]) {
      const label = throttled ? `${CPU_SLOWDOWN}× CPU, Slow 4G` : 'unthrottled';
      const kassa: Load[] = [];
      const other: Load[] = [];
      for (let i = 0; i < loads; i++) {
        kassa.push(await coldLoad(shop.browser, kassaUrl, throttled));
        if (typeof adyen !== 'string') other.push(await coldLoad(shop.browser, adyen.url, throttled));
      }
      console.log(`\n${label}: ${loads} cold loads each, alternating (medians)`);
      const kassaVisible = median(kassa.map((l) => l.visibleMs));
      const kassaScript = median(kassa.map((l) => l.scriptMs));
      report({ name: `Kassa method list visible (${label})`, value: kassaVisible, unit: 'ms' });
      report({ name: `Kassa script time to visible (${label})`, value: kassaScript, unit: 'ms' });
      if (typeof adyen === 'string') continue;
      const adyenVisible = median(other.map((l) => l.visibleMs));
      const adyenScript = median(other.map((l) => l.scriptMs));
      const lowerBound = 'lower bound: its own hosts blocked';
      report({ name: `Adyen Web ${adyen.version} method list visible (${label})`, value: adyenVisible, unit: 'ms', note: lowerBound });
      report({ name: `Adyen Web ${adyen.version} script time to visible (${label})`, value: adyenScript, unit: 'ms', note: lowerBound });
      const visibleRatio = kassaVisible / adyenVisible;
      const scriptRatio = kassaScript / adyenScript;
      if (throttled) {
        // The least a page that shows the methods only once kassa.js runs could take: its HTML, then kassa.js, one
        // request after the other, each paying the preset's latency and its bytes at its throughput, no script time.
        // Server rendering is what takes Kassa's page under it.
        const floor = twoRequestFloor(median(kassa.map((l) => l.bytes.page)), median(kassa.map((l) => l.bytes.byPath.get('/assets/kassa.js') ?? 0)));
        report({ name: `a script-rendered page's floor: HTML then kassa.js (${label})`, value: floor, unit: 'ms' });
        report({ name: `that floor vs Adyen's method list visible (${label})`, value: floor / adyenVisible, unit: '×', note: 'no page waiting for its script reaches less' });
        ok = report({ name: `method list visible vs Adyen (${label})`, value: visibleRatio, unit: '×', budget: BUDGET_VISIBLE_RATIO }) && ok;
        ok = report({ name: `script time to visible vs Adyen (${label})`, value: scriptRatio, unit: '×', budget: BUDGET_SCRIPT_RATIO }) && ok;
      } else {
        report({ name: `method list visible vs Adyen (${label})`, value: visibleRatio, unit: '×' });
        report({ name: `script time to visible vs Adyen (${label})`, value: scriptRatio, unit: '×' });
      }
    }
  } finally {
    await proxy.close();
    await shop.close();
    if (typeof adyen !== 'string') await adyen.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`Kassa bench: cold page load against Adyen Web (headless Chromium; throttled: ${CPU_SLOWDOWN}× CPU and DevTools' Slow 4G, ${SLOW_4G.latency} ms latency, ${SLOW_4G.downloadThroughput.toLocaleString('en-US')} B/s down, ${SLOW_4G.uploadThroughput.toLocaleString('en-US')} B/s up)`);
  process.exitCode = (await measurePageLoad()) ? 0 : 1;
}
