/**
 * How a WhenThen payment is born and moves: authorize (with its 3-D Secure and APM detours), capture, refund,
 * cancel, and the shopper's outcome on a WhenThen page. The GraphQL API and the hosted checkout both come here, so
 * a payment made either way follows the same rules. Webhooks are the caller's job.
 */
import type { Outcome } from '../core/outcomes.ts';
import {
  APM_TYPES,
  AUTHORISATION_LIFETIME_MS,
  CARD,
  ERROR_CODES,
  LAPSED_REASON,
  MANUAL_CAPTURE_FLOW_IDS,
  OUTCOME_DETAILS,
  OUTCOME_STATUS,
  WALLET_TYPES,
} from './config.ts';
import { whenThenError } from './errors.ts';
import { hasLapsed, operationOutcome, type PaymentOperation } from './operations.ts';
import type { ClientTokenGrant, Customer, PaymentStatus, StoredCard, WhenThenPayment, WhenThenStore } from './state.ts';
import { isAwaitingShopper } from './state.ts';
import { cardBehaviour, cardBrand, checkCard, optionalUrl, requireAmount, requireCurrency, type CardInput } from './validation.ts';

/** `AuthorisedPaymentInput` as graphql-js hands it over (absent optional fields are missing or null). */
export interface AuthorisedPaymentInput {
  transactionId?: string | null;
  orderId?: string | null;
  flowId?: string | null;
  intentId?: string | null;
  currencyCode?: string | null;
  amount?: number | null;
  paymentMethod: {
    type: string;
    token?: string | null;
    walletToken?: string | null;
    card?: { number?: string | null; expMonth: number; expYear: number; cvc?: string | null; name?: string | null } | null;
    googlePay?: { transactionId: string } | null;
  };
  customer?: { id?: string | null; email?: string | null; name?: string | null } | null;
  description?: string | null;
  metadata?: unknown;
  perform3DSecure?: { redirectUrl?: string | null } | null;
  apmRedirectUrl?: string | null;
  fraud?: unknown;
  headlessMode?: boolean | null;
  paymentProcessorConnectionId?: string | null;
}

export interface AuthorizeOptions {
  /** The client token the browser authorized with; its amount and currency bind the payment. */
  grant: ClientTokenGrant | null;
  /** The hosted checkout fixes the id when its page opens (so a preset outcome can be bound to it). */
  paymentId?: string;
  /** The hosted checkout's redirectUrl: where the shopper returns, with `id` and `status`. */
  hostedRedirectUrl?: string;
  /** The hosted checkout's Decline button: the issuer declines whatever the card. */
  forceDecline?: boolean;
}

export type AuthorizeResult = { payment: WhenThenPayment; challenge: null } | { payment: WhenThenPayment; challenge: ChallengeError };

export interface ChallengeError {
  code: typeof ERROR_CODES.requires3DSecure | typeof ERROR_CODES.requiresApmAuthorization;
  message: string;
  /** The page path; the caller makes it absolute. */
  path: string;
}

export const challengePath = (payment: WhenThenPayment): string | null =>
  payment.challenge === 'three-d-secure'
    ? `/whenthen/3ds/${encodeURIComponent(payment.id)}`
    : payment.challenge === 'apm'
      ? `/whenthen/apm/${encodeURIComponent(payment.id)}`
      : null;

/** A headless payment, or one in a delayed-capture flow, waits for capturePayment; others capture at once. */
function capturesManually(flowId: string | null | undefined, headless: boolean): boolean {
  return headless || (flowId != null && MANUAL_CAPTURE_FLOW_IDS.has(flowId));
}

/** AUTHORISED when the payment waits for capturePayment (headless, or a delayed-capture flow), else SUCCEEDED. */
export function approvedStatus(payment: Pick<WhenThenPayment, 'manualCapture'>): PaymentStatus {
  return payment.manualCapture ? 'AUTHORISED' : 'SUCCEEDED';
}

function amountAndCurrency(input: AuthorisedPaymentInput, grant: ClientTokenGrant | null): { amount: number; currency: string } {
  const amount = requireAmount(input.amount ?? grant?.amount);
  const currency = requireCurrency(input.currencyCode ?? grant?.currency);
  if (grant?.amount != null && grant.amount !== amount) {
    throw whenThenError(ERROR_CODES.clientTokenMismatch, `The client token was generated for amount ${grant.amount}, not ${amount}`);
  }
  if (grant?.currency != null && grant.currency !== currency) {
    throw whenThenError(ERROR_CODES.clientTokenMismatch, `The client token was generated for ${grant.currency}, not ${currency}`);
  }
  return { amount, currency };
}

/** Checks a card and keeps it behind a token, as tokenisePaymentMethod and WhenThen's hosted fields do. */
export function tokeniseCard(
  store: WhenThenStore,
  card: CardInput & { name?: string | null },
  extra: Pick<StoredCard, 'metadata' | 'externalId' | 'billingAddress'> = { metadata: null, externalId: null, billingAddress: null },
): StoredCard {
  const checked = checkCard(card, new Date());
  return store.saveCard(checked, { name: card.name ?? null, behaviour: cardBehaviour(checked.digits), brand: cardBrand(checked.digits), ...extra });
}

/** The card an authorization pays with: a token from tokenisePaymentMethod, or full card data. */
function resolveCard(store: WhenThenStore, method: AuthorisedPaymentInput['paymentMethod']): StoredCard {
  if (method.token) {
    const card = store.card(method.token);
    if (!card) throw whenThenError(ERROR_CODES.unknownPaymentMethodToken, 'No payment method has this token');
    return card;
  }
  if (method.card) return tokeniseCard(store, method.card);
  throw whenThenError(ERROR_CODES.missingPaymentMethod, 'A CARD payment needs paymentMethod.token or paymentMethod.card');
}

/** Checks the input, creates the payment in its first status, and says whether the shopper must pass a page. */
export function authorize(store: WhenThenStore, input: AuthorisedPaymentInput, options: AuthorizeOptions): AuthorizeResult {
  const { amount, currency } = amountAndCurrency(input, options.grant);
  const method = input.paymentMethod;
  const threeDSecureRedirectUrl = optionalUrl(input.perform3DSecure?.redirectUrl, 'perform3DSecure.redirectUrl');
  const apmRedirectUrl = optionalUrl(input.apmRedirectUrl, 'apmRedirectUrl');

  let card: StoredCard | null = null;
  if (method.type === CARD) {
    card = resolveCard(store, method);
  } else if (WALLET_TYPES.has(method.type)) {
    if (!method.walletToken) throw whenThenError(ERROR_CODES.missingPaymentMethod, `A ${method.type} payment needs paymentMethod.walletToken`);
  } else if (APM_TYPES.has(method.type)) {
    if (!apmRedirectUrl) throw whenThenError(ERROR_CODES.missingApmRedirectUrl, `A ${method.type} payment needs apmRedirectUrl`);
  } else {
    throw whenThenError(ERROR_CODES.unsupportedPaymentMethod, `paymentMethod.type ${JSON.stringify(method.type)} is not supported`);
  }

  const manualCapture = capturesManually(input.flowId, input.headlessMode === true);
  const returnsSomewhere = threeDSecureRedirectUrl !== null || options.hostedRedirectUrl !== undefined;
  const first = firstStatus({ method: method.type, card, forceDecline: options.forceDecline === true, returnsSomewhere, manualCapture });

  const payment = store.create({
    id: options.paymentId,
    status: first.status,
    amount,
    currency,
    orderId: input.orderId ?? null,
    flowId: input.flowId ?? null,
    description: input.description ?? null,
    metadata: input.metadata ?? null,
    customer: customerOf(input.customer),
    methodType: method.type,
    card,
    manualCapture,
    headless: input.headlessMode === true,
    challenge: first.challenge,
    threeDSecureRedirectUrl,
    apmRedirectUrl,
    hostedRedirectUrl: options.hostedRedirectUrl,
    reason: first.reason,
    declineCode: first.declineCode,
  });
  const path = challengePath(payment);
  if (!path) return { payment, challenge: null };
  return {
    payment,
    challenge:
      payment.challenge === 'three-d-secure'
        ? { code: ERROR_CODES.requires3DSecure, message: 'The payment requires 3D Secure authentication', path }
        : { code: ERROR_CODES.requiresApmAuthorization, message: `The payment must be authorized with ${method.type}`, path },
  };
}

interface FirstStatus {
  status: PaymentStatus;
  challenge: WhenThenPayment['challenge'];
  reason: string | null;
  declineCode: string | null;
}

function firstStatus(p: { method: string; card: StoredCard | null; forceDecline: boolean; returnsSomewhere: boolean; manualCapture: boolean }): FirstStatus {
  const approved = { status: approvedStatus(p), challenge: null, reason: null, declineCode: null };
  if (p.forceDecline || p.card?.behaviour === 'decline') {
    return { status: 'DECLINED', challenge: null, ...OUTCOME_DETAILS.decline };
  }
  if (APM_TYPES.has(p.method)) return { status: 'NEEDS_APM_AUTHORIZATION', challenge: 'apm', reason: null, declineCode: null };
  if (p.card?.behaviour !== 'three-d-secure') return approved;
  // As the seed's own DECLINED example shows: a card that needs 3-D Secure cannot go on without a way back.
  if (!p.returnsSomewhere) {
    return {
      status: 'DECLINED',
      challenge: null,
      reason: 'The card requires 3D Secure authentication, but perform3DSecure.redirectUrl was not given',
      declineCode: 'AUTHORIZATION_REQUIRED',
    };
  }
  return { status: 'NEEDS_3D_SECURE', challenge: 'three-d-secure', reason: null, declineCode: null };
}

function customerOf(input: AuthorisedPaymentInput['customer']): Customer | null {
  if (!input) return null;
  return { id: input.id ?? null, email: input.email ?? null, name: input.name ?? null };
}

export interface CheckoutSession {
  paymentId: string;
  grant: ClientTokenGrant & { amount: number; currency: string };
  orderId: string | null;
  flowId: string | null;
  hostedRedirectUrl: string;
}

/**
 * A hosted checkout that ends without a card being charged (its Cancel button, or a preset outcome): the payment is
 * created in that outcome's status, so the shop gets an id to read back (INVENTED; WhenThen's page is not public).
 */
export function closedAtCheckout(store: WhenThenStore, session: CheckoutSession, outcome: Exclude<Outcome, 'pay'>): WhenThenPayment {
  return store.create({
    id: session.paymentId,
    status: OUTCOME_STATUS[outcome],
    amount: session.grant.amount,
    currency: session.grant.currency,
    orderId: session.orderId,
    flowId: session.flowId,
    methodType: CARD,
    manualCapture: capturesManually(session.flowId, false),
    hostedRedirectUrl: session.hostedRedirectUrl,
    ...OUTCOME_DETAILS[outcome],
  });
}

/** Applies WhenThen's rule for the operation (operations.ts), or throws its refusal with the payment unchanged. */
function operate(payment: WhenThenPayment, operation: PaymentOperation, amount: number | null | undefined) {
  const outcome = operationOutcome(payment, operation, amount);
  if (!outcome.ok) throw whenThenError(outcome.code, `Payment ${payment.id}: ${outcome.message}`);
  payment.amount = outcome.amount;
  payment.refundedAmount = outcome.refundedAmount;
  return outcome;
}

/**
 * Captures an AUTHORISED payment, in full or for less (seed), once. INVENTED: after a smaller capture the payment's
 * `amount` becomes the captured amount (the rest is released), so refunds are bounded by what was taken.
 */
export function capture(store: WhenThenStore, payment: WhenThenPayment, amount: number | null | undefined, metadata: unknown): WhenThenPayment {
  const { status, moved } = operate(payment, 'capture', amount);
  if (metadata !== undefined && metadata !== null) payment.metadata = mergeMetadata(payment.metadata, metadata);
  return store.transition(payment, status, `Captured ${moved}`);
}

function mergeMetadata(current: unknown, added: unknown): unknown {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isRecord(current) && isRecord(added) ? { ...current, ...added } : added;
}

/** Refunds a SUCCEEDED payment (seed), in parts until nothing is left: PARTIAL_REFUNDED, then REFUNDED. */
export function refund(store: WhenThenStore, payment: WhenThenPayment, amount: number | null | undefined, reason: string | null | undefined): WhenThenPayment {
  const { status, moved } = operate(payment, 'refund', amount);
  return store.transition(payment, status, reason ?? `Refunded ${moved}`);
}

/** Cancels an AUTHORISED payment (seed: "A Payment can be cancelled when it has a status of AUTHORISED"). */
export function cancel(store: WhenThenStore, payment: WhenThenPayment, reason: string | null | undefined): WhenThenPayment {
  const { status } = operate(payment, 'cancel', null);
  payment.reason = reason ?? null;
  return store.transition(payment, status, reason ?? null);
}

/**
 * Cancels every AUTHORISED payment whose authorisation has lapsed by `now` (seed: "Uncaptured Payments will be
 * cancelled after approximately seven days") and returns them, so their webhooks can go out.
 */
export function lapseAuthorisations(store: WhenThenStore, now: number): WhenThenPayment[] {
  const lapsed = store.all().filter((payment) => hasLapsed(payment, now, AUTHORISATION_LIFETIME_MS));
  for (const payment of lapsed) {
    payment.reason = LAPSED_REASON;
    store.transition(payment, 'CANCELLED', LAPSED_REASON);
  }
  return lapsed;
}

/** What the shopper's choice on the 3-D Secure or APM page does to a payment that waits for it. */
export function applyOutcome(store: WhenThenStore, payment: WhenThenPayment, outcome: Outcome): WhenThenPayment {
  if (!isAwaitingShopper(payment)) {
    throw new Error(`whenthen payment ${payment.id} is ${payment.status}; only a payment waiting for the shopper can be decided`);
  }
  if (payment.challenge === 'three-d-secure') payment.threeDSecureResult = outcome === 'pay' ? 'AUTHENTICATED' : 'FAILED';
  if (outcome === 'pay') return store.transition(payment, approvedStatus(payment), 'Authorised by the shopper');
  const { reason, declineCode } = OUTCOME_DETAILS[outcome];
  payment.reason = reason;
  payment.declineCode = declineCode;
  return store.transition(payment, OUTCOME_STATUS[outcome], reason);
}

/**
 * Where the shopper's browser goes once a payment left WhenThen's pages: the hosted checkout's redirectUrl with
 * `id` and `status` (INVENTED), apmRedirectUrl with `id` and `status` (INVENTED), or perform3DSecure.redirectUrl with
 * `id` and `3ds_status=COMPLETED|FAILED` (documented). Null when the payment has no way back.
 */
export function returnUrl(payment: WhenThenPayment): string | null {
  if (payment.hostedRedirectUrl) return withQuery(payment.hostedRedirectUrl, { id: payment.id, status: payment.status });
  if (payment.challenge === 'apm' && payment.apmRedirectUrl) {
    return withQuery(payment.apmRedirectUrl, { id: payment.id, status: payment.status });
  }
  if (payment.challenge === 'three-d-secure' && payment.threeDSecureRedirectUrl) {
    const threeDSecureStatus = payment.threeDSecureResult === 'AUTHENTICATED' ? 'COMPLETED' : 'FAILED';
    return withQuery(payment.threeDSecureRedirectUrl, { id: payment.id, '3ds_status': threeDSecureStatus });
  }
  return null;
}

function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.toString();
}
