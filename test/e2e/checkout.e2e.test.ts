/**
 * The whole checkout in real Chromium, leaving the page as a shopper does: the demo shop's checkout page (served
 * with a strict Content-Security-Policy and Trusted Types) → pick a method → pay → the sandbox's hosted page →
 * back on the return page, where only `<kassa-status>` shows the final state. Driven from Node with
 * playwright-core, since a test page cannot follow its own navigation away (TOOLCHAIN.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callControl } from '../../sandbox/testing.ts';
import { useShopInBrowser } from './harness.ts';
import { freshOrder } from '../support/endpoint.ts';

/** Hosted-page button per outcome; `expire` has no button, so it is preset through the control API. */
const OUTCOMES = [
  { outcome: 'pay', button: /^(Pay|Approve)$/, shown: /Payment complete/ },
  { outcome: 'decline', button: /^Decline$/, shown: /declined/ },
  { outcome: 'cancel', button: /^Cancel$/, shown: /cancelled/ },
  { outcome: 'expire', button: undefined, shown: /expired/ },
] as const;

interface Flow {
  provider: string;
  order: string;
  /** The method's radio, by its accessible name, inside the provider's group. */
  group: string;
  method: RegExp;
  /** Outcomes this provider has: hi.health, WhenThen and Kronor's MobilePay have no expiry of their own. */
  outcomes: ReadonlyArray<(typeof OUTCOMES)[number]['outcome']>;
}

const FLOWS: Flow[] = [
  { provider: 'hero', order: 'DEMO-EUR', group: 'Hero', method: /Pay in full/, outcomes: ['pay', 'decline', 'cancel', 'expire'] },
  { provider: 'milkypay', order: 'DEMO-EUR', group: 'MilkyPay', method: /^PayPal/, outcomes: ['pay', 'decline', 'cancel', 'expire'] },
  { provider: 'hidirect', order: 'DEMO-EUR', group: 'hi.health', method: /hi\.health/, outcomes: ['pay', 'decline', 'cancel'] },
  { provider: 'whenthen', order: 'DEMO-EUR', group: 'WhenThen', method: /^Card/, outcomes: ['pay', 'decline', 'cancel'] },
  { provider: 'kronor', order: 'DEMO-DKK', group: 'Kronor', method: /MobilePay/, outcomes: ['pay', 'decline', 'cancel'] },
];


describe('checkout end to end in Chromium', () => {
  const shop = useShopInBrowser();

  /** A checkout for a fresh variant of the order: a payment in one test never makes the next one's order paid. */
  const openCheckout = (order: string) => shop.open(`/checkout.html?order=${freshOrder(order)}&group=provider`);

  it('reports a Trusted Types violation on the demo pages (so "no report" below means something)', async () => {
    const page = await openCheckout('DEMO-EUR');
    try {
      // A string assigned to innerHTML is exactly what the policy forbids; Kassa's own code never does it.
      await page.evaluate(() => {
        try {
          document.body.insertAdjacentHTML('beforeend', '<b>not allowed</b>');
        } catch {
          // refused by Trusted Types, as it must be
        }
      });
      const deadline = Date.now() + 5_000;
      while (!shop.demo.cspReports.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.ok(shop.demo.cspReports.length > 0, 'the violation was reported');
      assert.match(JSON.stringify(shop.demo.cspReports[0]), /trusted-types|require-trusted-types-for/);
    } finally {
      await page.close();
      shop.demo.cspReports.length = 0;
    }
  });

  for (const flow of FLOWS) {
    for (const { outcome, button, shown } of OUTCOMES.filter((o) => flow.outcomes.includes(o.outcome))) {
      it(`${flow.provider}: ${outcome} on the hosted page → the ${flow.provider === 'hero' && outcome === 'cancel' ? 'checkout' : 'return page'} shows it`, async () => {
        await callControl(shop.sandbox.url, 'POST', '/reset');
        if (!button) await callControl(shop.sandbox.url, 'POST', '/outcomes', { provider: flow.provider, outcome });
        const page = await openCheckout(flow.order);
        try {
          await page.getByRole('group', { name: flow.group }).getByRole('radio', { name: flow.method }).click();
          await page.getByRole('button', { name: /^Pay / }).click();
          await page.waitForURL((url) => url.origin === shop.sandbox.url || url.pathname === '/return.html');
          if (button) await page.getByRole('button', { name: button }).click();
          // Hero's "back to the shop" (its cancel) leads to the checkout the shopper chose on, where the attempt resumes.
          const backToChoice = flow.provider === 'hero' && outcome === 'cancel';
          await page.waitForURL((url) => url.pathname === (backToChoice ? '/checkout.html' : '/return.html'), { timeout: 10_000 });
          if (backToChoice) {
            // Back where the shopper chooses: the picker, to pay another way; the endpoint reads the attempt as cancelled.
            await page.getByRole('radiogroup', { name: 'Payment method' }).waitFor({ timeout: 10_000 });
            const order = new URL(page.url()).searchParams.get('order')!;
            const deadline = Date.now() + 10_000;
            while ((await shop.demo.kassa.payments.forOrder(order))[0]?.state !== 'cancelled' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
            assert.equal((await shop.demo.kassa.payments.forOrder(order))[0]?.state, 'cancelled');
          } else {
            assert.match(new URL(page.url()).searchParams.get('kassa_payment') ?? '', /^kp_/);
            await page.getByRole('status').filter({ hasText: shown }).waitFor({ timeout: 10_000 });
          }
          const { payments } = await callControl(shop.sandbox.url, 'GET', `/payments?provider=${flow.provider}`);
          assert.equal(payments.length, 1, 'one provider payment');
        } finally {
          await page.close();
        }
      });
    }
  }

  it('Swish: QR shown, the phone approves, the status flips to paid without a reload', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await openCheckout('DEMO-SEK');
    try {
      await page.getByRole('radio', { name: /^Swish$/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      const checkoutUrl = page.url();
      const phone = await shop.browser.newPage();
      await phone.goto(`${shop.sandbox.url}/kronor/swish/phone`);
      await phone.getByRole('link', { name: /499,00 SEK|499\.00 SEK/ }).first().click();
      await phone.getByRole('button', { name: /^Approve$/ }).click();
      await phone.close();
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 10_000 });
      assert.equal(page.url(), checkoutUrl, 'no navigation');
    } finally {
      await page.close();
    }
  });

  it('a double click on pay makes one payment', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await openCheckout('DEMO-EUR');
    try {
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').first().click();
      await page.getByRole('button', { name: /^Pay / }).dblclick();
      await page.waitForURL((url) => url.origin === shop.sandbox.url);
      const { payments } = await callControl(shop.sandbox.url, 'GET', '/payments?provider=hidirect');
      assert.equal(payments.length, 1);
    } finally {
      await page.close();
    }
  });

  it('ran every page under the strict policy with no violation and no page error', () => {
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
  });
});
