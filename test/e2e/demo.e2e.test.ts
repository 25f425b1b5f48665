/**
 * The demo shop in real Chromium, as a shopper uses it: products into the cart, a currency switch, checkout with
 * a new order for the cart (priced by the shop's server, never by the page), then paying — Swish on the sandbox's
 * phone page in SEK, hi.health's hosted page in EUR back to the return page — and the sandbox panel in the footer
 * making the next payment fail. The cart is emptied only once the shop's server (its order book, fed by
 * `onPaymentEvent`) says the order is paid, and the back office lists it. Every page runs under the demo's strict
 * Content-Security-Policy with Trusted Types.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ensureBundle } from '../../demo/build.ts';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import type { Browser, Page } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import { launchChromium, useShopInBrowser } from './harness.ts';
import { freshOrder } from '../support/endpoint.ts';

/** `npm test` builds dist/ before the Node tests; alone, this test builds it when it is missing. */
const prepare = async () => {
  if (!existsSync(new URL('../../dist/kassa.js', import.meta.url))) await ensureBundle();
};
/** Text with Intl's no-break spaces made plain, to compare with literals ("SEK 398.00"). */
const plain = async (text: Promise<string | null>) => (await text)?.replace(/\s/g, ' ');
const add = (page: Page, product: string) => page.getByRole('button', { name: `Add to cart ${product}`, exact: true }).click();
const checkoutAmount = (page: Page) => page.locator('kassa-checkout [part="amount"] .amount-value');
/** The cart's quantities as the shop keeps them in localStorage. */
const cartItems = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('kassa-demo-cart') ?? '{}').items ?? {});
/** The line where a page says what the shop's server knows of the order. */
const orderStatus = (page: Page) => page.locator('[data-order-status]');

describe('demo shop end to end in Chromium', () => {
  const shop = useShopInBrowser({ prepare });
  const open = (path: string) => shop.open(path);

  const total = (page: Page) => page.locator('[data-cart-total]');

  it('keeps a cart: add, change a quantity, remove; prices and total follow the currency and survive a reload', async () => {
    const page = await open('/');
    try {
      assert.equal(await page.getByRole('button', { name: 'Checkout' }).isDisabled(), true, 'nothing to check out yet');
      await add(page, 'Kassa mug');
      await add(page, 'Canvas tote');
      assert.equal(await plain(total(page).textContent()), '€34.80');
      await page.getByLabel('Quantity of Kassa mug').fill('3');
      assert.equal(await plain(total(page).textContent()), '€64.60');
      await page.getByRole('button', { name: 'Remove Canvas tote', exact: true }).click();
      assert.equal(await plain(total(page).textContent()), '€44.70');
      await page.getByLabel('Currency').selectOption('SEK');
      assert.equal(await plain(total(page).textContent()), 'SEK 507.00');
      assert.equal(await plain(page.locator('[data-sku="hoodie"] [data-price]').textContent()), 'SEK 549.00');
      await page.reload();
      assert.equal(await plain(total(page).textContent()), 'SEK 507.00');
      assert.equal(await page.getByLabel('Currency').inputValue(), 'SEK');
      assert.equal(await page.getByLabel('Quantity of Kassa mug').inputValue(), '3');
    } finally {
      await page.close();
    }
  });

  it('SEK: two products → checkout shows the cart total → Swish approved on the phone → paid, and the server empties the cart', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await open('/');
    try {
      await add(page, 'Kassa mug');
      await add(page, 'Canvas tote');
      await page.getByLabel('Currency').selectOption('SEK');
      const cartTotal = await total(page).textContent();
      assert.equal(await plain(total(page).textContent()), 'SEK 398.00');
      await page.getByRole('button', { name: 'Checkout' }).click();
      await page.waitForURL((url) => url.pathname === '/checkout.html');
      const order = new URL(page.url()).searchParams.get('order')!;
      assert.match(order, /^CART-SEK-mug\.1-tote\.1~[A-Za-z0-9_-]{1,40}$/, 'a new order for the cart');
      await checkoutAmount(page).waitFor();
      assert.equal(await checkoutAmount(page).textContent(), cartTotal, 'the amount the endpoint priced is the cart total');

      await page.getByRole('radio', { name: /^Swish$/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      const phone = await shop.browser.newPage();
      await phone.goto(`${shop.sandbox.url}/kronor/swish/phone`);
      await phone.getByRole('link', { name: /398[.,]00 SEK/ }).click();
      await phone.getByRole('button', { name: /^Approve$/ }).click();
      await phone.close();
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 10_000 });
      const { payments } = await callControl(shop.sandbox.url, 'GET', '/payments?provider=kronor');
      assert.equal(payments.length, 1);
      assert.equal(payments[0].amount, 16900 + 22900);
      // The checkout page asks the shop's server, which heard it from onPaymentEvent.
      await page.locator('[data-order-status][data-state="paid"]').waitFor({ timeout: 30_000 });
      assert.equal(shop.demo.orders.get(order)?.state, 'paid');
      assert.deepEqual(await cartItems(page), {});
    } finally {
      await page.close();
    }
  });

  it('EUR: hi.health hosted page → the return page shows paid, and the cart is emptied once the server says paid', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await open('/');
    try {
      await add(page, 'Hoodie');
      const cartTotal = await total(page).textContent();
      assert.equal(await plain(total(page).textContent()), '€49.90');
      await page.getByRole('button', { name: 'Checkout' }).click();
      await checkoutAmount(page).waitFor();
      assert.equal(await checkoutAmount(page).textContent(), cartTotal);
      await page.getByRole('radio', { name: /hi\.health/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === shop.sandbox.url);
      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html', { timeout: 10_000 });
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 10_000 });
      await orderStatus(page).filter({ hasText: /The shop has order CART-EUR-hoodie\.1~\S+ as paid, and your cart is emptied/ }).waitFor({ timeout: 30_000 });
      await page.getByRole('link', { name: 'Back to the shop' }).click();
      await page.waitForURL((url) => url.pathname === '/'); // and its load event: shop.js has run
      assert.equal(await page.getByText('Your cart is empty.').isVisible(), true);
      assert.equal(await plain(total(page).textContent()), '€0.00');
    } finally {
      await page.close();
    }
  });

  it('the footer panel drives the sandbox: a failing provider, the next payment declined, dropped Kronor connections', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await open(`/checkout.html?order=${freshOrder('DEMO-EUR')}`);
    try {
      const panel = page.locator('footer');
      const result = panel.getByRole('status');
      await panel.getByRole('button', { name: 'Drop Kronor connections' }).click();
      await result.filter({ hasText: /Dropped \d+ Kronor connection/ }).waitFor();

      await panel.getByLabel('Provider').selectOption('hidirect');
      await panel.getByRole('button', { name: /Next payment start fails/ }).click();
      await result.filter({ hasText: 'hi.health will answer HTTP 500 to the next payment start. Where another provider offers the method, Kassa moves the payment there; otherwise the shopper sees the error.' }).waitFor();
      await page.getByRole('radio', { name: /hi\.health/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('alert').filter({ hasText: /not responding/ }).waitFor();

      await panel.getByRole('button', { name: 'Next payment declined' }).click();
      await result.filter({ hasText: 'The next hi.health payment will be declined' }).waitFor();
      // The preset outcome is applied when the hosted page opens: straight back, declined.
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.pathname === '/return.html', { timeout: 10_000 });
      await page.getByRole('status').filter({ hasText: /declined/ }).waitFor({ timeout: 10_000 });
      const { payments } = await callControl(shop.sandbox.url, 'GET', '/payments?provider=hidirect');
      assert.equal(payments.length, 1, 'the failed start made no payment');
    } finally {
      await page.close();
    }
  });

  it('refuses to check out an empty cart or one it does not sell', async () => {
    for (const query of ['currency=EUR&mug=0', 'currency=USD&mug=1', 'currency=EUR&mug=21', 'currency=EUR&mug=-1', 'currency=EUR&mug=1.5']) {
      const response = await fetch(`${shop.demo.url}/cart/checkout?${query}`, { redirect: 'manual' });
      assert.equal(response.status, 400, query);
    }
    const ok = await fetch(`${shop.demo.url}/cart/checkout?currency=PLN&hoodie=2&mug=1`, { redirect: 'manual' });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get('location')!, /^\/checkout\.html\?order=CART-PLN-mug\.1-hoodie\.2~[A-Za-z0-9_-]{1,40}$/);
    const again = await fetch(`${shop.demo.url}/cart/checkout?currency=PLN&hoodie=2&mug=1`, { redirect: 'manual' });
    assert.notEqual(again.headers.get('location'), ok.headers.get('location'), 'the same cart checked out again is a new order');
  });

  it('the fixed-order links start a new order each time: DEMO-<CUR>~<random>, priced as DEMO-<CUR>', async () => {
    const variant = /^\/checkout\.html\?order=DEMO-SEK~[A-Za-z0-9_-]{1,40}(&|$)/;
    const starts = async (path: string) => {
      const response = await fetch(`${shop.demo.url}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 303, path);
      return response.headers.get('location')!;
    };
    const [one, two] = [await starts('/checkout/new?currency=SEK'), await starts('/checkout/new?currency=SEK')];
    assert.match(one, variant);
    assert.match(two, variant);
    assert.notEqual(one, two);
    assert.match(await starts('/checkout.html?group=provider&lang=sv'), /^\/checkout\.html\?order=DEMO-EUR~[A-Za-z0-9_-]+&lang=sv&group=provider$/);
    assert.equal((await fetch(`${shop.demo.url}/checkout/new?currency=USD`, { redirect: 'manual' })).status, 400);

    const page = await open('/');
    try {
      await page.getByRole('link', { name: 'DEMO-SEK', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/checkout.html');
      assert.match(new URL(page.url()).searchParams.get('order')!, /^DEMO-SEK~[A-Za-z0-9_-]+$/);
      await checkoutAmount(page).waitFor();
      assert.equal(await plain(checkoutAmount(page).textContent()), 'SEK 499.00');
    } finally {
      await page.close();
    }
  });

  it('ran every page under the strict policy with no violation and no page error', () => {
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
  });
});

describe("demo shop in Chromium: the cart waits for the merchant's truth", () => {
  // A shop whose payment events reach its order book late: the test's own hook (called after the shop's) holds each
  // cart order's first event until released, so the payment's later events — paid among them — wait for it.
  let sandbox: RunningSandbox | undefined;
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  let holding = true;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = () => {
      holding = false;
      resolve();
    };
  });

  before(async () => {
    await prepare();
    sandbox = await startSandbox();
    demo = await startDemo({
      sandboxUrl: sandbox.url,
      overrides: {
        paymentEventTimeoutMs: 60_000,
        onPaymentEvent: async (event) => {
          if (holding && event.payment.order.startsWith('CART-')) await released;
        },
      },
    });
    browser = await launchChromium();
  });
  after(async () => {
    release();
    await browser?.close();
    await demo?.close();
    await sandbox?.close();
  });

  const open = async (path: string) => {
    const page = await browser!.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${demo!.url}${path}`);
    return page;
  };

  it('paid at hi.health: the return page shows paid, but the cart is emptied only once the server says so; the back office lists the order', async () => {
    const page = await open('/');
    try {
      await add(page, 'Hoodie');
      await page.getByRole('button', { name: 'Checkout' }).click();
      await checkoutAmount(page).waitFor();
      const order = new URL(page.url()).searchParams.get('order')!;
      assert.match(order, /^CART-EUR-hoodie\.1~/);
      await page.getByRole('radio', { name: /hi\.health/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === sandbox!.url);
      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html', { timeout: 10_000 });

      // The browser knows the payment is paid; the shop's server has not heard it yet.
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 10_000 });
      await orderStatus(page).filter({ hasText: `The shop is confirming order ${order}` }).waitFor();
      await page.waitForTimeout(1_500); // a few of the page's questions answered `open`
      assert.deepEqual(await (await fetch(`${demo!.url}/orders/${encodeURIComponent(order)}.json`)).json(), { order, state: 'open' });
      assert.equal(await orderStatus(page).getAttribute('data-state'), 'waiting');
      assert.deepEqual(await cartItems(page), { hoodie: 1 }, 'the cart is kept while the server has not heard the order paid');

      release();
      await page.locator('[data-order-status][data-state="paid"]').waitFor({ timeout: 30_000 });
      assert.equal(demo!.orders.get(order)?.state, 'paid');
      assert.deepEqual(await cartItems(page), {});
      await page.getByRole('link', { name: 'Back to the shop' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      assert.equal(await page.getByText('Your cart is empty.').isVisible(), true);

      await page.getByRole('link', { name: 'back office' }).click();
      await page.waitForURL((url) => url.pathname === '/admin/orders');
      const row = page.locator('tr', { has: page.getByRole('rowheader', { name: order }) });
      assert.equal(await row.locator('[data-state]').textContent(), 'paid');
      assert.equal(await row.locator('.attempts li').count(), 1);
      assert.match((await plain(row.locator('.attempts li').textContent())) ?? '', /^kp_\S+ hi\.health hidirect:\S+ paid €49\.90 /);
      assert.match(await page.getByText('without authentication').textContent() ?? '', /never do this in a real shop/);
    } finally {
      await page.close();
    }
  });

  it('ran every page under the strict policy with no violation and no page error', () => {
    assert.deepEqual(demo!.cspReports, []);
    assert.deepEqual(pageErrors, []);
  });
});
