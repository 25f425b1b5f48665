/**
 * The demo's checkout page carries its order's session (rendered by the shop's server with `kassa.sessionJson`), and
 * the checkout rendered with it (declarative shadow DOM): in Chromium, under the demo's strict Content-Security-Policy,
 * the methods show with the HTML and without a `/session` request, and a page kept open past its session's life asks
 * the endpoint once instead.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ensureBundle } from '../../demo/build.ts';
import { useShopInBrowser } from './harness.ts';

const prepare = async () => {
  if (!existsSync(new URL('../../dist/kassa.js', import.meta.url))) await ensureBundle();
};

describe('demo checkout page carrying its session', () => {
  const shop = useShopInBrowser({ prepare });

  it('shows the methods without a /session request, with no CSP violation', async () => {
    const page = await shop.browser.newPage();
    const sessionRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/kassa/session') sessionRequests.push(request.method());
    });
    await page.goto(`${shop.demo.url}/checkout/new?currency=EUR`);
    await page.locator('kassa-checkout [part~="method"]').first().waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('kassa-checkout [part~="method"]').count(), 7);
    assert.deepEqual(sessionRequests, []);
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
    await page.close();
  });

  it('renders the methods on the server: they show with the HTML, before any script, under the strict policy', async () => {
    const page = await shop.browser.newPage();
    await page.route('**/assets/**', (route) => route.abort()); // no Kassa script at all
    const answer = await page.goto(`${shop.demo.url}/checkout/new?currency=EUR&lang=sv`);
    // The shadow roots' styles (and the shop's stylesheet) are allowed by their hashes, and by nothing broader.
    const policy = (await answer!.allHeaders())['content-security-policy'] ?? '';
    assert.match(policy, /style-src 'self'( 'sha256-[\w+/]+=*')+;/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    const methods = page.locator('kassa-checkout [part~="method"]');
    assert.equal(await methods.count(), 7);
    assert.ok(await methods.first().isVisible());
    assert.match((await page.locator('kassa-checkout [part~="pay-button"]').textContent()) ?? '', /^\s*Betala 49,90\s€\s*$/);
    assert.equal(await page.evaluate(() => customElements.get('kassa-checkout')), undefined);
    assert.deepEqual(shop.demo.cspReports, []);
    await page.close();
  });

  it('asks the endpoint once when the carried session expired while the page was open', async () => {
    const page = await shop.browser.newPage();
    const sessionRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/kassa/session') sessionRequests.push(request.method());
    });
    // The page as if it had been left open for an hour: its clock past the carried session's expiry.
    await page.clock.install({ time: Date.now() + 60 * 60 * 1000 });
    await page.clock.resume();
    await page.goto(`${shop.demo.url}/checkout/new?currency=SEK`);
    await page.locator('kassa-checkout [part~="method"]').first().waitFor({ timeout: 10_000 });
    assert.deepEqual(sessionRequests, ['POST']);
    // The server rendered the methods of the session it gave the page; the browser renders its new session's once.
    assert.equal(await page.locator('kassa-checkout [part~="method"]').count(), 5); // SEK's five, once
    assert.deepEqual(shop.demo.cspReports, []);
    assert.deepEqual(shop.pageErrors, []);
    await page.close();
  });
});
