/**
 * Hero's hosted payment page (`https://pay.heropay.eu/checkout/{id}` in production): `GET /hero/checkout/:id` shows
 * the payment with Pay / Decline / Cancel, and its form posts to `POST /hero/checkout/:id/decide`. Both end in a
 * redirect to the merchant's redirectUri (comebackUri on cancel), with no query parameters added.
 */
import type { DecideResult, SandboxContext } from '../core/context.ts';
import { redirect, sendHtml } from '../core/http.ts';
import { isOutcome, OUTCOMES, type Outcome } from '../core/outcomes.ts';
import { renderHostedPage, renderMessagePage } from '../core/pages.ts';
import { CURRENCY, MERCHANT_ACCOUNTS, PAYMENT_TYPE_LABELS, PROVIDER } from './config.ts';
import { isFinal, type HeroPayment, type HeroStore } from './state.ts';

const PAGE_PROVIDER = 'Hero';

export function checkoutPath(id: string): string {
  return `/hero/checkout/${encodeURIComponent(id)}`;
}

function merchantName(payment: HeroPayment): string {
  return MERCHANT_ACCOUNTS.find((m) => m.apiKey === payment.merchantKey)?.name ?? 'Merchant';
}

function finishedPage(payment: HeroPayment): string {
  return renderMessagePage(PAGE_PROVIDER, 'Payment already finished', `This payment is ${payment.state}; it can no longer be changed.`, {
    href: payment.redirectUri,
    label: 'Revenir au site marchand',
  });
}

function notFoundPage(id: string): string {
  return renderMessagePage(PAGE_PROVIDER, 'Payment not found', `Hero has no payment ${id}.`);
}

export function renderCheckout(payment: HeroPayment): string {
  const details: Array<[string, string]> = [
    ['Payment type', `${payment.type} — ${PAYMENT_TYPE_LABELS[payment.type]}`],
    ['Company', payment.issuer.name],
  ];
  if (payment.orderId) details.push(['Order', payment.orderId]);
  return renderHostedPage({
    provider: PAGE_PROVIDER,
    title: 'Paiement Hero',
    merchant: merchantName(payment),
    amountMinor: payment.amount,
    currency: CURRENCY,
    action: `${checkoutPath(payment.id)}/decide`,
    details,
  });
}

export function registerCheckoutRoutes(
  ctx: SandboxContext,
  store: HeroStore,
  decide: (id: string, outcome: Outcome) => Promise<DecideResult>,
): void {
  const finish = async (res: Parameters<typeof redirect>[0], payment: HeroPayment, outcome: Outcome) => {
    const result = await decide(payment.id, outcome);
    redirect(res, result.redirectUrl ?? payment.redirectUri);
  };

  ctx.router.get('/hero/checkout/:id', async (req, res) => {
    const payment = store.get(req.params.id!);
    if (!payment) return sendHtml(res, 404, notFoundPage(req.params.id!));
    if (isFinal(payment.state)) return sendHtml(res, 200, finishedPage(payment));
    const preset = ctx.presets.take(PROVIDER, payment.id);
    if (preset) return finish(res, payment, preset);
    sendHtml(res, 200, renderCheckout(payment));
  });

  ctx.router.post('/hero/checkout/:id/decide', async (req, res) => {
    const payment = store.get(req.params.id!);
    if (!payment) return sendHtml(res, 404, notFoundPage(req.params.id!));
    const outcome = req.form().get('outcome');
    if (!isOutcome(outcome)) {
      return sendHtml(res, 400, renderMessagePage(PAGE_PROVIDER, 'Unknown choice', `outcome must be one of ${OUTCOMES.join(', ')}`));
    }
    if (isFinal(payment.state)) return sendHtml(res, 409, finishedPage(payment));
    await finish(res, payment, outcome);
  });
}
