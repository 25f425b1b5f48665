/**
 * WhenThen (card-centric payments orchestration, GraphQL, `Authorization: Bearer <private key>`).
 *
 * - Card: Kassa renders no card inputs (PCI). It mints a client token for the order's amount and currency
 *   (`generateClientToken`) and sends the shopper to WhenThen's hosted checkout with it, `orderId` = Kassa's reference
 *   and `redirectUrl` = the merchant's return page. The payment is made on that page, so its id is unknown here.
 * - PayPal / Klarna: `authorizePayment` with `X-Idempotency-Key` and `orderId` = the reference; WhenThen answers the
 *   approval page as the `error.authorize.requiresApmAuthorization` error's `extensions.url`.
 *
 * Both are found again by `orderId` (lookup.ts): Kassa keeps its reference as `providerPaymentId` and the window the
 * payment was created in as `data`, so nothing depends on the `?id=` WhenThen appends to the shopper's return URL.
 *
 * Cancel (`cancelPayment`, AUTHORISED payments only) and refund (`refundPayment`, SUCCEEDED ones) act on the payment
 * readStatus reads for the order, and carry `X-Idempotency-Key` derived from the operation's key.
 */
import { createHash } from 'node:crypto';
import type { PaymentMethod } from '../../core/model.ts';
import { callGraphQL, type CallOptions, type GraphQLAnswer } from '../../server/provider-http.ts';
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
  type RefundInput,
  type ResolvedOrder,
  type StatusRead,
  type StoredPaymentRef,
  type WebhookRequest,
  type WebhookResult,
} from '../../server/provider.ts';
import { whenthenConfigSchema, whenthenEndpoints, type ResolvedWhenthenConfig, type WhenthenConfig, type WhenthenEndpoints } from './config.ts';
import { createFailure, ERROR_CODES, findError, operationFailure, readFailure } from './errors.ts';
import {
  AUTHORIZE_PAYMENT,
  CANCEL_PAYMENT,
  GENERATE_CLIENT_TOKEN,
  GET_PAYMENT,
  LIST_PAYMENTS,
  REFUND_PAYMENT,
  type AuthorisedPaymentInput,
  type AuthorizePaymentData,
  type CancelPaymentData,
  type ClientTokenData,
  type GetPaymentData,
  type ListPaymentsData,
  type RefundPaymentData,
} from './graphql.ts';
import { orderIdOf, paymentsForOrder, type ListPayments, type OrderLookup } from './lookup.ts';
import { acceptsCurrency, METHOD_SPECS, methodCodeOf, methodsFor } from './methods.ts';
import { AWAITING_CHECKOUT, CHECKOUT_EXPIRED, decisivePayment, whenthenStatus } from './status.ts';
import { checkSignature, parseWebhook } from './webhook.ts';

export type { WhenthenConfig } from './config.ts';

const PROVIDER = 'whenthen';

/** INVENTED: how far WhenThen's clock may be from Kassa's when Kassa bounds a payment's creation time. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** A client token's life must be a positive number of seconds, at most a day (the sandbox's is 900 s). */
const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const MAX_TOKEN_LENGTH = 4096;

/**
 * What Kassa keeps to read a payment back (`CreatedPayment.data`): either WhenThen's id is known (`providerPaymentId`
 * is it), or the payment is found by orderId in a window; `checkoutExpiresAt` is when the hosted checkout's client
 * token expires, after which no payment can appear any more.
 */
type ReadBack = { lookup: 'id' } | (OrderLookup & { lookup: 'orderId'; checkoutExpiresAt?: string | undefined });

export const whenthenProvider: ProviderModule<WhenthenConfig> = {
  configSchema: whenthenConfigSchema,
  create: (config, deps) => new WhenthenAdapter(whenthenConfigSchema.parse(config), deps),
};

class WhenthenAdapter implements ProviderAdapter {
  readonly name = PROVIDER;
  readonly redirectHosts: readonly string[];
  readonly createIsIdempotent = true;
  private readonly endpoints: WhenthenEndpoints;
  private readonly authorization: Record<string, string>;

  constructor(
    private readonly config: ResolvedWhenthenConfig,
    private readonly deps: ProviderDeps,
  ) {
    this.endpoints = whenthenEndpoints(config, deps.sandboxUrl);
    this.redirectHosts = this.endpoints.redirectHosts;
    this.authorization = { authorization: `Bearer ${config.apiKey}` };
  }

  async listMethods(order: ResolvedOrder): Promise<PaymentMethod[]> {
    return methodsFor(this.config.methods, order.currency);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const code = methodCodeOf(input.method.id, this.config.methods);
    if (!code) throw new ProviderRefused('This is not a WhenThen payment option.');
    if (!acceptsCurrency(code, input.order.currency)) {
      throw new ProviderRefused(`WhenThen does not take ${METHOD_SPECS[code].name.en} payments in ${input.order.currency}.`, 'currency');
    }
    const apmType = METHOD_SPECS[code].apmType;
    return apmType ? this.startApm(input, apmType) : this.startHostedCheckout(input);
  }

  async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
    const readBack = readBackOf(payment);
    if (readBack.lookup === 'id') return this.readById(payment.providerPaymentId, signal);
    const { payments, complete } = await paymentsForOrder(this.listPayments(signal), readBack);
    const found = decisivePayment(payments);
    if (found) return whenthenStatus(found.status);
    const expiresAt = readBack.checkoutExpiresAt ? Date.parse(readBack.checkoutExpiresAt) : Number.NaN;
    // Only a complete search may conclude there is no payment: the checkout closed without one.
    const over = complete && Date.now() > expiresAt + CLOCK_SKEW_MS;
    return whenthenStatus(over ? CHECKOUT_EXPIRED : AWAITING_CHECKOUT);
  }

  /**
   * Voids an authorised payment. WhenThen cancels nothing else: a payment still waiting for the shopper, or one
   * already captured, is refused (the seed: "A Payment can be cancelled when it has a status of AUTHORISED").
   * Retried within the call: a repeat carries the same key, and cancelling again could not void twice anyway.
   */
  async cancelPayment(payment: OperationPayment, input: OperationInput): Promise<void> {
    const id = await this.whenthenIdOf(payment, 'cancel', input.signal);
    const answer = await this.graphql<CancelPaymentData>(CANCEL_PAYMENT, { id }, {
      idempotent: true,
      signal: input.signal,
      idempotencyKey: operationKey('cancel', input.idempotencyKey),
    });
    if (answer.errors.length) throw operationFailure('cancelPayment', answer.errors);
    if (!answer.data?.cancelPayment) throw new ProviderUnavailable('whenthen: cancelPayment answered no payment');
  }

  /**
   * Refunds `amount` minor units, or without one the whole payment (WhenThen's own default). The key goes with it, so
   * the endpoint repeating the same refund makes one; the call itself is sent once, as the seed documents the key for
   * creating payments only: a transport retry WhenThen did not de-duplicate would refund twice.
   */
  async refundPayment(payment: OperationPayment, input: RefundInput): Promise<void> {
    const { amount } = input;
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 1)) {
      throw new ProviderRefused('The refund amount must be a positive whole number of minor units.', 'amount');
    }
    const id = await this.whenthenIdOf(payment, 'refund', input.signal);
    const reason = input.reason?.trim();
    const variables = { id, ...(amount !== undefined ? { amount } : {}), ...(reason ? { reason } : {}) };
    const answer = await this.graphql<RefundPaymentData>(REFUND_PAYMENT, variables, {
      idempotent: false,
      signal: input.signal,
      idempotencyKey: operationKey('refund', input.idempotencyKey),
    });
    if (answer.errors.length) throw operationFailure('refundPayment', answer.errors);
    if (!answer.data?.refundPayment) throw new ProviderUnavailable('whenthen: refundPayment answered no payment');
  }

  async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
    checkSignature(request.headers, request.body, this.config.webhookSecret);
    const payment = parseWebhook(request.body);
    if (!payment) return {};
    if (payment.reference) return { providerPaymentId: payment.id, reference: payment.reference };
    // A card payment's webhook carries neither orderId nor Kassa's metadata (WhenThen's `Payment` has no orderId):
    // look the orderId up, so the endpoint can tell which of its payments this is.
    const reference = payment.date && payment.amount ? await this.orderIdOf(payment.id, payment.date, payment.amount) : undefined;
    return reference ? { providerPaymentId: payment.id, reference } : { providerPaymentId: payment.id };
  }

  /** Card: a client token for exactly this amount and currency, then WhenThen's hosted checkout. */
  private async startHostedCheckout(input: CreatePaymentInput): Promise<CreatedPayment> {
    const checkoutUrl = this.endpoints.hostedCheckoutUrl;
    // The config schema requires it wherever card is offered; this guards a config built around the schema.
    if (!checkoutUrl) throw new Error('whenthen: hostedCheckoutUrl is not configured');
    const { amount, currency } = input.order;
    const issuedAt = Date.now();
    // Minting a token twice makes no payment, so a retry is safe. No idempotency key on purpose: a key would make
    // WhenThen replay the first token to a retry hours later, after it expired.
    const answer = await this.graphql<ClientTokenData>(GENERATE_CLIENT_TOKEN, { amount, currency }, { idempotent: true, signal: input.signal });
    if (answer.errors.length) throw createFailure('generateClientToken', answer.errors);
    const { token, ttl } = answer.data?.generateClientToken ?? {};
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH) throw new ProviderUnavailable('whenthen: generateClientToken answered no token');
    if (typeof ttl !== 'number' || !(ttl > 0) || ttl > MAX_TOKEN_TTL_SECONDS) throw new ProviderUnavailable('whenthen: generateClientToken answered no usable ttl');
    const expiresAt = issuedAt + ttl * 1000;

    const url = new URL(checkoutUrl);
    url.searchParams.set('clientToken', token);
    url.searchParams.set('redirectUrl', input.returnUrl);
    url.searchParams.set('orderId', input.reference);
    if (this.config.flowId) url.searchParams.set('flowId', this.config.flowId);
    const readBack: ReadBack = {
      lookup: 'orderId',
      orderId: input.reference,
      from: new Date(issuedAt - CLOCK_SKEW_MS).toISOString(),
      // The checkout pays with the client token, so the payment is made before the token expires.
      until: new Date(expiresAt + CLOCK_SKEW_MS).toISOString(),
      maxAmount: amount,
      checkoutExpiresAt: new Date(expiresAt).toISOString(),
    };
    return { providerPaymentId: input.reference, action: { type: 'redirect', url: url.href }, ...whenthenStatus(AWAITING_CHECKOUT), data: readBack };
  }

  /** PayPal / Klarna: the payment is created now and waits for the shopper's approval on the page WhenThen names. */
  private async startApm(input: CreatePaymentInput, type: 'PAYPAL' | 'KLARNA'): Promise<CreatedPayment> {
    const { order } = input;
    const customer = { ...(order.customer?.email ? { email: order.customer.email } : {}), ...(order.customer?.name ? { name: order.customer.name } : {}) };
    const authorisePayment: AuthorisedPaymentInput = {
      orderId: input.reference,
      ...(this.config.flowId ? { flowId: this.config.flowId } : {}),
      amount: order.amount,
      currencyCode: order.currency,
      paymentMethod: { type },
      ...(Object.keys(customer).length ? { customer } : {}),
      ...(order.description ? { description: order.description } : {}),
      // WhenThen's Payment (and so its webhook) has no orderId; metadata carries the reference back.
      metadata: { kassaReference: input.reference },
      apmRedirectUrl: input.returnUrl,
    };
    const startedAt = Date.now();
    const answer = await this.graphql<AuthorizePaymentData>(AUTHORIZE_PAYMENT, { authorisePayment }, {
      // WhenThen de-duplicates on X-Idempotency-Key: a retry answers the first answer, never a second payment.
      idempotent: true,
      signal: input.signal,
      idempotencyKey: idempotencyUuid(input.reference),
    });
    const approval = findError(answer.errors, ERROR_CODES.requiresApmAuthorization);
    if (approval) {
      const url = approval.extensions?.url;
      if (!isWebUrl(url)) throw new ProviderUnavailable('whenthen: authorizePayment asked for approval without a page URL');
      const readBack: ReadBack = {
        lookup: 'orderId',
        orderId: input.reference,
        from: new Date(startedAt - CLOCK_SKEW_MS).toISOString(),
        until: new Date(Date.now() + CLOCK_SKEW_MS).toISOString(),
        maxAmount: order.amount,
      };
      return { providerPaymentId: input.reference, action: { type: 'redirect', url }, ...whenthenStatus('NEEDS_APM_AUTHORIZATION'), data: readBack };
    }
    if (answer.errors.length) throw createFailure('authorizePayment', answer.errors);
    // Not expected for an APM, but WhenThen may decide at once: then its id is known and nothing is left to do.
    const { id, status } = answer.data?.authorizePayment ?? {};
    if (typeof id !== 'string' || !id || typeof status !== 'string') throw new ProviderUnavailable('whenthen: authorizePayment answered no payment');
    const readBack: ReadBack = { lookup: 'id' };
    return { providerPaymentId: id, action: { type: 'none' }, ...whenthenStatus(status), data: readBack };
  }

  /**
   * WhenThen's id of the payment an operation acts on: the known id, or the payment readStatus reads for the order
   * (the paid or authorised one when the shopper tried more than once). None yet: nothing to act on.
   */
  private async whenthenIdOf(payment: StoredPaymentRef, doing: 'cancel' | 'refund', signal: AbortSignal): Promise<string> {
    const readBack = readBackOf(payment);
    if (readBack.lookup === 'id') return payment.providerPaymentId;
    const { payments, complete } = await paymentsForOrder(this.listPayments(signal), readBack);
    const found = decisivePayment(payments);
    if (found) return found.id;
    if (!complete) throw new Error(`whenthen: the payment to ${doing} is not among the payments listed for its window`);
    throw new ProviderRefused(`WhenThen holds no payment for this order yet, so there is nothing to ${doing}.`);
  }

  private async readById(id: string, signal: AbortSignal): Promise<StatusRead> {
    const answer = await this.graphql<GetPaymentData>(GET_PAYMENT, { id }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('getPayment', answer.errors);
    const status = answer.data?.getPayment?.status;
    if (typeof status !== 'string' || !status) throw new ProviderUnavailable('whenthen: getPayment answered no status');
    return whenthenStatus(status);
  }

  private listPayments(signal?: AbortSignal): ListPayments {
    return async (variables) => {
      const answer = await this.graphql<ListPaymentsData>(LIST_PAYMENTS, { ...variables }, { idempotent: true, ...(signal ? { signal } : {}) });
      if (answer.errors.length) throw readFailure('listPayments', answer.errors);
      if (!answer.data) throw new ProviderUnavailable('whenthen: listPayments answered no data');
      return answer.data;
    };
  }

  /** The orderId of a webhook's payment, or undefined when WhenThen cannot say now (the webhook is still genuine). */
  private async orderIdOf(paymentId: string, date: string, amount: number): Promise<string | undefined> {
    try {
      return await orderIdOf(this.listPayments(AbortSignal.timeout(this.deps.timeoutMs * this.deps.attempts)), paymentId, date, amount);
    } catch {
      return undefined;
    }
  }

  private graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    options: Pick<CallOptions, 'idempotent' | 'signal'> & { idempotencyKey?: string },
  ): Promise<GraphQLAnswer<T>> {
    const { idempotencyKey, ...call } = options;
    const headers = idempotencyKey ? { ...this.authorization, 'x-idempotency-key': idempotencyKey } : this.authorization;
    return callGraphQL<T>(PROVIDER, this.endpoints.graphqlUrl, headers, query, variables, {
      timeoutMs: this.deps.timeoutMs,
      attempts: this.deps.attempts,
      ...call,
    });
  }
}

/** The stored read-back data, or (for a record without it) a search by the reference alone. */
function readBackOf(payment: StoredPaymentRef): ReadBack {
  const data = (payment.data ?? {}) as Partial<Record<string, unknown>>;
  if (data.lookup === 'id') return { lookup: 'id' };
  if (data.lookup !== 'orderId' || typeof data.orderId !== 'string') {
    return payment.providerPaymentId === payment.reference ? { lookup: 'orderId', orderId: payment.reference } : { lookup: 'id' };
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    lookup: 'orderId',
    orderId: data.orderId,
    from: text(data.from),
    until: text(data.until),
    maxAmount: typeof data.maxAmount === 'number' ? data.maxAmount : undefined,
    checkoutExpiresAt: text(data.checkoutExpiresAt),
  };
}

function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 4096) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The X-Idempotency-Key of an operation on a payment: a UUID per operation and key, apart from the create's keys. */
function operationKey(operation: 'cancel' | 'refund', key: string): string {
  return idempotencyUuid(`${operation}:${key}`);
}

/**
 * WhenThen documents `X-Idempotency-Key` as a UUID; Kassa's reference is not one, so the key is a UUID derived from
 * it (the same reference always gives the same key, so retries stay de-duplicated).
 */
export function idempotencyUuid(reference: string): string {
  const hex = createHash('sha256').update(`kassa-whenthen:${reference}`).digest('hex');
  // Version 8 (custom) and the RFC 9562 variant bits, so the value is a well-formed UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
