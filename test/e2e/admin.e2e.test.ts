/**
 * The demo shop's back office in real Chromium, after the sale: a Kronor card paid in the demo checkout under
 * Kronor's manual capture stops at `authorized`; in `/admin/orders` the merchant captures it, refunds part of it with
 * a reason, is refused a refund above what is left (shown as text, nothing changed), sends one refund with a double
 * click (refunded once: the form's idempotency key) and sees the payment's state, amounts and history follow each
 * step. The page runs under the demo's strict Content-Security-Policy with Trusted Types, and passes an axe check.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { ensureBundle } from '../../demo/build.ts';
import { callControl } from '../../sandbox/testing.ts';
import { freshOrder } from '../support/endpoint.ts';
import { useShopInBrowser } from './harness.ts';

/** `npm test` builds dist/ before the Node tests; alone, this test builds it when it is missing. */
const prepare = async () => {
  if (!existsSync(new URL('../../dist/kassa.js', import.meta.url))) await ensureBundle();
};
/** Text with Intl's no-break spaces made plain, to compare with literals ("€49.90"). */
const plain = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('demo back office end to end in Chromium: capture and refund', () => {
  // Cards go to Kronor here: its manual capture leaves a card authorised for the back office to capture.
  const shop = useShopInBrowser({ prepare, overrides: { routing: { methods: { card: ['kronor'] } } } });

  /** The payment's item in the back office, found by its order. */
  const paymentItem = (page: Page, order: string): Locator =>
    page.locator('tr', { has: page.getByRole('rowheader', { name: order }) }).locator('.attempts > li');

  /** Waits for the page the script reloads to say what the operation did, and answers that line. */
  async function afterOperation(item: Locator, text: RegExp): Promise<string> {
    const result = item.getByRole('status');
    await result.filter({ hasText: text }).waitFor({ timeout: 15_000 });
    return plain(await result.textContent());
  }

  it('a Kronor card authorised in the checkout is captured, refunded in part, refused above what is left, and the history shows each step', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    await callControl(shop.sandbox.url, 'POST', '/kronor/settings', { cardCaptureMode: 'manual' });
    const order = freshOrder('DEMO-EUR');
    const page = await shop.open(`/checkout.html?order=${encodeURIComponent(order)}`);
    try {
      // Pay with Kronor's card: its card page, then back to the shop's return page.
      await page.locator('kassa-checkout [part="amount"] .amount-value').waitFor();
      await page.getByRole('radio', { name: /^Card/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === shop.sandbox.url, { timeout: 10_000 });
      await page.getByRole('button', { name: 'Pay', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/return.html', { timeout: 10_000 });
      await page.locator('[data-order-status][data-state="paid"]').waitFor({ timeout: 30_000 });

      await page.goto(`${shop.demo.url}/admin/orders`);
      const item = paymentItem(page, order);
      assert.equal(await item.count(), 1);
      const reference = (await item.getAttribute('data-payment'))!;
      assert.match(reference, /^kp_/);
      const state = item.locator('[data-payment-state]');
      assert.equal(await state.textContent(), 'authorized');
      const operations = item.getByRole('group', { name: `Operations on ${reference}` });
      assert.deepEqual(await operations.getByRole('button').allTextContents(), ['Capture', 'Cancel payment'], 'an authorisation is captured or cancelled');

      // Capture the whole authorisation (the amount left empty).
      await operations.getByRole('button', { name: 'Capture' }).click();
      assert.equal(await afterOperation(paymentItem(page, order), /^Captured/), 'Captured: the payment is now paid.');
      assert.equal(await state.textContent(), 'paid');
      assert.equal(plain(await item.locator('.payment-amounts').textContent()), 'Captured €49.90');
      assert.deepEqual(await operations.getByRole('button').allTextContents(), ['Refund']);
      assert.equal(await item.getByRole('status').evaluate((element) => element === document.activeElement), true, 'the result has focus after the reload');

      // Refund €10.00 with a reason.
      await operations.getByLabel('Amount to refund (EUR)').fill('10.00');
      await operations.getByLabel('Reason').fill('one mug broken');
      await operations.getByRole('button', { name: 'Refund' }).click();
      assert.equal(await afterOperation(item, /^Refunded/), 'Refunded €10.00: the payment is now partially_refunded.');
      assert.equal(await state.textContent(), 'partially_refunded');
      assert.equal(plain(await item.locator('.payment-amounts').textContent()), 'Captured €49.90 · Refunded €10.00');
      assert.equal(await operations.getByLabel('Amount to refund (EUR)').getAttribute('placeholder'), '39.90', 'what is left to refund');

      // Above what is left: refused, shown as text, nothing changed and the page kept.
      await operations.getByLabel('Amount to refund (EUR)').fill('100');
      await operations.getByRole('button', { name: 'Refund' }).click();
      await item.locator('[role="status"][data-kind="error"]').waitFor();
      const refusal = plain(await item.getByRole('status').textContent());
      assert.match(refusal, /more than the 3990 left to refund/);
      assert.equal(await item.getByRole('status').getAttribute('data-kind'), 'error');
      assert.equal(await state.textContent(), 'partially_refunded');
      // Not an amount: said before anything is sent.
      await operations.getByLabel('Amount to refund (EUR)').fill('12,345');
      await operations.getByRole('button', { name: 'Refund' }).click();
      await item.getByRole('status').filter({ hasText: /^Not an amount in EUR/ }).waitFor();

      // A double click is one refund: the button is busy after the first, and the form's key makes it one anyway.
      await operations.getByLabel('Amount to refund (EUR)').fill('5');
      await operations.getByLabel('Reason').fill('');
      await operations.getByRole('button', { name: 'Refund' }).dblclick();
      assert.equal(await afterOperation(item, /^Refunded/), 'Refunded €5.00: the payment is now partially_refunded.');
      assert.equal(plain(await item.locator('.payment-amounts').textContent()), 'Captured €49.90 · Refunded €15.00');
      const refunds = (await shop.demo.kassa.payments.events(reference)).filter((e) => e.operation?.kind === 'refund');
      assert.deepEqual(refunds.map((e) => e.operation?.amount), [1000, 500], 'refunded once for the double click');

      // The history: each change, the operations with their amounts and reason.
      const history = item.locator('details.history');
      await history.locator('summary').click();
      const rows = history.locator('tbody tr');
      const cells = async () =>
        (await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))).map((row) => row.map(plain));
      const table = await cells();
      assert.deepEqual(table.map((row) => Number(row[0])), table.map((_, index) => index + 1), 'every change, in order');
      assert.equal(table[0]![2], 'payment.created');
      const operationRows = table.filter((row) => row[2] === 'payment.operation').map((row) => row[4]);
      assert.deepEqual(operationRows, ['capture €49.90', 'refund €10.00 “one mug broken”', 'refund €5.00']);
      assert.ok(table.some((row) => row[2] === 'payment.updated' && row[3]!.startsWith('authorized')), 'authorised at first');
      assert.ok(table.some((row) => row[3]!.startsWith('paid')), 'then paid');
      assert.match(table.at(-1)![3]!, /^partially_refunded/);
      assert.match(plain(await history.locator('summary').textContent()), new RegExp(`^History of ${reference} \\(${table.length} changes\\)$`));
    } finally {
      await page.close();
    }
  });

  it('the back office passes an axe check', async () => {
    // axe is injected, so this page bypasses the policy (the other pages prove it holds).
    const context = await shop.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    try {
      await page.goto(`${shop.demo.url}/admin/orders`);
      const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
    }
  });

  it('ran every page under the strict policy with no violation and no page error', () => {
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
  });
});
