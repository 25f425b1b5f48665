/**
 * Which payment state may follow which. Reads from a provider can come late, out of order or skip states (a payment
 * read as `pending` may be `refunded` at the next read), so the machine allows every jump forward and refuses only
 * what would hide money that moved or undo an outcome:
 * - an open payment (`created` to `processing`) may become anything but `created` again;
 * - `failed` is not always final at the provider (MilkyPay's `process_error` may still be processed), so it may
 *   become anything but `created`; `declined`, `cancelled` and `expired` may still turn into a success the provider
 *   reports (a late capture, a payment made at the last second): a charge is never hidden;
 * - `authorized` may be captured (`processing`, `paid`), refunded, voided or lapse (`cancelled`, `expired`, `failed`);
 * - `paid` may only be refunded, in part or in full; `refunded` is the end.
 * The same state again is allowed: only the provider's own status changed.
 */
import type { PaymentState } from '../../core/model.ts';

const OPEN: readonly PaymentState[] = ['action_required', 'pending', 'processing'];
const SUCCESSES: readonly PaymentState[] = ['authorized', 'paid', 'partially_refunded', 'refunded'];
const FAILURES: readonly PaymentState[] = ['failed', 'declined', 'cancelled', 'expired'];
const ANY_BUT_CREATED: readonly PaymentState[] = [...OPEN, ...SUCCESSES, ...FAILURES];

/** For each state, the other states that may follow it. */
export const NEXT_STATES: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  created: ANY_BUT_CREATED,
  action_required: ANY_BUT_CREATED,
  pending: ANY_BUT_CREATED,
  processing: ANY_BUT_CREATED,
  failed: ANY_BUT_CREATED,
  declined: SUCCESSES,
  cancelled: SUCCESSES,
  expired: SUCCESSES,
  authorized: ['processing', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'expired', 'failed'],
  paid: ['partially_refunded', 'refunded'],
  partially_refunded: ['refunded'],
  refunded: [],
};

/** Whether a payment in state `from` may be moved to `to` (the same state again is allowed). */
export function mayFollow(from: PaymentState, to: PaymentState): boolean {
  return from === to || NEXT_STATES[from].includes(to);
}

/** Whether the payment holds the shopper's money for the merchant (authorised, paid, partly refunded): its order is paid. */
export function holdsMoney(state: PaymentState): boolean {
  return state === 'authorized' || state === 'paid' || state === 'partially_refunded';
}
