/**
 * The demo shop's pages. Served with a strict Content-Security-Policy (no inline script or style, Trusted Types
 * required) so every demo run shows Kassa working under one; violations are reported to `/csp-report` and kept.
 * Their scripts and styles are files in demo/public/, served at `/static/`.
 */
import { escapeHtml } from '../sandbox/core/http.ts';
import { CURRENCIES, PRODUCTS, type DemoCurrency } from './catalogue.ts';

export interface PageContext {
  sandboxUrl: string;
}

export function contentSecurityPolicy(sandboxUrl: string): string {
  const sandbox = new URL(sandboxUrl);
  const ws = `ws://${sandbox.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: ${sandbox.origin}`,
    `connect-src 'self' ${sandbox.origin} ${ws}`,
    `form-action 'self' ${sandbox.origin}`,
    "base-uri 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    'report-uri /csp-report',
  ].join('; ');
}

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
<link rel="stylesheet" href="/static/demo.css">
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
  const providers: Array<[string, string]> = [
    ['hero', 'Hero'],
    ['milkypay', 'MilkyPay'],
    ['hidirect', 'hi.health'],
    ['whenthen', 'WhenThen'],
    ['kronor', 'Kronor'],
  ];
  const options = providers.map(([value, name]) => `<option value="${value}">${name}</option>`).join('');
  return `<footer class="panel" aria-labelledby="panel-title" data-sandbox="${sandbox}">
<h2 id="panel-title">Sandbox</h2>
<p>The providers are simulated by the sandbox at <code>${sandbox}</code>:
<a href="${sandbox}/_sandbox/" target="_blank" rel="noopener">its payments</a> (every payment, with a button for each outcome) and
<a href="${sandbox}/kronor/swish/phone" target="_blank" rel="noopener">the Swish phone</a> (approve or decline Swish payments).</p>
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

/** `/checkout.html?order=…[&lang=…][&group=provider]`: the drop-in with the order reference; the endpoint decides the amount. */
export function checkoutPage(context: PageContext, order: string, lang: string | null, group: string | null, lines?: string[]): string {
  const langAttr = lang && /^[a-zA-Z-]{2,10}$/.test(lang) ? ` lang="${escapeHtml(lang)}"` : '';
  const groupAttr = group === 'provider' ? ' group-by="provider"' : '';
  const summary = lines?.length ? `<p class="order-lines">${lines.map(escapeHtml).join(', ')}</p>\n` : '';
  return layout(
    'Checkout',
    `<h1>Checkout</h1>
<p>Order <code>${escapeHtml(order)}</code></p>
${summary}<kassa-checkout endpoint="/kassa" order="${escapeHtml(order)}"${langAttr}${groupAttr}></kassa-checkout>
<p><a href="/">Back to the shop</a></p>`,
    context,
    ['/assets/kassa.js'],
  );
}

/** `/return.html?kassa_payment=…`: where providers send the shopper back; only the status element. */
export function returnPage(context: PageContext): string {
  return layout(
    'Payment',
    `<h1>Your payment</h1>
<kassa-status endpoint="/kassa"></kassa-status>
<p><a href="/">Back to the shop</a></p>`,
    context,
    ['/assets/kassa.js', '/static/return.js'],
  );
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
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);
}
