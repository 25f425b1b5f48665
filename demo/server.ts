/**
 * The demo shop's server: the Kassa endpoint mounted at `/kassa` on `node:http`, next to the shop's pages.
 * `startDemo()` is what `npm start` and the tests run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KassaConfig } from '../src/server/config.ts';
import { createKassaHandler } from '../src/server/handler.ts';
import { createNodeListener } from '../src/server/node.ts';
import { CURRENCIES, PRODUCTS } from './catalogue.ts';
import { demoKassaConfig } from './config.ts';

export interface DemoOptions {
  port?: number;
  host?: string;
  sandboxUrl: string;
  /** Origins allowed to call the endpoint besides the demo's own (KASSA_ALLOWED_ORIGINS). */
  allowedOrigins?: string[];
  /** Endpoint settings a test may change (short timeouts, low rate limits). */
  overrides?: Partial<KassaConfig>;
}

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const config = demoKassaConfig({ sandboxUrl: options.sandboxUrl, shopUrl: url, allowedOrigins: options.allowedOrigins });
  const kassa = createNodeListener(createKassaHandler({ ...config, ...options.overrides }));

  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    if (path === '/kassa' || path.startsWith('/kassa/')) return void kassa(req, res);
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(indexPage(url, options.sandboxUrl));
    }
    if (req.method === 'GET' && path === '/return.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(returnPage());
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function indexPage(url: string, sandboxUrl: string): string {
  const products = PRODUCTS.map((p) => `<li>${p.name} (<code>${p.sku}</code>)</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kassa demo shop</title></head><body>
<h1>Kassa demo shop</h1>
<p>The Kassa endpoint is mounted at <code>${url}/kassa</code> (try <a href="/kassa/health">/kassa/health</a>), against the sandbox at
<a href="${sandboxUrl}/_sandbox/">${sandboxUrl}</a>.</p>
<p>Orders: <code>DEMO-EUR</code>, <code>DEMO-SEK</code>, <code>DEMO-DKK</code>, <code>DEMO-NOK</code>, <code>DEMO-PLN</code>, or a cart
<code>CART-&lt;${CURRENCIES.join('|')}&gt;-&lt;sku&gt;.&lt;qty&gt;</code> of:</p><ul>${products}</ul>
<pre>curl -s -X POST ${url}/kassa/session -H 'content-type: application/json' -d '{"order":"DEMO-EUR"}'</pre>
</body></html>`;
}

function returnPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kassa demo — payment</title></head><body>
<h1>Back in the shop</h1><p>The payment's reference is in this page's address (<code>kassa_payment</code>); its status is at
<code>/kassa/payments/&lt;reference&gt;</code>.</p></body></html>`;
}
