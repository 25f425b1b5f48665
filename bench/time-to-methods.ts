/**
 * Time to methods: from a `<kassa-checkout>` connected to the page to its method list in the DOM (the first
 * `[part~=method]` anywhere in its shadow roots), measured with `performance.now()` inside headless Chromium, 30 runs
 * after a warm-up, p50/p95 — with the providers answering at once and with 50 ms added to every provider call
 * (sandbox latency faults). The demo endpoint is created with `methodsCacheSeconds: 0` so every session asks every
 * provider. The floor, measured in the same run from the same page: the endpoint round trip alone (`POST /session`).
 *
 *   npx tsx bench/time-to-methods.ts [--runs 30]
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startShop } from './browser.ts';
import { percentile, report } from './report.ts';

const PROVIDERS = ['hero', 'milkypay', 'hidirect', 'whenthen', 'kronor'];
/** Kassa's own budget: what the element adds on top of the endpoint round trip, p95. */
const BUDGET_OVERHEAD_P95_MS = 100;

function runsArg(): number {
  const i = process.argv.indexOf('--runs');
  return i > 0 ? Number(process.argv[i + 1]) : 30;
}

/**
 * In the page (kept as plain JavaScript text: tsx would add helpers to a function's source that the page lacks):
 * one checkout created and connected, resolving with the ms until a method is in the DOM.
 */
const IN_PAGE = `
window.kassaBenchTimeToMethods = async (order) => {
  const deep = (root) => {
    if (root.querySelector('[part~="method"]')) return true;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot && deep(el.shadowRoot)) return true;
    return false;
  };
  const checkout = document.createElement('kassa-checkout');
  checkout.setAttribute('endpoint', '/kassa');
  checkout.setAttribute('order', order);
  checkout.setAttribute('locale', 'en');
  const channel = new MessageChannel();
  const t0 = performance.now();
  document.body.append(checkout);
  try {
    return await new Promise((resolve, reject) => {
      const deadline = t0 + 10000;
      // Checks after every task the page runs (a MessageChannel tick is not clamped like setTimeout).
      channel.port1.onmessage = () => {
        if (checkout.shadowRoot && deep(checkout.shadowRoot)) resolve(performance.now() - t0);
        else if (performance.now() > deadline) reject(new Error('no method on screen after 10 s'));
        else channel.port2.postMessage(0);
      };
      channel.port2.postMessage(0);
    });
  } finally {
    channel.port1.close();
    checkout.remove();
  }
};
`;

function timeToMethods(page: Page, order: string): Promise<number> {
  return page.evaluate(`window.kassaBenchTimeToMethods(${JSON.stringify(order)})`) as Promise<number>;
}

function sessionRoundTrip(page: Page, order: string): Promise<number> {
  return page.evaluate(async (order) => {
    const t0 = performance.now();
    const response = await fetch('/kassa/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order, locale: 'en' }) });
    await response.json();
    if (response.status !== 201) throw new Error(`POST /session answered ${response.status}`);
    return performance.now() - t0;
  }, order);
}

export async function measureTimeToMethods(runs = runsArg()): Promise<boolean> {
  const shop = await startShop({ methodsCacheSeconds: 0 });
  let ok = true;
  try {
    const page = await shop.open('/checkout.html');
    await page.evaluate(IN_PAGE);
    const order = 'DEMO-EUR';
    for (const latencyMs of [0, 50]) {
      await shop.control('DELETE', '/faults');
      if (latencyMs) for (const provider of PROVIDERS) await shop.control('POST', '/faults', { provider, kind: 'latency', latencyMs, times: 0 });
      // Warm-up: the endpoint's code paths, the connection, the element's first render.
      for (let i = 0; i < 3; i++) {
        await timeToMethods(page, order);
        await sessionRoundTrip(page, order);
      }
      const element: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < runs; i++) {
        element.push(await timeToMethods(page, order));
        floor.push(await sessionRoundTrip(page, order));
      }
      const label = `+${latencyMs} ms provider latency`;
      console.log(`\n${order}, ${runs} runs, ${label}`);
      report({ name: `time to methods p50 (${label})`, value: percentile(element, 50), unit: 'ms' });
      report({ name: `time to methods p95 (${label})`, value: percentile(element, 95), unit: 'ms' });
      report({ name: `POST /session from page p50 (${label})`, value: percentile(floor, 50), unit: 'ms', note: 'floor' });
      report({ name: `POST /session from page p95 (${label})`, value: percentile(floor, 95), unit: 'ms', note: 'floor' });
      const overhead = percentile(element, 95) - percentile(floor, 95);
      ok = report({ name: `element over round trip, p95 (${label})`, value: overhead, unit: 'ms', budget: BUDGET_OVERHEAD_P95_MS }) && ok;
    }
    await shop.control('DELETE', '/faults');
  } finally {
    await shop.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: time to methods (headless Chromium)');
  process.exitCode = (await measureTimeToMethods()) ? 0 : 1;
}
