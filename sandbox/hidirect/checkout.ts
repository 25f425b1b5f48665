/**
 * The hosted checkout, `GET /hidirect/pay?token=…` (the real one is `https://pay[.sandbox].hi.health/?token=…`).
 * Opening it with a fresh token claims the payment (the shopper "logs in"); the token then is spent. The page's
 * buttons post to `POST /hidirect/pay/{id}`, which decides the payment and sends the browser to the merchant.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/context.ts';
import { redirect, sendHtml } from '../core/http.ts';
import { acceptedLanguages, pageLanguage, PAGE_WORDS, type PageLanguage } from '../core/language.ts';
import { DEFAULT_CHOICES, renderHostedPage, renderMessagePage } from '../core/pages.ts';
import type { Outcome } from '../core/outcomes.ts';
import { PREFIX, PROVIDER, SANDBOX_MERCHANT_NAME } from './config.ts';
import type { Keys } from './keys.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Payment } from './state.ts';

const BRAND = 'hi.health';

/** hi.health serves Germany: its page speaks German to a browser that asks for it, English otherwise. */
const LANGUAGES: readonly PageLanguage[] = ['en', 'de'];
const TITLES: Record<PageLanguage, { confirm: string; closed: string; status: (status: string) => string }> = {
  en: { confirm: 'Confirm your payment', closed: 'Payment closed', status: (status) => `The payment is ${status}.` },
  sv: { confirm: 'Bekräfta betalningen', closed: 'Betalningen är stängd', status: (status) => `Betalningen är ${status}.` },
  de: { confirm: 'Zahlung bestätigen', closed: 'Zahlung geschlossen', status: (status) => `Die Zahlung ist ${status}.` },
};
const PAGE_OUTCOMES: readonly Outcome[] = DEFAULT_CHOICES.map((c) => c.outcome);

export function checkoutUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${PREFIX}/pay?token=${encodeURIComponent(token)}`;
}

function sendMessage(res: ServerResponse, status: number, title: string, message: string, payment?: Payment, lang: PageLanguage = 'en'): void {
  const back = payment ? { href: wayBack(payment), label: PAGE_WORDS[lang].backToShop } : undefined;
  sendHtml(res, status, renderMessagePage(BRAND, title, message, back, lang));
}

/** The merchant page a shopper left on a closed payment goes back to: the one its status would have redirected to. */
export function wayBack(payment: Pick<Payment, 'status' | 'merchantUrls'>): string {
  const urls = payment.merchantUrls;
  switch (payment.status) {
    case 'SETTLED':
    case 'AUTHORISED':
    case 'PENDING':
      return urls.successRedirect;
    case 'DENIED':
      return urls.failureRedirect;
    default:
      return urls.cancelRedirect;
  }
}

/** Why a token cannot open the checkout, or undefined when it can. */
function tokenRefusal(payment: Payment, now: number): [status: number, title: string, message: string] | undefined {
  if (payment.tokenUsed || payment.status !== 'INITIAL') return [410, 'Link already used', 'This payment link has already been used.'];
  if (now > payment.tokenExpiresAt) return [410, 'Link expired', 'This payment link has expired.'];
  return undefined;
}

export function registerCheckout(ctx: SandboxContext, lifecycle: Lifecycle, keys: Keys): void {
  /** Sends the browser on after a decision; expiry has no shopper to send anywhere. */
  const finish = async (res: ServerResponse, payment: Payment, outcome: Outcome, lang: PageLanguage): Promise<void> => {
    try {
      const { status, redirectUrl } = await lifecycle.decide(payment.id, outcome);
      if (redirectUrl) redirect(res, redirectUrl);
      else sendMessage(res, 200, TITLES[lang].closed, TITLES[lang].status(status), payment, lang);
    } catch {
      sendMessage(res, 409, 'Payment already completed', `This payment is already ${payment.status}.`, payment);
    }
  };

  ctx.router.get(`${PREFIX}/pay`, async (req, res) => {
    const token = req.url.searchParams.get('token');
    if (!token) return sendMessage(res, 400, 'Missing token', 'This payment link is incomplete.');
    const claims = await keys.readToken(token);
    const payment = typeof claims?.id === 'string' ? lifecycle.store.get(claims.id) : undefined;
    // A token from before a reset carries a valid signature but names a payment that no longer exists.
    if (!payment || payment.token !== token) return sendMessage(res, 404, 'Invalid link', 'This payment link is not valid.');
    const refusal = tokenRefusal(payment, lifecycle.clock.now());
    if (refusal) return sendMessage(res, ...refusal, payment);

    const lang = pageLanguage(acceptedLanguages(req.header('accept-language')), LANGUAGES);
    const preset = ctx.presets.take(PROVIDER, payment.id);
    if (preset) return finish(res, payment, preset, lang);

    // Logging in claims the payment; the page need not wait for the merchant's callback endpoint.
    void lifecycle.change(payment, 'CLAIMED');
    sendHtml(res, 200, renderPage(ctx.baseUrl(), payment, lang));
  });

  ctx.router.post(`${PREFIX}/pay/:id`, async (req, res) => {
    const payment = lifecycle.store.get(req.params.id!);
    if (!payment) return sendMessage(res, 404, 'Invalid link', 'This payment does not exist.');
    const form = req.form();
    // The token stands in for the shopper's logged-in session: only the page it opened may decide.
    if (form.get('token') !== payment.token) return sendMessage(res, 403, 'Session expired', 'Please open the payment link again.');
    const outcome = form.get('outcome');
    const chosen = PAGE_OUTCOMES.find((o) => o === outcome);
    if (!chosen) return sendMessage(res, 400, 'Unknown choice', 'Please choose Pay, Decline or Cancel.');
    await finish(res, payment, chosen, pageLanguage(acceptedLanguages(req.header('accept-language')), LANGUAGES));
  });
}

function renderPage(baseUrl: string, payment: Payment, lang: PageLanguage): string {
  const details: Array<[string, string]> = [];
  if (payment.merchantReference) details.push(['Reference', payment.merchantReference]);
  if (payment.prescriptionRequired) details.push(['Prescription', 'Upload required']);
  if (payment.cardCaptureMode === 'MANUAL') details.push(['Card', 'Pre-authorised now, charged when the order ships']);
  return renderHostedPage({
    provider: BRAND,
    title: TITLES[lang].confirm,
    lang,
    merchant: payment.merchantId ?? SANDBOX_MERCHANT_NAME,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    action: `${baseUrl}${PREFIX}/pay/${encodeURIComponent(payment.id)}`,
    details,
    hidden: { token: payment.token },
  });
}
