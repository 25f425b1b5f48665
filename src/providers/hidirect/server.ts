/**
 * hi.health "HiDirect" (German health-expense payments, REST, `x-api-key`): one method, `hidirect:hi-health`, for
 * EUR orders. A payment is created with `POST /payments`; the shopper is sent to hi.health's checkout with the
 * payment's one-time token; hi.health posts RSA-signed webhooks on every status change; `GET /payments/{id}` reads it.
 *
 * hi.health has no idempotency key, so creating, capturing, cancelling and uploading are never retried here: the
 * endpoint's own idempotency store keeps one click to one payment, and one operation to one call.
 *
 * After the sale: `POST /payments/{id}/capture` and `/cancel`, which hi.health documents only for a pre-authorised
 * payment (created with `cardCaptureMode: MANUAL`, status AUTHORISED, cancelled by hi.health after 7 days without
 * capture); the capture takes no amount, so only the whole payment is captured. `POST /payments/{id}/document/{type}`
 * takes a PDF of at most 10 MB, which hi.health's reimbursement needs. hi.health documents no refund.
 */
import type { KeyObject } from 'node:crypto';
import type { PaymentMethod, PaymentState } from '../../core/model.ts';
import { callProvider, readJson } from '../../server/provider-http.ts';
import {
  OperationNotSupported,
  ProviderRefused,
  ProviderUnavailable,
  type CaptureInput,
  type CreatedPayment,
  type CreatePaymentInput,
  type DocumentInput,
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
import { fromMinor, paymentAmount } from './amount.ts';
import { hidirectConfigSchema, hidirectUrls, loadWebhookKey, type AmountUnit, type HidirectConfig, type ResolvedHidirectConfig } from './config.ts';
import { DOCUMENT_CONTENT_TYPE, documentRefusal } from './document.ts';
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
  const acceptedSignatures = { formats: config.webhookSignatureFormats, hashAlgorithms: config.webhookHashAlgorithms };
  const refusalStatuses = new Set(config.refusalStatuses);
  const statuses: Record<string, PaymentState> = Object.fromEntries(Object.entries(config.statuses).map(([name, state]) => [name.toUpperCase(), state]));
  const paymentUrl = (payment: StoredPaymentRef, action = '') => `${urls.api}/payments/${encodeURIComponent(payment.providerPaymentId)}${action}`;

  /**
   * Capture or cancel: a POST without a body, sent once. hi.health takes no idempotency key, and a repeat of a call
   * that went through would be refused (the payment is no longer AUTHORISED), so nothing is retried.
   */
  async function manualAction(payment: OperationPayment, action: 'capture' | 'cancel', refusal: string, signal: AbortSignal): Promise<void> {
    const response = await callProvider(
      PROVIDER,
      paymentUrl(payment, `/${action}`),
      { method: 'POST', headers },
      { timeoutMs: deps.timeoutMs, idempotent: false, signal },
    );
    // "Only possible on Payments created with cardCaptureMode = MANUAL and with the Status AUTHORISED."
    if (refusalStatuses.has(response.status)) {
      await response.body?.cancel();
      throw new ProviderRefused(refusal);
    }
    if (!response.ok) throw await unexpected(response, action === 'capture' ? 'capturing a payment' : 'cancelling a payment');
    await response.body?.cancel();
  }

  const method: PaymentMethod = {
    id: METHOD_ID,
    provider: PROVIDER,
    kind: 'health',
    type: 'hi-health',
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
      const payment = readPayment(answer, config.restAmountUnit);
      const token = (answer as { token?: unknown }).token;
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !JWT.test(token)) {
        throw new ProviderUnavailable('hidirect: the new payment came without a checkout token');
      }
      const checkout = new URL(urls.checkout);
      checkout.searchParams.set('token', token);
      const status = hidirectStatus(payment.status, statuses);
      return { providerPaymentId: payment.id, action: { type: 'redirect', url: checkout.href }, state: status.state, providerStatus: status.providerStatus };
    },

    async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
      const response = await callProvider(
        PROVIDER,
        paymentUrl(payment),
        { method: 'GET', headers },
        { timeoutMs: deps.timeoutMs, attempts: deps.attempts, idempotent: true, signal },
      );
      if (!response.ok) throw await unexpected(response, 'reading a payment');
      const read = readPayment(await readJson(PROVIDER, response), config.restAmountUnit);
      const status = hidirectStatus(read.status, statuses);
      // A settled payment was taken in full (hi.health captures all or nothing); an unreadable amount says nothing.
      return status.state === 'paid' && read.amount !== undefined ? { ...status, capturedAmount: read.amount } : status;
    },

    /** Captures the whole pre-authorised amount: hi.health's capture takes no amount, so a partial one is not offered. */
    async capturePayment(payment: OperationPayment, input: CaptureInput): Promise<void> {
      if (input.amount !== undefined && input.amount !== payment.amount) throw new OperationNotSupported(PROVIDER, 'partial-capture');
      await manualAction(
        payment,
        'capture',
        'hi.health can only capture a payment that is pre-authorised (manual capture) and neither captured nor cancelled yet; it cancels an authorisation not captured within 7 days.',
        input.signal,
      );
    },

    /** Voids a pre-authorised payment; hi.health cancels nothing else (an open payment simply expires). */
    async cancelPayment(payment: OperationPayment, input: OperationInput): Promise<void> {
      await manualAction(payment, 'cancel', 'hi.health can only cancel a payment that is pre-authorised (manual capture) and not yet captured.', input.signal);
    },

    /** Uploads a PDF for the payment; sent once (a repeat would store the document twice). */
    async uploadDocument(payment: OperationPayment, input: DocumentInput): Promise<void> {
      const refusal = documentRefusal(input.type, input.content, config.maxDocumentBytes);
      if (refusal) throw new ProviderRefused(refusal, 'document');
      const response = await callProvider(
        PROVIDER,
        paymentUrl(payment, `/document/${input.type}`),
        { method: 'POST', headers: { ...headers, 'content-type': DOCUMENT_CONTENT_TYPE }, body: new Uint8Array(input.content) },
        { timeoutMs: deps.timeoutMs, idempotent: false, signal: input.signal },
      );
      if (refusalStatuses.has(response.status)) {
        await response.body?.cancel();
        throw new ProviderRefused('hi.health did not take the document', 'document');
      }
      if (!response.ok) throw await unexpected(response, 'uploading a document');
      await response.body?.cancel();
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
      const signature = readSignature(request.headers, acceptedSignatures);
      checkSignature(request.body, signature, await webhookKey());
      const notification = parseNotification(request.body, config.webhookAmountUnit);
      return {
        providerPaymentId: notification.id,
        ...(notification.merchantReference ? { reference: notification.merchantReference } : {}),
      };
    },
  };
}

/**
 * The parts of a payment the adapter relies on; anything else in the body is left alone. The amount (minor units) is
 * undefined when it does not read: it only ever adds to what the status says.
 */
function readPayment(answer: unknown, unit: AmountUnit): { id: string; status: string; amount: number | undefined } {
  const payment = (typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer : {}) as Record<string, unknown>;
  const { id, status } = payment;
  if (typeof id !== 'string' || !id || typeof status !== 'string' || !status) {
    throw new ProviderUnavailable('hidirect: answered with a payment that has no id or status');
  }
  return { id, status, amount: paymentAmount(payment, unit)?.minor };
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
