/**
 * WhenThen's `PaymentStatus` → Kassa's one state model. Every value of the seed (003), providers.md and the real
 * schema has a row; a value Kassa does not know keeps the shopper waiting (never a guessed success or failure).
 *
 * Two values are Kassa's own, not WhenThen's: before the shopper finishes WhenThen's hosted checkout there is no
 * WhenThen payment to read at all (`AWAITING_CHECKOUT`), and once the checkout's client token has expired without a
 * payment there never will be (`CHECKOUT_EXPIRED`).
 */
import type { PaymentState } from '../../core/model.ts';
import type { StatusRead } from '../../server/provider.ts';

export const AWAITING_CHECKOUT = 'AWAITING_CHECKOUT';
export const CHECKOUT_EXPIRED = 'CHECKOUT_EXPIRED';

const STATE_BY_STATUS: Readonly<Record<string, PaymentState>> = {
  // Newer schema: a payment saved before it was submitted.
  DRAFT: 'created',
  // INVENTED reading: WhenThen does not document ACTIVE/INACTIVE for payments (they are its intent statuses too);
  // an active payment is still going, an inactive one stopped without an outcome.
  ACTIVE: 'pending',
  INACTIVE: 'expired',
  // Seed: "authorised, ready to be captured" (delayed-capture flows): the money is held for the merchant.
  AUTHORISED: 'authorized',
  SUCCEEDED: 'paid',
  REFUNDED: 'refunded',
  PARTIAL_REFUNDED: 'partially_refunded',
  // A refund still pending or one that failed leaves the payment as paid (the money is still with the merchant).
  REFUND_PENDING: 'paid',
  REFUND_FAILED: 'paid',
  // A dispute is between the merchant and the card holder; the checkout itself was paid.
  DISPUTED: 'paid',
  CANCELLED: 'cancelled',
  // A payment removed from the account is over without the shopper paying.
  REMOVED: 'cancelled',
  FAILED: 'failed',
  DECLINED: 'declined',
  // The shopper still has a WhenThen page to pass.
  NEEDS_3D_SECURE: 'action_required',
  NEEDS_APM_AUTHORIZATION: 'action_required',
  // The gateway holds the payment for review, or has not answered yet: WhenThen will still decide it.
  GATEWAY_HOLD: 'processing',
  NO_ANSWER_FROM_PSP: 'processing',
  [AWAITING_CHECKOUT]: 'action_required',
  [CHECKOUT_EXPIRED]: 'expired',
};

export interface WhenthenStatus {
  state: PaymentState;
  /** WhenThen's own value (or one of Kassa's two markers above), kept for the merchant. */
  providerStatus: string;
}

export function whenthenStatus(status: string): WhenthenStatus {
  const raw = status.trim();
  return { state: STATE_BY_STATUS[raw.toUpperCase()] ?? 'pending', providerStatus: raw };
}

/** The statuses of a payment whose money was taken: its `amount` is then what was captured. */
const CAPTURED: ReadonlySet<string> = new Set(['SUCCEEDED', 'PARTIAL_REFUNDED', 'REFUNDED', 'REFUND_PENDING', 'REFUND_FAILED', 'DISPUTED']);

export interface PaymentAmounts {
  /** `amount.rawAmount`, minor units: authorised, or captured once captured (after a smaller capture, the smaller). */
  amount?: number | undefined;
  /** `refundedAmount.rawAmount`, minor units; WhenThen answers null before any refund. */
  refundedAmount?: number | undefined;
}

/**
 * What a read of a WhenThen payment tells Kassa: the state, and once the money was taken what was captured and
 * refunded. WhenThen's REFUNDED and PARTIAL_REFUNDED say it themselves; a payment still SUCCEEDED (or with a refund
 * pending or failed, or disputed) whose `refundedAmount` shows refunds is refunded in part, or in full once they reach
 * what was captured.
 */
export function whenthenStatusRead(status: string, amounts: PaymentAmounts = {}): StatusRead {
  const read = whenthenStatus(status);
  const value = read.providerStatus.toUpperCase();
  if (!CAPTURED.has(value)) return read;
  const captured = amounts.amount;
  // No refundedAmount: REFUNDED means all of it, PARTIAL_REFUNDED an unknown part, anything else nothing yet.
  const refunded = amounts.refundedAmount ?? (value === 'REFUNDED' ? captured : value === 'PARTIAL_REFUNDED' ? undefined : 0);
  let state = read.state;
  if (state === 'paid' && refunded !== undefined && refunded > 0) {
    state = captured !== undefined && refunded >= captured ? 'refunded' : 'partially_refunded';
  }
  return {
    state,
    providerStatus: read.providerStatus,
    ...(captured !== undefined ? { capturedAmount: captured } : {}),
    ...(refunded !== undefined ? { refundedAmount: refunded } : {}),
  };
}

/** How much a state says about a checkout: money moved, then still going, then over without payment. */
function rank(state: PaymentState): number {
  if (state === 'paid' || state === 'authorized' || state === 'refunded' || state === 'partially_refunded') return 2;
  if (state === 'failed' || state === 'declined' || state === 'cancelled' || state === 'expired') return 0;
  return 1;
}

export interface OrderPayment {
  status: string;
  /** RFC 3339, as WhenThen answers `date`. */
  date: string;
}

/**
 * The one payment that tells how a checkout went when WhenThen holds several for the same orderId (the shopper was
 * declined on the hosted checkout and tried again): a paid one wins, then one still going, then the newest.
 */
export function decisivePayment<T extends OrderPayment>(payments: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const payment of payments) {
    if (!best) {
      best = payment;
      continue;
    }
    const [candidate, current] = [rank(whenthenStatus(payment.status).state), rank(whenthenStatus(best.status).state)];
    if (candidate > current || (candidate === current && Date.parse(payment.date) > Date.parse(best.date))) best = payment;
  }
  return best;
}
