/**
 * The shapes hi.health sends: the payment as the REST API returns it, the webhook body, and the checkout token's
 * payload. Each converts the simulator's integer cents to the unit configured for that edge.
 */
import { toMajor } from '../core/money.ts';
import { REST_AMOUNT_UNIT, TOKEN_AMOUNT_UNIT, TOKEN_ISSUER, WEBHOOK_AMOUNT_UNIT, type AmountUnit } from './config.ts';
import type { AmountDetails, MerchantUrls, NewPayment, Payment } from './state.ts';

export function amountIn(unit: AmountUnit, minor: number, currency: string): number {
  return unit === 'minor' ? minor : Number(toMajor(minor, currency));
}

function detailsIn(unit: AmountUnit, details: AmountDetails, currency: string): AmountDetails {
  return {
    tax: amountIn(unit, details.tax, currency),
    shipping: amountIn(unit, details.shipping, currency),
    subtotal: amountIn(unit, details.subtotal, currency),
  };
}

/** The seed lists merchantUrls alphabetically, with the optional callback only when one was given. */
function merchantUrlsView(urls: MerchantUrls): Record<string, string> {
  const view: Record<string, string> = {};
  if (urls.callback !== undefined) view.callback = urls.callback;
  view.cancelRedirect = urls.cancelRedirect;
  view.failureRedirect = urls.failureRedirect;
  view.successRedirect = urls.successRedirect;
  return view;
}

/** `GET /payments/{id}` (and capture / cancel); `POST /payments` adds the token. */
export function paymentView(payment: Payment): Record<string, unknown> {
  return {
    amount: amountIn(REST_AMOUNT_UNIT, payment.amountMinor, payment.currency),
    currency: payment.currency,
    createdAt: payment.createdAt,
    customerInformation: {},
    id: payment.id,
    merchantReference: payment.merchantReference,
    merchantUrls: merchantUrlsView(payment.merchantUrls),
    amountDetails: detailsIn(REST_AMOUNT_UNIT, payment.amountDetails, payment.currency),
    prescriptionRequired: payment.prescriptionRequired,
    status: payment.status,
    updatedAt: payment.updatedAt,
  };
}

export function createdPaymentView(payment: Payment): Record<string, unknown> {
  return { ...paymentView(payment), token: payment.token };
}

/** The webhook body, field for field as docs.pay.hi.health/integration/webhooks shows it. */
export function webhookBody(payment: Payment): string {
  return JSON.stringify({
    amount: amountIn(WEBHOOK_AMOUNT_UNIT, payment.amountMinor, payment.currency),
    currency: payment.currency,
    createdAt: payment.createdAt,
    id: payment.id,
    merchantReference: payment.merchantReference,
    prescriptionRequired: payment.prescriptionRequired,
    status: payment.status,
    updatedAt: payment.updatedAt,
  });
}

/**
 * The payload of the token of a new (INITIAL) payment, as in the seed's example: minor units, no callback URL,
 * `iat`/`exp` in milliseconds.
 */
export function tokenClaims(id: string, payment: NewPayment, issuedAt: number, expiresAt: number): Record<string, unknown> {
  const { callback: _callback, ...redirects } = payment.merchantUrls;
  return {
    amount: amountIn(TOKEN_AMOUNT_UNIT, payment.amountMinor, payment.currency),
    currency: payment.currency,
    id,
    merchantUrls: redirects,
    amountDetails: detailsIn(TOKEN_AMOUNT_UNIT, payment.amountDetails, payment.currency),
    prescriptionRequired: payment.prescriptionRequired,
    status: 'INITIAL',
    iat: issuedAt,
    exp: expiresAt,
    iss: TOKEN_ISSUER,
  };
}
