/**
 * Every Hero status Kassa knows of → Kassa's state: the seed's two examples (finalized; PAYMENT_NOT_INITIATED), the
 * sandbox's INVENTED error strings and review statuses, refunds, and what an unknown value falls back to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { heroStatus, type HeroStatusData } from './status.ts';

const row = (over: Partial<HeroStatusData>): HeroStatusData => ({
  isSuccess: false,
  error: null,
  reviewStatus: 'NONE',
  initialPaymentAmount: 8000,
  pendingRefundAmount: 0,
  refundedAmount: 0,
  ...over,
});

const TABLE: Array<[string, HeroStatusData, string, string]> = [
  // [what, Hero's data, Kassa state, raw status kept]
  ['seed: finalized payment', row({ isSuccess: true, reviewStatus: 'ACCEPTED' }), 'paid', 'SUCCESS'],
  ['seed: PAYMENT_NOT_INITIATED', row({ error: 'PAYMENT_NOT_INITIATED', reviewStatus: 'NONE' }), 'action_required', 'PAYMENT_NOT_INITIATED'],
  ['PAYMENT_IN_REVIEW (risk review pending)', row({ error: 'PAYMENT_IN_REVIEW', reviewStatus: 'PENDING' }), 'processing', 'PAYMENT_IN_REVIEW'],
  ['PAYMENT_REFUSED', row({ error: 'PAYMENT_REFUSED', reviewStatus: 'REFUSED' }), 'declined', 'PAYMENT_REFUSED'],
  ['PAYMENT_CANCELLED', row({ error: 'PAYMENT_CANCELLED' }), 'cancelled', 'PAYMENT_CANCELLED'],
  ['PAYMENT_EXPIRED', row({ error: 'PAYMENT_EXPIRED' }), 'expired', 'PAYMENT_EXPIRED'],
  ['PAYMENT_FAILED', row({ error: 'PAYMENT_FAILED' }), 'failed', 'PAYMENT_FAILED'],
  ['finalized, refund still pending', row({ isSuccess: true, pendingRefundAmount: 3000 }), 'paid', 'SUCCESS'],
  ['finalized, part refunded', row({ isSuccess: true, refundedAmount: 3000 }), 'partially_refunded', 'SUCCESS'],
  ['finalized, fully refunded', row({ isSuccess: true, refundedAmount: 8000 }), 'refunded', 'SUCCESS'],
  ['finalized, paymentStatus shape (no amounts)', { isSuccess: true, error: null }, 'paid', 'SUCCESS'],
  ['paymentStatus shape, not initiated', { isSuccess: false, error: 'PAYMENT_NOT_INITIATED' }, 'action_required', 'PAYMENT_NOT_INITIATED'],
  ['lower-case error is still known', row({ error: 'payment_refused' }), 'declined', 'payment_refused'],
  ['unknown error, no verdict: keep waiting', row({ error: 'SOMETHING_NEW' }), 'pending', 'SOMETHING_NEW'],
  ['unknown error, review refused', row({ error: 'SOMETHING_NEW', reviewStatus: 'REFUSED' }), 'declined', 'SOMETHING_NEW'],
  ['no error, review pending', row({ error: null, reviewStatus: 'PENDING' }), 'processing', 'PENDING'],
  ['no error, review NONE', row({ error: null, reviewStatus: 'NONE' }), 'pending', 'NONE'],
  ['reviewStatus as an integer (seed table)', row({ error: null, reviewStatus: 0 }), 'pending', '0'],
  ['nothing at all', { isSuccess: false }, 'pending', 'UNKNOWN'],
];

describe('heroStatus', () => {
  for (const [what, data, state, raw] of TABLE) {
    test(what, () => {
      assert.deepEqual(heroStatus(data), { state, providerStatus: raw });
    });
  }
});
