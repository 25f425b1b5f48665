/**
 * Kronor's statuses → Kassa's states, as pure functions. A Kassa payment is one Kronor payment session: before the
 * shopper's browser starts a payment in it, there is nothing to wait for but the shopper (`action_required`);
 * afterwards the state follows the session's latest payment request, or its Payment once one succeeded (the
 * merchant `payments` query, which also tells refunds).
 */
import type { PaymentState } from '../../core/model.ts';
import { ProviderUnavailable, type StatusRead } from '../../server/provider.ts';

/**
 * Every value of PaymentStatusEnum in Kronor's merchant schema, plus ACCEPTED and PROCESSING, which the seed
 * lists. Kronor's SDKs: PAID and AUTHORIZED are success; ERROR, DECLINED and CANCELLED are rejection.
 */
const PAYMENT_STATUS_STATES = new Map<string, PaymentState>([
  // A request exists and is being set up; the shopper has acted, so it is past action_required, never `created`.
  ['PRE_FLIGHT_CHECK', 'pending'],
  ['INITIALIZING', 'pending'],
  // The shopper must approve: in the Swish / MobilePay / Vipps app, on the card or bank page.
  ['WAITING_FOR_PAYMENT', 'action_required'],
  ['PROCESSING_REDIRECTED_APP', 'action_required'],
  ['PROCESSING_REDIRECTED_WEB', 'action_required'],
  // The shopper is done; Kronor is turning the request into a payment, or the bank still has to pay.
  ['WAITING_FOR_PROMOTION', 'processing'],
  ['FLOW_COMPLETED', 'processing'],
  ['ACCEPTED', 'processing'],
  ['PROCESSING', 'processing'],
  ['AUTHORIZED', 'authorized'],
  // Part captured: the merchant has money (capturedAmount says how much) and may capture the rest or refund it.
  ['PARTIALLY_CAPTURED', 'paid'],
  ['PAID', 'paid'],
  // Kronor: "Payment capture is declined. Please create a new payment." An authorisation that could not be
  // collected failed; it was not the shopper declining.
  ['CAPTURE_DECLINED', 'failed'],
  // The authorisation was given back to the shopper: nothing was taken.
  ['RELEASED', 'cancelled'],
  ['ERROR', 'failed'],
  ['DECLINED', 'declined'],
  ['CANCELLING', 'pending'],
  ['CANCELLED', 'cancelled'],
]);

export const KRONOR_PAYMENT_STATUSES: readonly string[] = [...PAYMENT_STATUS_STATES.keys()];

const REFUND_STATES = new Map<string, PaymentState>([
  ['FULLY_REFUNDED', 'refunded'],
  ['PARTIALLY_REFUNDED', 'partially_refunded'],
]);

/** Swish's error code for "timed out before the payment was started" (Kronor reports it as ERROR). */
const SWISH_TIMEOUT = 'TM01';

/** Raw statuses for a session without any payment request (Kassa's words: Kronor has no status for a session). */
export const SESSION_OPEN = 'SESSION_OPEN';
export const SESSION_EXPIRED = 'SESSION_EXPIRED';

/** One Kronor status; an unknown one is never final, so Kassa keeps reading instead of guessing. */
export function paymentStatusState(status: string): PaymentState {
  return PAYMENT_STATUS_STATES.get(status.trim().toUpperCase()) ?? 'pending';
}

export interface KronorStatusFacts {
  /** The latest status of the session's Payment or latest payment request; null when no payment was started. */
  status: string | null;
  /** The Payment's `paymentRefundStatus`. */
  refundStatus?: string | null;
  /** Minor units captured of the Payment (see `capturedAmount`), when there is one. */
  capturedAmount?: number;
  /** Minor units refunded or being refunded of the Payment (see `refundedAmount`), when there is one. */
  refundedAmount?: number;
  /** The request's Swish `errorCode`, when it was a Swish payment that failed. */
  swishErrorCode?: string | null;
  /** Whether the session's expiresAt has passed. */
  sessionExpired?: boolean;
}

export function kronorStatus(facts: KronorStatusFacts): StatusRead {
  const { status } = facts;
  if (status === null) {
    return facts.sessionExpired ? { state: 'expired', providerStatus: SESSION_EXPIRED } : { state: 'action_required', providerStatus: SESSION_OPEN };
  }
  const state = paymentStatusState(status);
  const amounts = {
    ...(facts.capturedAmount !== undefined ? { capturedAmount: facts.capturedAmount } : {}),
    ...(facts.refundedAmount !== undefined ? { refundedAmount: facts.refundedAmount } : {}),
  };
  const refund = state === 'paid' ? refundState(facts) : undefined;
  if (refund) {
    const told = facts.refundStatus && facts.refundStatus !== NO_REFUND ? ` (${facts.refundStatus})` : '';
    return { state: refund, providerStatus: `${status}${told}`, ...amounts };
  }
  if (state === 'failed' && facts.swishErrorCode === SWISH_TIMEOUT) return { state: 'expired', providerStatus: `${status} (${SWISH_TIMEOUT})` };
  return { state, providerStatus: status, ...amounts };
}

const NO_REFUND = 'NO_REFUND';

/**
 * A paid payment's refunds: the amounts decide when Kronor listed both (a refund still on its way counts, so the
 * state does not wait for Kronor's paymentRefundStatus to catch up); otherwise Kronor's paymentRefundStatus.
 */
function refundState(facts: KronorStatusFacts): PaymentState | undefined {
  const refunded = facts.refundedAmount ?? 0;
  const captured = facts.capturedAmount ?? 0;
  if (refunded > 0 && captured > 0) return refunded >= captured ? 'refunded' : 'partially_refunded';
  return facts.refundStatus ? REFUND_STATES.get(facts.refundStatus) : undefined;
}

/** A Kronor `bigint` amount as a number of minor units, or undefined when it is none. */
export function minorUnitsOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** The well-formed entries of a status list. */
export function statusEntries(value: unknown): StatusEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is StatusEntry => typeof e === 'object' && e !== null && typeof (e as StatusEntry).status === 'string' && typeof (e as StatusEntry).enteredAt === 'string',
  );
}

/** A Payment's amounts and movements as the merchant `payments` query lists them. */
export interface PaymentMoney {
  amountPaid?: unknown;
  captures?: ReadonlyArray<{ amount?: unknown; status?: unknown } | null> | null;
  refunds?: ReadonlyArray<{ totalAmount?: unknown; status?: unknown } | null> | null;
}

/**
 * What was taken from the shopper: the captures Kronor finished (CAPTURE_DONE), or `amountPaid` where that says
 * more (a payment paid at once has no captures).
 */
export function capturedAmount(payment: PaymentMoney): number {
  const done = (payment.captures ?? [])
    .filter((c) => latestStatus(statusEntries(c?.status)) === CAPTURE_DONE)
    .reduce((sum, c) => sum + (minorUnitsOf(c?.amount) ?? 0), 0);
  return Math.max(done, minorUnitsOf(payment.amountPaid) ?? 0);
}

/** What was refunded or is being refunded: every refund but those that failed (ERROR). */
export function refundedAmount(payment: PaymentMoney): number {
  return (payment.refunds ?? [])
    .filter((r) => latestStatus(statusEntries(r?.status)) !== REFUND_ERROR)
    .reduce((sum, r) => sum + (minorUnitsOf(r?.totalAmount) ?? 0), 0);
}

const CAPTURE_DONE = 'CAPTURE_DONE';
const REFUND_ERROR = 'ERROR';

export interface StatusEntry {
  status: string;
  enteredAt: string;
}

/** `status` is a list (a one-row list in practice): the entry entered last. */
export function latestStatus(entries: readonly StatusEntry[] | null | undefined): string | null {
  let latest: StatusEntry | undefined;
  for (const entry of entries ?? []) {
    if (!latest || Date.parse(entry.enteredAt) >= Date.parse(latest.enteredAt)) latest = entry;
  }
  return latest?.status ?? null;
}

/** A `payments` row as the status query selects it: the session's Payment once one succeeded. */
export interface PaymentRow extends PaymentMoney {
  currentStatus?: unknown;
  paymentRefundStatus?: unknown;
}

/** A `paymentRequests` row as the status query (and the live feed) selects it: one attempt in the session. */
export interface RequestRow {
  status?: unknown;
  transactionSwishDetails?: ReadonlyArray<{ errorCode?: unknown } | null> | null;
}

export interface SessionFacts {
  /** The session's latest Payment (merchant `payments`), when one succeeded. */
  payment?: PaymentRow | null | undefined;
  /** The session's latest payment request, when the shopper started one. */
  request?: RequestRow | null | undefined;
  /** The session's expiresAt as Kassa stored it (`data.expiresAt`). */
  expiresAt?: unknown;
  now: number;
}

/**
 * What one Kronor session reads as: its Payment once one succeeded (with captures and refunds), else its latest
 * payment request, else open or expired by the session's expiresAt. `readStatus`, `readStatuses` and the live feed
 * all read through it. A row without its status is unreadable: `ProviderUnavailable`.
 */
export function sessionRead(facts: SessionFacts): StatusRead {
  const { payment, request } = facts;
  if (payment) {
    if (typeof payment.currentStatus !== 'string') throw new ProviderUnavailable('kronor: a payment came without its status');
    return kronorStatus({
      status: payment.currentStatus,
      refundStatus: typeof payment.paymentRefundStatus === 'string' ? payment.paymentRefundStatus : null,
      capturedAmount: capturedAmount(payment),
      refundedAmount: refundedAmount(payment),
    });
  }
  if (request) {
    const status = latestStatus(statusEntries(request.status));
    if (!status) throw new ProviderUnavailable('kronor: a payment request came without its status');
    const swishErrorCode = request.transactionSwishDetails?.[0]?.errorCode;
    return kronorStatus({ status, swishErrorCode: typeof swishErrorCode === 'string' ? swishErrorCode : null });
  }
  const expiresAt = Date.parse(String(facts.expiresAt));
  return kronorStatus({ status: null, sessionExpired: Number.isFinite(expiresAt) && expiresAt <= facts.now });
}

/** The first row per key of a list ordered newest first: each session's latest. */
export function latestByKey<T>(rows: readonly T[], keyOf: (row: T) => unknown): Map<string, T> {
  const latest = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    if (typeof key === 'string' && !latest.has(key)) latest.set(key, row);
  }
  return latest;
}

/**
 * One batch answer (`payments` and `paymentRequests` of many references, each ordered newest first) → a read per
 * Kassa reference, each as `readStatus` reads that reference alone. A session whose rows Kassa cannot read gets no
 * read, so the endpoint reads it alone and gets `readStatus`'s own error.
 */
export function sessionReads(
  sessions: ReadonlyArray<{ reference: string; providerPaymentId: string; data?: Record<string, unknown> | undefined }>,
  payments: ReadonlyArray<(PaymentRow & { merchantReference?: unknown }) | null>,
  requests: ReadonlyArray<(RequestRow & { reference?: unknown }) | null>,
  now: number,
): Map<string, StatusRead> {
  const paymentOf = latestByKey(payments, (p) => p?.merchantReference);
  const requestOf = latestByKey(requests, (r) => r?.reference);
  const reads = new Map<string, StatusRead>();
  for (const session of sessions) {
    try {
      const key = session.providerPaymentId;
      reads.set(session.reference, sessionRead({ payment: paymentOf.get(key), request: requestOf.get(key), expiresAt: session.data?.expiresAt, now }));
    } catch (error) {
      if (!(error instanceof ProviderUnavailable)) throw error;
    }
  }
  return reads;
}

/**
 * The statuses of a payment request that is still waiting for the shopper or for Kronor: what the live feed
 * follows. Only values of Kronor's PaymentStatusEnum (a subscription's filter must use them).
 */
export const WAITING_REQUEST_STATUSES: readonly string[] = [
  'PRE_FLIGHT_CHECK',
  'INITIALIZING',
  'WAITING_FOR_PAYMENT',
  'PROCESSING_REDIRECTED_APP',
  'PROCESSING_REDIRECTED_WEB',
  'WAITING_FOR_PROMOTION',
  'FLOW_COMPLETED',
  'CANCELLING',
];
