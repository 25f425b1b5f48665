/**
 * Kronor: a Swedish payment gateway over Hasura GraphQL (HTTP and websockets). The merchant's server creates a
 * payment session with its merchant token; the shopper's browser then starts the payment itself with the session
 * token (`newSwishPayment`, `newCreditCardPayment` …) and follows it over a subscription. So one Kassa payment is
 * one Kronor session, known at Kronor by its merchantReference = Kassa's reference.
 *
 * - createPayment: `newPaymentSessionWithReferenceCheck` (merchantReference and idempotencyKey = the reference, so
 *   a retry reuses the session) → `{type:'kronor', sessionToken, httpUrl, wsUrl, paymentMethod, returnUrl}`. Swish's
 *   phone-number flow (`kronor:swish-ecom`) is started here instead, and answers `{type:'none'}`.
 * - readStatus: the merchant `payments` (succeeded, with refunds) and `paymentRequests` (attempts) of the reference.
 * - verifyWebhook: `X-HMAC-SHA256-Signature` over the raw body; answered `[accepted]`.
 * - cancelPayment: `cancelPayment(paymentReference)` for a payment still waiting for the shopper; `releasePayment` (in
 *   full) for an authorised card payment. refundPayment: `refundPayment`, in full or in part. Each carries an
 *   idempotencyKey derived from the operation's key, so they are safe to retry.
 *
 * Config (config.ts): environment, merchantToken, webhookSecret, optional graphqlUrl / wsUrl / paymentGatewayUrl,
 * sessionTtlMinutes (30), methods.
 */
import { createHash } from 'node:crypto';
import type { NextAction, PaymentMethod } from '../../core/model.ts';
import { callGraphQL, type CallOptions, type GraphQLAnswer } from '../../server/provider-http.ts';
import {
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type OperationInput,
  type OperationPayment,
  type ProviderAdapter,
  type ProviderDeps,
  type ProviderModule,
  type RefundInput,
  type ResolvedOrder,
  type StatusRead,
  type StoredPaymentRef,
  type WebhookRequest,
  type WebhookResult,
} from '../../server/provider.ts';
import {
  kronorConfigSchema,
  kronorEndpoints,
  kronorRedirectHosts,
  type Endpoints,
  type KronorConfig,
  type ResolvedKronorConfig,
} from './config.ts';
import { createFailure, operationFailure, readFailure } from './errors.ts';
import {
  CANCEL_PAYMENT,
  NEW_SESSION,
  PAYMENT_FOR_OPERATION,
  PAYMENT_STATUS,
  REFUND_PAYMENT,
  RELEASE_PAYMENT,
  SET_WEBHOOK_URL,
  type CancelPaymentData,
  type KronorBigint,
  type NewSessionData,
  type NewSessionInput,
  type NewSwishPaymentData,
  type PaymentForOperationData,
  type PaymentStatusData,
  type RefundPaymentData,
  type RefundPaymentInput,
  type ReleasePaymentData,
  type ReleasePaymentInput,
  type SetWebhookUrlData,
} from './graphql.ts';
import {
  DEFAULT_METHOD_CODES,
  isOffered,
  KRONOR_METHODS,
  kronorMethodsCacheKey,
  listKronorMethods,
  methodCodeOf,
  sessionAdditionalData,
  sessionCountry,
  sessionMessage,
  swishNumber,
  type KronorMethodCode,
} from './methods.ts';
// Swish by phone number is started here with the session token: the same document the browser sends.
import { NEW_SWISH } from './browser-requests.ts';
import { kronorStatus, latestStatus, type StatusEntry } from './status.ts';
import { checkSignature, parseWebhook } from './webhook.ts';

export type { KronorConfig } from './config.ts';

const PROVIDER = 'kronor';

/** Kronor's rule for idempotency keys and merchant references: at most 64 of these characters. */
const KRONOR_KEY = /^[A-Za-z0-9\-_.,[\]+]{1,64}$/;

/** Who Kassa says made a release or refund (`generatedFrom`; Kronor's portal shows "Portal" for its own). */
const GENERATED_FROM = 'Kassa';
/** Kronor requires a message for the customer on every refund; this one when the merchant gave no reason. */
const DEFAULT_REFUND_MESSAGE = 'Refund';
/** Kronor's refund message: at most 50 of these characters (real schema). */
const REFUND_MESSAGE_MAX = 50;
const REFUND_MESSAGE_CHARACTER = /[A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]/;

/** What the adapter keeps with a payment (never sent to the browser; the session token is not kept). */
interface KronorPaymentData extends Record<string, unknown> {
  method: KronorMethodCode;
  /** The session's expiresAt: a session nobody paid in is `expired` after it. */
  expiresAt: string;
}

class KronorAdapter implements ProviderAdapter {
  readonly name = PROVIDER;
  readonly redirectHosts: readonly string[];
  readonly createIsIdempotent = true;
  private readonly endpoints: Endpoints;
  private readonly merchantHeaders: Record<string, string>;
  private readonly enabled: readonly KronorMethodCode[];

  constructor(
    private readonly config: ResolvedKronorConfig,
    private readonly deps: ProviderDeps,
  ) {
    this.endpoints = kronorEndpoints(config, deps.sandboxUrl);
    this.redirectHosts = kronorRedirectHosts(this.endpoints);
    this.merchantHeaders = { authorization: `Bearer ${config.merchantToken}` };
    this.enabled = config.methods ? [...new Set(config.methods)] : DEFAULT_METHOD_CODES;
  }

  methodsCacheKey(order: ResolvedOrder): string {
    return kronorMethodsCacheKey(order);
  }

  async listMethods(order: ResolvedOrder, _signal: AbortSignal): Promise<PaymentMethod[]> {
    return listKronorMethods(order, this.enabled);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const { order, reference } = input;
    const code = methodCodeOf(input.method.id);
    if (!code || !this.enabled.includes(code)) throw new ProviderRefused('This is not a Kronor payment method.');
    if (!isOffered(code, order)) throw new ProviderRefused('This Kronor payment method is not available for this order.');
    const phone = code === 'swish-ecom' ? swishNumberField(input.fields) : undefined;
    if (!KRONOR_KEY.test(reference)) {
      throw new Error('kronor: the payment reference cannot be a Kronor merchantReference (at most 64 letters, digits or - _ . , [ ] +)');
    }

    const expiresAt = new Date(Date.now() + this.config.sessionTtlMinutes * 60_000).toISOString();
    const additionalData = sessionAdditionalData(order, code);
    const payment: NewSessionInput = {
      amount: order.amount,
      currency: order.currency,
      country: sessionCountry(order, code),
      expiresAt,
      idempotencyKey: reference,
      merchantReference: reference,
      // The merchant's own order id, to find the payment in Kronor's portal.
      merchantReference2: order.reference.slice(0, 1000),
      message: sessionMessage(order),
      ...(additionalData ? { additionalData } : {}),
    };
    // Kronor de-duplicates by idempotencyKey and reuses the session by merchantReference: safe to retry.
    const answer = await this.merchant<NewSessionData>(NEW_SESSION, { payment }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw createFailure('newPaymentSessionWithReferenceCheck', answer.errors, order.currency);
    const session = answer.data?.newPaymentSessionWithReferenceCheck;
    const token = session?.token;
    if (typeof token !== 'string' || !token) throw new ProviderUnavailable('kronor: newPaymentSessionWithReferenceCheck answered without a session token');

    const data: KronorPaymentData = { method: code, expiresAt };
    const ref: StoredPaymentRef = { reference, providerPaymentId: reference, data };
    // A payment already succeeded for this reference: starting another one could only pay twice.
    if (session?.paymentId != null) {
      return { providerPaymentId: reference, action: { type: 'none' }, ...(await this.readStatus(ref, input.signal)), data };
    }
    if (phone) {
      await this.startSwishEcom(token, phone, input);
      return { providerPaymentId: reference, action: { type: 'none' }, ...kronorStatus({ status: 'INITIALIZING' }), data };
    }
    const action: NextAction = {
      type: 'kronor',
      sessionToken: token,
      httpUrl: this.endpoints.graphqlUrl,
      wsUrl: this.endpoints.wsUrl,
      paymentMethod: KRONOR_METHODS[code].paymentMethod,
      returnUrl: input.returnUrl,
    };
    return { providerPaymentId: reference, action, ...kronorStatus({ status: null }), data };
  }

  async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
    const answer = await this.merchant<PaymentStatusData>(PAYMENT_STATUS, { reference: payment.providerPaymentId }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('payments', answer.errors);
    const { payments, paymentRequests } = answer.data ?? {};
    if (!Array.isArray(payments) || !Array.isArray(paymentRequests)) throw new ProviderUnavailable('kronor: payments answered without lists');

    const succeeded = payments[0];
    if (succeeded) {
      if (typeof succeeded.currentStatus !== 'string') throw new ProviderUnavailable('kronor: a payment came without its status');
      return kronorStatus({
        status: succeeded.currentStatus,
        refundStatus: typeof succeeded.paymentRefundStatus === 'string' ? succeeded.paymentRefundStatus : null,
      });
    }
    const latest = paymentRequests[0];
    if (latest) {
      const status = latestStatus(statusEntries(latest.status));
      if (!status) throw new ProviderUnavailable('kronor: a payment request came without its status');
      const swishErrorCode = latest.transactionSwishDetails?.[0]?.errorCode;
      return kronorStatus({ status, swishErrorCode: typeof swishErrorCode === 'string' ? swishErrorCode : null });
    }
    const expiresAt = Date.parse(String(payment.data?.expiresAt));
    return kronorStatus({ status: null, sessionExpired: Number.isFinite(expiresAt) && expiresAt <= Date.now() });
  }

  /**
   * An open payment: `cancelPayment`, which Kronor allows only while the request waits for the shopper (the shopper
   * may still start another in the session until it expires). An authorised card payment: `releasePayment` of the
   * whole authorisation, which Kronor allows only before anything was captured.
   */
  async cancelPayment(payment: OperationPayment, input: OperationInput): Promise<void> {
    if (payment.state === 'authorized') return this.release(payment, input);
    const cancel = { idempotencyKey: operationKey('cancel', input.idempotencyKey), paymentReference: payment.providerPaymentId };
    const answer = await this.merchant<CancelPaymentData>(CANCEL_PAYMENT, { cancel }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw operationFailure('cancelPayment', answer.errors);
    if (!answer.data?.cancelPayment) throw new ProviderUnavailable('kronor: cancelPayment answered without a result');
  }

  /**
   * Refunds `amount` minor units, or without one what is left to refund (Kronor needs an amount): paid less the
   * refunds that did not fail. The merchant's reason is the message Kronor shows the customer.
   */
  async refundPayment(payment: OperationPayment, input: RefundInput): Promise<void> {
    if (input.amount !== undefined && !isMinorUnits(input.amount)) {
      throw new ProviderRefused('The refund amount must be a positive whole number of minor units.', 'amount');
    }
    const paid = await this.paymentFor(payment.providerPaymentId, 'refund', input.signal);
    const amount = input.amount ?? paid.amountPaid - paid.refunded;
    if (amount < 1) throw new ProviderRefused('This Kronor payment has already been refunded in full.');
    const refund: RefundPaymentInput = {
      amount,
      idempotencyKey: operationKey('refund', input.idempotencyKey),
      message: refundMessage(input.reason),
      paymentId: paid.id,
      generatedFrom: GENERATED_FROM,
    };
    const answer = await this.merchant<RefundPaymentData>(REFUND_PAYMENT, { refund }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw operationFailure('refundPayment', answer.errors);
    if (!answer.data?.refundPayment) throw new ProviderUnavailable('kronor: refundPayment answered without a result');
  }

  async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
    checkSignature(request.headers, request.body, this.config.webhookSecret);
    if (request.method !== 'POST') throw new WebhookRejected('kronor: webhooks are POSTed');
    return parseWebhook(request.body);
  }

  /** Kronor expects HTTP 200 with `[accepted]` within 10 s (providers.md). */
  webhookAnswer(): Response {
    return new Response('[accepted]', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  /** Releases the whole authorisation, as Kronor reports it (the stored amount if Kronor leaves it out). */
  private async release(payment: OperationPayment, input: OperationInput): Promise<void> {
    const held = await this.paymentFor(payment.providerPaymentId, 'release', input.signal);
    const release: ReleasePaymentInput = {
      amount: held.amountAuthorized || payment.amount,
      idempotencyKey: operationKey('release', input.idempotencyKey),
      paymentId: held.id,
      generatedFrom: GENERATED_FROM,
    };
    const answer = await this.merchant<ReleasePaymentData>(RELEASE_PAYMENT, { release }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw operationFailure('releasePayment', answer.errors);
    if (!answer.data?.releasePayment) throw new ProviderUnavailable('kronor: releasePayment answered without a result');
  }

  /**
   * The reference's Payment at Kronor (only payments that were authorised or paid have one), with its id, which the
   * adapter does not keep, and its amounts. None: nothing was authorised or paid to release or refund.
   */
  private async paymentFor(reference: string, doing: 'release' | 'refund', signal: AbortSignal): Promise<HeldPayment> {
    const answer = await this.merchant<PaymentForOperationData>(PAYMENT_FOR_OPERATION, { reference }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('payments', answer.errors);
    const payments = answer.data?.payments;
    if (!Array.isArray(payments)) throw new ProviderUnavailable('kronor: payments answered without a list');
    const found = payments[0];
    if (!found) {
      throw new ProviderRefused(
        doing === 'release' ? 'Kronor holds no authorised payment for this order to release.' : 'Nothing was paid for this order at Kronor, so there is nothing to refund.',
      );
    }
    const id = found.id;
    if (!((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^\d{1,19}$/.test(id)))) {
      throw new ProviderUnavailable('kronor: a payment came without a usable id');
    }
    const amountPaid = minorUnitsOf(found.amountPaid) ?? 0;
    const refunded = (Array.isArray(found.refunds) ? found.refunds : [])
      .filter((r) => latestStatus(statusEntries(r?.status)) !== 'ERROR')
      .reduce((sum, r) => sum + (minorUnitsOf(r?.totalAmount) ?? 0), 0);
    return { id, amountAuthorized: minorUnitsOf(found.amountAuthorized), amountPaid, refunded };
  }

  /** Swish e-commerce: the shopper approves on the phone whose number they gave; nothing happens in the browser. */
  private async startSwishEcom(sessionToken: string, customerSwishNumber: string, input: CreatePaymentInput): Promise<void> {
    const pay = { flow: 'ecom', customerSwishNumber, idempotencyKey: input.reference, returnUrl: input.returnUrl };
    // The session de-duplicates by idempotencyKey, and answers a pending Swish payment with the same number again.
    const answer = await this.graphql<NewSwishPaymentData>({ authorization: `Bearer ${sessionToken}` }, NEW_SWISH, { pay }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw createFailure('newSwishPayment', answer.errors, input.order.currency);
    if (typeof answer.data?.newSwishPayment?.waitToken !== 'string') throw new ProviderUnavailable('kronor: newSwishPayment answered without a waitToken');
  }

  private merchant<T>(query: string, variables: Record<string, unknown>, options: Pick<CallOptions, 'idempotent' | 'signal'>): Promise<GraphQLAnswer<T>> {
    return this.graphql<T>(this.merchantHeaders, query, variables, options);
  }

  private graphql<T>(
    headers: Record<string, string>,
    query: string,
    variables: Record<string, unknown>,
    options: Pick<CallOptions, 'idempotent' | 'signal'>,
  ): Promise<GraphQLAnswer<T>> {
    return callGraphQL<T>(PROVIDER, this.endpoints.graphqlUrl, headers, query, variables, {
      timeoutMs: this.deps.timeoutMs,
      attempts: this.deps.attempts,
      ...options,
    });
  }
}

interface HeldPayment {
  id: KronorBigint;
  amountAuthorized: number | undefined;
  amountPaid: number;
  /** Refunded or being refunded (refunds that failed are left out). */
  refunded: number;
}

function isMinorUnits(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/** A Kronor `bigint` amount as a number of minor units, or undefined when it is none. */
function minorUnitsOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/**
 * The idempotencyKey of an operation: Kronor takes at most 64 letters, digits or `- _ . , [ ] +`, so a key that does
 * not fit is hashed. The operation's name keeps a cancel, a release and a refund apart even under one key.
 */
export function operationKey(operation: 'cancel' | 'release' | 'refund', key: string): string {
  const plain = `${operation}-${key}`;
  if (KRONOR_KEY.test(plain)) return plain;
  return `${operation}-${createHash('sha256').update(key).digest('hex')}`.slice(0, 64);
}

/** The merchant's reason as Kronor's refund message: its characters only (others become spaces), at most 50. */
export function refundMessage(reason: string | undefined): string {
  const text = [...(reason ?? '')]
    .map((c) => (REFUND_MESSAGE_CHARACTER.test(c) ? c : /^[A-Za-z]$/.test(c.normalize('NFD')[0] ?? '') ? c.normalize('NFD')[0]! : ' '))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, REFUND_MESSAGE_MAX)
    .trim();
  return text || DEFAULT_REFUND_MESSAGE;
}

function swishNumberField(fields: Record<string, string>): string {
  const number = swishNumber(fields.phone ?? '');
  if (!number) throw new ProviderRefused('Please enter a Swedish mobile number for Swish, e.g. 070 123 45 67.', 'fields.phone');
  return number;
}

function statusEntries(value: unknown): StatusEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is StatusEntry => typeof e === 'object' && e !== null && typeof (e as StatusEntry).status === 'string' && typeof (e as StatusEntry).enteredAt === 'string',
  );
}

/** The events Kassa asks Kronor for (`paymentStatusChanged` is INVENTED in providers.md; the endpoint re-reads anyway). */
export const KRONOR_WEBHOOK_EVENTS = ['paymentStatusChanged', 'captureStateUpdate'] as const;

/**
 * One-time setup, for a merchant's script: registers the endpoint's `/webhooks/kronor` URL with Kronor and answers
 * the `hmacSecret` to put in `providers.kronor.webhookSecret` (Kronor answers it only when the setting is created).
 * Not retried: a repeat would create a second setting.
 */
export async function setKronorWebhookUrl(
  options: Pick<KronorConfig, 'environment' | 'merchantToken' | 'graphqlUrl'>,
  webhookUrl: string,
  deps: ProviderDeps,
): Promise<{ hmacSecret: string | null; settingId: number }> {
  const config = kronorConfigSchema.pick({ environment: true, merchantToken: true, graphqlUrl: true }).parse(options);
  const { graphqlUrl } = kronorEndpoints(config, deps.sandboxUrl);
  const setting = { webhookUrl, eventSettings: KRONOR_WEBHOOK_EVENTS.map((event) => ({ event, enabled: true })) };
  const answer = await callGraphQL<SetWebhookUrlData>(PROVIDER, graphqlUrl, { authorization: `Bearer ${config.merchantToken}` }, SET_WEBHOOK_URL, { setting }, {
    timeoutMs: deps.timeoutMs,
    idempotent: false,
  });
  if (answer.errors.length) throw readFailure('setWebhookUrl', answer.errors);
  const result = answer.data?.setWebhookUrl;
  if (!result || typeof result.settingId !== 'number') throw new ProviderUnavailable('kronor: setWebhookUrl answered without a setting');
  return { hmacSecret: typeof result.hmacSecret === 'string' ? result.hmacSecret : null, settingId: result.settingId };
}

export const kronorProvider: ProviderModule<KronorConfig> = {
  configSchema: kronorConfigSchema,
  create: (config, deps) => new KronorAdapter(kronorConfigSchema.parse(config), deps),
};
