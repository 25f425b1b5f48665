/**
 * The demo shop's server: the Kassa endpoint mounted at `/kassa` on `node:http`, next to the shop's pages.
 * `startDemo()` is what `npm start` and the tests run.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { KassaConfig } from '../src/server/config.ts';
import { createKassaHandler } from '../src/server/handler.ts';
import { createNodeListener } from '../src/server/node.ts';
import { CURRENCIES, PRODUCTS } from './catalogue.ts';
import { demoKassaConfig } from './config.ts';
import { checkoutPage, contentSecurityPolicy, DEMO_CSS, returnPage } from './pages.ts';

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
  /** Content-Security-Policy violations the demo pages reported (tests expect none). */
  cspReports: unknown[];
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
  const cspReports: unknown[] = [];
  const config = demoKassaConfig({ sandboxUrl: options.sandboxUrl, shopUrl: url, allowedOrigins: options.allowedOrigins });
  const kassa = createNodeListener(createKassaHandler({ ...config, ...options.overrides }));

  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    if (path === '/kassa' || path.startsWith('/kassa/')) return void kassa(req, res);
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(indexPage(url, options.sandboxUrl));
    }
    if (req.method === 'GET' && path === '/checkout.html') {
      const query = new URL(req.url ?? '/', url).searchParams;
      return void sendPage(res, checkoutPage(query.get('order') ?? 'DEMO-EUR', query.get('lang'), query.get('group')), options.sandboxUrl);
    }
    if (req.method === 'GET' && path === '/return.html') return void sendPage(res, returnPage(), options.sandboxUrl);
    if (req.method === 'GET' && path === '/assets/demo.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' });
      return void res.end(DEMO_CSS);
    }
    if (req.method === 'GET' && path.startsWith('/assets/')) return void serveAsset(res, path.slice('/assets/'.length));
    if (req.method === 'POST' && path === '/csp-report') return void collectReport(req, res, cspReports);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });

  return {
    url,
    cspReports,
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

function sendPage(res: ServerResponse, html: string, sandboxUrl: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy(sandboxUrl) });
  res.end(html);
}

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** The built script-tag bundle (`npm run build`) and its chunks, from dist/. */
async function serveAsset(res: ServerResponse, name: string): Promise<void> {
  const path = normalize(join(DIST, name));
  if (!path.startsWith(DIST) || !(extname(path) in TYPES)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)]!, 'access-control-allow-origin': '*' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not built: run `npm run build`.');
  }
}

function collectReport(req: IncomingMessage, res: ServerResponse, reports: unknown[]): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    if (body.length < 65_536) body += chunk;
  });
  req.on('end', () => {
    try {
      reports.push(JSON.parse(body));
    } catch {
      reports.push(body);
    }
    res.writeHead(204).end();
  });
}
