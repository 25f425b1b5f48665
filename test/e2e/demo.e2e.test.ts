/**
 * The demo shop in real Chromium, as a shopper uses it: products into the cart, a currency switch, checkout with
 * the cart's reference (priced by the shop's server, never by the page), then paying — Swish on the sandbox's phone
 * page in SEK, hi.health's hosted page in EUR back to the return page — and the sandbox panel in the footer making
 * the next payment fail. Every page runs under the demo's strict Content-Security-Policy with Trusted Types.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ensureBundle } from '../../demo/build.ts';
import type { Page } from 'playwright-core';
import { callControl } from '../../sandbox/testing.ts';
import { useShopInBrowser } from './harness.ts';

describe('demo shop end to end in Chromium', () => {
  const shop = useShopInBrowser({ prepare: async () => {
      // `npm test` builds dist/ before the Node tests; alone, this test builds it when it is missing.
      if (!existsSync(new URL('../../dist/kassa.js', import.meta.url))) await ensureBundle();
    } });
  const open = (path: string) => shop.open(path);

  const total = (page: Page) => page.locator('[data-cart-total]');
  /** Text with Intl's no-break spaces made plain, to compare with literals ("SEK 398.00"). */
  const plain = async (text: Promise<string | null>) => (await text)?.replace(/\s/g, ' ');
  const add = (page: Page, product: string) => page.getByRole('button', { name: `Add to cart ${product}`, exact: true }).click();
  const checkoutAmount = (page: Page) => page.locator('kassa-checkout [part="amount"] .amount-value');

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

  it('SEK: two products → checkout shows the cart total → Swish approved on the phone → paid', async () => {
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
      assert.equal(new URL(page.url()).searchParams.get('order'), 'CART-SEK-mug.1-tote.1');
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
    } finally {
      await page.close();
    }
  });

  it('EUR: hi.health hosted page → the return page shows paid, and the cart is emptied', async () => {
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
    const page = await open('/checkout.html?order=DEMO-EUR');
    try {
      const panel = page.locator('footer');
      const result = panel.getByRole('status');
      await panel.getByRole('button', { name: 'Drop Kronor connections' }).click();
      await result.filter({ hasText: /Dropped \d+ Kronor connection/ }).waitFor();

      await panel.getByLabel('Provider').selectOption('hidirect');
      await panel.getByRole('button', { name: /Next payment start fails/ }).click();
      await result.filter({ hasText: 'The next hi.health payment start fails with HTTP 500' }).waitFor();
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
    assert.equal(ok.headers.get('location'), '/checkout.html?order=CART-PLN-mug.1-hoodie.2&group=provider');
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
