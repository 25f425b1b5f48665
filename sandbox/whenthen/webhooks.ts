/**
 * WhenThen's webhooks (INVENTED in providers.md): POST `{"type":"payment.updated","data":<Payment>}` to the endpoint
 * registered through the sandbox's own control route, signed in `X-WhenThen-Signature` with the hex HMAC-SHA256 of
 * the raw body.
 */
import { createHmac } from 'node:crypto';
import type { SandboxContext } from '../core/context.ts';
import { sendJson } from '../core/http.ts';
import { PROVIDER, WEBHOOK_EVENT_TYPE, WEBHOOK_SIGNATURE_HEADER } from './config.ts';
import type { WhenThenPayment, WhenThenStore } from './state.ts';
import { paymentJson } from './views.ts';

export const WEBHOOK_ENDPOINT_PATH = '/_sandbox/whenthen/webhook-endpoint';

export function signWebhook(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Sends a payment's `payment.updated` webhook, when an endpoint is registered; resolves once it was delivered or failed. */
export async function sendPaymentWebhook(ctx: SandboxContext, store: WhenThenStore, payment: WhenThenPayment): Promise<void> {
  const endpoint = store.webhook;
  if (!endpoint) return;
  const body = JSON.stringify({ type: WEBHOOK_EVENT_TYPE, data: paymentJson(payment) });
  await ctx.webhooks.send({
    provider: PROVIDER,
    paymentId: payment.id,
    url: endpoint.url,
    headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, endpoint.secret) },
    body,
  });
}

/** `POST /_sandbox/whenthen/webhook-endpoint {url, secret?}` registers the receiver; `GET` shows it; reset forgets it. */
export function registerWebhookEndpointRoutes(ctx: SandboxContext, store: WhenThenStore): void {
  ctx.router.post(WEBHOOK_ENDPOINT_PATH, (req, res) => {
    const body = req.json() as { url?: unknown; secret?: unknown } | undefined;
    const url = body?.url;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
      return sendJson(res, 400, { error: 'url must be an absolute http or https URL' });
    }
    const secret = body?.secret;
    if (secret !== undefined && (typeof secret !== 'string' || secret === '')) {
      return sendJson(res, 400, { error: 'secret, when given, must be a non-empty string' });
    }
    store.setWebhook(url, secret);
    sendJson(res, 200, { url, customSecret: secret !== undefined });
  });
  ctx.router.get(WEBHOOK_ENDPOINT_PATH, (_req, res) => sendJson(res, 200, { url: store.webhook?.url ?? null }));
}
