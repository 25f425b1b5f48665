/**
 * Fault drill "the network goes offline and back", in Chromium: the shopper's browser loses the network while it
 * waits on a payment's status (the return page over the endpoint's event stream; Kronor Swish in the checkout over
 * Kronor's websocket), at the moment of clicking Pay, and before the checkout has loaded its methods. Each drill
 * checks what the shopper sees (the elements' text and roles, in the catalogue's words) and that the sandbox holds
 * exactly one payment — or none where nothing should have been paid.
 *
 * Going offline is Playwright's `context.setOffline(true)` (new requests fail, `navigator.onLine` turns false) plus
 * cutting the connections already open: Chromium's offline emulation leaves an established event stream delivering
 * and a websocket open, whereas a real loss of network ends them (Chromium closes its sockets when the network
 * changes). So the shop is reached through a small TCP relay that can cut every open connection, and Kronor's
 * websockets are dropped with the sandbox's control API.
 *
 * Run alone: `node --import tsx --test test/drills/offline.drills.test.ts` (needs dist/kassa.js; `npm test` builds it).
 */
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import { POLL_DELAYS_MS } from '../../src/components/status/status-controller.ts';
import en from '../../src/core/locales/en.ts';
import sv from '../../src/core/locales/sv.ts';
import { FINAL_STATES, type PaymentState } from '../../src/core/model.ts';
import { RETRY_DELAYS_MS as KRONOR_RETRY_DELAYS_MS } from '../../src/providers/kronor/browser.ts';
import { launchChromium } from '../e2e/harness.ts';
import { freshOrder } from '../support/endpoint.ts';

/** How soon after the network is back the shopper must see the payment's true state (a requirement, not a measure). */
const SHOWN_WITHIN_MS = 4_000;
/**
 * Failed reads to wait out on the return page before coming back online: after them the status's backoff waits at
 * least twice `SHOWN_WITHIN_MS`, so an element that only woke up on its timer would miss the bound.
 */
const READS_BEFORE_A_LONG_WAIT = POLL_DELAYS_MS.findIndex((ms) => ms >= 2 * SHOWN_WITHIN_MS) + 1;
/** What a stack trace or a raw browser error looks like; none of it may reach the shopper. */
const RAW_ERROR = /TypeError|Failed to fetch|NetworkError|ERR_[A-Z_]+|\bat \S+:\d+:\d+|EndpointError/;

/** A TCP relay in front of the demo shop: `cut()` ends every open connection, as a real loss of network does. */
interface Relay {
  readonly url: string;
  forwardTo(target: string): void;
  /** Ends every open connection; while `refusing`, new ones are ended at once too. */
  cut(): number;
  refusing: boolean;
  close(): Promise<void>;
}

async function startRelay(): Promise<Relay> {
  let target: URL | undefined;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined); // a cut connection errors on the other side: expected here
  };
  const server = createServer((client) => {
    track(client);
    if (!target || relay.refusing) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const relay: Relay = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refusing: false,
    forwardTo(url) {
      target = new URL(url);
    },
    cut() {
      const count = open.size;
      for (const socket of open) socket.destroy();
      return count;
    },
    close() {
      relay.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return relay;
}

/** Waits (polling briefly) until `condition` holds; for facts only Node sees, such as a count of failed requests. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const WAITING_STATES = ['created', 'action_required', 'pending', 'processing'] as const satisfies readonly PaymentState[];

describe('fault drills: the network goes offline and back', () => {
  let sandbox: RunningSandbox;
  let demo: RunningDemo;
  let relay: Relay;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    sandbox = await startSandbox();
    relay = await startRelay();
    // The shop's pages are opened through the relay, so the endpoint must accept the relay's origin as its own.
    demo = await startDemo({ sandboxUrl: sandbox.url, allowedOrigins: [relay.url] });
    relay.forwardTo(demo.url);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await relay?.close();
    await demo?.close();
    await sandbox?.close();
  });

  const control = <T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => callControl(sandbox.url, method, path, body) as Promise<T>;
  const paymentsAt = async (provider?: string) =>
    (await control<{ payments: Array<{ id: string; status: string }> }>('GET', `/payments${provider ? `?provider=${provider}` : ''}`)).payments;

  /** A fresh browser context (its own network switch and storage) with one page of the shop, through the relay. */
  async function openShop(path: string): Promise<{ context: BrowserContext; page: Page }> {
    relay.refusing = false; // a drill that failed while offline must not take the next one down with it
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${relay.url}${path}`);
    return { context, page };
  }

  async function goOffline(context: BrowserContext): Promise<void> {
    await context.setOffline(true);
    relay.refusing = true;
    relay.cut();
  }

  async function goOnline(context: BrowserContext): Promise<void> {
    relay.refusing = false;
    await context.setOffline(false);
  }

  /** The visible text of `kassa-status` (its live region), whitespace collapsed. */
  async function statusText(page: Page): Promise<string> {
    return ((await page.locator('kassa-status').getByRole('status').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Waits until `kassa-status` shows a payment that is not final yet, and answers its state. */
  async function waitingState(page: Page): Promise<PaymentState> {
    const waiting = page.locator(WAITING_STATES.map((state) => `kassa-status[state=${state}]`).join(', '));
    await waiting.waitFor();
    const state = (await waiting.getAttribute('state')) as PaymentState;
    assert.ok(!FINAL_STATES.has(state));
    return state;
  }

  /** Every text under an element, its shadow roots included: all the shopper can read there, whitespace collapsed. */
  function deepText(element: Locator): Promise<string> {
    // A loop, not a named inner function: tsx would wrap one in a `__name` helper the page does not have.
    return element.evaluate((root) => {
      const parts: string[] = [];
      for (const stack: Node[] = [root]; stack.length; ) {
        const node = stack.pop()!;
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
        const shadow = node instanceof Element ? node.shadowRoot : null;
        stack.push(...[...node.childNodes, ...(shadow ? [shadow] : [])].reverse());
      }
      return parts.join(' ').replace(/\s+/g, ' ').trim();
    });
  }

  /** Marks the page, so a reload (which would clear the mark) cannot pass for the element updating itself. */
  const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { kassaDrillMark: true }));
  const pageStillMarked = (page: Page) => page.evaluate(() => (window as unknown as { kassaDrillMark?: boolean }).kassaDrillMark === true);

  /** Records every `kassa-error` the page's elements fire (code and message), for the drill to check. */
  async function recordErrors(page: Page): Promise<() => Promise<Array<{ code: string; message: string }>>> {
    await page.evaluate(() => {
      const seen: Array<{ code: string; message: string }> = [];
      Object.assign(window, { kassaDrillErrors: seen });
      document.addEventListener('kassa-error', (event) => {
        const { code, message } = event as Event & { code: string; message: string };
        seen.push({ code, message });
      });
    });
    return () => page.evaluate(() => (window as unknown as { kassaDrillErrors: Array<{ code: string; message: string }> }).kassaDrillErrors);
  }

  it('(1a) offline while the return page waits: the payment is paid meanwhile, and shown paid soon after the network is back, without a reload', async (t) => {
    await control('POST', '/reset');
    const { context, page } = await openShop(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').first().click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === sandbox.url);
      // The shopper leaves the hosted page without paying and opens the shop's return page: kassa-status follows
      // the payment the checkout remembered, over the endpoint's event stream.
      await page.goto(`${relay.url}/return.html`);
      const state = await waitingState(page);
      const reference = await page.locator('kassa-status').evaluate((element) => (element as HTMLElement & { payment: { reference: string } }).payment.reference);
      let failedReads = 0;
      page.on('requestfailed', (request) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === `/kassa/payments/${reference}`) failedReads++;
      });
      await markPage(page);

      await goOffline(context);
      const [payment, ...others] = await paymentsAt('hidirect');
      assert.ok(payment && others.length === 0, 'one hi.health payment before the outcome');
      await control('POST', `/payments/hidirect/${payment.id}/outcome`, { outcome: 'pay' });

      // Offline, the element cannot know: it keeps the last state it read and says the shopper is offline.
      await page.locator('kassa-status').getByText(en['status.offline']).waitFor({ timeout: 30_000 });
      await until(() => failedReads >= READS_BEFORE_A_LONG_WAIT, `${READS_BEFORE_A_LONG_WAIT} failed reads of the payment`, 60_000);
      const offlineText = await statusText(page);
      assert.ok(offlineText.includes(en[`status.${state}`]), `still the waiting message: ${offlineText}`);
      assert.ok(offlineText.includes(en['status.offline']), `says the shopper is offline: ${offlineText}`);
      assert.ok(!offlineText.includes(en['status.paid']), `does not claim what it cannot know: ${offlineText}`);

      await goOnline(context);
      const back = Date.now();
      await page.locator('kassa-status').getByRole('status').filter({ hasText: en['status.paid'] }).waitFor({ timeout: SHOWN_WITHIN_MS });
      t.diagnostic(`paid shown ${Date.now() - back} ms after the network came back (bound ${SHOWN_WITHIN_MS} ms; offline for ${failedReads} failed reads)`);
      const backText = await statusText(page);
      assert.ok(!backText.includes(en['status.reconnecting']) && !backText.includes(en['status.offline']), `the offline note is gone: ${backText}`);
      assert.equal(await page.locator('kassa-status').getAttribute('state'), 'paid');
      assert.ok(await pageStillMarked(page), 'the page was not reloaded');
      assert.equal((await paymentsAt('hidirect')).length, 1);
    } finally {
      await context.close();
    }
  });

  it('(1b) offline while Swish waits in the checkout: the phone approves meanwhile, and the checkout shows it paid once the network is back', async (t) => {
    await control('POST', '/reset');
    const { context, page } = await openShop(`/checkout.html?order=${freshOrder('DEMO-SEK')}&group=provider`);
    try {
      /** Sockets that have received a frame: open and subscribed, not still connecting. */
      const liveSockets = new Set<unknown>();
      let closedSockets = 0;
      let failedAttempts = 0;
      page.on('websocket', (socket) => {
        socket.on('framereceived', () => liveSockets.add(socket));
        socket.on('close', () => {
          liveSockets.delete(socket);
          closedSockets++;
        });
        socket.on('socketerror', () => failedAttempts++);
      });
      page.on('requestfailed', () => failedAttempts++);

      await page.getByRole('radio', { name: /^Swish$/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      const state = await waitingState(page);
      // The checkout's websocket (which brought the QR code) closes once kassa-status takes over; kassa-status then
      // follows the payment at Kronor over a websocket of its own: the one left open, once it has heard from Kronor
      // (on a busy machine it may still be connecting here, and going offline then would leave it hanging unopened).
      await until(() => closedSockets > 0 && liveSockets.size > 0, "the status's own websocket to Kronor, open", 15_000);
      await markPage(page);
      const before = { closedSockets, failedAttempts };

      await goOffline(context);
      // Drop Kronor's side until the browser has seen its socket close (on a busy machine the status's socket may
      // still be opening at the first drop).
      let dropped = 0;
      for (const deadline = Date.now() + 15_000; closedSockets === before.closedSockets && Date.now() < deadline; ) {
        dropped += (await control<{ closed: number }>('POST', '/kronor/drop-connections')).closed;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(dropped >= 1, 'the status had a websocket open to lose');
      const [payment, ...others] = await paymentsAt('kronor');
      assert.ok(payment && others.length === 0, 'one Kronor payment before the approval');
      // What the phone's Approve does.
      await control('POST', `/payments/kronor/${payment.id}/outcome`, { outcome: 'pay' });

      // The browser tries to get back (a new websocket, or the endpoint as the fallback) and fails: meanwhile the
      // shopper still sees the waiting state (with the connection note once it falls back to reading), never paid.
      await until(() => closedSockets > before.closedSockets, "the status's websocket closing in the browser");
      await until(() => failedAttempts > before.failedAttempts, 'a failed attempt to reconnect while offline');
      const offlineText = await statusText(page);
      assert.ok(offlineText.includes(en[`status.${state}`]), `still the waiting message: ${offlineText}`);
      assert.ok(!offlineText.includes(en['status.paid']), `does not claim what it cannot know: ${offlineText}`);
      await page.getByRole('img', { name: /QR code/ }).waitFor();

      await goOnline(context);
      const back = Date.now();
      // Bounded by the Kronor client's longest wait between reconnections, had it still been retrying.
      const bound = Math.max(...KRONOR_RETRY_DELAYS_MS) + SHOWN_WITHIN_MS;
      await page.getByRole('status').filter({ hasText: en['status.paid'] }).first().waitFor({ timeout: bound });
      t.diagnostic(`paid shown ${Date.now() - back} ms after the network came back (bound ${bound} ms)`);
      assert.ok(await pageStillMarked(page), 'the page was not reloaded');
      assert.equal((await paymentsAt('kronor')).length, 1);
    } finally {
      await context.close();
    }
  });

  it('(2) offline at the moment of clicking Pay: a clear localized error and no payment; back online, Pay again pays once', async () => {
    await control('POST', '/reset');
    const { context, page } = await openShop(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      const checkout = page.locator('kassa-checkout');
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').first().click();
      const errors = await recordErrors(page);

      await goOffline(context);
      await page.getByRole('button', { name: /^Pay / }).click();
      const alert = checkout.getByRole('alert');
      await alert.filter({ hasText: en['error.network'] }).waitFor();
      assert.equal((await alert.textContent())?.trim(), en['error.network']);
      const shown = await deepText(checkout);
      assert.ok(shown.includes(en['error.network']), `the whole checkout's text is read: ${shown}`);
      assert.doesNotMatch(shown, RAW_ERROR);
      // The shopper can try again: the button is back (not stuck on "Starting payment…") and the method still chosen.
      const pay = checkout.getByRole('button', { name: /^Pay / });
      await pay.waitFor();
      assert.equal(await pay.getAttribute('aria-disabled'), 'false');
      assert.deepEqual(await errors(), [{ code: 'network', message: en['error.network'] }]);
      assert.equal((await paymentsAt()).length, 0, 'nothing reached a provider');

      await goOnline(context);
      await pay.click();
      await page.waitForURL((url) => url.origin === sandbox.url);
      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html');
      await page.getByRole('status').filter({ hasText: en['status.paid'] }).waitFor();
      assert.equal((await paymentsAt('hidirect')).length, 1);
      assert.equal((await paymentsAt()).length, 1);
    } finally {
      await context.close();
    }
  });

  it('(3) offline before the methods load: a localized error with a retry; back online, the methods show by themselves', async () => {
    await control('POST', '/reset');
    const { context, page } = await openShop(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      // The page (and kassa.js) loaded while online; the shop then mounts its checkout while the network is gone,
      // as a single-page shop does when the shopper reaches its checkout step.
      await page.getByRole('radio').first().waitFor();
      await page.evaluate(() => customElements.whenDefined('kassa-checkout'));
      await goOffline(context);
      const errors = await recordErrors(page);
      await page.evaluate(() => {
        const fresh = document.createElement('kassa-checkout');
        fresh.setAttribute('endpoint', '/kassa');
        fresh.setAttribute('order', 'DEMO-EUR');
        fresh.setAttribute('group-by', 'provider');
        document.querySelector('kassa-checkout')!.replaceWith(fresh);
      });

      const checkout = page.locator('kassa-checkout');
      const alert = checkout.getByRole('alert');
      await alert.filter({ hasText: en['error.network'] }).waitFor();
      assert.equal((await alert.textContent())?.trim(), en['error.network']);
      const shown = await deepText(checkout);
      assert.ok(shown.includes(en['error.network']), `the whole checkout's text is read: ${shown}`);
      assert.doesNotMatch(shown, RAW_ERROR);
      assert.equal(await checkout.getByRole('radio').count(), 0, 'no methods without a session');
      assert.deepEqual(await errors(), [{ code: 'network', message: en['error.network'] }]);

      assert.equal(await checkout.getByRole('button', { name: en['common.retry'] }).count(), 1, 'a retry is offered');
      await goOnline(context);
      // No click needed: the checkout opens its session when the browser says it is online again.
      await checkout.getByRole('radio').first().waitFor();
      assert.ok((await checkout.getByRole('radio').count()) > 1, 'the methods for EUR are shown');
      assert.equal(await checkout.getByRole('alert').count(), 0, 'the error is gone');
      await checkout.getByRole('button', { name: /^Pay / }).waitFor();
      assert.equal((await paymentsAt()).length, 0, 'nothing was paid');
    } finally {
      await context.close();
    }
  });

  it('(3b) a Swedish checkout mounted offline shows English meanwhile, and Swedish once the network is back', async () => {
    await control('POST', '/reset');
    const { context, page } = await openShop(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      await page.getByRole('radio').first().waitFor();
      await goOffline(context);
      // The Swedish catalogue was never loaded on this page: it cannot load now.
      await page.evaluate(() => {
        const fresh = document.createElement('kassa-checkout');
        fresh.setAttribute('endpoint', '/kassa');
        fresh.setAttribute('order', 'DEMO-EUR');
        fresh.setAttribute('locale', 'sv');
        document.querySelector('kassa-checkout')!.replaceWith(fresh);
      });
      const checkout = page.locator('kassa-checkout');
      await checkout.getByRole('alert').filter({ hasText: en['error.network'] }).waitFor();

      await goOnline(context);
      // Back online the language and the session load by themselves: the methods, in Swedish, without a click.
      await checkout.getByRole('radio').first().waitFor();
      await checkout.getByText(sv['checkout.total']!).waitFor();
    } finally {
      await context.close();
    }
  });

  it('had no page error on any page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
