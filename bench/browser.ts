/**
 * For the browser benchmarks: the sandbox, the demo shop (endpoint at `/kassa`) and headless Chromium, all started
 * in this process, with the same Chromium flags as the end-to-end tests.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { KassaConfig } from '../src/server/config.ts';
import { startDemo, type RunningDemo } from '../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../sandbox/server.ts';
import { CHROMIUM_ARGS } from '../test/e2e/harness.ts';

export interface Shop {
  sandbox: RunningSandbox;
  demo: RunningDemo;
  browser: Browser;
  /** A page of the shop that loaded dist/kassa.js, emptied of the elements it came with. */
  open(path: string): Promise<Page>;
  control(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startShop(overrides: Partial<KassaConfig> = {}): Promise<Shop> {
  const sandbox = await startSandbox();
  // Every page here is one client on loopback, far past what a shopper does: the per-client limits would measure
  // themselves (and hide a leaked stream behind a refusal), so they are lifted.
  const perClient = { rateLimitPerMinute: 1e9, statusRateLimitPerMinute: 1e9, maxStreamsPerClient: 1e6, maxStreams: 1e6 };
  const demo = await startDemo({ sandboxUrl: sandbox.url, overrides: { ...perClient, ...overrides } });
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    sandbox,
    demo,
    browser,
    async open(path) {
      const page = await browser.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => console.log(`  page error: ${error.message}`));
      await page.goto(`${demo.url}${path}`);
      // kassa.js defines the checkout at once; the other elements load when first used (a bench's first mount).
      await page.waitForFunction(() => customElements.get('kassa-checkout') !== undefined);
      await page.evaluate(() => document.querySelectorAll('kassa-checkout, kassa-status').forEach((e) => e.remove()));
      return page;
    },
    async control(method, path, body) {
      const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    async close() {
      await browser.close();
      await demo.close();
      await sandbox.close();
    },
  };
}

/** A JSON request to the demo or the sandbox; a non-2xx answer throws with its body. */
export async function json<T = any>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

/**
 * What the checkout's Kronor client does in the browser once a Kronor payment is made: starts its Swish payment
 * request at Kronor with the session token. Answers the request's wait token.
 */
export async function startKronorSwish(action: { httpUrl: string; sessionToken: string; returnUrl: string }, idempotencyKey: string): Promise<string> {
  const started = await json<{ data?: { newSwishPayment?: { waitToken?: string } } }>(action.httpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${action.sessionToken}` },
    body: JSON.stringify({
      query: 'mutation Swish($pay: SwishPaymentInput!) { newSwishPayment(pay: $pay) { waitToken } }',
      variables: { pay: { flow: 'mcom', idempotencyKey, returnUrl: action.returnUrl } },
    }),
  });
  const waitToken = started.data?.newSwishPayment?.waitToken;
  if (!waitToken) throw new Error(`Kronor newSwishPayment: ${JSON.stringify(started)}`);
  return waitToken;
}
