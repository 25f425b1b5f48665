/**
 * Kronor: a Swedish payment gateway over Hasura GraphQL (HTTP and websockets). The merchant's server creates a
 * payment session with its merchant token; the shopper's browser then starts the payment itself with the session
 * token (`newSwishPayment`, `newCreditCardPayment` …) and follows it over a subscription. So one Kassa payment is
 * one Kronor session, known at Kronor by its merchantReference = Kassa's reference.
 *
 * Token roles. Every call here uses the merchant token (`providers.kronor.merchantToken`), and needs its role to be
 * `merchant-backend`: it writes (sessions, captures, releases, refunds, cancels, the webhook setting) and reads the
 * payment details the status query asks for, which the seed says "are not available to the payment-gateway role".
 * A `merchant-read-only` token can read but not write; a `payment-gateway` token cannot read the status.
 * `checkSetup` proves at start-up that the token may run the status query. The browser uses the session token.
 *
 * - createPayment: `newPaymentSessionWithReferenceCheck` (merchantReference and idempotencyKey = the reference, so
 *   a retry reuses the session; additionalData.ip = the shopper's IP) → `{type:'kronor', sessionToken, httpUrl,
 *   wsUrl, paymentMethod, returnUrl}`. Swish's phone-number flow (`kronor:swish-ecom`) is started here instead
 *   (with the session token), and answers `{type:'none'}`.
 * - readStatus: the merchant `payments` (succeeded, with captures and refunds) and `paymentRequests` (attempts) of
 *   the reference; capturedAmount and refundedAmount from the payment's captures, amountPaid and refunds.
 * - readStatuses: the same two lists for up to 100 references at once (`_in`), each session read from its latest
 *   rows (status.ts `sessionRead`, as readStatus). followStatuses: the merchant `paymentRequests` subscription over
 *   the merchant websocket (live.ts).
 * - capturePayment: `newPaymentCapture`, in full or in part. cancelPayment: `releasePayment` (in full) for an
 *   authorised card payment, `cancelPayment(paymentReference)` for a payment still waiting for the shopper.
 *   refundPayment: `refundPayment`, in full or in part, the reason as the customer's message. Each carries an
 *   idempotencyKey derived from the operation's key, so a retry does the work once.
 * - checkSetup: the status query for a reference that does not exist.
 * - verifyWebhook: `X-HMAC-SHA256-Signature` over the raw body; answered `[accepted]`.
 *
 * Config (config.ts): environment, merchantToken, webhookSecret, optional graphqlUrl / wsUrl / merchantWsUrl / paymentGatewayUrl,
 * sessionTtlMinutes (30), methods, and the values Kassa had to choose (KRONOR_DEFAULTS).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextAction, PaymentMethod } from '../../core/model.ts';
import { callGraphQL, type CallOptions, type GraphQLAnswer } from '../../server/provider-http.ts';
import {
  checkBatchSize,
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CaptureInput,
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
  KRONOR_DEFAULTS,
  kronorAccessSchema,
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
  NEW_CAPTURE,
  NEW_SESSION,
  PAYMENT_FOR_OPERATION,
  PAYMENT_STATUS,
  PAYMENT_STATUSES,
  REFUND_PAYMENT,
  RELEASE_PAYMENT,
  SET_WEBHOOK_URL,
  type CancelPaymentData,
  type CapturePaymentInput,
  type KronorBigint,
  type NewCaptureData,
  type NewSessionData,
  type NewSessionInput,
  type NewSwishPaymentData,
  type PaymentForOperationData,
  type PaymentStatusData,
  type PaymentStatusesData,
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
  methodTable,
  sessionAdditionalData,
  sessionCountry,
  sessionMessage,
  swishNumber,
  type KronorMethodCode,
  type MethodTable,
} from './methods.ts';
// Swish by phone number is started here with the session token: the same document the browser sends.
import { NEW_SWISH } from './browser-requests.ts';
import { followWaitingRequests } from './live.ts';
import { capturedAmount, kronorStatus, minorUnitsOf, refundedAmount, sessionRead, sessionReads } from './status.ts';
import { checkSignature, parseWebhook } from './webhook.ts';

export type { KronorConfig } from './config.ts';

const PROVIDER = 'kronor';

/**
 * Most sessions one `readStatuses` call reads, and most requests the live feed follows. Kronor documents no bound on
 * `_in` or on a list's length; 100 keeps one answer small (a session has one Payment and a few requests).
 */
export const KRONOR_BATCH_READ_LIMIT = 100;

/** Kronor's rule for idempotency keys and merchant references: at most 64 of these characters. */
const KRONOR_KEY = /^[A-Za-z0-9\-_.,[\]+]{1,64}$/;

/** Kronor's refund message: at most 50 of these characters (real schema). */
const REFUND_MESSAGE_MAX = 50;
const REFUND_MESSAGE_CHARACTER = /[A-Za-z0-9åäöÅÄÖ:;.,?!()”" ]/;
/** The largest amount Kronor's `Int` inputs (capture, release, refund) take. */
const MAX_INT = 2 ** 31 - 1;
/** A merchantReference no Kassa payment has (Kassa's references start with `kp_`): the status query finds nothing. */
export const SETUP_CHECK_REFERENCE = 'kassa-setup-check';
/** Statuses of a Payment whose authorisation is still held, all of it: it can be released. */
const RELEASABLE = new Set(['AUTHORIZED']);

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
  readonly batchReadLimit = KRONOR_BATCH_READ_LIMIT;
  private readonly endpoints: Endpoints;
  private readonly merchantHeaders: Record<string, string>;
  private readonly enabled: readonly KronorMethodCode[];
  private readonly methods: MethodTable;
  private readonly refusalCodes: ReadonlySet<string>;

  constructor(
    private readonly config: ResolvedKronorConfig,
    private readonly deps: ProviderDeps,
  ) {
    this.endpoints = kronorEndpoints(config, deps.sandboxUrl);
    this.redirectHosts = kronorRedirectHosts(this.endpoints);
    this.merchantHeaders = { authorization: `Bearer ${config.merchantToken}` };
    this.enabled = config.methods ? [...new Set(config.methods)] : DEFAULT_METHOD_CODES;
    this.methods = methodTable(config.methodLimits, config.methodCurrencies);
    this.refusalCodes = new Set(config.refusalErrorCodes);
  }

  methodsCacheKey(order: ResolvedOrder): string {
    return kronorMethodsCacheKey(order);
  }

  async listMethods(order: ResolvedOrder, _signal: AbortSignal): Promise<PaymentMethod[]> {
    return listKronorMethods(order, this.enabled, this.methods);
  }

  /** merchant-backend token (a session is a write). */
  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const { order, reference } = input;
    const code = methodCodeOf(input.method.id);
    if (!code || !this.enabled.includes(code)) throw new ProviderRefused('This is not a Kronor payment method.');
    if (!isOffered(code, order, this.methods)) throw new ProviderRefused('This Kronor payment method is not available for this order.');
    const phone = code === 'swish-ecom' ? swishNumberField(input.fields) : undefined;
    if (!KRONOR_KEY.test(reference)) {
      throw new Error('kronor: the payment reference cannot be a Kronor merchantReference (at most 64 letters, digits or - _ . , [ ] +)');
    }

    const expiresAt = new Date(Date.now() + this.config.sessionTtlMinutes * 60_000).toISOString();
    const shopperIp = shopperIpFor(input.shopperIp);
    const additionalData = sessionAdditionalData(order, code, {
      ...(shopperIp ? { shopperIp } : {}),
      unknownShopperIp: this.config.unknownShopperIp,
      defaultTaxRate: this.config.defaultTaxRate,
    });
    const payment: NewSessionInput = {
      amount: order.amount,
      currency: order.currency,
      country: sessionCountry(order, code, this.config.defaultCountry),
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
    if (answer.errors.length) throw createFailure('newPaymentSessionWithReferenceCheck', answer.errors, order.currency, this.refusalCodes);
    const session = answer.data?.newPaymentSessionWithReferenceCheck;
    const token = session?.token;
    if (typeof token !== 'string' || !token) throw new ProviderUnavailable('kronor: newPaymentSessionWithReferenceCheck answered without a session token');

    const data: KronorPaymentData = { method: code, expiresAt };
    const ref: StoredPaymentRef = { reference, providerPaymentId: reference, data };
    // A payment already succeeded for this reference: starting another one could only pay twice.
    if (session?.paymentId != null) {
      const { state, providerStatus } = await this.readStatus(ref, input.signal);
      return { providerPaymentId: reference, action: { type: 'none' }, state, providerStatus, data };
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
      // Kronor's payment requests carry no expiry of their own; the session's expiresAt (which Kronor enforces) is it.
      expiresAt,
    };
    return { providerPaymentId: reference, action, ...kronorStatus({ status: null }), data };
  }

  /** merchant-backend or merchant-read-only token (the payment request details are hidden from payment-gateway). */
  async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
    const answer = await this.merchant<PaymentStatusData>(PAYMENT_STATUS, { reference: payment.providerPaymentId }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('payments', answer.errors);
    const { payments, paymentRequests } = answer.data ?? {};
    if (!Array.isArray(payments) || !Array.isArray(paymentRequests)) throw new ProviderUnavailable('kronor: payments answered without lists');
    return sessionRead({ payment: payments[0], request: paymentRequests[0], expiresAt: payment.data?.expiresAt, now: Date.now() });
  }

  /**
   * merchant-backend or merchant-read-only token. One call for up to 100 sessions: their Payments and payment
   * requests filtered by reference (`_in`), newest first, each session read from its latest rows as readStatus does.
   */
  async readStatuses(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>> {
    checkBatchSize(PROVIDER, payments, KRONOR_BATCH_READ_LIMIT);
    if (payments.length === 0) return new Map();
    const references = [...new Set(payments.map((p) => p.providerPaymentId))];
    const answer = await this.merchant<PaymentStatusesData>(PAYMENT_STATUSES, { references }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('payments', answer.errors);
    const { payments: paid, paymentRequests } = answer.data ?? {};
    if (!Array.isArray(paid) || !Array.isArray(paymentRequests)) throw new ProviderUnavailable('kronor: payments answered without lists');
    return sessionReads(payments, paid, paymentRequests, Date.now());
  }

  /**
   * merchant-backend or merchant-read-only token. Follows the merchant's waiting payment requests over one websocket
   * (live.ts): a request that moves on is reported at once, without waiting for the next re-read.
   */
  followStatuses(onRead: (reference: string, status: StatusRead) => void, signal: AbortSignal): Promise<void> {
    return followWaitingRequests(
      {
        url: this.endpoints.merchantWsUrl,
        authorization: this.merchantHeaders.authorization!,
        limit: KRONOR_BATCH_READ_LIMIT,
        readStatuses: (refs, readSignal) => this.readStatuses(refs, readSignal),
      },
      onRead,
      signal,
    );
  }

  /**
   * merchant-backend token. Captures `amount` minor units, or without one all that is left of the authorisation.
   * Kronor takes partial captures until the authorisation is used up, and refuses a capture of a payment that is not
   * authorised (captured in full already, released, declined) or above what is left: `ProviderRefused`, nothing
   * captured. Kronor documents no time limit on a capture, so none is checked here.
   */
  async capturePayment(payment: OperationPayment, input: CaptureInput): Promise<void> {
    checkAmount(input.amount, 'capture');
    const held = await this.paymentFor(payment.providerPaymentId, input.signal);
    if (!held) throw new ProviderRefused('Kronor holds no authorised payment for this order to capture.');
    const authorized = held.amountAuthorized ?? payment.amount;
    const left = authorized - held.captured;
    // Nothing left: this is a retry of a capture that went through (Kronor answers it again by its key) or a second
    // capture (Kronor refuses it). Only Kronor can tell them apart, so it is asked with the whole authorisation.
    const amount = input.amount ?? (left > 0 ? left : authorized);
    const capture: CapturePaymentInput = {
      amount,
      idempotencyKey: operationKey('capture', input.idempotencyKey),
      paymentId: held.id,
      generatedFrom: this.config.generatedFrom,
    };
    const answer = await this.merchant<NewCaptureData>(NEW_CAPTURE, { capture }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) {
      throw operationFailure('newPaymentCapture', answer.errors, { refusal: captureRefusal(held.status, amount, left), refusalCodes: this.refusalCodes });
    }
    if (answer.data?.newPaymentCapture?.captureId == null) throw new ProviderUnavailable('kronor: newPaymentCapture answered without a capture');
  }

  /**
   * merchant-backend token. An authorised card payment: `releasePayment` of the whole authorisation, which Kronor
   * allows only before anything was captured. A payment still waiting for the shopper (no Payment at Kronor yet):
   * `cancelPayment`, which Kronor allows only while the request waits (the shopper may still start another in the
   * session until it expires). Which one is decided by Kronor's read, not by Kassa's stored state.
   */
  async cancelPayment(payment: OperationPayment, input: OperationInput): Promise<void> {
    const held = await this.paymentFor(payment.providerPaymentId, input.signal);
    if (held) return this.release(payment, held, input);
    const cancel = { idempotencyKey: operationKey('cancel', input.idempotencyKey), paymentReference: payment.providerPaymentId };
    const answer = await this.merchant<CancelPaymentData>(CANCEL_PAYMENT, { cancel }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw operationFailure('cancelPayment', answer.errors, { refusalCodes: this.refusalCodes });
    if (!answer.data?.cancelPayment) throw new ProviderUnavailable('kronor: cancelPayment answered without a result');
  }

  /**
   * merchant-backend token. Refunds `amount` minor units, or without one what is left to refund (Kronor needs an
   * amount): captured less the refunds that did not fail. The merchant's reason is the message Kronor shows the
   * customer. An authorisation nothing was captured of cannot be refunded (seed: it is released instead).
   */
  async refundPayment(payment: OperationPayment, input: RefundInput): Promise<void> {
    checkAmount(input.amount, 'refund');
    const paid = await this.paymentFor(payment.providerPaymentId, input.signal);
    if (!paid || paid.captured === 0) {
      throw new ProviderRefused(
        paid && RELEASABLE.has(paid.status)
          ? 'Nothing was captured of this Kronor payment yet, so there is nothing to refund: cancel it to release the authorisation.'
          : 'Nothing was paid for this order at Kronor, so there is nothing to refund.',
      );
    }
    const left = paid.captured - paid.refunded;
    // As for captures: with nothing left, only Kronor can tell a retry (answered again) from a second refund (refused).
    const amount = input.amount ?? (left > 0 ? left : paid.captured);
    const refund: RefundPaymentInput = {
      amount,
      idempotencyKey: operationKey('refund', input.idempotencyKey),
      message: refundMessage(input.reason, this.config.defaultRefundMessage),
      paymentId: paid.id,
      generatedFrom: this.config.generatedFrom,
    };
    const answer = await this.merchant<RefundPaymentData>(REFUND_PAYMENT, { refund }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) {
      throw operationFailure('refundPayment', answer.errors, { refusal: refundRefusal(amount, left), refusalCodes: this.refusalCodes });
    }
    if (!answer.data?.refundPayment) throw new ProviderUnavailable('kronor: refundPayment answered without a result');
  }

  /**
   * At start-up: the status query, for a reference no payment has, must run with the configured token. A token
   * Kronor refuses, or whose role may not read a field the query asks for (a payment-gateway token cannot read the
   * payment details), throws `KronorSetupError` naming it; Kronor being unreachable throws `ProviderUnavailable`.
   */
  async checkSetup(signal: AbortSignal): Promise<void> {
    const answer = await this.merchant<PaymentStatusData>(PAYMENT_STATUS, { reference: SETUP_CHECK_REFERENCE }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('the status query', answer.errors);
    if (!Array.isArray(answer.data?.payments) || !Array.isArray(answer.data?.paymentRequests)) {
      throw new ProviderUnavailable('kronor: the status query answered without lists');
    }
  }

  async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
    checkSignature(request.headers, request.body, this.config.webhookSecret, this.config.webhookSignatureHeader);
    if (request.method !== 'POST') throw new WebhookRejected('kronor: webhooks are POSTed');
    return parseWebhook(request.body, this.config.webhookReferenceField);
  }

  /** Kronor expects HTTP 200 with `[accepted]` within 10 s (providers.md). */
  webhookAnswer(): Response {
    return new Response('[accepted]', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }

  /**
   * Releases the whole authorisation, as Kronor reports it (the stored amount if Kronor leaves it out). A payment
   * already RELEASED is asked again too: a retry is answered by its key, a second release refused.
   */
  private async release(payment: OperationPayment, held: HeldPayment, input: OperationInput): Promise<void> {
    if (!RELEASABLE.has(held.status) && held.status !== RELEASED) throw releaseRefusal(held.status);
    const release: ReleasePaymentInput = {
      amount: held.amountAuthorized ?? payment.amount,
      idempotencyKey: operationKey('release', input.idempotencyKey),
      paymentId: held.id,
      generatedFrom: this.config.generatedFrom,
    };
    const answer = await this.merchant<ReleasePaymentData>(RELEASE_PAYMENT, { release }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) {
      throw operationFailure('releasePayment', answer.errors, { refusal: releaseRefusal(held.status), refusalCodes: this.refusalCodes });
    }
    if (!answer.data?.releasePayment) throw new ProviderUnavailable('kronor: releasePayment answered without a result');
  }

  /**
   * The reference's Payment at Kronor (only payments that were authorised or paid have one), with its id, which the
   * adapter does not keep, its status and amounts. Undefined: nothing was authorised or paid.
   */
  private async paymentFor(reference: string, signal: AbortSignal): Promise<HeldPayment | undefined> {
    const answer = await this.merchant<PaymentForOperationData>(PAYMENT_FOR_OPERATION, { reference }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('payments', answer.errors);
    const payments = answer.data?.payments;
    if (!Array.isArray(payments)) throw new ProviderUnavailable('kronor: payments answered without a list');
    const found = payments[0];
    if (!found) return undefined;
    const id = found.id;
    if (!((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^\d{1,19}$/.test(id)))) {
      throw new ProviderUnavailable('kronor: a payment came without a usable id');
    }
    if (typeof found.currentStatus !== 'string') throw new ProviderUnavailable('kronor: a payment came without its status');
    return {
      id,
      status: found.currentStatus,
      amountAuthorized: minorUnitsOf(found.amountAuthorized),
      captured: capturedAmount(found),
      refunded: refundedAmount(found),
    };
  }

  /** Swish e-commerce: the shopper approves on the phone whose number they gave; nothing happens in the browser. */
  private async startSwishEcom(sessionToken: string, customerSwishNumber: string, input: CreatePaymentInput): Promise<void> {
    const pay = { flow: 'ecom', customerSwishNumber, idempotencyKey: input.reference, returnUrl: input.returnUrl };
    // The session de-duplicates by idempotencyKey, and answers a pending Swish payment with the same number again.
    const answer = await this.graphql<NewSwishPaymentData>({ authorization: `Bearer ${sessionToken}` }, NEW_SWISH, { pay }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw createFailure('newSwishPayment', answer.errors, input.order.currency, this.refusalCodes);
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

const RELEASED = 'RELEASED';

interface HeldPayment {
  id: KronorBigint;
  /** Kronor's currentStatus of the Payment. */
  status: string;
  amountAuthorized: number | undefined;
  /** Captured (see status.ts capturedAmount). */
  captured: number;
  /** Refunded or being refunded (refunds that failed are left out). */
  refunded: number;
}

/** What the merchant hears when Kronor refuses a capture, from Kronor's own read of the payment. */
export function captureRefusal(status: string, amount: number, left: number): ProviderRefused {
  if (status === 'PAID' || (status === 'PARTIALLY_CAPTURED' && left <= 0)) return new ProviderRefused('This Kronor payment has already been captured in full.');
  if (status === RELEASED) return new ProviderRefused('This Kronor payment was released: nothing is left to capture.');
  if (status === 'CAPTURE_DECLINED') return new ProviderRefused('Kronor declined capturing this payment; no further capture is allowed.');
  if ((status === 'AUTHORIZED' || status === 'PARTIALLY_CAPTURED') && amount > left) {
    return new ProviderRefused(`The capture is more than what is left of the authorisation on this Kronor payment (${left} minor units).`, 'amount');
  }
  return new ProviderRefused('Kronor can only capture an authorised card payment, up to what is left of it.');
}

/** What the merchant hears when a release is not possible, from Kronor's own read of the payment. */
export function releaseRefusal(status: string): ProviderRefused {
  if (status === RELEASED) return new ProviderRefused('This Kronor payment was released already.');
  if (status === 'PAID' || status === 'PARTIALLY_CAPTURED') {
    return new ProviderRefused('This Kronor payment was captured, so it can no longer be cancelled: refund it instead.');
  }
  return new ProviderRefused('Kronor can only release an authorised payment of which nothing was captured, and only in full.');
}

/** What the merchant hears when Kronor refuses a refund, from Kronor's own read of the payment. */
export function refundRefusal(amount: number, left: number): ProviderRefused {
  if (left <= 0) return new ProviderRefused('This Kronor payment has already been refunded in full.');
  if (amount > left) return new ProviderRefused(`The refund is more than what is left to refund on this Kronor payment (${left} minor units).`, 'amount');
  return new ProviderRefused('Kronor refused the refund.');
}

/** An amount an operation was given: a positive whole number of minor units that fits Kronor's Int. */
function checkAmount(amount: number | undefined, operation: 'capture' | 'refund'): void {
  if (amount !== undefined && (!isMinorUnits(amount) || amount > MAX_INT)) {
    throw new ProviderRefused(`The ${operation} amount must be a positive whole number of minor units.`, 'amount');
  }
}

/**
 * The shopper's IP address as Kronor's `additionalData.ip` takes it: a valid IPv4 or IPv6 address (an IPv4-mapped
 * IPv6 address as its IPv4), never the unspecified address; undefined when there is none.
 */
export function shopperIpFor(raw: string | undefined): string | undefined {
  const text = raw?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!text || isIP(text) === 0) return undefined;
  if (text === '0.0.0.0' || /^[0:]+$/.test(text)) return undefined;
  return text;
}

function isMinorUnits(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/**
 * The idempotencyKey of an operation, derived from Kassa's key for it, so a retry sends the same one: Kronor takes
 * at most 64 letters, digits or `- _ . , [ ] +`, so a key that does not fit is hashed. The operation's name keeps a
 * capture, a cancel, a release and a refund apart even under one key.
 */
export function operationKey(operation: 'capture' | 'cancel' | 'release' | 'refund', key: string): string {
  const plain = `${operation}-${key}`;
  if (KRONOR_KEY.test(plain)) return plain;
  return `${operation}-${createHash('sha256').update(key).digest('hex')}`.slice(0, 64);
}

/**
 * The merchant's reason as Kronor's refund message: its characters only (accented letters lose their accents,
 * others become spaces), at most 50; `fallback` when nothing is left.
 */
export function refundMessage(reason: string | undefined, fallback: string = KRONOR_DEFAULTS.refundMessage): string {
  const text = [...(reason ?? '')]
    .map((c) => (REFUND_MESSAGE_CHARACTER.test(c) ? c : /^[A-Za-z]$/.test(c.normalize('NFD')[0] ?? '') ? c.normalize('NFD')[0]! : ' '))
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, REFUND_MESSAGE_MAX)
    .trim();
  return text || fallback;
}

function swishNumberField(fields: Record<string, string>): string {
  const number = swishNumber(fields.phone ?? '');
  if (!number) throw new ProviderRefused('Please enter a Swedish mobile number for Swish, e.g. 070 123 45 67.', 'fields.phone');
  return number;
}

/**
 * The events Kassa asks Kronor for: `captureStateUpdate` is evidenced (providers.md), `paymentStatusChanged` is
 * ASSUMED (INVENTED in providers.md; the endpoint re-reads anyway). `setKronorWebhookUrl`'s `events` replaces them.
 */
export const KRONOR_WEBHOOK_EVENTS: readonly string[] = ['paymentStatusChanged', 'captureStateUpdate'];

/**
 * One-time setup, for a merchant's script (merchant-backend token): registers the endpoint's `/webhooks/kronor`
 * URL with Kronor and answers the `hmacSecret` to put in `providers.kronor.webhookSecret` (Kronor answers it only
 * when the setting is created). Not retried: a repeat would create a second setting.
 */
export async function setKronorWebhookUrl(
  options: Pick<KronorConfig, 'environment' | 'merchantToken' | 'graphqlUrl'> & { events?: readonly string[] },
  webhookUrl: string,
  deps: ProviderDeps,
): Promise<{ hmacSecret: string | null; settingId: number }> {
  const config = kronorAccessSchema.parse({
    environment: options.environment,
    merchantToken: options.merchantToken,
    ...(options.graphqlUrl !== undefined ? { graphqlUrl: options.graphqlUrl } : {}),
  });
  const { graphqlUrl } = kronorEndpoints(config, deps.sandboxUrl);
  const events = options.events ?? KRONOR_WEBHOOK_EVENTS;
  const setting = { webhookUrl, eventSettings: events.map((event) => ({ event, enabled: true })) };
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
