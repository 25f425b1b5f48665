/**
 * WhenThen's pages in the sandbox:
 * - `GET/POST /whenthen/3ds/:id` — the 3-D Secure challenge of a NEEDS_3D_SECURE payment;
 * - `GET/POST /whenthen/apm/:id` — PayPal / Klarna approval of a NEEDS_APM_AUTHORIZATION payment (INVENTED);
 * - `GET/POST /whenthen/hosted/checkout` — the hosted card checkout (INVENTED address; see the README for its query).
 * Opening a page first applies a preset outcome, if the control API set one, as if the shopper had pressed it.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { DecideResult, SandboxContext } from '../core/context.ts';
import { redirect, sendHtml, type SandboxRequest } from '../core/http.ts';
import { isOutcome, type Outcome } from '../core/outcomes.ts';
import { renderHostedPage, renderMessagePage } from '../core/pages.ts';
import { CHECKOUT_PATH, prefilledCard, renderCheckoutPage, type CheckoutPage } from './checkout-page.ts';
import { APM_LABELS, CARD, MERCHANT_NAME, PROVIDER } from './config.ts';
import { authorize, challengePath, closedAtCheckout, returnUrl, tokeniseCard, type CheckoutSession } from './lifecycle.ts';
import { isAwaitingShopper, type Challenge, type WhenThenPayment, type WhenThenStore } from './state.ts';
import { requireUrl } from './validation.ts';

export interface PageDeps {
  ctx: SandboxContext;
  store: WhenThenStore;
  decide(id: string, outcome: Outcome): Promise<DecideResult>;
  /** Sends the payment's webhook. */
  notify(payment: WhenThenPayment): Promise<void>;
}

const SHOPPER_NAME = 'WhenThen';

function message(res: ServerResponse, status: number, title: string, text: string, link?: { href: string; label: string }): void {
  sendHtml(res, status, renderMessagePage(SHOPPER_NAME, title, text, link));
}

/** Sends the browser on, or says where it would have gone when the payment has no way back. */
function goTo(res: ServerResponse, url: string | null, payment: WhenThenPayment): void {
  if (url) return redirect(res, url);
  message(res, 200, 'Done', `Payment ${payment.id} is ${payment.status}. You can close this page.`);
}

export function registerPages({ ctx, store, decide, notify }: PageDeps): void {
  const absolute = (path: string) => `${ctx.baseUrl()}${path}`;

  /** Where a payment's shopper goes now: its WhenThen page while it waits, else back to the shop. */
  const destinationOf = (payment: WhenThenPayment): string | null => {
    const page = challengePath(payment);
    return isAwaitingShopper(payment) && page ? absolute(page) : returnUrl(payment);
  };

  for (const challenge of ['three-d-secure', 'apm'] as const) {
    const base = challenge === 'three-d-secure' ? '/whenthen/3ds' : '/whenthen/apm';

    const pending = (req: SandboxRequest, res: ServerResponse): WhenThenPayment | undefined => {
      const payment = store.find(req.params.id!);
      if (payment?.challenge === challenge) return payment;
      message(res, 404, 'Not found', 'There is no such payment.');
      return undefined;
    };

    ctx.router.get(`${base}/:id`, async (req, res) => {
      const payment = pending(req, res);
      if (!payment) return;
      if (!isAwaitingShopper(payment)) {
        const back = returnUrl(payment);
        return message(res, 409, 'Already done', `This payment is already ${payment.status}.`, back ? { href: back, label: 'Back to the shop' } : undefined);
      }
      const preset = ctx.presets.take(PROVIDER, payment.id);
      if (preset) return goTo(res, (await decide(payment.id, preset)).redirectUrl, payment);
      sendHtml(res, 200, renderHostedPage(challengePage(payment, challenge, challengePath(payment)!)));
    });

    ctx.router.post(`${base}/:id`, async (req, res) => {
      const payment = pending(req, res);
      if (!payment) return;
      const outcome = req.form().get('outcome');
      if (!isOutcome(outcome)) return message(res, 400, 'Bad request', 'Choose one of the buttons.');
      if (!isAwaitingShopper(payment)) return message(res, 409, 'Already done', `This payment is already ${payment.status}.`);
      goTo(res, (await decide(payment.id, outcome)).redirectUrl, payment);
    });
  }

  ctx.router.get(CHECKOUT_PATH, async (req, res) => {
    const session = checkoutSession(store, req.url.searchParams, randomUUID());
    if ('error' in session) return message(res, session.status, 'Cannot pay', session.error, backToShop(req.url.searchParams));
    // The payment id is fixed now, so an outcome preset for "the next payment" applies when the page opens.
    ctx.presets.attach(PROVIDER, session.paymentId);
    const preset = ctx.presets.take(PROVIDER, session.paymentId);
    if (preset) {
      const payment = preset === 'pay' ? payWithPrefilledCard(store, session) : closedAtCheckout(store, session, preset);
      await notify(payment);
      return goTo(res, destinationOf(payment), payment);
    }
    sendHtml(res, 200, renderCheckoutPage(checkoutPage(session)));
  });

  ctx.router.post(CHECKOUT_PATH, async (req, res) => {
    const form = req.form();
    const paymentId = form.get('paymentId') ?? '';
    const session = checkoutSession(store, form, paymentId);
    if ('error' in session) return message(res, session.status, 'Cannot pay', session.error, backToShop(form));
    // A second post of the same page (a double click, a reload) leads to the payment the first one made.
    const existing = store.find(paymentId);
    if (existing) return goTo(res, destinationOf(existing), existing);
    const outcome = form.get('outcome');
    if (outcome !== 'pay' && outcome !== 'decline' && outcome !== 'cancel') return message(res, 400, 'Bad request', 'Choose Pay, Decline or Cancel.');

    let payment: WhenThenPayment;
    if (outcome === 'cancel') {
      payment = closedAtCheckout(store, session, 'cancel');
    } else {
      const typed = {
        number: form.get('cardNumber') ?? '',
        expMonth: form.get('expMonth') ?? '',
        expYear: form.get('expYear') ?? '',
        cvc: form.get('cvc') ?? '',
        name: form.get('cardName') ?? '',
      };
      try {
        payment = payByCard(store, session, typed, outcome === 'decline');
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return sendHtml(res, 400, renderCheckoutPage({ ...checkoutPage(session), card: typed, error: error.message }));
      }
    }
    // An outcome preset after the page opened belongs to this payment, for its 3-D Secure page.
    ctx.presets.attach(PROVIDER, payment.id);
    await notify(payment);
    goTo(res, destinationOf(payment), payment);
  });
}

function challengePage(payment: WhenThenPayment, challenge: Challenge, action: string) {
  const order: Array<[string, string]> = payment.orderId ? [['Order', payment.orderId]] : [];
  if (challenge === 'three-d-secure') {
    return {
      provider: SHOPPER_NAME,
      title: '3-D Secure authentication',
      merchant: MERCHANT_NAME,
      amountMinor: payment.amount,
      currency: payment.currency,
      action,
      details: [['Card', `•••• ${payment.card?.last4 ?? ''}`] as [string, string], ...order],
    };
  }
  const label = APM_LABELS[payment.methodType] ?? payment.methodType;
  return {
    provider: label,
    title: `Pay with ${label}`,
    merchant: MERCHANT_NAME,
    amountMinor: payment.amount,
    currency: payment.currency,
    action,
    details: order,
  };
}

/** A link back to the shop's page the checkout was opened with, when it names a usable one. */
function backToShop(params: URLSearchParams): { href: string; label: string } | undefined {
  const redirectUrl = params.get('redirectUrl') ?? '';
  try {
    requireUrl(redirectUrl, 'redirectUrl');
  } catch {
    return undefined;
  }
  return { href: redirectUrl, label: 'Back to the shop' };
}

type SessionReading = (CheckoutSession & { clientToken: string }) | { error: string; status: number };

/**
 * The hosted checkout's inputs, from the page's query or its form: `clientToken` (required; it carries the amount
 * and currency), `redirectUrl` (required, http/https), `orderId` and `flowId` (optional).
 */
function checkoutSession(store: WhenThenStore, params: URLSearchParams, paymentId: string): SessionReading {
  const clientToken = params.get('clientToken') ?? '';
  const grant = clientToken ? store.clientToken(clientToken) : undefined;
  if (!grant) return { status: 401, error: 'The client token is missing, unknown or expired. Return to the shop and try again.' };
  if (grant.amount === null || grant.currency === null) {
    return { status: 400, error: 'The client token has no amount and currency: generate it with both for the hosted checkout.' };
  }
  const redirectUrl = params.get('redirectUrl') ?? '';
  try {
    requireUrl(redirectUrl, 'redirectUrl');
  } catch (error) {
    return { status: 400, error: (error as Error).message };
  }
  if (!/^[0-9a-f-]{36}$/.test(paymentId)) return { status: 400, error: 'This page is broken: open the checkout again.' };
  return {
    clientToken,
    paymentId,
    grant: { ...grant, amount: grant.amount, currency: grant.currency },
    orderId: params.get('orderId') || null,
    flowId: params.get('flowId') || null,
    hostedRedirectUrl: redirectUrl,
  };
}

function checkoutPage(session: CheckoutSession & { clientToken: string }): CheckoutPage {
  return {
    merchant: MERCHANT_NAME,
    amountMinor: session.grant.amount,
    currency: session.grant.currency,
    orderId: session.orderId,
    hidden: {
      clientToken: session.clientToken,
      redirectUrl: session.hostedRedirectUrl,
      orderId: session.orderId ?? '',
      flowId: session.flowId ?? '',
      paymentId: session.paymentId,
    },
  };
}

/** What WhenThen's hosted fields do on submit: tokenise the card with the client token, then authorize with it. */
function payByCard(
  store: WhenThenStore,
  session: CheckoutSession,
  typed: { number: string; expMonth: string; expYear: string; cvc: string; name: string },
  declined: boolean,
): WhenThenPayment {
  const card = tokeniseCard(store, {
    number: typed.number,
    expMonth: Number(typed.expMonth),
    expYear: Number(typed.expYear),
    cvc: typed.cvc || null,
    name: typed.name || null,
  });
  const { payment } = authorize(
    store,
    {
      amount: session.grant.amount,
      currencyCode: session.grant.currency,
      orderId: session.orderId,
      flowId: session.flowId,
      paymentMethod: { type: CARD, token: card.token },
    },
    { grant: session.grant, paymentId: session.paymentId, hostedRedirectUrl: session.hostedRedirectUrl, forceDecline: declined },
  );
  return payment;
}

function payWithPrefilledCard(store: WhenThenStore, session: CheckoutSession): WhenThenPayment {
  return payByCard(store, session, prefilledCard(new Date()), false);
}
