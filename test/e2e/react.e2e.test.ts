/**
 * The React 19 example (demo/react/, served at `/react/`) in real Chromium: React renders `<kassa-checkout>` with
 * its props set as the element's properties (`order`, the `navigate` function) and listens to its events with
 * `onkassa-…` props. The page is built with Vite first when it is missing or older than its sources.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureReactExample } from '../../demo/build.ts';
import type { Page } from 'playwright-core';
import { callControl } from '../../sandbox/testing.ts';
import { useShopInBrowser } from './harness.ts';

describe('the React 19 example in Chromium', () => {
  const shop = useShopInBrowser({ prepare: ensureReactExample, consoleErrors: true });
  const open = (path: string) => shop.open(path);

  const log = (page: Page) => page.getByRole('log');
  const logged = (page: Page, text: string | RegExp) => log(page).getByRole('listitem').filter({ hasText: text }).first().waitFor();

  it('shows the methods; picking and paying with Swish logs the events; the session is read back through a ref', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await open('/react/');
    try {
      // React set `order` (a fresh variant of DEMO-SEK) and `group-by`: the methods come grouped by provider.
      const swish = page.getByRole('group', { name: 'Kronor' }).getByRole('radio', { name: /^Swish$/ });
      await swish.click();
      await logged(page, /^kassa-method-change swish/);
      const methods = await page.getByRole('radio').count();
      const session = page.locator('[data-session]');
      assert.match((await session.innerText()).replace(/\s+/g, ' '), new RegExp(`Order DEMO-SEK~[0-9a-f]{12} Amount SEK.499\\.00 Methods ${methods}`));

      await page.getByRole('button', { name: /^Pay / }).click();
      await logged(page, /^kassa-payment-start kp_\S+, next: kronor/);
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      const phone = await shop.browser.newPage();
      await phone.goto(`${shop.sandbox.url}/kronor/swish/phone`);
      await phone.getByRole('link', { name: /499[.,]00 SEK/ }).click();
      await phone.getByRole('button', { name: /^Approve$/ }).click();
      await phone.close();

      await logged(page, /^kassa-complete kp_\S+ ended paid/);
      const entries = (await log(page).getByRole('listitem').allInnerTexts()).map((text) => text.split(' ')[0]);
      assert.deepEqual(entries.slice(0, 2), ['kassa-method-change', 'kassa-payment-start']);
      assert.ok(entries.includes('kassa-status-change'), `a status change in ${entries.join(', ')}`);
      assert.equal(entries.at(-1), 'kassa-complete');
      assert.match(await log(page).innerText(), /kassa-status-change kp_\S+ is paid/);
    } finally {
      await page.close();
    }
  });

  it('a new order prop reaches the element, and the navigate prop takes the redirect instead of the page leaving', async () => {
    await callControl(shop.sandbox.url, 'POST', '/reset');
    const page = await open('/react/');
    try {
      await page.getByRole('radio', { name: /^Swish$/ }).waitFor();
      await page.getByLabel('Order').selectOption('DEMO-EUR');
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').click();
      assert.match(await page.locator('[data-session]').innerText(), /DEMO-EUR~[0-9a-f]{12}/);
      const reactPage = page.url();
      await page.getByRole('button', { name: /^Pay / }).click();

      await logged(page, /^navigate /);
      const navigated = (await log(page).getByRole('listitem').filter({ hasText: /^navigate / }).innerText()).split(' ')[1]!;
      assert.equal(new URL(navigated).origin, shop.sandbox.url, 'the provider page is the sandbox hi.health page');
      assert.equal(new URL(navigated).pathname, '/hidirect/pay');
      assert.equal(page.url(), reactPage, 'the page did not leave: React handled navigate(url)');
      assert.equal(await page.evaluate(() => typeof (document.querySelector('kassa-checkout') as { navigate?: unknown }).navigate), 'function');

      // The link the page shows goes on to the provider, and back to the shop's return page.
      await page.getByRole('link', { name: /Continue to the provider/ }).click();
      await page.waitForURL((url) => url.origin === shop.sandbox.url);
      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html', { timeout: 10_000 });
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 10_000 });
    } finally {
      await page.close();
    }
  });

  it('ran under the strict policy with no violation, no page error and no React warning', () => {
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
  });
});
