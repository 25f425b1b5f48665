/**
 * The demo shop's server: the Kassa endpoint mounted at `/kassa` on `node:http`, next to the shop's pages — the
 * product page and cart (`/`), the checkout (`/checkout.html`), the return page (`/return.html`) and the React 19
 * example (`/react/`) — their scripts and styles (`/static/`, from demo/public/) and the script-tag bundle
 * (`/assets/`, from dist/). `startDemo()` is what `npm start` and the tests run.
 *
 * The merchant's truth: the shop's order book (demo/orders.ts) hears every payment change from `onPaymentEvent` and
 * is the only thing that marks an order paid. `/orders/{order}.json` tells the shop's pages an order's state (they
 * empty the cart on its `paid`, never on the browser's own word), and `/admin/orders` (with `/admin/orders.json`) is
 * a back office listing every order with its payment attempts and their history, where a payment is captured,
 * cancelled or refunded through `POST /admin/payments/{ref}/capture|cancel|refund` (demo/admin.ts) — without
 * authentication: a demo only.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { OrderRefused, type KassaConfig } from '../src/server/config.ts';
import type { PaymentEventHook } from '../src/server/events/delivery.ts';
import { createKassaHandler, type KassaHandler } from '../src/server/handler.ts';
import { answerClientErrors, createNodeListener, nodeServerOptions } from '../src/server/http/node.ts';
import { CURRENCIES, freshCartOrder, freshDemoOrder, PRODUCTS, resolveDemoOrder, type DemoCurrency } from './catalogue.ts';
import { answerOperation, operationRoute } from './admin.ts';
import { demoKassaConfig } from './config.ts';
import { backOfficeOrders, OrderBook } from './orders.ts';
import { renderCheckout, styleHashes } from './ssr.ts';
import { checkoutPage, contentSecurityPolicy, messagePage, ordersPage, returnPage, shopPage, withSandboxPanel, type PageContext } from './pages.ts';

export interface DemoOptions {
  port?: number;
  host?: string;
  sandboxUrl: string;
  /** Origins allowed to call the endpoint besides the demo's own (KASSA_ALLOWED_ORIGINS). */
  allowedOrigins?: string[];
  /**
   * Endpoint settings a test may change (short timeouts, low rate limits). An `onPaymentEvent` here is called after
   * the shop's own (which keeps the order book), for every event; when it throws, the event is delivered again.
   */
  overrides?: Partial<KassaConfig>;
}

export interface RunningDemo {
  url: string;
  /** Content-Security-Policy violations the demo pages reported (tests expect none). */
  cspReports: unknown[];
  /** The shop's Kassa endpoint, for its server-side API (`kassa.payments`). */
  kassa: KassaHandler;
  /** The shop's orders as its server learned them from `onPaymentEvent`. */
  orders: OrderBook;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  // Kassa's time limits on headers and bodies, and problem+json for requests Node itself refuses.
  const server = createServer(nodeServerOptions());
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const cspReports: unknown[] = [];
  const config = demoKassaConfig({ sandboxUrl: options.sandboxUrl, shopUrl: url, allowedOrigins: options.allowedOrigins });
  // The shop's hook first (the only place orders are marked paid), then an override's: a throw from either makes Kassa
  // deliver the event again, and the book ignores an event it has heard.
  const orders = new OrderBook();
  const overrideHook = options.overrides?.onPaymentEvent;
  const onPaymentEvent: PaymentEventHook = async (event, context) => {
    orders.hear(event);
    await overrideHook?.(event, context);
  };
  const handler = createKassaHandler({ ...config, ...options.overrides, onPaymentEvent });
  const kassa = createNodeListener(handler);

  const context: PageContext = { sandboxUrl: options.sandboxUrl, stylesheet: await readFile(`${PUBLIC}demo.css`, 'utf8') };

  server.on('request', (req, res) => {
    // Kassa answers its own requests and every target the shop's pages cannot read (as a problem: Kassa's listener
    // takes any request); the pages need a target that reads as a path.
    const target = req.url ?? '/';
    const kassaPath = (path: string) => path === '/kassa' || path.startsWith('/kassa/') || path.startsWith('/kassa?');
    // Kassa's own requests go to it before the shop parses anything.
    if (kassaPath(target)) return void kassa(req, res);
    const address = URL.canParse(target, url) && !target.startsWith('//') ? new URL(target, url) : undefined;
    if (!address || kassaPath(address.pathname)) return void kassa(req, res);
    const path = address.pathname;
    if (req.method === 'POST' && path === '/csp-report') return void collectReport(req, res, cspReports);
    const operation = operationRoute(path);
    if (operation) {
      if (req.method === 'POST') return void answerOperation(req, res, operation, handler.payments);
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('Method not allowed');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('Method not allowed');
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/' || path === '/index.html') return void sendPage(res, shopPage(context), options.sandboxUrl);
    if (path === '/cart/checkout') return void checkoutCart(res, address.searchParams, context);
    if (path === '/checkout/new') return void checkoutFixedOrder(res, address.searchParams, context);
    if (path === '/checkout.html') {
      const query = address.searchParams;
      // No order named: a new DEMO-EUR one, in the address so a reload keeps it.
      if (!query.has('order')) return void checkoutFixedOrder(res, query, context);
      const order = query.get('order')!;
      return void sendCheckoutPage(res, handler, context, order, query, options.sandboxUrl);
    }
    if (path === '/return.html') return void sendPage(res, returnPage(context), options.sandboxUrl);
    if (path.startsWith('/orders/') && path.endsWith('.json')) return void sendOrderState(res, orders, path.slice('/orders/'.length, -'.json'.length));
    if (path === '/admin/orders.json') return void sendBackOffice(res, orders, handler, context, 'json');
    if (path === '/admin/orders' || path === '/admin/orders/') return void sendBackOffice(res, orders, handler, context, 'html');
    if (path === '/react') {
      res.writeHead(301, { location: '/react/' });
      return void res.end();
    }
    if (path === '/react/' || path === '/react/index.html') return void serveReactPage(res, context);
    if (path.startsWith('/react/')) return void serveFile(res, REACT_DIST, path.slice('/react/'.length));
    if (path.startsWith('/static/')) return void serveFile(res, PUBLIC, path.slice('/static/'.length));
    if (path.startsWith('/assets/')) return void serveFile(res, DIST, path.slice('/assets/'.length), 'Not built: run `npm run build`.');
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });

  return {
    url,
    cspReports,
    kassa: handler,
    orders,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await handler.close();
    },
  };
}

/**
 * `/cart/checkout?currency=SEK&mug=2&tote=1`: the cart form's quantities become a new order the checkout page opens
 * (`CART-SEK-mug.2-tote.1~<random>`, `freshCartOrder`): the same cart bought twice is two orders. The endpoint's
 * `resolveOrder` prices it; the browser never sends an amount.
 */
function checkoutCart(res: ServerResponse, query: URLSearchParams, context: PageContext): void {
  const currency = query.get('currency') as DemoCurrency;
  const items = PRODUCTS.map((p) => ({ sku: p.sku, quantity: Number(query.get(p.sku) ?? 0) })).filter((i) => i.quantity !== 0);
  const reference = CURRENCIES.includes(currency) && items.length ? freshCartOrder(currency, items) : '';
  try {
    resolveDemoOrder(reference);
  } catch (error) {
    if (!(error instanceof OrderRefused)) throw error;
    const page = messagePage(context, 'Nothing to check out', 'The cart is empty, or holds a quantity the shop does not sell (1 to 20 of each product).');
    return void sendPage(res, page, context.sandboxUrl, 400);
  }
  // Grouped by kind, as a shop would: the shopper chooses what to pay with, Kassa routes it to a provider.
  res.writeHead(303, { location: `/checkout.html?order=${encodeURIComponent(reference)}` });
  res.end();
}

/**
 * `/checkout/new?currency=SEK` (EUR when none): a new variant of the currency's fixed order (`DEMO-SEK~<random>`),
 * so every checkout the shop starts is an order of its own; `lang` and `group` go along to the checkout page.
 */
function checkoutFixedOrder(res: ServerResponse, query: URLSearchParams, context: PageContext): void {
  const currency = (query.get('currency') ?? 'EUR') as DemoCurrency;
  if (!CURRENCIES.includes(currency)) {
    return void sendPage(res, messagePage(context, 'No such order', `The shop's fixed orders are in ${CURRENCIES.join(', ')}.`), context.sandboxUrl, 400);
  }
  // encodeURIComponent keeps the `~` readable (URLSearchParams would write %7E).
  const params = [['order', freshDemoOrder(currency)], ...['lang', 'group'].map((name) => [name, query.get(name)])]
    .filter((param): param is [string, string] => param[1] !== null)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  res.writeHead(303, { location: `/checkout.html?${params.join('&')}` });
  res.end();
}

/**
 * The checkout page carrying the order's session (`kassa.sessionJson`), so the checkout shows its methods without a
 * request of its own. An order the endpoint refuses (unknown, already paid) gets the page without one: the checkout
 * then asks and says why.
 */
async function sendCheckoutPage(res: ServerResponse, kassa: KassaHandler, context: PageContext, order: string, query: URLSearchParams, sandboxUrl: string): Promise<void> {
  const lang = query.get('lang');
  const validLang = lang && /^[a-zA-Z-]{2,10}$/.test(lang) ? lang : undefined;
  const session = await kassa.sessionJson(order, { locale: validLang ?? 'en' }).catch(() => undefined);
  const groupBy = query.get('group') === 'provider' ? 'provider' : undefined;
  // Rendered on the server, the methods show with the HTML; a page that cannot be rendered so is sent as it was.
  const rendered = session ? await renderCheckout({ order, lang: validLang, groupBy, session }).catch(() => undefined) : undefined;
  const html = checkoutPage(context, order, lang, query.get('group'), orderLines(order), session, rendered);
  sendPage(res, html, sandboxUrl);
}

/** What the order holds, in words, for the checkout page ("2 × Kassa mug"); nothing for an unknown order. */
function orderLines(reference: string): string[] | undefined {
  try {
    return resolveDemoOrder(reference).lines?.map((line) => `${line.quantity} × ${line.name}`);
  } catch {
    return undefined;
  }
}

/**
 * `/orders/{order}.json` → `{order, state}`: the order's state as the shop's server learned it (`open`, `paid`,
 * `refunded`); 404 for an order the book has not heard of. What the pages ask before they empty the cart.
 */
function sendOrderState(res: ServerResponse, orders: OrderBook, encoded: string): void {
  let order: string;
  try {
    order = decodeURIComponent(encoded);
  } catch {
    return void sendJson(res, 404, { error: 'no such order' });
  }
  const record = orders.get(order);
  if (!record) return void sendJson(res, 404, { error: 'no such order', order });
  sendJson(res, 200, { order: record.order, state: record.state });
}

/**
 * `/admin/orders` (HTML) and `/admin/orders.json`: every order the book has heard of, newest first, with its payment
 * attempts from `kassa.payments.forOrder`, each with its history (`kassa.payments.events`). No authentication: a demo's back office. A real shop puts this behind its
 * staff login.
 */
async function sendBackOffice(res: ServerResponse, orders: OrderBook, kassa: KassaHandler, context: PageContext, format: 'html' | 'json'): Promise<void> {
  try {
    const list = await backOfficeOrders(orders, kassa.payments);
    if (format === 'json') return sendJson(res, 200, { orders: list });
    sendPage(res, ordersPage(context, list), context.sandboxUrl, 200, { 'cache-control': 'no-store' });
  } catch (error) {
    console.error('demo: the back office:', error);
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The orders cannot be read.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A page under the strict CSP, which allows exactly the inline styles it carries (by their hashes). */
function sendPage(res: ServerResponse, html: string, sandboxUrl: string, status = 200, headers: Record<string, string> = {}): void {
  const policy = contentSecurityPolicy(sandboxUrl, styleHashes(html));
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy, ...headers });
  res.end(html);
}

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const PUBLIC = fileURLToPath(new URL('./public/', import.meta.url));
const REACT_DIST = fileURLToPath(new URL('./react/dist/', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** A file under `dir` (no way out of it), for the types above; 404 otherwise. */
async function serveFile(res: ServerResponse, dir: string, name: string, missing = 'Not found'): Promise<void> {
  const path = normalize(join(dir, name));
  if (!path.startsWith(dir) || !(extname(path) in TYPES)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)]!, 'access-control-allow-origin': '*' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(missing);
  }
}

/** `/react/`: the React 19 example (demo/react/, built by Vite into demo/react/dist/) under the same policy. */
async function serveReactPage(res: ServerResponse, context: PageContext): Promise<void> {
  let html: string;
  try {
    html = await readFile(join(REACT_DIST, 'index.html'), 'utf8');
  } catch {
    const page = messagePage(context, 'React example not built', '`npm start` builds it (or: npx vite build -c demo/react/vite.config.ts).');
    return void sendPage(res, page, context.sandboxUrl, 503);
  }
  sendPage(res, withSandboxPanel(html, context), context.sandboxUrl);
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
