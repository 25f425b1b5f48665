/**
 * hi.health "HiDirect" (German health-expense payments, REST, `x-api-key`): one method, `hidirect:hi-health`, for
 * EUR orders. A payment is created with `POST /payments`; the shopper is sent to hi.health's checkout with the
 * payment's one-time token; hi.health posts RSA-signed webhooks on every status change; `GET /payments/{id}` reads it.
 *
 * hi.health has no idempotency key, so creating is never retried here: the endpoint's own idempotency store keeps
 * one click to one payment.
 *
 * Cancel: `POST /payments/{id}/cancel`, which hi.health documents only for a pre-authorised payment (created with
 * `cardCaptureMode: MANUAL`, status AUTHORISED); any other payment is refused. hi.health documents no refund.
 */
import type { KeyObject } from 'node:crypto';
import type { PaymentMethod } from '../../core/model.ts';
import { toMajor } from '../../core/money.ts';
import { callProvider, readJson } from '../../server/provider-http.ts';
import {
  ProviderRefused,
  ProviderUnavailable,
  type CreatedPayment,
  type CreatePaymentInput,
  type OperationInput,
  type OperationPayment,
  type ProviderAdapter,
  type ProviderDeps,
  type ProviderModule,
  type ResolvedOrder,
  type StatusRead,
  type StoredPaymentRef,
  type WebhookRequest,
  type WebhookResult,
} from '../../server/provider.ts';
import { hidirectConfigSchema, hidirectUrls, loadWebhookKey, type AmountUnit, type HidirectConfig, type ResolvedHidirectConfig } from './config.ts';
import { hidirectStatus } from './status.ts';
import { checkSignature, parseNotification, readSignature } from './webhook.ts';

export type { HidirectConfig } from './config.ts';

const PROVIDER = 'hidirect';
export const METHOD_ID = 'hidirect:hi-health';
/** "We support only EUR at the moment." */
const CURRENCY = 'EUR';
/** "merchantReference: Maximum 40 characters." */
const MAX_MERCHANT_REFERENCE = 40;
const MAX_TOKEN_LENGTH = 8192;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const hidirectProvider: ProviderModule<HidirectConfig> = {
  configSchema: hidirectConfigSchema,
  create: (config, deps) => createHidirectAdapter(hidirectConfigSchema.parse(config), deps),
};

function createHidirectAdapter(config: ResolvedHidirectConfig, deps: ProviderDeps): ProviderAdapter {
  const urls = hidirectUrls(config, deps.sandboxUrl);
  const headers = { 'x-api-key': config.apiKey, accept: 'application/json' };
  const webhookKey = webhookKeySource(config, urls.publicKey, deps);

  const method: PaymentMethod = {
    id: METHOD_ID,
    provider: PROVIDER,
    kind: 'health',
    name: { en: 'hi.health – health expenses', de: 'hi.health – Gesundheitsausgaben' },
    // "Must be a positive … amount"; no documented upper bound (see DEFAULT_MAX_AMOUNT).
    min: 1,
    max: config.maxAmount,
  };

  return {
    name: PROVIDER,
    redirectHosts: [new URL(urls.checkout).host],
    createIsIdempotent: false,

    async listMethods(order: ResolvedOrder): Promise<PaymentMethod[]> {
      // Amount limits are left to the endpoint: the list is cached per currency, not per amount.
      return order.currency === CURRENCY ? [method] : [];
    },

    async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
      if (input.order.currency !== CURRENCY) throw new ProviderRefused('hi.health accepts payments in euros only', 'currency');
      if (input.reference.length > MAX_MERCHANT_REFERENCE) throw new Error(`hidirect: the reference is longer than ${MAX_MERCHANT_REFERENCE} characters`);
      const body = {
        amount: { total: fromMinor(input.order.amount, config.restAmountUnit, CURRENCY), currency: CURRENCY },
        merchantReference: input.reference,
        merchantUrls: {
          callback: input.webhookUrl,
          successRedirect: input.returnUrl,
          failureRedirect: input.returnUrl,
          cancelRedirect: input.returnUrl,
        },
        prescriptionRequired: config.prescriptionRequired,
        cardCaptureMode: config.cardCaptureMode,
        ...(config.merchantId ? { merchantId: config.merchantId } : {}),
      };
      const response = await callProvider(
        PROVIDER,
        `${urls.api}/payments`,
        { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        // No idempotency key at hi.health: a retried create could make a second payment.
        { timeoutMs: deps.timeoutMs, idempotent: false, signal: input.signal },
      );
      if (response.status === 400) throw refusalFor(await response.text());
      if (!response.ok) throw await unexpected(response, 'creating a payment');
      const answer = await readJson(PROVIDER, response);
      const payment = readPayment(answer);
      const token = (answer as { token?: unknown }).token;
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !JWT.test(token)) {
        throw new ProviderUnavailable('hidirect: the new payment came without a checkout token');
      }
      const checkout = new URL(urls.checkout);
      checkout.searchParams.set('token', token);
      const status = hidirectStatus(payment.status);
      return { providerPaymentId: payment.id, action: { type: 'redirect', url: checkout.href }, state: status.state, providerStatus: status.providerStatus };
    },

    async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
      const response = await callProvider(
        PROVIDER,
        `${urls.api}/payments/${encodeURIComponent(payment.providerPaymentId)}`,
        { method: 'GET', headers },
        { timeoutMs: deps.timeoutMs, attempts: deps.attempts, idempotent: true, signal },
      );
      if (!response.ok) throw await unexpected(response, 'reading a payment');
      return hidirectStatus(readPayment(await readJson(PROVIDER, response)).status);
    },

    /**
     * Voids a pre-authorised payment. hi.health takes no idempotency key, so the call is sent once: a repeat of a
     * cancel that went through would be refused (the payment is no longer AUTHORISED) and read as a refusal.
     */
    async cancelPayment(payment: OperationPayment, input: OperationInput): Promise<void> {
      const response = await callProvider(
        PROVIDER,
        `${urls.api}/payments/${encodeURIComponent(payment.providerPaymentId)}/cancel`,
        { method: 'POST', headers },
        { timeoutMs: deps.timeoutMs, idempotent: false, signal: input.signal },
      );
      // "Only possible on Payments created with cardCaptureMode = MANUAL and with the Status AUTHORISED."
      if (response.status === 409) {
        await response.body?.cancel();
        throw new ProviderRefused('hi.health can only cancel a payment that is pre-authorised (manual capture) and not yet captured.');
      }
      if (!response.ok) throw await unexpected(response, 'cancelling a payment');
      await response.body?.cancel();
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
      const signature = readSignature(request.headers);
      checkSignature(request.body, signature, await webhookKey());
      const notification = parseNotification(request.body, config.webhookAmountUnit);
      return {
        providerPaymentId: notification.id,
        ...(notification.merchantReference ? { reference: notification.merchantReference } : {}),
      };
    },
  };
}

/** Kassa's integer minor units → the JSON number hi.health reads in `unit` (49.9 for 4990 in major units). */
function fromMinor(minor: number, unit: AmountUnit, currency: string): number {
  return unit === 'minor' ? minor : Number(toMajor(minor, currency));
}

/** The parts of a payment the adapter relies on; anything else in the body is left alone. */
function readPayment(answer: unknown): { id: string; status: string } {
  const { id, status } = (answer ?? {}) as { id?: unknown; status?: unknown };
  if (typeof id !== 'string' || !id || typeof status !== 'string' || !status) {
    throw new ProviderUnavailable('hidirect: answered with a payment that has no id or status');
  }
  return { id, status };
}

/**
 * A 400 to a create: `{message, errors: [{field, message}]}`. The amount and currency are the shopper's order, so the
 * shopper hears a short refusal; any other field is Kassa's or the merchant's setup, reported as an error naming it.
 */
function refusalFor(text: string): Error {
  const errors = (parseOrNull(text) as { errors?: unknown } | null)?.errors;
  const fields = Array.isArray(errors)
    ? errors.map((e) => (e as { field?: unknown } | null)?.field).filter((f): f is string => typeof f === 'string' && /^[A-Za-z.]{1,64}$/.test(f))
    : [];
  if (fields.includes('amount.currency')) return new ProviderRefused('hi.health accepts payments in euros only', 'currency');
  if (fields.some((f) => f === 'amount' || f === 'amount.total')) return new ProviderRefused('hi.health does not accept this amount', 'amount');
  return new Error(`hidirect: refused the payment request${fields.length ? ` (${fields.join(', ')})` : ''}`);
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A 4xx other than a refusal the shopper can act on: the merchant's setup (key, URLs) — logged, never shown. */
async function unexpected(response: Response, doing: string): Promise<Error> {
  const { status } = response;
  await response.body?.cancel();
  if (status === 401 || status === 403) return new Error(`hidirect: the API key was refused while ${doing} (HTTP ${status})`);
  return new Error(`hidirect: answered HTTP ${status} while ${doing}`);
}

/**
 * The key that verifies webhooks: the configured one, or (sandbox only) the sandbox's published key, fetched on the
 * first webhook and then kept. A failed fetch is not kept, so the next webhook tries again.
 */
function webhookKeySource(config: ResolvedHidirectConfig, publicKeyUrl: string | undefined, deps: ProviderDeps): () => Promise<KeyObject> {
  if (config.webhookPublicKey) {
    const key = loadWebhookKey(config.webhookPublicKey);
    return async () => key;
  }
  if (!publicKeyUrl) throw new Error('hidirect: webhookPublicKey is required outside the sandbox');
  let pending: Promise<KeyObject> | undefined;
  return () => {
    pending ??= fetchPublicKey(publicKeyUrl, deps).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function fetchPublicKey(url: string, deps: ProviderDeps): Promise<KeyObject> {
  const response = await callProvider(PROVIDER, url, { method: 'GET' }, { timeoutMs: deps.timeoutMs, attempts: deps.attempts, idempotent: true });
  const pem = await response.text();
  if (!response.ok) throw new ProviderUnavailable(`hidirect: the sandbox's webhook key answered HTTP ${response.status}`);
  try {
    return loadWebhookKey(pem);
  } catch {
    throw new ProviderUnavailable("hidirect: the sandbox's webhook key is not a PEM RSA key");
  }
}
