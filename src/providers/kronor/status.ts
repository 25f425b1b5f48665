/**
 * Kronor's statuses → Kassa's states, as pure functions. A Kassa payment is one Kronor payment session: before the
 * shopper's browser starts a payment in it, there is nothing to wait for but the shopper (`action_required`);
 * afterwards the state follows the session's latest payment request, or its Payment once one succeeded (the
 * merchant `payments` query, which also tells refunds).
 */
import type { PaymentState } from '../../core/model.ts';
import type { StatusRead } from '../../server/provider.ts';

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
  // Part captured, the rest still held for the merchant: the shopper is done, the money is not all taken.
  ['PARTIALLY_CAPTURED', 'authorized'],
  ['PAID', 'paid'],
  // Kronor: "Payment capture is declined. Please create a new payment."
  ['CAPTURE_DECLINED', 'declined'],
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
  const refund = facts.refundStatus ? REFUND_STATES.get(facts.refundStatus) : undefined;
  if (refund && (state === 'paid' || state === 'authorized')) return { state: refund, providerStatus: `${status} (${facts.refundStatus})` };
  if (state === 'failed' && facts.swishErrorCode === SWISH_TIMEOUT) return { state: 'expired', providerStatus: `${status} (${SWISH_TIMEOUT})` };
  return { state, providerStatus: status };
}

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
