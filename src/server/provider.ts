/**
 * The contract between the endpoint and one provider. Each provider folder's `server.ts` exports a factory
 * `create<Name>Provider(config, deps): ProviderAdapter`; the endpoint lists them explicitly in `providers.ts`.
 * Adapters hold the provider's secrets and speak its API; they never see the browser's request.
 */
import type { NextAction, PaymentMethod, PaymentState, ProviderName } from '../core/model.ts';
import { problemType, type ProblemCode } from '../core/problem-codes.ts';
import { PROBLEMS } from '../core/problems.ts';
import type { KassaSchema } from './schema.ts';

export type Environment = 'sandbox' | 'staging' | 'production';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Customer {
  /** The merchant's own id for the customer. */
  reference?: string;
  name?: string;
  email?: string;
  phone?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Two-letter language, e.g. `sv`. */
  language?: string;
  address?: Address;
  /** For business customers (Hero pays only companies). */
  company?: { name: string; siret?: string; vatNumber?: string; address?: Address };
}

export interface OrderLine {
  name: string;
  quantity: number;
  /** Minor units, per unit, tax included. */
  unitPrice: number;
  reference?: string;
  /** The line's tax rate in percent (e.g. 25 for 25 % VAT), when the order has one; providers that itemise tax use it. */
  taxRate?: number;
}

/** What the merchant's `resolveOrder` answers: the only source of what is charged. */
export interface ResolvedOrder {
  reference: string;
  /** Minor units. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  customer?: Customer;
  lines?: OrderLine[];
  description?: string;
}

export interface CreatePaymentInput {
  /** Kassa's reference for this payment attempt; unique, safe to use as the provider's merchant reference. */
  reference: string;
  order: ResolvedOrder;
  method: PaymentMethod;
  /** The shopper's inputs for the method (`fields` of the method), already checked against the method's fields. */
  fields: Record<string, string>;
  /** The merchant's return page with Kassa's reference in the query: where the provider sends the shopper back. */
  returnUrl: string;
  /** The endpoint's own return route for this payment (re-reads the status, then goes on to `returnUrl`). */
  endpointReturnUrl: string;
  /** Where the provider posts its webhooks for this payment. */
  webhookUrl: string;
  /** Stable for one click: retries and double clicks send the same key. */
  idempotencyKey: string;
  /**
   * The page the shopper chose the method on (the checkout), when the endpoint knows it: where a provider's "back to
   * the choice of method" link should lead. Falls back to `returnUrl` when unknown.
   */
  checkoutUrl?: string;
  /** The shopper's IP address as the endpoint's client-address rules found it (never `0.0.0.0`), when known. */
  shopperIp?: string;
  signal: AbortSignal;
}

export interface CreatedPayment {
  providerPaymentId: string;
  action: NextAction;
  state: PaymentState;
  providerStatus: string | null;
  /** What the adapter needs later to read the status (never sent to the browser). */
  data?: Record<string, unknown>;
}

/** A payment found at its provider by Kassa's reference (a create that went unanswered may have made it). */
export interface FoundPayment {
  providerPaymentId: string;
  state: PaymentState;
  providerStatus: string | null;
  data?: Record<string, unknown>;
}

export interface StoredPaymentRef {
  reference: string;
  providerPaymentId: string;
  data?: Record<string, unknown>;
}

/** A stored payment as an operation on it (capture, cancel, refund, documents) needs it. */
export interface OperationPayment extends StoredPaymentRef {
  /** The merchant's order reference. */
  order: string;
  /** Minor units, as authorised or charged. */
  amount: number;
  currency: string;
  state: PaymentState;
  providerStatus: string | null;
  /** Minor units captured so far, when known (the provider's read, or Kassa's own captures). */
  capturedAmount?: number;
  /** Minor units refunded so far, when known (the provider's read, or Kassa's own refunds). */
  refundedAmount?: number;
}

export interface OperationInput {
  /** Stable for one operation: a retry of the same operation sends the same key (forwarded where the provider takes one). */
  idempotencyKey: string;
  signal: AbortSignal;
}

export interface RefundInput extends OperationInput {
  /** Minor units; the whole payment when absent. */
  amount?: number;
  reason?: string;
}

export interface CaptureInput extends OperationInput {
  /** Minor units; the whole authorised amount when absent. */
  amount?: number;
}

/** The document types hi.health takes (its documentation's list). */
export type DocumentType = 'OTHER' | 'INVOICE' | 'PRESCRIPTION' | 'CERTIFICATE' | 'TEST_RESULT';

export interface DocumentInput extends OperationInput {
  type: DocumentType;
  /** The document's bytes: a PDF (starts with `%PDF-`), at most 10 MB. */
  content: Uint8Array;
}

export interface StatusRead {
  state: PaymentState;
  providerStatus: string;
  /** Minor units the provider reports as captured (taken from the shopper), where its read says. */
  capturedAmount?: number;
  /**
   * Minor units the provider reports as refunded or being refunded, where its read says. With `capturedAmount` (or
   * the payment's amount) it decides `partially_refunded` against `refunded`.
   */
  refundedAmount?: number;
  /** The provider's id when the read learned it. */
  providerPaymentId?: string;
}

export interface WebhookRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Exact bytes received: signatures are computed over them. */
  body: Uint8Array;
}

/** Which payment a verified webhook is about; the endpoint re-reads it from the provider. */
export interface WebhookResult {
  providerPaymentId?: string;
  reference?: string;
}

export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Hosts the shopper may be sent to for this provider and environment (exact host names, with port if any). */
  readonly redirectHosts: readonly string[];
  /**
   * Whether asking the provider to create the same payment twice makes one payment (Kronor's reference check,
   * MilkyPay's reference_id, WhenThen's X-Idempotency-Key). When false (Hero, hi.health) a create that went
   * unanswered may still have happened, so the endpoint asks again for the same click only when the failure proves
   * nothing was created (`ProviderUnavailable.provablyNotProcessed`).
   */
  readonly createIsIdempotent: boolean;
  /** The methods for an order; the endpoint caches the answer per provider and `methodsCacheKey`. */
  listMethods(order: ResolvedOrder, signal: AbortSignal): Promise<PaymentMethod[]>;
  /** What the cached method list depends on besides the provider (default: the currency). */
  methodsCacheKey?(order: ResolvedOrder): string;
  /**
   * Creates the payment at the provider. A `ProviderUnavailable` thrown with `provablyNotProcessed` must mean no
   * payment was created: an adapter that calls the provider again after the creating call must not let such an
   * error from a later call escape as is.
   */
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead>;
  /**
   * Most payments one `readStatuses` call takes (Hero's `getPaymentsInfos` takes 100 ids). Set exactly when
   * `readStatuses` is.
   */
  readonly batchReadLimit?: number;
  /**
   * Reads several payments in as few provider calls as the provider allows (Hero `getPaymentsInfos`, Kronor
   * `paymentRequests`/`payments` filtered by reference, WhenThen `listPayments`), at most `batchReadLimit` at once.
   * Answers a read per reference for every payment the provider answered about; a payment missing from the map was
   * not found in this call (the endpoint reads it again later, or alone with `readStatus`). Only where the provider
   * has a batch read; the endpoint reads one by one otherwise.
   */
  readStatuses?(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>>;
  /**
   * Follows the merchant's payments live over one long-lived connection (Kronor's `paymentRequests` subscription) and
   * calls `onRead` with a payment's read whenever the provider reports a change, for payments created by Kassa
   * (`reference` is Kassa's reference). Runs until `signal` aborts, reconnecting with backoff after a drop; resolves
   * then. Only where the provider offers it.
   */
  followStatuses?(onRead: (reference: string, status: StatusRead) => void, signal: AbortSignal): Promise<void>;
  /**
   * Finds the payment a create for `reference` made, when the create went unanswered: undefined when the provider
   * holds none. Only where the provider can be asked by Kassa's reference; it lets the endpoint go on to another
   * provider after an unanswered create and still find, record and cancel what the first one made.
   */
  findPayment?(reference: string, order: ResolvedOrder, signal: AbortSignal): Promise<FoundPayment | undefined>;
  /**
   * Cancels a payment so it can no longer be paid: an open one (the shopper has not paid yet) or an authorised one (the
   * authorisation is voided). Only where the provider documents it; absent otherwise. The outcome is not assumed: the
   * endpoint reads the payment again afterwards. Throws `ProviderRefused` when the provider refuses (e.g. already paid).
   */
  cancelPayment?(payment: OperationPayment, input: OperationInput): Promise<void>;
  /**
   * Refunds a paid payment, in full or in part. Only where the provider documents it; absent otherwise. The endpoint
   * reads the payment again afterwards. Throws `ProviderRefused` when the provider refuses.
   */
  refundPayment?(payment: OperationPayment, input: RefundInput): Promise<void>;
  /**
   * Captures an authorised payment, in full or (where the provider documents it) in part. Only where the provider
   * documents capture; absent otherwise. A partial capture the provider does not take throws `OperationNotSupported`
   * with operation `partial-capture`. The endpoint reads the payment again afterwards. Throws `ProviderRefused`
   * when the provider refuses (captured already, authorisation lapsed).
   */
  capturePayment?(payment: OperationPayment, input: CaptureInput): Promise<void>;
  /** Uploads a document for the payment (hi.health's reimbursement needs the invoice). Only where documented. */
  uploadDocument?(payment: OperationPayment, input: DocumentInput): Promise<void>;
  /**
   * Work the provider wants once a payment succeeded that creating it could not finish (Hero: `setOrderId` when the
   * call at creation failed). Safe to repeat: events are delivered at least once. Absent when there is none.
   */
  afterSuccess?(payment: OperationPayment, signal: AbortSignal): Promise<void>;
  /**
   * Checks at start-up that the configuration can do what Kassa will ask (e.g. Kronor: the token's role may read
   * what the status query asks for). Throws a `KassaConfigError`-like `Error` with a plain message when it cannot;
   * the endpoint reports it through `onError` and keeps running.
   */
  checkSetup?(signal: AbortSignal): Promise<void>;
  /** Verifies a webhook's signature and says which payment it is about; throws `WebhookRejected` when it is not genuine. */
  verifyWebhook(request: WebhookRequest): Promise<WebhookResult>;
  /** The answer the provider expects once a webhook is accepted (Kronor wants `[accepted]`); default 200 empty. */
  webhookAnswer?(): Response;
}

export class WebhookRejected extends Error {}

/** The after-sale operations Kassa offers over its providers. */
export type PaymentOperation = 'capture' | 'partial-capture' | 'cancel' | 'refund' | 'partial-refund' | 'document';

/**
 * The provider does not document this operation (a MilkyPay refund, a hi.health refund, a partial capture at
 * hi.health): nothing was sent to it. Over HTTP: `urn:kassa:problem:operation-not-supported`.
 */
export class OperationNotSupported extends Error {
  override readonly name = 'OperationNotSupported';
  readonly code = 'operation-not-supported';
  constructor(
    readonly provider: ProviderName,
    readonly operation: PaymentOperation,
  ) {
    super(`${provider} does not support ${operation === 'document' ? 'document uploads' : `${operation.replace('-', ' ')}s`}`);
  }

  /** The RFC 9457 problem body an HTTP route answers for it (`urn:kassa:problem:operation-not-supported`, 422). */
  get problem(): OperationProblem {
    return operationProblem(this.code, this.message, { provider: this.provider, operation: this.operation });
  }
}

/** An after-sale operation's failure as an RFC 9457 problem body: what an HTTP route answers for it. */
export interface OperationProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [member: string]: string | number;
}

export function operationProblem(code: ProblemCode, detail: string, members: Record<string, string | number> = {}): OperationProblem {
  const { status, title } = PROBLEMS[code];
  return { ...members, type: problemType(code), title, status, detail };
}

/**
 * A provider refused the request for a reason the shopper can act on (amount out of range, bad field): the
 * endpoint answers `provider-refused` with this message as detail. Never include secrets or raw payloads.
 */
export class ProviderRefused extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface UnavailableDetails {
  /**
   * True only when the provider's answer (or its absence) proves it did not act on the request: it answered 429 or
   * refused the request before processing it, or the connection was refused before the request was sent. A timeout,
   * a dropped connection, a 5xx or an unreadable answer leave it false: the provider may have done the work.
   */
  provablyNotProcessed?: boolean;
  /** How long the provider asked callers to wait (its `Retry-After`), in seconds, when it said. */
  retryAfterSeconds?: number;
}

/** The provider could not be reached, timed out, or answered 5xx/429: the endpoint answers `provider-unavailable`. */
export class ProviderUnavailable extends Error {
  /** See `UnavailableDetails.provablyNotProcessed`; false unless the failure proves it. */
  readonly provablyNotProcessed: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: UnavailableDetails = {}) {
    super(message);
    this.provablyNotProcessed = details.provablyNotProcessed === true;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** What every adapter gets from the endpoint besides its own configuration. */
export interface ProviderDeps {
  /** Base URL of the local sandbox, for the `sandbox` environment (default `http://127.0.0.1:4010`). */
  sandboxUrl: string;
  /** Per-attempt timeout and attempts for provider calls. */
  timeoutMs: number;
  attempts: number;
}

/** A provider folder's server entry: its configuration schema and its adapter factory. */
export interface ProviderModule<Config> {
  configSchema: KassaSchema<Config>;
  create(config: Config, deps: ProviderDeps): ProviderAdapter;
}

/** `readStatuses`' precondition: the endpoint never passes more than the adapter's `batchReadLimit`; more is a bug. */
export function checkBatchSize(provider: ProviderName, payments: readonly unknown[], limit: number): void {
  if (payments.length > limit) throw new RangeError(`${provider}: readStatuses takes at most ${limit} payments at once (got ${payments.length})`);
}
