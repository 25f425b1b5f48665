/**
 * The return page as a shopper on a phone meets it: the demo's checkout (in the shopper's language) → a provider's
 * hosted page → the decision there → the demo's `/return.html`, where `<kassa-status endpoint="/kassa">` alone says
 * what happened and offers the way back to the checkout of the same order. Every message the status card shows is
 * recorded from the first paint, so a message that flashes by is caught too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { callControl } from '../../sandbox/testing.ts';
import { freshOrder } from '../support/endpoint.ts';
import { useShopInBrowser } from './harness.ts';

/**
 * Installed before any page script: records the text of every kassa-status card, each time it changes. A string,
 * not a function: the test's compiler would add helpers the page does not have.
 */
const RECORD_STATUS_MESSAGES = `(() => {
  const shown = [];
  window.__kassaShown = shown;
  const native = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = native.call(this, init);
    if (this.localName === 'kassa-status') {
      const note = () => {
        const message = root.querySelector('[part~="message"]')?.textContent?.trim();
        if (message && shown.at(-1) !== message) shown.push(message);
      };
      new MutationObserver(note).observe(root, { subtree: true, childList: true, characterData: true });
    }
    return root;
  };
})();`;

const shownOn = (page: Page) => page.evaluate(() => (window as unknown as { __kassaShown: string[] }).__kassaShown);

const PHONE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

interface Flow {
  provider: string;
  order: string;
  method: RegExp;
}

/** Hosted pages that send the shopper to the return page after a cancel (Hero's cancel leads to the checkout). */
const CANCEL_FLOWS: Flow[] = [
  { provider: 'milkypay', order: 'DEMO-EUR', method: /^PayPal/ },
  { provider: 'hidirect', order: 'DEMO-EUR', method: /hi\.health/ },
  { provider: 'whenthen', order: 'DEMO-EUR', method: /^Card/ },
  { provider: 'kronor', order: 'DEMO-DKK', method: /MobilePay/ },
];

describe('the return page in Chromium, on a phone', () => {
  const shop = useShopInBrowser();

  async function phonePage(): Promise<Page> {
    const context = await shop.browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => shop.pageErrors.push(`${page.url()}: ${error.message}`));
    await page.addInitScript(RECORD_STATUS_MESSAGES);
    return page;
  }

  /** Checks out `flow`'s order on a phone, then uses the hosted page's `button`; answers the page on /return.html. */
  async function payAndDecide(page: Page, flow: Flow, button: RegExp, lang?: string): Promise<string> {
    const order = freshOrder(flow.order);
    await page.goto(`${shop.demo.url}/checkout.html?order=${order}&group=provider${lang ? `&lang=${lang}` : ''}`);
    await page.getByRole('radio', { name: flow.method }).click();
    await page.getByRole('button', { name: /^(Pay|Betala) / }).click();
    await page.waitForURL((url) => url.origin === shop.sandbox.url);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL((url) => url.pathname === '/return.html');
    return order;
  }

  for (const flow of CANCEL_FLOWS) {
    it(`${flow.provider}: after a cancel the return page never says it is waiting for the shopper`, async () => {
      await callControl(shop.sandbox.url, 'POST', '/reset');
      const page = await phonePage();
      try {
        await payAndDecide(page, flow, /^Cancel$/);
        await page.getByRole('status').filter({ hasText: /cancelled/ }).waitFor();
        const shown = await shownOn(page);
        assert.ok(shown.length > 0, 'messages were recorded');
        assert.ok(!shown.some((m) => /Waiting for you/.test(m)), `shown: ${JSON.stringify(shown)}`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('a Swedish checkout, declined at the provider: the return page speaks Swedish and leads back to the same order', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    // Decided as the hosted page opens: the shopper is sent straight back, as after pressing its decline button.
    await callControl(shop.sandbox.url, 'POST', '/outcomes', { provider: 'hidirect', outcome: 'decline' });
    const page = await phonePage();
    try {
      const order = freshOrder('DEMO-EUR');
      await page.goto(`${shop.demo.url}/checkout.html?order=${order}&group=provider&lang=sv`);
      const checkoutUrl = page.url();
      await page.getByRole('radio', { name: /hi\.health/ }).click();
      await page.getByRole('button', { name: /^Betala / }).click();
      await page.waitForURL((url) => url.pathname === '/return.html');

      await page.getByRole('status').filter({ hasText: 'Betalningen nekades.' }).waitFor();
      await page.getByText('Inga pengar har dragits. Prova ett annat kort eller betalsätt.').waitFor();
      assert.ok(!(await shownOn(page)).some((m) => /[Tt]he payment|Waiting/.test(m)), `English shown: ${JSON.stringify(await shownOn(page))}`);
      const link = page.getByRole('link', { name: 'Välj ett annat betalsätt' });
      const box = await link.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 812 && box.x >= 0 && box.x + box.width <= 375, `the link is in view: ${JSON.stringify(box)}`);
      assert.ok(box.height >= 44, 'a fingertip high');

      await link.tap();
      await page.waitForURL((url) => url.pathname === '/checkout.html');
      assert.equal(page.url(), checkoutUrl);
      assert.equal(new URL(page.url()).searchParams.get('order'), order);
      // The same order, to pay another way: the methods again, in Swedish.
      await page.getByRole('button', { name: /^Betala / }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('offline while the payment is awaited: says so within 2 s, says when it is back, and follows the payment on', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await phonePage();
    try {
      const order = freshOrder('DEMO-EUR');
      await page.goto(`${shop.demo.url}/checkout.html?order=${order}&group=provider`);
      await page.getByRole('radio', { name: /hi\.health/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === shop.sandbox.url);
      // The shopper comes back without deciding (the browser's back button, say): the payment is still open.
      const { payments } = await callControl(shop.sandbox.url, 'GET', '/payments?provider=hidirect');
      const [payment] = payments as Array<{ id: string; reference: string }>;
      await page.goto(`${shop.demo.url}/return.html?kassa_payment=${payment!.reference}`);
      await page.getByRole('status').filter({ hasText: 'Waiting for the payment to be confirmed' }).waitFor();

      await page.context().setOffline(true);
      const wentOffline = Date.now();
      await page.getByText('You are offline. We will update this when you are back online.').waitFor({ timeout: 2_000 });
      assert.ok(Date.now() - wentOffline < 2_000);

      await callControl(shop.sandbox.url, 'POST', `/payments/hidirect/${payment!.id}/outcome`, { outcome: 'decline' });
      await page.context().setOffline(false);
      const back = Date.now();
      await page.getByRole('status').filter({ hasText: /Back online\.|The payment was declined\./ }).waitFor({ timeout: 2_000 });
      await page.getByRole('status').filter({ hasText: 'The payment was declined.' }).waitFor({ timeout: 5_000 });
      assert.ok(Date.now() - back < 5_000, 'followed on at once');
      await page.getByRole('link', { name: 'Choose another payment method' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('ran every page with no page error', () => {
    assert.deepEqual(shop.pageErrors, []);
  });
});
