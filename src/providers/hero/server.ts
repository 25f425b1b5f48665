/**
 * Hero (heropay): French B2B "buy now, pay later" over GraphQL, `Authorization: Api-Key <key>`. Only euros, only
 * companies. The shopper picks a payment type, Kassa creates the payment and sends the shopper to Hero's hosted
 * page; Hero then calls `redirectUri` (the endpoint's return route), which re-reads the status. Hero's "back to the
 * shop" link (`comebackUri`) leads to the checkout page, where the shopper chose the method.
 *
 * Status reads in batches: `readStatuses` asks `getPaymentsInfos` for up to 100 ids at once, each row read as
 * `readStatus` reads it (status.ts `heroStatus`).
 *
 * After the sale: refunds with `refundPaymentCheckout` (seed), in full or in part; `setOrderId` once a payment
 * succeeded when creating it could not link the order. Hero documents no capture (a finalized payment is taken)
 * and no cancel, so neither is offered.
 *
 * Config: `environment` (`sandbox` | `staging` | `production`), `apiKey`, and optional `graphqlUrl` (the API; Hero's
 * documented staging URL and its plugin's differ), `checkoutUrl` (the hosted page's base; the shopper goes to
 * `{checkoutUrl}/checkout/{id}`), `errorStates` and `reviewStates` (Hero's `error` / `reviewStatus` values → Kassa
 * states, over the assumed ones in `status.ts`).
 */
import { z } from 'zod';
import type { PaymentMethod } from '../../core/model.ts';
import { isLoopbackHost } from '../../core/url-safety.ts';
import { callGraphQL, type CallOptions, type GraphQLAnswer } from '../../server/provider-http.ts';
import type { Holds, SameShape } from '../../server/schema.ts';
import {
  checkBatchSize,
  ProviderRefused,
  ProviderUnavailable,
  WebhookRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type Environment,
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
import { createFailure, readFailure, refundFailure, refundValidationFailure } from './errors.ts';
import {
  AVAILABLE_PAYMENT_TYPES,
  CREATE_PAYMENT,
  GET_PAYMENTS_INFOS,
  MAX_PAYMENT_FOR_CUSTOMER,
  REFUND_PAYMENT_CHECKOUT,
  SET_ORDER_ID,
  type AvailablePaymentTypesData,
  type CreatePaymentData,
  type CustomerLimits,
  type GetPaymentsInfosData,
  type IssuerInput,
  type MaxPaymentForCustomerData,
  type NewPaymentInput,
  type PaymentInfos,
  type RefundPaymentCheckoutData,
  type RefundPaymentCheckoutInput,
} from './graphql.ts';
import { buildIssuer, issuerFieldLabel, MissingIssuerDetail, missingIssuerFields } from './issuer.ts';
import {
  HERO_CURRENCY,
  knownPaymentTypes,
  methodsCacheKey,
  parseCustomerLimits,
  paymentTypeOf,
  toMethods,
  withinCustomerLimits,
} from './methods.ts';
import { heroReads, heroStatus, stateMaps, UNFINALIZED_STATES, type HeroStateMaps, type UnfinalizedState } from './status.ts';

const PROVIDER = 'hero';

/** Most ids one `getPaymentsInfos` takes (the sandbox's bound; Hero publishes none, so Kassa keeps to it). */
export const HERO_BATCH_READ_LIMIT = 100;

/**
 * Hero's public hosts: the hosted pages from the seed, the APIs from providers.md. Hero's own WooCommerce plugin
 * (v1.0.26) calls staging at `https://api.hero.fr/api-staging/graphql` instead: `graphqlUrl` takes either. The
 * sandbox serves the same routes under `{sandboxUrl}/hero`.
 */
const HERO_HOSTS: Record<Exclude<Environment, 'sandbox'>, { graphqlUrl: string; checkoutUrl: string }> = {
  staging: { graphqlUrl: 'https://staging.api.hero.fr/api/graphql', checkoutUrl: 'https://staging.pay.heropay.eu' },
  production: { graphqlUrl: 'https://api.hero.fr/api/graphql', checkoutUrl: 'https://pay.heropay.eu' },
};

/** The API key travels to this URL and the shopper to the other: https only, plain http only on loopback. */
function secureUrl(option: string) {
  return z
    .url({ protocol: /^https?$/, error: `${option} must be an absolute http(s) URL` })
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || isLoopbackHost(url.hostname);
    }, `${option} must use https (plain http only for a loopback host)`)
    .refine((value) => {
      const url = new URL(value);
      return !url.username && !url.password && !url.search && !url.hash;
    }, `${option} must not carry credentials, a query or a fragment`);
}

/** A Hero `error` or `reviewStatus` value, as Hero spells its codes. */
const HERO_VALUE = /^[A-Za-z0-9_.-]{1,64}$/;

/** Hero's values → the state each means; never a success state: only `isSuccess` says a payment is finalized. */
function stateMapOption(option: string) {
  return z
    .record(z.string(), z.enum(UNFINALIZED_STATES, { error: `${option} values must be one of ${UNFINALIZED_STATES.join(', ')}` }))
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (!HERO_VALUE.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `${option} keys must be Hero's values, e.g. PAYMENT_REFUSED` });
      }
    });
}

const configSchema = z.strictObject({
  environment: z.enum(['sandbox', 'staging', 'production'], { error: "environment must be 'sandbox', 'staging' or 'production'" }),
  apiKey: z.string({ error: 'apiKey is required (Hero dashboard → API key)' }).trim().min(1, 'apiKey must not be empty'),
  /** Overrides Hero's GraphQL endpoint for the environment. */
  graphqlUrl: secureUrl('graphqlUrl').optional(),
  /** Overrides the hosted page's base: the shopper goes to `{checkoutUrl}/checkout/{id}`. */
  checkoutUrl: secureUrl('checkoutUrl').optional(),
  /** Hero's `error` values → Kassa states, over the assumed ones (Hero publishes only PAYMENT_NOT_INITIATED). */
  errorStates: stateMapOption('errorStates').optional(),
  /** Hero's `reviewStatus` values → Kassa states, over the assumed PENDING and REFUSED. */
  reviewStates: stateMapOption('reviewStates').optional(),
});

// A type literal, not an interface: it converts to and from a plain record, as the inferred type did.
/** What a merchant writes under `providers.hero`. */
export type HeroConfig = {
  environment: Environment;
  apiKey: string;
  /** Overrides Hero's GraphQL endpoint for the environment. */
  graphqlUrl?: string;
  /** Overrides the hosted page's base: the shopper goes to `{checkoutUrl}/checkout/{id}`. */
  checkoutUrl?: string;
  /** Hero's `error` values → Kassa states, over the assumed ones, e.g. `{"PAYMENT_REFUSED": "declined"}`. */
  errorStates?: Record<string, UnfinalizedState>;
  /** Hero's `reviewStatus` values → Kassa states, over the assumed PENDING and REFUSED. */
  reviewStates?: Record<string, UnfinalizedState>;
};

/** @internal */
export type HeroConfigTypesHold = [Holds<SameShape<z.input<typeof configSchema>, HeroConfig>>, Holds<SameShape<z.output<typeof configSchema>, HeroConfig>>];

interface Endpoints {
  graphqlUrl: string;
  checkoutUrl: string;
}

export function heroEndpoints(config: HeroConfig, sandboxUrl: string): Endpoints {
  const sandboxBase = `${sandboxUrl.replace(/\/+$/, '')}/hero`;
  const defaults = config.environment === 'sandbox' ? { graphqlUrl: `${sandboxBase}/graphql`, checkoutUrl: sandboxBase } : HERO_HOSTS[config.environment];
  return {
    graphqlUrl: config.graphqlUrl ?? defaults.graphqlUrl,
    checkoutUrl: (config.checkoutUrl ?? defaults.checkoutUrl).replace(/\/+$/, ''),
  };
}

class HeroAdapter implements ProviderAdapter {
  readonly name = PROVIDER;
  readonly redirectHosts: readonly string[];
  readonly createIsIdempotent = false;
  readonly batchReadLimit = HERO_BATCH_READ_LIMIT;
  private readonly endpoints: Endpoints;
  private readonly headers: Record<string, string>;
  private readonly states: HeroStateMaps;

  constructor(
    config: HeroConfig,
    private readonly deps: ProviderDeps,
  ) {
    this.endpoints = heroEndpoints(config, deps.sandboxUrl);
    this.redirectHosts = [new URL(this.endpoints.checkoutUrl).host];
    this.headers = { authorization: `Api-Key ${config.apiKey}` };
    this.states = stateMaps(config.errorStates, config.reviewStates);
  }

  methodsCacheKey(order: ResolvedOrder): string {
    return methodsCacheKey(order);
  }

  async listMethods(order: ResolvedOrder, signal: AbortSignal): Promise<PaymentMethod[]> {
    if (order.currency !== HERO_CURRENCY) return [];
    const reference = order.customer?.reference?.trim();
    const [types, limits] = await Promise.all([this.availableTypes(order.amount, signal), reference ? this.customerLimits(reference, signal) : undefined]);
    return toMethods(withinCustomerLimits(types, order.amount, limits), order);
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const { order } = input;
    const type = paymentTypeOf(input.method.id);
    if (!type) throw new ProviderRefused('This is not a Hero payment option.');
    if (order.currency !== HERO_CURRENCY) throw new ProviderRefused('Hero takes payments in euros only.');
    const payment: NewPaymentInput = {
      amount: order.amount,
      // Hero both notifies the merchant and sends the shopper here; the endpoint re-reads, then goes on to returnUrl.
      redirectUri: input.endpointReturnUrl,
      // Seed: "the URI allowing the customer to go back to your payment method selection".
      comebackUri: input.checkoutUrl ?? input.returnUrl,
      type,
      issuer: issuerFor(order, input.fields),
    };
    // Hero has no idempotency key: a retried createPayment could make a second payment, so it is sent once.
    const answer = await this.graphql<CreatePaymentData>(CREATE_PAYMENT, { payment }, { idempotent: false, signal: input.signal });
    if (answer.errors.length) throw createFailure(answer.errors, new Set(missingIssuerFields(order)));
    const id = answer.data?.createPayment?.id;
    if (typeof id !== 'string' || !id) throw new ProviderUnavailable('hero: createPayment answered without a payment id');
    const orderIdLinked = await this.linkOrder(id, order.reference, input.signal);
    return {
      providerPaymentId: id,
      action: { type: 'redirect', url: `${this.endpoints.checkoutUrl}/checkout/${encodeURIComponent(id)}` },
      // What getPaymentsInfos answers for a payment whose page the shopper has not completed (seed).
      ...heroStatus({ isSuccess: false, error: 'PAYMENT_NOT_INITIATED' }, this.states),
      data: { type, orderIdLinked },
    };
  }

  async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
    return heroStatus(await this.paymentInfos(payment.providerPaymentId, signal), this.states);
  }

  /** One `getPaymentsInfos` for up to 100 payments; an id Hero leaves out (another account's) gets no read. */
  async readStatuses(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>> {
    checkBatchSize(PROVIDER, payments, HERO_BATCH_READ_LIMIT);
    if (payments.length === 0) return new Map();
    const paymentIds = [...new Set(payments.map((p) => p.providerPaymentId))];
    const answer = await this.graphql<GetPaymentsInfosData>(GET_PAYMENTS_INFOS, { paymentIds }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('getPaymentsInfos', answer.errors);
    const infos = answer.data?.getPaymentsInfos;
    if (!infos) throw new ProviderUnavailable('hero: getPaymentsInfos answered without data');
    if (infos.validationErrors) throw new Error('hero: getPaymentsInfos refused the payment ids');
    return heroReads(payments, Array.isArray(infos.result) ? infos.result : [], this.states);
  }

  /**
   * Refunds `amount` cents, or what is left to refund when absent: Hero wants an amount, so the whole refund is what
   * `getPaymentsInfos` says was paid less what was refunded or is being refunded. Hero takes no reason.
   *
   * Hero takes no idempotency key and de-duplicates nothing: a repeat of a refund that went through refunds twice.
   * So the call is sent once (never retried here, even after a timeout), and what keeps a retried operation from
   * refunding twice is the endpoint's own idempotency: a retry with the same key gets the first answer back instead
   * of reaching this method again, and the endpoint re-reads the payment (pending refunds included) before any new
   * refund.
   */
  async refundPayment(payment: OperationPayment, input: RefundInput): Promise<void> {
    const amount = input.amount ?? (await this.refundableAmount(payment.providerPaymentId, input.signal));
    if (!Number.isSafeInteger(amount) || amount < 1) throw new ProviderRefused('The refund amount must be a positive whole number of cents.', 'amount');
    const refund: RefundPaymentCheckoutInput = { paymentCheckoutId: payment.providerPaymentId, amount };
    const answer = await this.graphql<RefundPaymentCheckoutData>(REFUND_PAYMENT_CHECKOUT, { input: refund }, { idempotent: false, signal: input.signal });
    if (answer.errors.length) throw readFailure('refundPaymentCheckout', answer.errors);
    const result = answer.data?.refundPaymentCheckout;
    if (!result) throw new ProviderUnavailable('hero: refundPaymentCheckout answered without data');
    if (Array.isArray(result.validationErrors)) {
      throw refundValidationFailure(result.validationErrors.map((e) => (Array.isArray(e?.path) ? e.path : [])));
    }
    if (typeof result.errorCode === 'string') throw refundFailure(result.errorCode, typeof result.message === 'string' ? result.message : '');
    if (result.success === true) return;
    if (result.success === false) throw new ProviderRefused('Hero did not carry out the refund.');
    throw new ProviderUnavailable('hero: refundPaymentCheckout answered a result Kassa cannot read');
  }

  /**
   * Links the order when creating the payment could not (`data.orderIdLinked` is not true). `setOrderId` only labels
   * the payment in Hero's dashboard and the last call wins, so repeating it is harmless.
   */
  async afterSuccess(payment: OperationPayment, signal: AbortSignal): Promise<void> {
    if (payment.data?.orderIdLinked === true) return;
    await this.setOrderId(payment.providerPaymentId, payment.order, signal);
  }

  /**
   * Hero sends no webhooks and signs nothing: its only notification is a GET to the payment's `redirectUri`, which
   * is the endpoint's return route (it re-reads the status with getPaymentsInfos). So nothing that arrives at
   * `/webhooks/hero` can come from Hero, and every such request is rejected.
   */
  async verifyWebhook(_request: WebhookRequest): Promise<WebhookResult> {
    throw new WebhookRejected('Hero sends no webhooks; its notification arrives at the return route');
  }

  /** The payment's `getPaymentsInfos` row; Hero leaves out ids it does not know (seed). */
  private async paymentInfos(paymentId: string, signal: AbortSignal): Promise<PaymentInfos> {
    const answer = await this.graphql<GetPaymentsInfosData>(GET_PAYMENTS_INFOS, { paymentIds: [paymentId] }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('getPaymentsInfos', answer.errors);
    const infos = answer.data?.getPaymentsInfos;
    if (!infos) throw new ProviderUnavailable('hero: getPaymentsInfos answered without data');
    if (infos.validationErrors) throw new Error('hero: getPaymentsInfos refused the payment id');
    const row = infos.result?.find((r) => r.paymentId === paymentId);
    // Another account's key or another environment.
    if (!row) throw new Error(`hero: getPaymentsInfos does not know payment ${paymentId} for this API key`);
    if (!isPaymentInfos(row)) throw new ProviderUnavailable('hero: getPaymentsInfos answered a row Kassa cannot read');
    return row;
  }

  /** What is left to refund, in cents: paid, less refunded, less refunds still being processed. */
  private async refundableAmount(paymentId: string, signal: AbortSignal): Promise<number> {
    const row = await this.paymentInfos(paymentId, signal);
    const cents = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);
    if (!row.isSuccess) throw new ProviderRefused('This Hero payment was not completed, so there is nothing to refund.');
    const left = cents(row.initialPaymentAmount) - cents(row.refundedAmount) - cents(row.pendingRefundAmount);
    if (left < 1) throw new ProviderRefused('This Hero payment has already been refunded in full.');
    return left;
  }

  private async availableTypes(amount: number, signal: AbortSignal) {
    const answer = await this.graphql<AvailablePaymentTypesData>(AVAILABLE_PAYMENT_TYPES, { amount }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('availablePaymentTypes', answer.errors);
    if (!Array.isArray(answer.data?.availablePaymentTypes)) throw new ProviderUnavailable('hero: availablePaymentTypes answered without a list');
    return knownPaymentTypes(answer.data.availablePaymentTypes);
  }

  /** The customer's limits, or undefined when Hero cannot tell (then nothing is hidden, as Hero's plugin does). */
  private async customerLimits(customerReference: string, signal: AbortSignal): Promise<CustomerLimits | undefined> {
    try {
      const answer = await this.graphql<MaxPaymentForCustomerData>(MAX_PAYMENT_FOR_CUSTOMER, { customerReference }, { idempotent: true, signal });
      return answer.errors.length ? undefined : parseCustomerLimits(answer.data?.maxPaymentForCustomer);
    } catch (error) {
      if (signal.aborted) throw error;
      return undefined;
    }
  }

  /**
   * At creation: the payment exists already, so a failure here — even the create's deadline passing — must not lose
   * it for the shopper. It is noted in the payment's data instead, and `afterSuccess` links the order later.
   */
  private async linkOrder(paymentId: string, orderId: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.setOrderId(paymentId, orderId, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** `setOrderId` is safe to repeat (it only labels the payment), so it is retried as a read; Hero always answers true. */
  private async setOrderId(paymentId: string, orderId: string, signal: AbortSignal): Promise<void> {
    const answer = await this.graphql<{ setOrderId: unknown }>(SET_ORDER_ID, { paymentId, orderId }, { idempotent: true, signal });
    if (answer.errors.length) throw readFailure('setOrderId', answer.errors);
    if (answer.data?.setOrderId !== true) throw new ProviderUnavailable('hero: setOrderId did not answer true');
  }

  private graphql<T>(query: string, variables: Record<string, unknown>, options: Pick<CallOptions, 'idempotent' | 'signal'>): Promise<GraphQLAnswer<T>> {
    return callGraphQL<T>(PROVIDER, this.endpoints.graphqlUrl, this.headers, query, variables, {
      timeoutMs: this.deps.timeoutMs,
      attempts: this.deps.attempts,
      ...options,
    });
  }
}

/** The issuer for Hero; a detail missing from both the order and the fields is a refusal the shopper can fix. */
function issuerFor(order: ResolvedOrder, fields: Record<string, string>): IssuerInput {
  try {
    return buildIssuer(order, fields);
  } catch (error) {
    if (!(error instanceof MissingIssuerDetail)) throw error;
    const asked = missingIssuerFields(order).includes(error.key);
    throw new ProviderRefused(`Hero needs the ${issuerFieldLabel(error.key)}.`, asked ? `fields.${error.key}` : undefined);
  }
}

function isPaymentInfos(row: PaymentInfos): boolean {
  return typeof row.isSuccess === 'boolean';
}

export const heroProvider: ProviderModule<HeroConfig> = {
  configSchema,
  create: (config, deps) => new HeroAdapter(configSchema.parse(config), deps),
};
