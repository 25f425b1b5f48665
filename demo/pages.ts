/**
 * The demo shop's pages. Served with a strict Content-Security-Policy (no inline script or style, Trusted Types
 * required) so every demo run shows Kassa working under one; violations are reported to `/csp-report` and kept.
 * Their scripts and styles are files in demo/public/, served at `/static/`.
 */
import { randomUUID } from 'node:crypto';
import { escapeHtml } from '../sandbox/core/http.ts';
import { MAX_REASON_LENGTH, type AdminOperation } from './admin.ts';
import { CURRENCIES, PRODUCTS, type DemoCurrency } from './catalogue.ts';
import type { BackOfficeOrder, OrderAttempt } from './orders.ts';

export interface PageContext {
  sandboxUrl: string;
  /**
   * The shop's stylesheet (demo/public/demo.css), written into each page rather than linked: a linked one would hold
   * the first paint for a request of its own. The page's CSP allows it by its hash (ssr.ts `styleHashes`).
   */
  stylesheet?: string;
}

/** `styleSources`: hashes of the inline styles a page carries (a server-rendered element's shadow root, ssr.ts). */
export function contentSecurityPolicy(sandboxUrl: string, styleSources: readonly string[] = []): string {
  const sandbox = new URL(sandboxUrl);
  const ws = `ws://${sandbox.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    ["style-src 'self'", ...styleSources].join(' '),
    `img-src 'self' data: ${sandbox.origin}`,
    `connect-src 'self' ${sandbox.origin} ${ws}`,
    `form-action 'self' ${sandbox.origin}`,
    "base-uri 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    'report-uri /csp-report',
  ].join('; ');
}

const PROVIDER_NAMES: Record<string, string> = {
  hero: 'Hero',
  milkypay: 'MilkyPay',
  hidirect: 'hi.health',
  whenthen: 'WhenThen',
  kronor: 'Kronor',
};

/** Which providers' methods each currency brings up (the sandbox's rules), shown in the currency switch. */
const METHODS_BY_CURRENCY: Record<DemoCurrency, string> = {
  EUR: 'Hero, MilkyPay, hi.health, WhenThen and Kronor card',
  SEK: 'Kronor Swish, card and bank transfer; WhenThen',
  DKK: 'Kronor MobilePay and card; WhenThen',
  NOK: 'Kronor Vipps and card; WhenThen',
  PLN: 'Kronor Przelewy24, MilkyPay BLIK; WhenThen',
};

function layout(title: string, body: string, context: PageContext, scripts: string[]): string {
  const tags = scripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Kassa demo</title>
${context.stylesheet === undefined ? '<link rel="stylesheet" href="/static/demo.css">' : `<style>${context.stylesheet}</style>`}
${tags}
</head><body>
<header class="site"><a class="brand" href="/">Kassa demo shop</a><nav aria-label="Demo"><a href="/">Shop</a><a href="/react/">React example</a></nav></header>
<main>
${body}
</main>
${sandboxPanel(context.sandboxUrl)}
</body></html>`;
}

/**
 * The footer on every demo page: links to the sandbox's payments list and Swish phone, and buttons that call the
 * sandbox's control API (demo/public/panel.js) to make the next payment fail in any way.
 */
export function sandboxPanel(sandboxUrl: string): string {
  const sandbox = escapeHtml(sandboxUrl);
  const options = Object.entries(PROVIDER_NAMES).map(([value, name]) => `<option value="${value}">${name}</option>`).join('');
  return `<footer class="panel" aria-labelledby="panel-title" data-sandbox="${sandbox}">
<h2 id="panel-title">Sandbox</h2>
<p>The providers are simulated by the sandbox at <code>${sandbox}</code>:
<a href="${sandbox}/_sandbox/" target="_blank" rel="noopener">its payments</a> (every payment, with a button for each outcome) and
<a href="${sandbox}/kronor/swish/phone" target="_blank" rel="noopener">the Swish phone</a> (approve or decline Swish payments).
The shop's <a href="/admin/orders">back office</a> lists its orders as its server learned them.</p>
<div class="panel-controls">
<label>Provider <select data-provider>${options}</select></label>
<div role="group" aria-label="The next payment">
<button type="button" data-outcome="decline">Next payment declined</button>
<button type="button" data-outcome="cancel">Next payment cancelled</button>
<button type="button" data-outcome="expire">Next payment expires</button>
</div>
<button type="button" data-fault="error">Next payment start fails (HTTP 500)</button>
<button type="button" data-fault="latency">Slow provider (3 s)</button>
<button type="button" data-action="drop">Drop Kronor connections</button>
<button type="button" data-action="reset">Reset the sandbox</button>
</div>
<p class="panel-result" role="status" data-result></p>
<script type="module" src="/static/panel.js"></script>
</footer>`;
}

/** `/`: the product page — the catalogue with prices per currency, the cart and its checkout form (demo/public/shop.js). */
export function shopPage(context: PageContext): string {
  const currencyOptions = CURRENCIES.map((c) => `<option value="${c}">${c} — ${escapeHtml(METHODS_BY_CURRENCY[c])}</option>`).join('');
  const products = PRODUCTS.map(
    (p) => `<li class="product" data-sku="${escapeHtml(p.sku)}" data-prices="${escapeHtml(JSON.stringify(p.prices))}">
<h2 id="product-${escapeHtml(p.sku)}">${escapeHtml(p.name)}</h2>
<p class="price" data-price>${escapeHtml(formatMinor(p.prices.EUR, 'EUR'))}</p>
<button type="button" id="add-${escapeHtml(p.sku)}" aria-labelledby="add-${escapeHtml(p.sku)} product-${escapeHtml(p.sku)}" data-add="${escapeHtml(p.sku)}">Add to cart</button>
</li>`,
  ).join('\n');
  const quantities = PRODUCTS.map((p) => `<input type="hidden" name="${escapeHtml(p.sku)}" value="0">`).join('');
  // Each click starts a new order: `/checkout/new` sends the browser on with a fresh `DEMO-<CUR>~<random>`.
  const fixed = CURRENCIES.map((c) => `<a href="/checkout/new?currency=${c}">DEMO-${c}</a>`).join(' · ');
  return layout(
    'Shop',
    `<h1>Kassa demo shop</h1>
<p>Put something in the cart, choose a currency, check out: each currency brings up other payment methods.</p>
<p class="currency"><label for="currency">Currency</label> <select id="currency" name="currency" form="cart-form">${currencyOptions}</select></p>
<ul class="products">
${products}
</ul>
<section class="cart" aria-labelledby="cart-title">
<h2 id="cart-title">Cart</h2>
<p data-cart-empty>Your cart is empty.</p>
<ul class="cart-lines" data-cart-lines hidden></ul>
<p class="cart-total">Total <output data-cart-total aria-live="polite">${escapeHtml(formatMinor(0, 'EUR'))}</output></p>
<form id="cart-form" action="/cart/checkout" method="get">${quantities}<button type="submit" disabled>Checkout</button></form>
</section>
<h2>Fixed orders</h2>
<p>Straight to the checkout with a fixed order in each currency, a new one each time: ${fixed}.
Add <code>&amp;lang=sv</code> (or da, nb, fi, is, de, fr, pl) or <code>&amp;group=provider</code> to its address.</p>`,
    context,
    ['/static/shop.js'],
  );
}

/**
 * `/checkout.html?order=…[&lang=…][&group=provider]`: the drop-in with the order reference; the endpoint decides the
 * amount. `session` is the session JSON the shop's server opened for the order (`kassa.sessionJson`), carried inside
 * the element so the methods show without a request of its own; without it the checkout asks the endpoint.
 * `rendered` is the element as the server rendered it with that session (ssr.ts), used in its place.
 */
export function checkoutPage(context: PageContext, order: string, lang: string | null, group: string | null, lines?: string[], session?: string, rendered?: string): string {
  const langAttr = lang && /^[a-zA-Z-]{2,10}$/.test(lang) ? ` lang="${escapeHtml(lang)}"` : '';
  const groupAttr = group === 'provider' ? ' group-by="provider"' : '';
  const summary = lines?.length ? `<p class="order-lines">${lines.map(escapeHtml).join(', ')}</p>\n` : '';
  return layout(
    'Checkout',
    `<h1>Checkout</h1>
<p>Order <code>${escapeHtml(order)}</code></p>
${summary}${rendered ?? `<kassa-checkout endpoint="/kassa" order="${escapeHtml(order)}"${langAttr}${groupAttr}>${session ? `<script type="application/json">${session}</script>` : ''}</kassa-checkout>`}
${ORDER_STATUS}
<p><a href="/">Back to the shop</a></p>`,
    context,
    ['/assets/kassa.js', '/static/checkout.js'],
  );
}

/**
 * Where the pages say what the shop's server knows of the order once the payment succeeded (demo/public/order.js):
 * the shop's word, not the status element's.
 */
const ORDER_STATUS = '<p class="order-status" data-order-status aria-live="polite"></p>';

/** `/return.html?kassa_payment=…`: where providers send the shopper back; the status element and the shop's word. */
export function returnPage(context: PageContext): string {
  return layout(
    'Payment',
    `<h1>Your payment</h1>
<kassa-status endpoint="/kassa"></kassa-status>
${ORDER_STATUS}
<p><a href="/">Back to the shop</a></p>`,
    context,
    ['/assets/kassa.js', '/static/return.js'],
  );
}

/**
 * `/admin/orders`: the back office — every order the shop's server heard of from `onPaymentEvent`, newest first, its
 * state as the server learned it and each payment attempt Kassa keeps for it, with its history and the after-sale
 * operations its state allows (demo/public/admin.js sends them to `/admin/payments/{ref}/…`). No authentication: a
 * demo only. Each form carries an idempotency key made when the page is rendered, so a form sent twice (a double
 * click, a retry) is one operation.
 */
export function ordersPage(context: PageContext, orders: BackOfficeOrder[], newKey: () => string = randomUUID): string {
  const rows = orders.map((order) => {
    const since = order.state === 'paid' ? ` <span class="hint">${time(order.paidAt)}</span>` : order.state === 'refunded' ? ` <span class="hint">${time(order.refundedAt)}</span>` : '';
    const attempts = order.attempts.map((attempt) => attemptItem(attempt, newKey)).join('\n');
    return `<tr data-order="${escapeHtml(order.order)}">
<th scope="row"><code>${escapeHtml(order.order)}</code><br><span class="hint">${time(order.createdAt)}</span></th>
<td><span class="order-state order-state-${escapeHtml(order.state)}" data-state>${escapeHtml(order.state)}</span>${since}</td>
<td>${order.paidBy ? `<code>${escapeHtml(order.paidBy)}</code>` : ''}</td>
<td>${attempts ? `<ol class="attempts">\n${attempts}\n</ol>` : '<span class="hint">none kept</span>'}</td>
</tr>`;
  });
  const table = rows.length
    ? `<table class="orders">
<thead><tr><th scope="col">Order</th><th scope="col">State</th><th scope="col">Paid by</th><th scope="col">Payment attempts</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p>No orders yet: an order is listed once its first payment attempt is made.</p>';
  return layout(
    'Orders',
    `<h1>Orders</h1>
<p>The shop's back office: every order its server heard of from <code>onPaymentEvent</code>, newest first. An order is
<strong>paid</strong> only when the server heard that one of its payments holds the money, never on the browser's word.
<a href="/admin/orders">Refresh</a> · <a href="/admin/orders.json">as JSON</a></p>
<p>Each payment can be captured, cancelled or refunded here where its state allows: the shop's server calls
<code>kassa.payments.capture</code>, <code>cancel</code> or <code>refund</code>, and Kassa asks the provider, then reads
the payment back from it. A provider that does not offer the operation says so.</p>
<p class="hint">A demo back office without authentication: never do this in a real shop.</p>
${table}`,
    context,
    ['/static/admin.js'],
  );
}

function time(iso: string | null): string {
  return iso ? `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time>` : '';
}

/** One payment attempt: its summary line, amounts, history and operation forms. */
function attemptItem(a: OrderAttempt, newKey: () => string): string {
  const reference = escapeHtml(a.reference);
  const amounts = [
    a.capturedAmount !== undefined ? `Captured <span data-captured>${escapeHtml(formatMinor(a.capturedAmount, a.currency))}</span>` : '',
    a.refundedAmount !== undefined ? `Refunded <span data-refunded>${escapeHtml(formatMinor(a.refundedAmount, a.currency))}</span>` : '',
  ].filter(Boolean);
  const forms = a.operations.map((operation) => operationForm(a, operation, newKey())).join('\n');
  return `<li data-payment="${reference}"><code>${reference}</code> ${escapeHtml(PROVIDER_NAMES[a.provider] ?? a.provider)} <code>${escapeHtml(a.method)}</code>
<span class="payment-state" data-payment-state>${escapeHtml(a.state)}</span> ${escapeHtml(formatMinor(a.amount, a.currency))} <span class="hint">${time(a.createdAt)}</span>
${amounts.length ? `<p class="payment-amounts">${amounts.join(' · ')}</p>\n` : ''}${historyTable(a)}
${forms ? `<div class="operations" role="group" aria-label="Operations on ${reference}">\n${forms}\n</div>\n` : ''}<p class="operation-result" role="status" tabindex="-1" data-operation-result></p>
</li>`;
}

/** The payment's changes, oldest first, in a disclosure: what Kassa recorded, including each operation. */
function historyTable(a: OrderAttempt): string {
  const rows = a.history.map((entry) => {
    const operation = entry.operation
      ? [
          entry.operation.kind,
          entry.operation.amount !== undefined ? formatMinor(entry.operation.amount, a.currency) : '',
          entry.operation.documentType ?? '',
          entry.operation.reason ? `“${entry.operation.reason}”` : '',
        ]
          .filter(Boolean)
          .join(' ')
      : '';
    return `<tr data-sequence="${entry.sequence}"><td>${entry.sequence}</td><td>${time(entry.occurredAt)}</td><td>${escapeHtml(entry.type)}</td><td>${escapeHtml(entry.state)}${
      entry.providerStatus ? ` <span class="hint">${escapeHtml(entry.providerStatus)}</span>` : ''
    }</td><td>${escapeHtml(operation)}</td></tr>`;
  });
  const count = `${a.history.length} ${a.history.length === 1 ? 'change' : 'changes'}`;
  return `<details class="history"><summary>History of <code>${escapeHtml(a.reference)}</code> (${count})</summary>
<table class="history-table">
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">State</th><th scope="col">Operation</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</details>`;
}

const OPERATION_BUTTONS: Record<AdminOperation, string> = { capture: 'Capture', cancel: 'Cancel payment', refund: 'Refund' };

/**
 * A form for one operation on one payment. The amount is typed in the currency's major unit ("10.50"); the script
 * sends minor units. Empty means all that is left: the whole authorisation for a capture, the rest of what was paid
 * for a refund.
 */
function operationForm(a: OrderAttempt, operation: AdminOperation, idempotencyKey: string): string {
  const digits = currencyDigits(a.currency);
  const left = operation === 'capture' ? a.amount - (a.capturedAmount ?? 0) : (a.capturedAmount ?? a.amount) - (a.refundedAmount ?? 0);
  const amount =
    operation === 'cancel'
      ? ''
      : `<label>Amount to ${operation} (${escapeHtml(a.currency)}) <input name="amount" inputmode="decimal" autocomplete="off" size="8" placeholder="${escapeHtml(
          (Math.max(left, 0) / 10 ** digits).toFixed(digits),
        )}"></label> <span class="hint">empty: all ${operation === 'capture' ? 'authorised' : 'that is left'}</span>`;
  const reason = operation === 'capture' ? '' : `<label>Reason <input name="reason" maxlength="${MAX_REASON_LENGTH}" autocomplete="off" size="16"></label>`;
  return `<form class="operation" data-operation="${operation}" data-payment="${escapeHtml(a.reference)}" data-currency="${escapeHtml(a.currency)}" data-digits="${digits}">
<input type="hidden" name="idempotencyKey" value="${escapeHtml(idempotencyKey)}">
${[amount, reason].filter(Boolean).join('\n')}
<button type="submit">${OPERATION_BUTTONS[operation]}</button>
</form>`;
}

/** A short page for a request the shop cannot serve (an empty or unknown cart). */
export function messagePage(context: PageContext, title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n<p><a href="/">Back to the shop</a></p>`, context, []);
}

/** The React example's built page with the sandbox panel added, so it has the same footer as the shop's pages. */
export function withSandboxPanel(html: string, context: PageContext): string {
  return html.replace('</body>', `${sandboxPanel(context.sandboxUrl)}\n</body>`);
}

function formatMinor(minor: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 10 ** currencyDigits(currency));
}

/** How many digits the currency's minor unit has (2 for EUR and SEK). */
function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}
