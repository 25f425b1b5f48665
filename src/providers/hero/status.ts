/**
 * Hero's payment status → Kassa's one state model. Hero has no single status field: `getPaymentsInfos` answers
 * `isSuccess` (finalized or not), an `error` saying why not, a risk `reviewStatus`, and refund amounts.
 *
 * Seed: `isSuccess: true` is a finalized payment; `PAYMENT_NOT_INITIATED` is a payment whose page the shopper has
 * not completed; "when there is an error the order should not be validated". The other error strings and the review
 * statuses that decide a state are assumed (Hero publishes no list; the sandbox uses these names): PAYMENT_IN_REVIEW,
 * PAYMENT_REFUSED, PAYMENT_CANCELLED, PAYMENT_EXPIRED, PAYMENT_FAILED; PENDING, REFUSED. A merchant who learns
 * Hero's real values maps them with the adapter's `errorStates` / `reviewStates` options.
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
  /** Euro cents taken from the company: the payment's amount once Hero finalized it. */
  capturedAmount?: number;
  /** Euro cents refunded or being refunded (Hero's `refundedAmount` + `pendingRefundAmount`). */
  refundedAmount?: number;
}

/** The states an unfinalized Hero payment may be in: Hero's `error` means "do not validate the order", never success. */
export const UNFINALIZED_STATES = ['action_required', 'pending', 'processing', 'declined', 'cancelled', 'expired', 'failed'] as const;
export type UnfinalizedState = (typeof UNFINALIZED_STATES)[number];

/** Which Kassa state each Hero `error` and `reviewStatus` value means (keys upper case). */
export interface HeroStateMaps {
  errors: Readonly<Record<string, UnfinalizedState>>;
  reviews: Readonly<Record<string, UnfinalizedState>>;
}

/** `error` values: the seed's PAYMENT_NOT_INITIATED, and assumed names for the other outcomes. */
export const DEFAULT_ERROR_STATES: Readonly<Record<string, UnfinalizedState>> = {
  // Seed: the shopper has not finished Hero's page yet.
  PAYMENT_NOT_INITIATED: 'action_required',
  // Hero's risk team is reviewing the company; it ends accepted or refused.
  PAYMENT_IN_REVIEW: 'processing',
  PAYMENT_REFUSED: 'declined',
  PAYMENT_CANCELLED: 'cancelled',
  PAYMENT_EXPIRED: 'expired',
  PAYMENT_FAILED: 'failed',
};

/** `reviewStatus` values (assumed), used only when the error does not decide. */
export const DEFAULT_REVIEW_STATES: Readonly<Record<string, UnfinalizedState>> = {
  PENDING: 'processing',
  REFUSED: 'declined',
};

export const DEFAULT_STATE_MAPS: HeroStateMaps = { errors: DEFAULT_ERROR_STATES, reviews: DEFAULT_REVIEW_STATES };

/** The defaults with the merchant's own values on top; keys are compared upper case, as Hero's values are read. */
export function stateMaps(errors: Readonly<Record<string, UnfinalizedState>> = {}, reviews: Readonly<Record<string, UnfinalizedState>> = {}): HeroStateMaps {
  const upper = (map: Readonly<Record<string, UnfinalizedState>>) => Object.fromEntries(Object.entries(map).map(([key, state]) => [key.trim().toUpperCase(), state]));
  return { errors: { ...DEFAULT_ERROR_STATES, ...upper(errors) }, reviews: { ...DEFAULT_REVIEW_STATES, ...upper(reviews) } };
}

/** Raw value Kassa records for a finalized payment, which Hero reports with `error: null`. */
export const SUCCESS_STATUS = 'SUCCESS';

export function heroStatus(data: HeroStatusData, maps: HeroStateMaps = DEFAULT_STATE_MAPS): HeroStatus {
  const error = typeof data.error === 'string' && data.error.trim() !== '' ? data.error.trim() : undefined;
  const review = data.reviewStatus === null || data.reviewStatus === undefined ? undefined : String(data.reviewStatus).toUpperCase();
  if (data.isSuccess) return { ...finalizedState(data), providerStatus: error ?? SUCCESS_STATUS };
  const providerStatus = error ?? review ?? 'UNKNOWN';
  const byError = error ? maps.errors[error.toUpperCase()] : undefined;
  if (byError) return { state: byError, providerStatus };
  // An error Kassa does not know says only "not finalized": keep waiting (never a guessed success or failure),
  // unless the risk review already answered.
  return { state: (review && maps.reviews[review]) || 'pending', providerStatus };
}

/** Hero's amounts are cents; anything else (missing, negative, fractional) counts as none. */
function cents(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/**
 * A finalized payment with its amounts. A refund Hero is still processing counts as refunded: Hero took the
 * request and will not refund that money twice, and a merchant reading `paid` after refunding in full would refund
 * again. The `paymentStatus` shape carries no amounts, so nothing is reported from it.
 */
function finalizedState(data: HeroStatusData): Pick<HeroStatus, 'state' | 'capturedAmount' | 'refundedAmount'> {
  const hasAmounts = data.initialPaymentAmount !== undefined && data.initialPaymentAmount !== null;
  const captured = cents(data.initialPaymentAmount);
  const refunded = cents(data.refundedAmount) + cents(data.pendingRefundAmount);
  const amounts = hasAmounts ? { capturedAmount: captured, refundedAmount: refunded } : refunded > 0 ? { refundedAmount: refunded } : {};
  if (refunded <= 0) return { state: 'paid', ...amounts };
  return { state: captured > 0 && refunded >= captured ? 'refunded' : 'partially_refunded', ...amounts };
}

/** A `getPaymentsInfos` row as far as a read needs it: which payment, and whether Kassa can read it at all. */
export interface HeroInfosRow extends HeroStatusData {
  paymentId: string;
}

/**
 * One `getPaymentsInfos` answer → a read per Kassa reference, each with `heroStatus` as `readStatus` reads it. Hero
 * leaves out ids it does not know; those payments, and rows Kassa cannot read (no boolean `isSuccess`), get no read,
 * so the endpoint reads them alone and gets `readStatus`'s own error.
 */
export function heroReads(
  payments: ReadonlyArray<{ reference: string; providerPaymentId: string }>,
  rows: ReadonlyArray<Partial<HeroInfosRow> | null | undefined>,
  maps: HeroStateMaps = DEFAULT_STATE_MAPS,
): Map<string, HeroStatus> {
  const byId = new Map<string, HeroInfosRow>();
  for (const row of rows) {
    if (row && typeof row.paymentId === 'string' && typeof row.isSuccess === 'boolean' && !byId.has(row.paymentId)) byId.set(row.paymentId, row as HeroInfosRow);
  }
  const reads = new Map<string, HeroStatus>();
  for (const payment of payments) {
    const row = byId.get(payment.providerPaymentId);
    if (row) reads.set(payment.reference, heroStatus(row, maps));
  }
  return reads;
}
