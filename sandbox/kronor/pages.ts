/**
 * The pages a shopper sees: Kronor's payment gateway page (`/kronor/payment?paymentMethod=…&token=…`), one page per
 * payment request that the request's details point at (card, MobilePay, Vipps, P24, PayPal, bank transfer), and
 * the Swish "phone" that approves or declines a waiting Swish request. Pay / Decline / Cancel post back to the
 * payment's page, which decides and sends the browser to the request's returnUrl.
 */
import type { ServerResponse } from 'node:http';
import type { DecideResult, SandboxContext } from '../core/context.ts';
import { escapeHtml, redirect, sendHtml, sendText, type SandboxRequest } from '../core/http.ts';
import { formatAmount } from '../core/money.ts';
import { isOutcome, OUTCOMES, type Outcome } from '../core/outcomes.ts';
import { acceptedLanguages, pageLanguage, PAGE_WORDS, type PageLanguage } from '../core/language.ts';
import { renderHostedPage, renderMessagePage, type Choice } from '../core/pages.ts';
import {
  GATEWAY_METHODS,
  MERCHANT_NAME,
  METHOD_NAMES,
  METHOD_PAGE_SEGMENTS,
  PAYMENT_METHODS,
  PROVIDER,
  type PaymentMethod,
} from './config.ts';
import { KronorError } from './errors.ts';
import { authenticateRequest, type EndpointDeps } from './graphql.ts';
import { startMethodPayment } from './resolvers.ts';
import { currentStatus, isOpen, type PaymentRecord } from './state.ts';
import { checkWebUrl } from './validation.ts';
import { pageUrl, swishAppLink, swishQrCode } from './views.ts';

export interface PageDeps extends Pick<EndpointDeps, 'store' | 'tokens'> {
  decide(waitToken: string, outcome: Outcome): Promise<DecideResult>;
}

function swishChoices(lang: PageLanguage): Choice[] {
  const words = PAGE_WORDS[lang];
  return [
    { outcome: 'pay', label: words.approve },
    { outcome: 'decline', label: words.decline },
    { outcome: 'cancel', label: words.cancel },
  ];
}

/** Kronor serves the Nordics; its pages here speak Swedish or English. */
const LANGUAGES: readonly PageLanguage[] = ['en', 'sv'];
const TITLES: Record<PageLanguage, { approve: string; payWith: (method: string) => string }> = {
  en: { approve: 'Approve the payment', payWith: (method) => `Pay with ${method}` },
  sv: { approve: 'Godkänn betalningen', payWith: (method) => `Betala med ${method}` },
  de: { approve: 'Zahlung bestätigen', payWith: (method) => `Mit ${method} bezahlen` },
};

/**
 * Kronor's pages speak the language the merchant gave the session (`additionalData.language`), else the browser's;
 * a Swish request is approved in the Swish app, which speaks the phone's own language.
 */
function languageOf(deps: PageDeps, payment: PaymentRecord, req: SandboxRequest): PageLanguage {
  const told = payment.method === 'SWISH' ? undefined : deps.store.sessions.get(payment.sessionId)?.additionalData?.language;
  return pageLanguage([told, ...acceptedLanguages(req.header('accept-language'))], LANGUAGES);
}

/** The idempotency key the gateway page's own payment calls use (the page, not the shopper, makes them). */
const GATEWAY_IDEMPOTENCY_KEY = 'payment-gateway-page';

export function registerPages(ctx: SandboxContext, deps: PageDeps): void {
  ctx.router.get('/kronor/payment', (req, res) => gatewayPage(ctx, deps, req, res));
  ctx.router.get('/kronor/swish/phone', (req, res) => sendHtml(res, 200, swishPhoneList(ctx, deps, req.url.searchParams.get('number'))));
  for (const method of PAYMENT_METHODS) {
    const path = `/kronor/${METHOD_PAGE_SEGMENTS[method]}/:waitToken`;
    ctx.router.get(path, (req, res) => paymentPage(ctx, deps, method, req, res));
    ctx.router.post(path, (req, res) => decidePage(deps, method, req, res));
  }
  ctx.router.get('/kronor/mobilepay/:waitToken/qr', (req, res) => {
    const payment = deps.store.payments.get(req.params.waitToken!);
    if (!payment || payment.method !== 'MOBILEPAY') return sendText(res, 404, 'no such MobilePay payment');
    sendText(res, 200, qrPlaceholderSvg(pageUrl(ctx.baseUrl(), payment)), 'image/svg+xml');
  });
}

function findPayment(deps: PageDeps, method: PaymentMethod, waitToken: string): PaymentRecord | undefined {
  const payment = deps.store.payments.get(waitToken);
  return payment?.method === method ? payment : undefined;
}

function notFound(res: ServerResponse): void {
  sendHtml(res, 404, renderMessagePage('Kronor', 'Payment not found', 'There is no such payment request.'));
}

function finalPage(res: ServerResponse, payment: PaymentRecord, httpStatus = 200, backTo = payment.returnUrl): void {
  sendHtml(
    res,
    httpStatus,
    renderMessagePage('Kronor', 'Payment finished', `This payment is ${currentStatus(payment)}.`, { href: backTo, label: 'Back to the shop' }),
  );
}

/** Applies an outcome and sends the browser on (or says so, when nothing waits for it: Swish ecom). */
async function decideAndLeave(deps: PageDeps, payment: PaymentRecord, outcome: Outcome, res: ServerResponse): Promise<void> {
  const result = await deps.decide(payment.waitToken, outcome);
  if (result.redirectUrl) return redirect(res, result.redirectUrl);
  sendHtml(res, 200, renderMessagePage('Swish', 'Done', `The payment is ${result.status}. You can close the Swish app.`));
}

function pageFor(ctx: SandboxContext, payment: PaymentRecord, title: string, lang: PageLanguage): string {
  const swish = payment.method === 'SWISH';
  const details: Array<[string, string]> = [
    ['Payment method', METHOD_NAMES[payment.method]],
    ['Reference', payment.reference],
    ['Message', payment.message],
  ];
  if (swish) {
    details.push(['Swish number', payment.customerSwishNumber ?? 'this phone']);
    const qrCode = swishQrCode(payment);
    if (qrCode) details.push(['Swish QR code', qrCode], ['Swish app link', swishAppLink(payment)!]);
  }
  return renderHostedPage({
    provider: swish ? 'Swish' : 'Kronor',
    title,
    merchant: MERCHANT_NAME,
    amountMinor: payment.amount,
    currency: payment.currency,
    action: new URL(pageUrl(ctx.baseUrl(), payment)).pathname,
    choices: swish ? swishChoices(lang) : undefined,
    details,
    lang,
  });
}

async function paymentPage(ctx: SandboxContext, deps: PageDeps, method: PaymentMethod, req: SandboxRequest, res: ServerResponse): Promise<void> {
  const payment = findPayment(deps, method, req.params.waitToken!);
  if (!payment) return notFound(res);
  if (!isOpen(payment)) return finalPage(res, payment);
  const preset = ctx.presets.take(PROVIDER, payment.waitToken);
  if (preset) return decideAndLeave(deps, payment, preset, res);
  const lang = languageOf(deps, payment, req);
  const title = method === 'SWISH' ? TITLES[lang].approve : TITLES[lang].payWith(METHOD_NAMES[method]);
  sendHtml(res, 200, pageFor(ctx, payment, title, lang));
}

async function decidePage(deps: PageDeps, method: PaymentMethod, req: SandboxRequest, res: ServerResponse): Promise<void> {
  const payment = findPayment(deps, method, req.params.waitToken!);
  if (!payment) return notFound(res);
  const outcome = req.form().get('outcome');
  if (!isOutcome(outcome)) {
    return sendHtml(res, 400, renderMessagePage('Kronor', 'Unknown choice', `outcome must be one of ${OUTCOMES.join(', ')}`));
  }
  if (!isOpen(payment)) return finalPage(res, payment, 409);
  await decideAndLeave(deps, payment, outcome, res);
}

/**
 * Kronor's payment gateway: opened with a session token and a method, it starts that method's payment (or picks
 * up the one already pending, as Kronor does) and shows it.
 */
async function gatewayPage(ctx: SandboxContext, deps: PageDeps, req: SandboxRequest, res: ServerResponse): Promise<void> {
  const params = req.url.searchParams;
  const auth = await authenticateRequest(deps, `Bearer ${params.get('token') ?? ''}`);
  if (!auth.ok || auth.caller.role !== 'session') {
    const reason = auth.ok ? 'This is not a payment session token.' : auth.error.message;
    return sendHtml(res, 401, renderMessagePage('Kronor', 'Payment link not valid', reason));
  }
  const method = GATEWAY_METHODS[params.get('paymentMethod') ?? ''];
  if (!method) {
    return sendHtml(res, 400, renderMessagePage('Kronor', 'Unknown payment method', `paymentMethod must be one of ${Object.keys(GATEWAY_METHODS).join(', ')}`));
  }
  const merchantReturnUrl = params.get('merchantReturnUrl') ?? '';
  const session = deps.store.session(auth.caller.sessionId);
  let payment: PaymentRecord;
  try {
    checkWebUrl(merchantReturnUrl, 'merchantReturnUrl');
    payment = startMethodPayment(deps.store, session, method, {
      idempotencyKey: GATEWAY_IDEMPOTENCY_KEY,
      returnUrl: merchantReturnUrl,
      merchantReturnUrl,
      flow: method === 'SWISH' ? 'mcom' : null,
    });
  } catch (error) {
    if (!(error instanceof KronorError)) throw error;
    return sendHtml(res, 400, renderMessagePage('Kronor', 'Payment not possible', error.message));
  }
  if (!isOpen(payment)) return finalPage(res, payment, 200, merchantReturnUrl);
  const preset = ctx.presets.take(PROVIDER, payment.waitToken);
  if (preset) return decideAndLeave(deps, payment, preset, res);
  const lang = languageOf(deps, payment, req);
  sendHtml(res, 200, pageFor(ctx, payment, TITLES[lang].payWith(METHOD_NAMES[method]), lang));
}

/** The shopper's phone: every Swish request waiting for approval (for one number, when `number` is given). */
function swishPhoneList(ctx: SandboxContext, deps: PageDeps, number: string | null): string {
  const waiting = [...deps.store.payments.values()].filter(
    (p) => p.method === 'SWISH' && isOpen(p) && (!number || p.customerSwishNumber === number),
  );
  const items = waiting
    .map((p) => `<li><a href="${escapeHtml(pageUrl(ctx.baseUrl(), p))}">${escapeHtml(formatAmount(p.amount, p.currency))} to ${escapeHtml(MERCHANT_NAME)} — ${escapeHtml(p.message)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Swish — waiting payments</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}.sandbox{background:#fff4d6;border:1px solid #e0c070;padding:.25rem .5rem;font-size:.85rem}</style>
</head><body><p class="sandbox">Swish sandbox phone — no real money moves.</p><h1>Waiting payments</h1>
${items ? `<ul>${items}</ul>` : '<p role="status">No Swish payment is waiting for approval.</p>'}
</body></html>`;
}

/** A stand-in image where MobilePay shows its QR code (the sandbox draws no real QR code). */
function qrPlaceholderSvg(target: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">
<rect width="240" height="240" fill="#fff"/><rect x="10" y="10" width="60" height="60" fill="#5a78ff"/>
<rect x="170" y="10" width="60" height="60" fill="#5a78ff"/><rect x="10" y="170" width="60" height="60" fill="#5a78ff"/>
<text x="120" y="125" font-family="sans-serif" font-size="12" text-anchor="middle">MobilePay sandbox QR</text>
<text x="120" y="145" font-family="sans-serif" font-size="7" text-anchor="middle">${escapeHtml(target)}</text></svg>`;
}
