/**
 * Fault drills in Chromium: the Kronor websocket closes mid-payment, the return page is reloaded after a final
 * state, the endpoint restarts while the shopper is on a provider's hosted page, and pay is double-clicked (each
 * provider).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { callControl } from '../../sandbox/testing.ts';
import { FileStore } from '../../src/server/stores/file-store.ts';
import { MemoryStore, type KassaStore } from '../../src/server/stores/store.ts';
import { launchChromium } from '../e2e/harness.ts';
import { freshOrder } from '../support/endpoint.ts';

describe('fault drills in Chromium', () => {
  let sandbox: RunningSandbox;
  let demo: RunningDemo;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    sandbox = await startSandbox();
    demo = await startDemo({ sandboxUrl: sandbox.url });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
    await sandbox?.close();
  });

  const control = <T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => callControl(sandbox.url, method, path, body) as Promise<T>;
  const count = async (provider: string) => (await control<{ payments: unknown[] }>('GET', `/payments?provider=${provider}`)).payments.length;

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${demo.url}${path}`);
    return page;
  }

  it('(4) the Kronor websocket closes mid-payment: Swish still shows paid after the phone approves', async () => {
    await control('POST', '/reset');
    const page = await open(`/checkout.html?order=${freshOrder('DEMO-SEK')}&group=provider`);
    try {
      await page.getByRole('radio', { name: /^Swish$/ }).click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      // The element opens its websocket just after the QR code shows: drop it as soon as it is there.
      let closed = 0;
      for (const deadline = Date.now() + 5_000; closed === 0 && Date.now() < deadline; ) {
        closed = (await control<{ closed: number }>('POST', '/kronor/drop-connections')).closed;
        if (closed === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(closed >= 1, 'the checkout had a websocket open to drop');
      const phone = await browser.newPage();
      await phone.goto(`${sandbox.url}/kronor/swish/phone`);
      await phone.getByRole('link', { name: /499,00 SEK|499\.00 SEK/ }).first().click();
      await phone.getByRole('button', { name: /^Approve$/ }).click();
      await phone.close();
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 15_000 });
      assert.equal(await count('kronor'), 1);
    } finally {
      await page.close();
    }
  });

  it('(5) the return page reloaded after a final state still shows it, and no second payment appears', async () => {
    await control('POST', '/reset');
    const page = await open(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').first().click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === sandbox.url);
      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html');
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor();
      for (let reload = 0; reload < 2; reload++) {
        await page.reload();
        await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor();
      }
      assert.equal(await count('hidirect'), 1);
    } finally {
      await page.close();
    }
  });

  // The endpoint keeps its state in a FileStore here, as a one-machine shop would (a bigger one uses a shared
  // database behind the same KassaStore interface): the restarted process still knows the payment.
  it('(6) the endpoint restarts while the shopper is on the hosted page: the return page shows the true final state, one payment', async () => {
    await control('POST', '/reset');
    const storeDir = mkdtempSync(join(tmpdir(), 'kassa-drill-store-'));
    const port = Number(new URL(demo.url).port);
    const restart = async (store: KassaStore = new FileStore(storeDir)) => {
      await demo.close();
      demo = await startDemo({ sandboxUrl: sandbox.url, port, overrides: { store } });
    };
    await restart();
    const page = await open(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
    try {
      await page.getByRole('group', { name: 'hi.health' }).getByRole('radio').first().click();
      await page.getByRole('button', { name: /^Pay / }).click();
      await page.waitForURL((url) => url.origin === sandbox.url);

      await restart();

      await page.getByRole('button', { name: /^(Pay|Approve)$/ }).click();
      await page.waitForURL((url) => url.pathname === '/return.html');
      await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 15_000 });
      assert.equal(await count('hidirect'), 1);
      const { payments } = await control<{ payments: Array<{ status: string }> }>('GET', '/payments?provider=hidirect');
      assert.notEqual(payments[0]!.status, 'INITIAL', 'the provider did take the payment');
    } finally {
      await page.close();
      await restart(new MemoryStore()); // the later drills, without this drill's folder
      rmSync(storeDir, { recursive: true, force: true });
    }
  });

  // (7) One per provider: the method a shopper would double-click, in DEMO-EUR (each goes to the provider's page).
  const DOUBLE_CLICKS = [
    { provider: 'hero', group: 'Hero', method: 'Pay in full' },
    { provider: 'milkypay', group: 'MilkyPay', method: 'PayPal' },
    { provider: 'hidirect', group: 'hi.health', method: /^hi\.health/ },
    { provider: 'whenthen', group: 'WhenThen', method: 'Klarna' },
    { provider: 'kronor', group: 'Kronor', method: 'Bank transfer' },
  ] as const;
  for (const { provider, group, method } of DOUBLE_CLICKS) {
    it(`(7) ${provider}: pay double-clicked makes one payment, and the return page shows it paid`, async () => {
      await control('POST', '/reset');
      const page = await open(`/checkout.html?order=${freshOrder('DEMO-EUR')}&group=provider`);
      try {
        await page.getByRole('group', { name: group }).getByRole('radio', { name: method }).click();
        await page.getByRole('button', { name: /^Pay / }).dblclick();
        await page.waitForURL((url) => url.origin === sandbox.url);
        const { payments } = await control<{ payments: Array<{ id: string }> }>('GET', `/payments?provider=${provider}`);
        assert.equal(payments.length, 1, `one ${provider} payment for a double click`);
        const { redirectUrl } = await control<{ redirectUrl: string }>('POST', `/payments/${provider}/${payments[0]!.id}/outcome`, { outcome: 'pay' });
        await page.goto(redirectUrl);
        await page.waitForURL((url) => url.pathname === '/return.html');
        await page.getByRole('status').filter({ hasText: /Payment complete/ }).waitFor({ timeout: 15_000 });
        assert.equal(await count(provider), 1, 'still one payment');
      } finally {
        await page.close();
      }
    });
  }

  it('had no page error on any page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
