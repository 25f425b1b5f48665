/**
 * The demo shop's pages. Served with a strict Content-Security-Policy (no inline script or style, Trusted Types
 * required) so every demo run shows Kassa working under one; violations are reported to `/csp-report` and kept.
 */
import { escapeHtml } from '../sandbox/core/http.ts';

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

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Kassa demo</title>
<link rel="stylesheet" href="/assets/demo.css">
<script type="module" src="/assets/kassa.js"></script>
</head><body><main>
${body}
</main></body></html>`;
}

/** `/checkout.html?order=…[&lang=…][&group=provider]`: the drop-in with the order reference; the endpoint decides the amount. */
export function checkoutPage(order: string, lang: string | null, group: string | null): string {
  const langAttr = lang && /^[a-zA-Z-]{2,10}$/.test(lang) ? ` lang="${escapeHtml(lang)}"` : '';
  const groupAttr = group === 'provider' ? ' group-by="provider"' : '';
  return layout(
    'Checkout',
    `<h1>Checkout</h1>
<p>Order <code>${escapeHtml(order)}</code></p>
<kassa-checkout endpoint="/kassa" order="${escapeHtml(order)}"${langAttr}${groupAttr}></kassa-checkout>`,
  );
}

/** `/return.html?kassa_payment=…`: where providers send the shopper back; only the status element. */
export function returnPage(): string {
  return layout('Payment', `<h1>Your payment</h1>\n<kassa-status endpoint="/kassa"></kassa-status>\n<p><a href="/">Back to the shop</a></p>`);
}

export const DEMO_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
code{background:#f2f2f2;padding:0 .25rem;border-radius:4px}
@media (prefers-color-scheme: dark){body{background:#16181c;color:#eceef2}code{background:#22252b}}`;
