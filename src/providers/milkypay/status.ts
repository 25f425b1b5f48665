/**
 * A MilkyPay invoice's `status` (+ `resolution`) → Kassa's one state model.
 *
 * The statuses are the Corefy/PayCore invoice statuses listed in providers.md; `resolution` says why (`ok` on
 * success, `declined`, `insufficient_funds`, `expired`, …) and only decides between failure states. The public API
 * writes the resolution in capitals (`OK`), the private API in lower case: both are read alike.
 */
import type { PaymentState } from '../../core/model.ts';

export interface MilkypayStatus {
  state: PaymentState;
  /** MilkyPay's own status kept for the merchant, with the resolution when it is not `ok`: `process_failed/declined`. */
  providerStatus: string;
}

const STATE_BY_STATUS: Readonly<Record<string, PaymentState>> = {
  created: 'created',
  processing: 'processing',
  // The invoice waits for the shopper on the hosted page (or for the provider).
  process_pending: 'pending',
  processed: 'paid',
  // Part of the money arrived (bank transfers, crypto); more may follow, so the shopper is not told it is done.
  partially_processed: 'pending',
  // Processing broke on MilkyPay's side; the money did not move. Final for the shopper (a later `processed` still wins).
  process_error: 'failed',
  // A refund in progress or one that failed leaves the payment paid.
  refunding: 'paid',
  refund_pending: 'paid',
  refund_error: 'paid',
  refund_failed: 'paid',
  expired: 'expired',
  // Terminated by the payer (or the merchant) before paying.
  terminated: 'cancelled',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  // The money went back to the cardholder through the bank; Kassa has no chargeback state, refunded is the closest.
  charged_back: 'refunded',
};

/** The states a `process_failed` invoice may be in, by its resolution. */
export const FAILED_STATES = ['declined', 'failed', 'expired', 'cancelled'] as const;
export type FailedState = (typeof FAILED_STATES)[number];

/**
 * `process_failed` resolutions that mean the payer's bank or the provider said no (as opposed to a failure).
 * providers.md names `declined`, `insufficient_funds`, `card_expired`, `invalid_cvv`; the rest are assumed names
 * (the adapter's `resolutionStates` option maps more, or maps these otherwise).
 */
const DECLINE_RESOLUTIONS = new Set([
  'declined',
  'insufficient_funds',
  'card_expired',
  'invalid_cvv',
  'invalid_card',
  'invalid_card_number',
  'auth_3ds_failed',
  'do_not_honor',
  'limit_exceeded',
  'restricted_card',
  'lost_card',
  'stolen_card',
  'fraud',
  'risk_declined',
]);

/**
 * `resolutionStates` are the merchant's own `process_failed` resolutions → states (keys lower case), over the
 * assumed ones.
 */
export function milkypayStatus(status: string, resolution?: string | null, resolutionStates: Readonly<Record<string, FailedState>> = {}): MilkypayStatus {
  const raw = status.trim().toLowerCase();
  const why = (resolution ?? '').trim().toLowerCase();
  const providerStatus = why && why !== 'ok' ? `${raw}/${why}` : raw;
  if (raw === 'process_failed') return { state: resolutionStates[why] ?? failedState(why), providerStatus };
  // A 3-D Secure step the shopper still has to take.
  if (raw === 'process_pending' && why === 'auth_3ds_required') return { state: 'action_required', providerStatus };
  // A status Kassa does not know: keep waiting (never a guessed success or failure).
  return { state: STATE_BY_STATUS[raw] ?? 'pending', providerStatus };
}

function failedState(resolution: string): PaymentState {
  if (resolution === 'expired') return 'expired';
  if (resolution === 'cancelled' || resolution === 'canceled') return 'cancelled';
  return DECLINE_RESOLUTIONS.has(resolution) ? 'declined' : 'failed';
}
