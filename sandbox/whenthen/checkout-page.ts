/**
 * The HTML of WhenThen's hosted card checkout. The core's renderHostedPage has buttons and hidden fields only; a
 * card checkout needs visible card inputs, so this page is written here, in the same plain, script-free style.
 */
import { escapeHtml } from '../core/http.ts';
import { formatAmount } from '../core/money.ts';
import { PREFILLED_CARD, TEST_CARDS } from './config.ts';

export interface CheckoutPage {
  merchant: string;
  amountMinor: number;
  currency: string;
  orderId: string | null;
  /** Carried through the form post unchanged. */
  hidden: { clientToken: string; redirectUrl: string; orderId: string; flowId: string; paymentId: string };
  /** What the shopper typed, shown again after an error; the test card otherwise. */
  card?: { number: string; expMonth: string; expYear: string; cvc: string; name: string };
  error?: string;
}

export const CHECKOUT_PATH = '/whenthen/hosted/checkout';

export function prefilledCard(now: Date): NonNullable<CheckoutPage['card']> {
  return {
    number: PREFILLED_CARD.number,
    expMonth: String(PREFILLED_CARD.month),
    expYear: String(now.getUTCFullYear() + PREFILLED_CARD.yearsAhead),
    cvc: PREFILLED_CARD.cvc,
    name: '',
  };
}

function input(label: string, name: string, value: string, attributes: string): string {
  return `<p><label>${escapeHtml(label)}<br><input name="${name}" value="${escapeHtml(value)}" ${attributes}></label></p>`;
}

export function renderCheckoutPage(page: CheckoutPage): string {
  const card = page.card ?? prefilledCard(new Date());
  const hidden = Object.entries(page.hidden)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  const order = page.orderId ? `<dt>Order</dt><dd data-field="order">${escapeHtml(page.orderId)}</dd>` : '';
  const error = page.error ? `<p role="alert" class="error">${escapeHtml(page.error)}</p>` : '';
  const testCards = TEST_CARDS.map((c) => `<li><code>${escapeHtml(c.number)}</code> — ${escapeHtml(c.label)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>WhenThen — Pay by card</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
.sandbox{background:#fff4d6;border:1px solid #e0c070;padding:.25rem .5rem;font-size:.85rem}
.error{background:#fde8e8;border:1px solid #d08080;padding:.25rem .5rem}
dt{font-weight:600}dd{margin:0 0 .5rem}input{font:inherit;padding:.25rem}
button{font:inherit;padding:.5rem 1rem;margin-right:.5rem;cursor:pointer}
</style></head><body>
<p class="sandbox">WhenThen sandbox — no real money moves.</p>
<h1>Pay by card</h1>
<dl>
<dt>Merchant</dt><dd data-field="merchant">${escapeHtml(page.merchant)}</dd>
<dt>Amount</dt><dd data-field="amount">${escapeHtml(formatAmount(page.amountMinor, page.currency))}</dd>
${order}
</dl>
${error}
<form method="post" action="${CHECKOUT_PATH}">${hidden}
${input('Card number', 'cardNumber', card.number, 'inputmode="numeric" autocomplete="cc-number"')}
${input('Expiry month', 'expMonth', card.expMonth, 'inputmode="numeric" autocomplete="cc-exp-month" size="2"')}
${input('Expiry year', 'expYear', card.expYear, 'inputmode="numeric" autocomplete="cc-exp-year" size="4"')}
${input('CVC', 'cvc', card.cvc, 'inputmode="numeric" autocomplete="cc-csc" size="4"')}
${input('Name on card', 'cardName', card.name, 'autocomplete="cc-name"')}
<button type="submit" name="outcome" value="pay">Pay</button> <button type="submit" name="outcome" value="decline">Decline</button> <button type="submit" name="outcome" value="cancel">Cancel</button>
</form>
<h2>Test cards</h2>
<ul>${testCards}</ul>
</body></html>`;
}
