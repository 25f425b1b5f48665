/**
 * The script-tag bundle as a shop loads it from a CDN: dist/ served by a second server on another origin (CORS
 * `*`, as a CDN answers), the shop's page on the demo server's origin with its endpoint at `/kassa` (which allows
 * no other origin). The checkout shows its methods, and the lazy chunks (a language; the Kronor client when paying
 * with Swish) come from the CDN too. A page that loads kassa.js twice (two URLs, so two module instances) keeps
 * the first definitions, warns once per tag, and throws nothing.
 *
 * The shop's pages are answered by Playwright at addresses on the demo origin (the demo server itself serves only
 * its own pages); every other request, the endpoint's included, reaches the real servers. A page answered that way
 * has no network address, so Chromium counts it as public and would refuse its requests to loopback addresses (the
 * CDN, the sandbox): Local Network Access checks are off in this browser, as between a public shop and a public CDN.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server.ts';
import { startSandbox, type RunningSandbox } from '../../sandbox/server.ts';
import { launchChromium } from './harness.ts';
import { callControl } from '../../sandbox/testing.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(root, 'dist');
const TAGS = ['kassa-checkout', 'kassa-method-picker', 'kassa-method-fields', 'kassa-redirect', 'kassa-qr', 'kassa-status'];
/** The elements kassa.js defines at once; the others come from chunks when first needed. */
const EAGER_TAGS = ['kassa-checkout', 'kassa-method-picker'];

interface CdnRequest {
  path: string;
  origin: string | undefined;
}

/** A static file server for dist/ on its own origin, answering every request with CORS `*`; it logs each request. */
async function startCdn(): Promise<{ url: string; requests: CdnRequest[]; close(): Promise<void> }> {
  const requests: CdnRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://cdn');
    requests.push({ path: url.pathname + url.search, origin: req.headers.origin });
    const path = normalize(join(DIST, url.pathname));
    if (!path.startsWith(DIST + '/') || !['.js', '.map'].includes(extname(path))) return void res.writeHead(404).end();
    try {
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': extname(path) === '.js' ? 'text/javascript; charset=utf-8' : 'application/json',
        'access-control-allow-origin': '*',
        'cache-control': 'public, max-age=31536000, immutable',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'access-control-allow-origin': '*' }).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The shop's policy: scripts from itself and the CDN only, no inline script or style, Trusted Types required. */
function shopPolicy(cdnUrl: string, sandboxUrl: string): string {
  const sandbox = new URL(sandboxUrl);
  return [
    "default-src 'self'",
    `script-src 'self' ${cdnUrl}`,
    "style-src 'self'",
    `img-src 'self' data: ${sandbox.origin}`,
    `connect-src 'self' ${sandbox.origin} ws://${sandbox.host}`,
    "base-uri 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    'report-uri /csp-report',
  ].join('; ');
}

describe('the script-tag bundle from a CDN', () => {
  let sandbox: RunningSandbox;
  let demo: RunningDemo;
  let cdn: Awaited<ReturnType<typeof startCdn>>;
  let browser: Browser;

  before(async () => {
    if (!existsSync(join(DIST, 'kassa.js'))) {
      const built = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
      assert.equal(built.status, 0, 'vite build');
    }
    sandbox = await startSandbox();
    demo = await startDemo({ sandboxUrl: sandbox.url });
    cdn = await startCdn();
    // Pages served through page.route count as public to Chromium; loopback requests from them are otherwise blocked.
    browser = await launchChromium(['--disable-features=LocalNetworkAccessChecks']);
  });

  after(async () => {
    await browser?.close();
    await cdn?.close();
    await demo?.close();
    await sandbox?.close();
  });

  /** Opens `path` on the demo origin, answered with `html` under the shop's policy; records errors and console. */
  async function openShopPage(path: string, html: string) {
    const page: Page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.route(`${demo.url}${path}`, (route) =>
      route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': shopPolicy(cdn.url, sandbox.url) },
        body: html,
      }),
    );
    await page.goto(`${demo.url}${path}`);
    return { page, errors, warnings };
  }

  it('shows the methods, loads the language and the Kronor chunks from the CDN, and pays with Swish', async () => {
    await callControl(sandbox.url, 'POST', '/reset');
    cdn.requests.length = 0;
    const integrity = `sha384-${createHash('sha384').update(readFileSync(join(DIST, 'kassa.js'))).digest('base64')}`;
    const { page, errors } = await openShopPage(
      '/cdn-shop.html',
      `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Kassan</title>
<script type="module" src="${cdn.url}/kassa.js" integrity="${integrity}"></script>
</head><body><main><kassa-checkout endpoint="/kassa" order="DEMO-SEK"></kassa-checkout></main></body></html>`,
    );
    try {
      // Swedish from the page's lang: the picker's label comes from the sv chunk.
      await page.getByRole('radiogroup', { name: 'Betalsätt' }).waitFor();
      await page.getByRole('radio', { name: /^Swish$/ }).click();
      await page.getByRole('button', { name: /^Betala / }).click();
      await page.getByRole('img', { name: /QR-kod/ }).waitFor();

      const fromShop = cdn.requests.filter((r) => r.origin === demo.url).map((r) => r.path);
      assert.ok(fromShop.includes('/kassa.js'), `kassa.js from the CDN, requested with the shop's origin (${fromShop.join(', ')})`);
      assert.ok(fromShop.some((p) => /^\/chunks\/sv-[\w-]+\.js$/.test(p)), 'the Swedish chunk from the CDN');
      assert.ok(fromShop.some((p) => /^\/chunks\/browser-[\w-]+\.js$/.test(p)), 'the Kronor chunk from the CDN');
      assert.ok(!fromShop.some((p) => /^\/chunks\/(da|de|fi|fr|is|nb|pl)-/.test(p)), 'no other language');

      const { payments } = await callControl(sandbox.url, 'GET', '/payments?provider=kronor');
      assert.equal(payments.length, 1, 'one Kronor payment');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('loaded twice (two URLs), defines each element once, warns once per tag and throws nothing', async () => {
    cdn.requests.length = 0;
    const { page, errors, warnings } = await openShopPage(
      '/cdn-twice.html',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twice</title>
<script type="module" src="${cdn.url}/kassa.js"></script>
<script type="module" src="${cdn.url}/kassa.js?copy=2"></script>
</head><body><main><kassa-checkout endpoint="/kassa" order="DEMO-EUR"></kassa-checkout></main></body></html>`,
    );
    try {
      await page.getByRole('radiogroup', { name: 'Payment method' }).waitFor();
      const paths = cdn.requests.map((r) => r.path);
      assert.ok(paths.includes('/kassa.js') && paths.includes('/kassa.js?copy=2'), 'both copies were loaded');
      // Both copies ran before the page's DOMContentLoaded; console messages reach the test a moment later.
      const deadline = Date.now() + 5_000;
      while (warnings.filter((text) => /already defined/.test(text)).length < EAGER_TAGS.length && Date.now() < deadline) await page.waitForTimeout(50);
      const defined = await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag) !== undefined), TAGS).then(() => true);
      assert.ok(defined, 'every element is defined (the checkout loaded the others)');
      await page.waitForTimeout(200);

      // Each copy defines the checkout and the picker; the other elements' chunks import `../kassa.js` without the
      // query, so both copies share one module per chunk: defined once, nothing to warn about.
      const duplicates = warnings.filter((text) => /already defined/.test(text));
      for (const tag of EAGER_TAGS) {
        assert.equal(duplicates.filter((text) => text.includes(`<${tag}>`)).length, 1, `one warning for <${tag}>`);
      }
      assert.equal(duplicates.length, EAGER_TAGS.length, duplicates.join('\n'));
      assert.deepEqual(errors, [], 'nothing thrown');
      assert.ok((await page.getByRole('radio').count()) > 0, 'the first definitions work: the methods are listed');
    } finally {
      await page.close();
    }
  });

  it('ran both pages under the shop policy (scripts from the CDN, Trusted Types) with no violation', () => {
    assert.deepEqual(demo.cspReports, []);
  });
});
