/**
 * Status with webhooks withheld: from the sandbox changing a payment's status (control API outcome `pay`) to the new
 * state in `<kassa-status>` in headless Chromium, while the sandbox withholds every webhook of every provider (a
 * `drop` fault): what a shop with a misconfigured webhook URL, or a provider whose webhooks are down, gives its
 * shoppers. Only the endpoint's own reads find the change.
 *
 * `--per-provider` (20) payments of each of Hero, WhenThen (Klarna), hi.health, MilkyPay (PayPal) and Kronor (Swish),
 * each created through the endpoint (`POST /session`, `POST /payments`, one fresh order each) and followed by its own
 * `<kassa-status>` mounted as a return page mounts it: reference only, so Kronor too is followed through the
 * endpoint's stream, not the browser's own Kronor subscription. Each payment is changed at its own age, the ages
 * spread evenly over 1.5–`--spread` (120) s across all payments and interleaved across providers, so the figures
 * cover a payment's first 2 minutes and the run lasts about as long, not 2 minutes per change. Chromium opens at most
 * 6 connections to one host per browser context and each open stream holds one, so the payments are watched 5 to a
 * page, each page in a context of its own; pages are prepared 4 at a time, youngest changes first.
 *
 * Figures, per provider and over all: p50 and max of the time to the page (budgets 1.5 s and 3 s); and the provider
 * reads per payment per 2 s while it was pending (budget 1, the endpoint's read bound), as (reads − 1) ÷ (seconds ÷
 * 2) for the most-read payment, the reads being those the endpoint's store let through for it (the
 * `provider-read:<ref>` window each read takes, alone or in a batch: bench/provider-reads.ts). Beside it, each
 * provider's status calls as the sandbox's request log counts them (`GET /_sandbox/requests`), per second and per
 * payment per 2 s. Reference, in the same run: 2 s polling, computed as a wait for the next read (uniform 0–2 s:
 * p50 1 s, max 2 s) plus `GET /payments/{ref}`'s round trip from the page.
 *
 * The change is timed in Node and the state in the page, both as `performance.timeOrigin + performance.now()` (the
 * same machine clock, sub-millisecond).
 *
 *   npx tsx bench/status-withheld.ts [--per-provider 20] [--spread 120]
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { json, type Shop, startKronorSwish, startShop } from './browser.ts';
import { ReadNotingStore, statusCalls, type SandboxCall } from './provider-reads.ts';
import { format, numberArg, percentile, report, sleep } from './report.ts';

const BUDGET = { p50Ms: 1_500, maxMs: 3_000, readsPer2s: 1 };
const POLL_INTERVAL_MS = 2_000;
const PER_PAGE = 5;
const PAGES_PREPARED_AT_ONCE = 4;
/** The youngest age a change is made at: the page must show the payment first. */
const YOUNGEST_MS = 1_500;
/** How long after its change a payment may take to show before the run gives up on it. */
const GIVE_UP_MS = 30_000;

type Provider = 'hero' | 'whenthen' | 'hidirect' | 'milkypay' | 'kronor';
const PROVIDERS: readonly Provider[] = ['hero', 'whenthen', 'hidirect', 'milkypay', 'kronor'];
const LABELS: Record<Provider, string> = { hero: 'Hero', whenthen: 'WhenThen', hidirect: 'hi.health', milkypay: 'MilkyPay', kronor: 'Kronor' };
/** The order and method each provider's payments are made with; none needs a field the shopper fills in. */
const METHODS: Record<Provider, { order: string; method: (m: { id: string; provider: string }) => boolean }> = {
  hero: { order: 'DEMO-EUR', method: (m) => m.provider === 'hero' },
  whenthen: { order: 'DEMO-EUR', method: (m) => m.provider === 'whenthen' && /klarna/.test(m.id) },
  hidirect: { order: 'DEMO-EUR', method: (m) => m.provider === 'hidirect' },
  milkypay: { order: 'DEMO-EUR', method: (m) => m.provider === 'milkypay' && /paypal/.test(m.id) },
  kronor: { order: 'DEMO-SEK', method: (m) => m.provider === 'kronor' && /swish/.test(m.id) },
};

/** In the page (plain JavaScript text: tsx would add helpers to a function's source that the page lacks). */
const IN_PAGE = `
window.kassaBench = {
  shown: new Map(),
  message(el) { return el.shadowRoot?.querySelector('[part~="message"]')?.textContent?.trim() ?? ''; },
  async mount(references) {
    const elements = references.map((reference) => {
      const el = document.createElement('kassa-status');
      el.setAttribute('endpoint', '/kassa');
      el.setAttribute('locale', 'en');
      el.setAttribute('reference', reference);
      document.body.append(el);
      return el;
    });
    const deadline = performance.now() + 15000;
    while (!elements.every((el) => this.message(el) && el.getAttribute('state'))) {
      if (performance.now() > deadline) throw new Error('kassa-status showed nothing after 15 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    elements.forEach((el, i) => {
      const before = el.getAttribute('state');
      this.shown.set(references[i], new Promise((resolve) => {
        const check = () => {
          const state = el.getAttribute('state');
          if (state !== before && ['paid', 'authorized'].includes(state)) {
            observer.disconnect();
            resolve({ at: performance.timeOrigin + performance.now(), state });
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(el, { attributes: true, attributeFilter: ['state'] });
        check();
      }));
    });
    return elements.map((el) => el.getAttribute('state'));
  },
  async roundTrip(reference) {
    const t0 = performance.now();
    const response = await fetch('/kassa/payments/' + reference);
    await response.json();
    return performance.now() - t0;
  },
};
`;

interface Trial {
  provider: Provider;
  /** The age the payment is changed at (ms after it was created). */
  ageMs: number;
  reference?: string;
  /** Its id at the sandbox, for the control API. */
  sandboxId?: string;
  createdAt?: number;
  changedAt?: number;
  shownAt?: number;
}

let made = 0;

/** Creates the trial's payment through the endpoint (and, for Kronor, starts its Swish request as the browser would). */
async function create(shop: Shop, run: string, trial: Trial): Promise<void> {
  const { order, method: pick } = METHODS[trial.provider];
  const n = ++made;
  const orderRef = `${order}~withheld-${run}-${n}`;
  const session = await json(`${shop.demo.url}/kassa/session`, { method: 'POST', body: JSON.stringify({ order: orderRef, locale: 'en' }) });
  const method = (session.methods as { id: string; provider: string }[]).find(pick);
  if (!method) throw new Error(`no ${trial.provider} method for ${order}`);
  const created = await json(`${shop.demo.url}/kassa/payments`, {
    method: 'POST',
    headers: { 'idempotency-key': `withheld-${run}-${n}` },
    body: JSON.stringify({ token: session.token, method: method.id }),
  });
  trial.createdAt = performance.timeOrigin + performance.now();
  trial.reference = created.payment.reference as string;
  let waitToken: string | undefined;
  if (trial.provider === 'kronor') {
    const action = created.action;
    if (action?.type !== 'kronor') throw new Error(`a Kronor payment answered a ${action?.type} action`);
    waitToken = await startKronorSwish(action, `withheld-swish-${run}-${n}`);
  }
  const { payments } = await shop.control('GET', `/payments?provider=${trial.provider}`);
  const found = (payments as { id: string; reference?: string }[]).find((p) => p.reference === trial.reference || p.reference === orderRef || p.id === waitToken);
  if (!found) throw new Error(`the sandbox holds no ${trial.provider} payment for ${trial.reference}`);
  trial.sandboxId = found.id;
}

/** Prepares one page's trials (create, mount, shown), then changes each at its age and waits for the page to show it. */
async function runPage(shop: Shop, page: Page, run: string, trials: Trial[], prepared: () => void): Promise<void> {
  try {
    await Promise.all(trials.map((t) => create(shop, run, t)));
    await page.evaluate(`window.kassaBench.mount(${JSON.stringify(trials.map((t) => t.reference))})`);
  } finally {
    prepared();
  }
  await Promise.all(
    trials.map(async (trial) => {
      await sleep(trial.createdAt! + trial.ageMs - (performance.timeOrigin + performance.now()));
      trial.changedAt = performance.timeOrigin + performance.now();
      await shop.control('POST', `/payments/${trial.provider}/${trial.sandboxId}/outcome`, { outcome: 'pay' });
      const shown = page.evaluate<{ at: number }>(`window.kassaBench.shown.get(${JSON.stringify(trial.reference)})`);
      const timeout = sleep(GIVE_UP_MS).then(() => undefined);
      trial.shownAt = (await Promise.race([shown, timeout]))?.at;
    }),
  );
}

/** (reads − 1) ÷ (seconds ÷ 2): n reads span n − 1 intervals. */
const per2s = (reads: number, ms: number) => Math.max(0, reads - 1) / (ms / POLL_INTERVAL_MS);

export async function measureStatusWithheld(perProvider = numberArg('per-provider', 20), spreadS = numberArg('spread', 120)): Promise<boolean> {
  const store = new ReadNotingStore();
  const shop = await startShop({ store });
  const run = Math.random().toString(36).slice(2, 8);
  let ok = true;
  const pages: Page[] = [];
  try {
    for (const provider of PROVIDERS) await shop.control('POST', '/faults', { provider, operation: 'webhook', kind: 'drop' });
    const count = perProvider * PROVIDERS.length;
    const spreadMs = spreadS * 1000;
    const trials: Trial[] = Array.from({ length: count }, (_, j) => ({
      provider: PROVIDERS[j % PROVIDERS.length]!,
      ageMs: count > 1 ? YOUNGEST_MS + (j * (spreadMs - YOUNGEST_MS)) / (count - 1) : YOUNGEST_MS,
    }));
    console.log(
      `\nstatus with webhooks withheld: ${perProvider} payments each of ${PROVIDERS.map((p) => LABELS[p]).join(', ')}, every webhook dropped by the sandbox; changes at ages ${YOUNGEST_MS / 1000}–${spreadS} s, ${PER_PAGE} payments a page`,
    );
    for (let i = 0; i < Math.ceil(count / PER_PAGE); i++) {
      const page = await shop.open('/return.html');
      await page.evaluate(IN_PAGE);
      pages.push(page);
    }
    const runStarted = Date.now();
    // A page is prepared when a slot is free, so creating payments does not crowd the changes already under way.
    let free = PAGES_PREPARED_AT_ONCE;
    const waiting: Array<() => void> = [];
    const slot = async () => {
      while (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
      free--;
    };
    const release = () => {
      free++;
      waiting.shift()?.();
    };
    await Promise.all(
      pages.map(async (page, i) => {
        const own = trials.slice(i * PER_PAGE, (i + 1) * PER_PAGE);
        await slot();
        await runPage(shop, page, run, own, release);
      }),
    );
    const runEnded = Date.now();

    // Round trips of GET /payments/{ref} for payments now final (no provider read): the polling reference.
    const roundTrips: number[] = [];
    for (const t of trials.filter((t) => t.shownAt).slice(0, 30)) roundTrips.push((await pages[0]!.evaluate(`window.kassaBench.roundTrip(${JSON.stringify(t.reference)})`)) as number);
    const rtt50 = percentile(roundTrips, 50);
    const rttMax = percentile(roundTrips, 95);

    const { requests } = (await shop.control('GET', '/requests')) as { requests: SandboxCall[] };
    const calledInRun = statusCalls(requests, runStarted, runEnded);
    const runS = (runEnded - runStarted) / 1000;
    const ages = trials.filter((t) => t.changedAt).map((t) => (t.changedAt! - t.createdAt!) / 1000);
    console.log(`  ${trials.length} changes at ages ${Math.min(...ages).toFixed(1)}–${Math.max(...ages).toFixed(1)} s in ${runS.toFixed(0)} s`);

    const groups: Array<[string, Trial[]]> = [...PROVIDERS.map((p) => [LABELS[p], trials.filter((t) => t.provider === p)] as [string, Trial[]]), ['all providers', trials]];
    for (const [label, group] of groups) {
      const latencies = group.filter((t) => t.shownAt).map((t) => t.shownAt! - t.changedAt!);
      const missing = group.length - latencies.length;
      // The provider's status calls (the sandbox's count) per payment per 2 s pending, over the group.
      const providers = label === 'all providers' ? PROVIDERS : PROVIDERS.filter((p) => LABELS[p] === label);
      const calls = calledInRun.filter((r) => providers.includes(r.provider as Provider)).length;
      const pendingMs = group.reduce((sum, t) => sum + (t.changedAt! - t.createdAt!), 0);
      const callsPerPayment = calls / (pendingMs / POLL_INTERVAL_MS);
      // The budget figure: the most-read payment, by the reads the endpoint was let through to make (one at a time or in a batch).
      const most = Math.max(
        0,
        ...group.map((t) => per2s((store.reads.get(t.reference!) ?? []).filter((at) => at >= t.createdAt! && at < t.changedAt!).length, t.changedAt! - t.createdAt!)),
      );
      console.log(
        `  ${label}: ${latencies.length} of ${group.length} shown${missing ? ` (${missing} not within ${GIVE_UP_MS / 1000} s)` : ''}; ${format(calls)} status calls to the sandbox (${(calls / runS).toFixed(1)}/s) over ${format(pendingMs / 1000)} payment-seconds pending`,
      );
      const name = `status with webhooks withheld, ${label}`;
      ok = report({ name: `${name}: p50`, value: percentile(latencies, 50), unit: 'ms', budget: BUDGET.p50Ms, note: `${latencies.length} changes` }) && ok;
      ok = report({ name: `${name}: max`, value: missing ? Infinity : Math.max(...latencies), unit: 'ms', budget: BUDGET.maxMs, note: `p95 ${format(percentile(latencies, 95))} ms` }) && ok;
      ok =
        report({
          name: `${name}: provider reads per payment per 2 s`,
          value: most,
          unit: 'reads',
          budget: BUDGET.readsPer2s,
          note: `the most-read payment; status calls ${(calls / runS).toFixed(1)}/s, ${callsPerPayment.toFixed(2)} per payment per 2 s`,
        }) && ok;
    }
    console.log(`\n2 s polling, computed: a wait for the next read (uniform 0–2 s) plus GET /payments/{ref} (p50 ${rtt50.toFixed(1)} ms, p95 ${rttMax.toFixed(1)} ms, ${roundTrips.length} reads this run)`);
    report({ name: 'status with webhooks withheld: 2 s polling p50 (computed)', value: POLL_INTERVAL_MS / 2 + rtt50, unit: 'ms' });
    report({ name: 'status with webhooks withheld: 2 s polling max (computed)', value: POLL_INTERVAL_MS + rttMax, unit: 'ms' });
  } finally {
    await shop.control('DELETE', '/faults').catch(() => {});
    await shop.close();
  }
  return ok;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Kassa bench: status with webhooks withheld (headless Chromium)');
  process.exitCode = (await measureStatusWithheld()) ? 0 : 1;
}
