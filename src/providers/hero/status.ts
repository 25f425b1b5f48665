/**
 * Hero's payment status → Kassa's one state model. Hero has no single status field: `getPaymentsInfos` answers
 * `isSuccess` (finalized or not), an `error` saying why not, a risk `reviewStatus`, and refund amounts.
 *
 * Seed: `isSuccess: true` is a finalized payment; `PAYMENT_NOT_INITIATED` is a payment whose page the shopper has
 * not completed; "when there is an error the order should not be validated". The other error strings are the
 * sandbox's INVENTED names (Hero publishes no list): PAYMENT_IN_REVIEW, PAYMENT_REFUSED, PAYMENT_CANCELLED,
 * PAYMENT_EXPIRED, PAYMENT_FAILED.
 */
import type { PaymentState } from '../../core/model.ts';

/** The parts of a `getPaymentsInfos` row (or a `paymentStatus` answer) the state depends on. */
export interface HeroStatusData {
  isSuccess: boolean;
  error?: string | null;
  reviewStatus?: string | number | null;
  initialPaymentAmount?: number | null;
  pendingRefundAmount?: number | null;
  refundedAmount?: number | null;
}

export interface HeroStatus {
  state: PaymentState;
  /** Hero's own value kept for the merchant: `error` when there is one, else `SUCCESS` or the review status. */
  providerStatus: string;
}

const STATE_BY_ERROR: Readonly<Record<string, PaymentState>> = {
  // The shopper has not finished Hero's page yet.
  PAYMENT_NOT_INITIATED: 'action_required',
  // Hero's risk team is reviewing the company; it ends accepted or refused.
  PAYMENT_IN_REVIEW: 'processing',
  PAYMENT_REFUSED: 'declined',
  PAYMENT_CANCELLED: 'cancelled',
  PAYMENT_EXPIRED: 'expired',
  PAYMENT_FAILED: 'failed',
};

const STATE_BY_REVIEW: Readonly<Record<string, PaymentState>> = {
  PENDING: 'processing',
  REFUSED: 'declined',
};

/** Raw value Kassa records for a finalized payment, which Hero reports with `error: null`. */
export const SUCCESS_STATUS = 'SUCCESS';

export function heroStatus(data: HeroStatusData): HeroStatus {
  const error = typeof data.error === 'string' && data.error.trim() !== '' ? data.error.trim() : undefined;
  const review = data.reviewStatus === null || data.reviewStatus === undefined ? undefined : String(data.reviewStatus).toUpperCase();
  if (data.isSuccess) return { state: refundState(data), providerStatus: error ?? SUCCESS_STATUS };
  const providerStatus = error ?? review ?? 'UNKNOWN';
  const byError = error ? STATE_BY_ERROR[error.toUpperCase()] : undefined;
  if (byError) return { state: byError, providerStatus };
  // An error Kassa does not know says only "not finalized": keep waiting (never a guessed success or failure),
  // unless the risk review already answered.
  return { state: (review && STATE_BY_REVIEW[review]) || 'pending', providerStatus };
}

/** A finalized payment is paid until refunds settle; a refund still pending does not count yet. */
function refundState(data: HeroStatusData): PaymentState {
  const refunded = data.refundedAmount ?? 0;
  const initial = data.initialPaymentAmount ?? 0;
  if (refunded <= 0) return 'paid';
  return initial > 0 && refunded >= initial ? 'refunded' : 'partially_refunded';
}
