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
 * readStatuses (up to 500 payments): those whose WhenThen id Kassa knows in requests of 100 aliased `getPayment`s; the
 * others in one walk of `listPayments` pages over their windows, each page request asking the next page of every
 * window by alias, each payment read from the payments its own window holds, as readStatus reads it. The windows are
 * the few seconds around when Kassa started each payment once WhenThen's clock offset is known (clock.ts, from its
 * answers' `Date` header), the configured CLOCK_SKEW_MS either side until then. A read that found the payment that
 * settles the order hands WhenThen's id back (`StatusRead.providerPaymentId`); kept, later reads go by id.
 *
 * Capture (`capturePayment`, in full or in part, AUTHORISED payments only), cancel (`cancelPayment`, AUTHORISED only)
 * and refund (`refundPayment`, SUCCEEDED or PARTIAL_REFUNDED, in full or in part) act on the payment readStatus reads
 * for the order, and carry `X-Idempotency-Key` derived from the operation's key. readStatus reports what was captured
 * and refunded from the payment's `amount` and `refundedAmount`.
 *
 * What WhenThen does not publish (the hosted checkout's query, the webhook scheme, error codes, listPayments' page
 * size) is configuration with the values Kassa assumed as defaults (config.ts).
 */
import { createHash } from 'node:crypto';
import type { PaymentMethod } from '../../core/model.ts';
import { callProvider, readGraphQLAnswer, type CallOptions, type GraphQLAnswer, type GraphQLErrorItem } from '../../server/provider-http.ts';
import {
  checkBatchSize,
  ProviderRefused,
  ProviderUnavailable,
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
import { nextOffset, offsetAt, offsetSample, type ClockOffset } from './clock.ts';
import { whenthenConfigSchema, whenthenEndpoints, type ResolvedWhenthenConfig, type WhenthenConfig, type WhenthenEndpoints } from './config.ts';
import { createFailure, errorCode, findError, operationFailure, readFailure, type ErrorCodes, type PaymentMutation } from './errors.ts';
import {
  aliasOf,
  AUTHORIZE_PAYMENT,
  CANCEL_PAYMENT,
  CAPTURE_PAYMENT,
  GENERATE_CLIENT_TOKEN,
  GET_PAYMENT,
  getPaymentsDocument,
  LIST_PAYMENTS,
  listPaymentsDocument,
  REFUND_PAYMENT,
  type AuthorisedPaymentInput,
  type AuthorizePaymentData,
  type CancelPaymentData,
  type CapturePaymentData,
  type ClientTokenData,
  type GetPaymentData,
  type ListPaymentsData,
  type PaymentWithAmounts,
  type RefundPaymentData,
} from './graphql.ts';
import {
  isBounded,
  minorUnits,
  orderIdOf,
  paymentsForOrder,
  paymentsForOrders,
  searchWindow,
  type ListPages,
  type ListPayments,
  type OrderLookup,
  type OrderPayments,
} from './lookup.ts';
import { acceptsCurrency, METHOD_SPECS, methodCodeOf, methodsFor } from './methods.ts';
import { AWAITING_CHECKOUT, CHECKOUT_EXPIRED, decisivePayment, whenthenStatus, whenthenStatusRead, type OrderPayment } from './status.ts';
import { checkSignature, parseWebhook } from './webhook.ts';

export type { WhenthenConfig } from './config.ts';

const PROVIDER = 'whenthen';

/**
 * Most payments one `readStatuses` call reads. Larger than one request's worth: payments found by orderId made close
 * together share the pages of one listPayments walk, so the more one walk answers, the fewer pages in all.
 */
export const WHENTHEN_BATCH_READ_LIMIT = 500;
/** Most getPayment aliases in one request. */
const MAX_ALIASES = 100;

/** INVENTED: how far WhenThen's clock may be from Kassa's when Kassa bounds a payment's creation time. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** A client token's life must be a positive number of seconds, at most a day (the sandbox's is 900 s). */
const MAX_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const MAX_TOKEN_LENGTH = 4096;

/**
 * What Kassa keeps to read a payment back (`CreatedPayment.data`): either WhenThen's id is known (`providerPaymentId`
 * is it), or the payment is found by orderId in a window; `checkoutExpiresAt` is when the hosted checkout's client
 * token expires, after which no payment can appear any more. `madeFrom`/`madeUntil` are the instants (Kassa's clock)
 * the payment was made between, without the skew `from`/`until` allow; records from before them are searched whole.
 */
type ReadBack =
  | { lookup: 'id' }
  | (OrderLookup & { lookup: 'orderId'; checkoutExpiresAt?: string | undefined; madeFrom?: string | undefined; madeUntil?: string | undefined });

export const whenthenProvider: ProviderModule<WhenthenConfig> = {
  configSchema: whenthenConfigSchema,
  create: (config, deps) => new WhenthenAdapter(whenthenConfigSchema.parse(config), deps),
};

class WhenthenAdapter implements ProviderAdapter {
  readonly name = PROVIDER;
  readonly redirectHosts: readonly string[];
  readonly createIsIdempotent = true;
  readonly batchReadLimit = WHENTHEN_BATCH_READ_LIMIT;
  private readonly endpoints: WhenthenEndpoints;
  private readonly authorization: Record<string, string>;
  /** WhenThen's clock against Kassa's, from the answers so far (undefined before the first). */
  private clock: ClockOffset | undefined;

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
    const found = await paymentsForOrder(this.listPayments(signal), readBack, this.config.listPageSize);
    return orderRead(found, readBack, Date.now());
  }

  /**
   * Captures an authorised payment: the amount authorised without `amount` (WhenThen's own default), else that much.
   * WhenThen captures only AUTHORISED payments, once, and refuses more than was authorised or an authorisation that
   * lapsed (about 7 days, per PSP). Retried within the call: a repeat carries the same key, and WhenThen could not
   * capture twice anyway.
   */
  async capturePayment(payment: OperationPayment, input: CaptureInput): Promise<void> {
    const { amount } = input;
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 1)) {
      throw new ProviderRefused('The capture amount must be a positive whole number of minor units.', 'amount');
    }
    const id = await this.whenthenIdOf(payment, 'capture', input.signal);
    const answer = await this.graphql<CapturePaymentData>(CAPTURE_PAYMENT, { id, ...(amount !== undefined ? { amount } : {}) }, {
      idempotent: true,
      signal: input.signal,
      idempotencyKey: operationKey('capture', input.idempotencyKey),
    });
    this.checkOperation('capturePayment', answer);
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
    this.checkOperation('cancelPayment', answer);
  }

  /**
   * Refunds `amount` minor units, or without one all that is left. WhenThen's own default is "the original amount of
   * the payment", more than is left once part was refunded, so the rest is named whenever Kassa knows part went. The
   * key goes with it, so the endpoint repeating the same refund makes one; the call itself is sent once, as the seed
   * documents the key for creating payments only: a transport retry WhenThen did not de-duplicate would refund twice.
   */
  async refundPayment(payment: OperationPayment, input: RefundInput): Promise<void> {
    const remainder = remainderToRefund(payment);
    if (input.amount === undefined && remainder !== undefined && remainder < 1) throw new ProviderRefused('Nothing is left to refund on this payment.');
    const amount = input.amount ?? remainder;
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
    this.checkOperation('refundPayment', answer);
  }

  async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
    checkSignature(request.headers, request.body, this.config.webhookSecret, this.config.webhookSignature);
    const payment = parseWebhook(request.body, this.config.webhookEventType);
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
    if (answer.errors.length) throw createFailure('generateClientToken', answer.errors, this.config.errorCodes);
    const { token, ttl } = answer.data?.generateClientToken ?? {};
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH) throw new ProviderUnavailable('whenthen: generateClientToken answered no token');
    if (typeof ttl !== 'number' || !(ttl > 0) || ttl > MAX_TOKEN_TTL_SECONDS) throw new ProviderUnavailable('whenthen: generateClientToken answered no usable ttl');
    const expiresAt = issuedAt + ttl * 1000;

    const url = new URL(checkoutUrl);
    const names = this.config.hostedCheckoutParameters;
    url.searchParams.set(names.clientToken, token);
    url.searchParams.set(names.redirectUrl, input.returnUrl);
    url.searchParams.set(names.orderId, input.reference);
    if (this.config.flowId) url.searchParams.set(names.flowId, this.config.flowId);
    const readBack: ReadBack = {
      lookup: 'orderId',
      orderId: input.reference,
      from: new Date(issuedAt - CLOCK_SKEW_MS).toISOString(),
      // The checkout pays with the client token, so the payment is made before the token expires.
      until: new Date(expiresAt + CLOCK_SKEW_MS).toISOString(),
      maxAmount: amount,
      checkoutExpiresAt: new Date(expiresAt).toISOString(),
      madeFrom: new Date(issuedAt).toISOString(),
      madeUntil: new Date(expiresAt).toISOString(),
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
    const approval = findError(answer.errors, this.config.errorCodes.requiresApmAuthorization);
    if (approval) {
      const url = approval.extensions?.url;
      if (!isWebUrl(url)) throw new ProviderUnavailable('whenthen: authorizePayment asked for approval without a page URL');
      const answeredAt = Date.now();
      const readBack: ReadBack = {
        lookup: 'orderId',
        orderId: input.reference,
        from: new Date(startedAt - CLOCK_SKEW_MS).toISOString(),
        until: new Date(answeredAt + CLOCK_SKEW_MS).toISOString(),
        maxAmount: order.amount,
        madeFrom: new Date(startedAt).toISOString(),
        madeUntil: new Date(answeredAt).toISOString(),
      };
      return { providerPaymentId: input.reference, action: { type: 'redirect', url }, ...whenthenStatus('NEEDS_APM_AUTHORIZATION'), data: readBack };
    }
    if (answer.errors.length) throw createFailure('authorizePayment', answer.errors, this.config.errorCodes);
    // Not expected for an APM, but WhenThen may decide at once: then its id is known and nothing is left to do.
    const { id, status } = answer.data?.authorizePayment ?? {};
    if (typeof id !== 'string' || !id || typeof status !== 'string') throw new ProviderUnavailable('whenthen: authorizePayment answered no payment');
    const readBack: ReadBack = { lookup: 'id' };
    return { providerPaymentId: id, action: { type: 'none' }, ...whenthenStatus(status), data: readBack };
  }

  /**
   * Up to 500 payments in as few requests as WhenThen allows: those whose WhenThen id Kassa knows in one request per
   * 100 (aliased getPayment), the others in one walk of listPayments over their windows (WhenThen cannot filter by
   * orderId), each read as readStatus reads it alone. Left out, and so read alone by the endpoint: payments WhenThen
   * answered an error or nothing for by id, records without a window, and windows the walk's bound cut short. A
   * refused key or an outage fails the whole batch, as it fails readStatus.
   */
  async readStatuses(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>> {
    checkBatchSize(PROVIDER, payments, WHENTHEN_BATCH_READ_LIMIT);
    const byId: StoredPaymentRef[] = [];
    const byOrderId: Array<{ reference: string; readBack: Extract<ReadBack, { lookup: 'orderId' }> & { from: string; until: string } }> = [];
    for (const payment of payments) {
      const readBack = readBackOf(payment);
      if (readBack.lookup === 'id') byId.push(payment);
      else if (isBounded(readBack)) byOrderId.push({ reference: payment.reference, readBack });
    }
    const [idReads, orderReads] = await Promise.all([this.readByIds(byId, signal), this.readByOrderIds(byOrderId, signal)]);
    return new Map([...idReads, ...orderReads]);
  }

  /** Payments by WhenThen id, in requests of up to MAX_ALIASES aliased getPayment each (see readsByAlias). */
  private async readByIds(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>> {
    const chunks: Array<readonly StoredPaymentRef[]> = [];
    for (let i = 0; i < payments.length; i += MAX_ALIASES) chunks.push(payments.slice(i, i + MAX_ALIASES));
    const reads = await Promise.all(chunks.map((chunk) => this.readChunkByIds(chunk, signal)));
    return new Map(reads.flatMap((read) => [...read]));
  }

  private async readChunkByIds(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>> {
    if (payments.length === 0) return new Map();
    const variables = Object.fromEntries(payments.map((payment, i) => [`id${i}`, payment.providerPaymentId]));
    const answer = await this.graphql<Record<string, PaymentWithAmounts | null>>(getPaymentsDocument(payments.length), variables, { idempotent: true, signal });
    return readsByAlias(payments.map((p) => p.reference), answer, this.config.errorCodes);
  }

  /** Payments by orderId, from one walk of listPayments over the windows they were made in. */
  private async readByOrderIds(
    lookups: ReadonlyArray<{ reference: string; readBack: Extract<ReadBack, { lookup: 'orderId' }> & { from: string; until: string } }>,
    signal: AbortSignal,
  ): Promise<Map<string, StatusRead>> {
    if (lookups.length === 0) return new Map();
    const offset = this.clock ? offsetAt(this.clock, Date.now()) : undefined;
    const batch = lookups.map(({ readBack }) => ({ lookup: readBack, search: searchWindow(readBack, madeWindow(readBack), offset) }));
    const byOrder = await paymentsForOrders(this.listPages(signal), batch, this.config.listPageSize);
    const reads = new Map<string, StatusRead>();
    for (const { reference, readBack } of lookups) {
      const found = byOrder.get(readBack.orderId);
      if (found) reads.set(reference, orderRead(found, readBack, Date.now()));
    }
    return reads;
  }

  /**
   * WhenThen's id of the payment an operation acts on: the known id, or the payment readStatus reads for the order
   * (the paid or authorised one when the shopper tried more than once). None yet: nothing to act on.
   */
  private async whenthenIdOf(payment: StoredPaymentRef, doing: 'capture' | 'cancel' | 'refund', signal: AbortSignal): Promise<string> {
    const readBack = readBackOf(payment);
    if (readBack.lookup === 'id') return payment.providerPaymentId;
    const { payments, complete } = await paymentsForOrder(this.listPayments(signal), readBack, this.config.listPageSize);
    const found = decisivePayment(payments);
    if (found) return found.id;
    if (!complete) throw new Error(`whenthen: the payment to ${doing} is not among the payments listed for its window`);
    throw new ProviderRefused(`WhenThen holds no payment for this order yet, so there is nothing to ${doing}.`);
  }

  /** A capture, cancel or refund WhenThen answered: its refusal as Kassa's error, or nothing when it was done. */
  private checkOperation(operation: PaymentMutation, answer: GraphQLAnswer<Partial<Record<PaymentMutation, unknown>>>): void {
    if (answer.errors.length) throw operationFailure(operation, answer.errors, this.config.errorCodes);
    if (!answer.data?.[operation]) throw new ProviderUnavailable(`whenthen: ${operation} answered no payment`);
  }

  private async readById(id: string, signal: AbortSignal): Promise<StatusRead> {
    const answer = await this.graphql<GetPaymentData>(GET_PAYMENT, { id }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('getPayment', answer.errors, this.config.errorCodes);
    const payment = answer.data?.getPayment;
    const status = payment?.status;
    if (typeof status !== 'string' || !status) throw new ProviderUnavailable('whenthen: getPayment answered no status');
    return whenthenStatusRead(status, { amount: minorUnits(payment?.amount), refundedAmount: minorUnits(payment?.refundedAmount) });
  }

  /** Pages of listPayments in one request, one alias each, all newest first. */
  private listPages(signal: AbortSignal): ListPages {
    return async (pages) => {
      const variables: Record<string, unknown> = { data: { sort: [{ fieldName: 'date', order: 'DESC' }] } };
      pages.forEach(({ startDate, endDate, maxAmount, first, after }, i) => {
        Object.assign(variables, { [`startDate${i}`]: startDate, [`endDate${i}`]: endDate, [`maxAmount${i}`]: maxAmount, [`first${i}`]: first, [`after${i}`]: after });
      });
      type Pages = Record<string, ListPaymentsData['listPayments']>;
      const answer = await this.graphql<Pages>(listPaymentsDocument(pages.length), variables, { idempotent: true, signal });
      if (answer.errors.length) throw readFailure('listPayments', answer.errors, this.config.errorCodes);
      const data = answer.data;
      if (!data) throw new ProviderUnavailable('whenthen: listPayments answered no data');
      return pages.map((_, i) => ({ listPayments: data[aliasOf(i)] ?? null }));
    };
  }

  private listPayments(signal?: AbortSignal): ListPayments {
    return async ({ newestFirst, ...variables }) => {
      const sorted = newestFirst ? { data: { sort: [{ fieldName: 'date', order: 'DESC' }] } } : {};
      const answer = await this.graphql<ListPaymentsData>(LIST_PAYMENTS, { ...variables, ...sorted }, { idempotent: true, ...(signal ? { signal } : {}) });
      if (answer.errors.length) throw readFailure('listPayments', answer.errors, this.config.errorCodes);
      if (!answer.data) throw new ProviderUnavailable('whenthen: listPayments answered no data');
      return answer.data;
    };
  }

  /** The orderId of a webhook's payment, or undefined when WhenThen cannot say now (the webhook is still genuine). */
  private async orderIdOf(paymentId: string, date: string, amount: number): Promise<string | undefined> {
    try {
      const signal = AbortSignal.timeout(this.deps.timeoutMs * this.deps.attempts);
      return await orderIdOf(this.listPayments(signal), paymentId, date, amount, this.config.listPageSize);
    } catch {
      return undefined;
    }
  }

  private async graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    options: Pick<CallOptions, 'idempotent' | 'signal'> & { idempotencyKey?: string },
  ): Promise<GraphQLAnswer<T>> {
    const { idempotencyKey, ...call } = options;
    const headers = idempotencyKey ? { ...this.authorization, 'x-idempotency-key': idempotencyKey } : this.authorization;
    const sentAt = Date.now();
    const response = await callProvider(
      PROVIDER,
      this.endpoints.graphqlUrl,
      { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify({ query, variables }) },
      { timeoutMs: this.deps.timeoutMs, attempts: this.deps.attempts, ...call },
    );
    // Every answer tells WhenThen's time (its Date header): the estimate narrows the batch reads' windows.
    this.clock = nextOffset(this.clock, offsetSample(response.headers.get('date'), sentAt, Date.now()));
    return readGraphQLAnswer<T>(PROVIDER, response);
  }
}

/**
 * What the payments found for an order say: the decisive one's read; none yet, the checkout is awaited, or over once
 * its client token expired (only a complete search may conclude there is no payment). WhenThen's id goes with the
 * read once no later payment for the order can take the found one's place (learnedId).
 */
export function orderRead(
  found: OrderPayments,
  order: { checkoutExpiresAt?: string | undefined },
  now: number,
): StatusRead {
  const decisive = decisivePayment(found.payments);
  if (decisive) {
    const read = whenthenStatusRead(decisive.status, decisive);
    const id = learnedId(decisive, read, order.checkoutExpiresAt !== undefined);
    return id ? { ...read, providerPaymentId: id } : read;
  }
  const expiresAt = order.checkoutExpiresAt ? Date.parse(order.checkoutExpiresAt) : Number.NaN;
  const over = found.complete && now > expiresAt + CLOCK_SKEW_MS;
  return whenthenStatus(over ? CHECKOUT_EXPIRED : AWAITING_CHECKOUT);
}

/**
 * The WhenThen id a read may hand back, so later reads go by id: a PayPal / Klarna payment is the order's only one
 * (its create is de-duplicated by the idempotency key), always; on the hosted checkout the shopper may try again
 * after a decline or an abandoned 3-D Secure, so only once money moved (a payment that took it stays the decisive
 * one).
 */
export function learnedId(decisive: OrderPayment & { id: string }, read: StatusRead, hostedCheckout: boolean): string | undefined {
  if (!hostedCheckout) return decisive.id;
  const moved = read.state === 'paid' || read.state === 'authorized' || read.state === 'refunded' || read.state === 'partially_refunded';
  return moved ? decisive.id : undefined;
}

/**
 * The reads of an aliased getPayment request (alias `p<i>` is `references[i]`): an alias WhenThen answered an error or
 * no payment for is left out (read alone, readStatus reports it); an error that names no alias of the request (a
 * refused key, a request WhenThen could not run) fails the whole batch, as it fails readStatus.
 */
export function readsByAlias(
  references: readonly string[],
  answer: GraphQLAnswer<Record<string, PaymentWithAmounts | null>>,
  codes: ErrorCodes,
): Map<string, StatusRead> {
  const aliases = new Set(references.map((_, i) => aliasOf(i)));
  const failed = new Set<string>();
  const whole: GraphQLErrorItem[] = [];
  for (const error of answer.errors) {
    const alias = error.path?.[0];
    const refusedKey = errorCode(error) === codes.unauthenticated || errorCode(error) === codes.forbidden;
    if (typeof alias === 'string' && aliases.has(alias) && !refusedKey) failed.add(alias);
    else whole.push(error);
  }
  if (whole.length) throw readFailure('getPayment', whole, codes);
  if (!answer.data) throw new ProviderUnavailable('whenthen: getPayment answered no data');
  const reads = new Map<string, StatusRead>();
  references.forEach((reference, i) => {
    const alias = aliasOf(i);
    const payment = answer.data?.[alias];
    if (failed.has(alias) || typeof payment?.status !== 'string' || !payment.status) return;
    reads.set(reference, whenthenStatusRead(payment.status, { amount: minorUnits(payment.amount), refundedAmount: minorUnits(payment.refundedAmount) }));
  });
  return reads;
}


/** The instants (Kassa's clock) a payment was made between, when its record notes them. */
function madeWindow(readBack: { madeFrom?: string | undefined; madeUntil?: string | undefined }): { from: number; until: number } | undefined {
  const from = readBack.madeFrom ? Date.parse(readBack.madeFrom) : Number.NaN;
  const until = readBack.madeUntil ? Date.parse(readBack.madeUntil) : Number.NaN;
  return Number.isFinite(from) && Number.isFinite(until) && from <= until ? { from, until } : undefined;
}

/**
 * The stored read-back data, or (for a record without it) a search by the reference alone. A record whose
 * `providerPaymentId` is no longer its orderId kept the id a read learnt (orderRead): it is read by id.
 */
function readBackOf(payment: StoredPaymentRef): ReadBack {
  const data = (payment.data ?? {}) as Partial<Record<string, unknown>>;
  if (data.lookup === 'id') return { lookup: 'id' };
  if (data.lookup === 'orderId' && typeof data.orderId === 'string' && payment.providerPaymentId !== data.orderId) return { lookup: 'id' };
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
    madeFrom: text(data.madeFrom),
    madeUntil: text(data.madeUntil),
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

/**
 * What is left to refund, when Kassa knows what was captured or that part was refunded already; undefined when it
 * knows neither, so WhenThen's own default (the whole payment) applies.
 */
export function remainderToRefund(payment: Pick<OperationPayment, 'amount' | 'capturedAmount' | 'refundedAmount'>): number | undefined {
  if (!payment.refundedAmount && payment.capturedAmount === undefined) return undefined;
  return (payment.capturedAmount ?? payment.amount) - (payment.refundedAmount ?? 0);
}

/** The X-Idempotency-Key of an operation on a payment: a UUID per operation and key, apart from the create's keys. */
function operationKey(operation: 'capture' | 'cancel' | 'refund', key: string): string {
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
