/**
 * Every Hero status Kassa knows of → Kassa's state: the seed's two examples (finalized; PAYMENT_NOT_INITIATED), the
 * assumed error strings and review statuses, refunds (settled and pending) with the amounts reported, what an
 * unknown value falls back to, and the merchant's own mapping over the assumed one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { heroReads, heroStatus, stateMaps, type HeroStatus, type HeroStatusData } from './status.ts';

const row = (over: Partial<HeroStatusData>): HeroStatusData => ({
  isSuccess: false,
  error: null,
  reviewStatus: 'NONE',
  initialPaymentAmount: 8000,
  pendingRefundAmount: 0,
  refundedAmount: 0,
  ...over,
});

const paid = (over: Partial<HeroStatusData>) => row({ isSuccess: true, error: null, reviewStatus: 'ACCEPTED', ...over });

const TABLE: Array<[string, HeroStatusData, HeroStatus]> = [
  // [what, Hero's data, what Kassa reads]
  ['seed: finalized payment', paid({}), { state: 'paid', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 0 }],
  ['seed: PAYMENT_NOT_INITIATED', row({ error: 'PAYMENT_NOT_INITIATED', reviewStatus: 'NONE' }), { state: 'action_required', providerStatus: 'PAYMENT_NOT_INITIATED' }],
  ['PAYMENT_IN_REVIEW (risk review pending)', row({ error: 'PAYMENT_IN_REVIEW', reviewStatus: 'PENDING' }), { state: 'processing', providerStatus: 'PAYMENT_IN_REVIEW' }],
  ['PAYMENT_REFUSED', row({ error: 'PAYMENT_REFUSED', reviewStatus: 'REFUSED' }), { state: 'declined', providerStatus: 'PAYMENT_REFUSED' }],
  ['PAYMENT_CANCELLED', row({ error: 'PAYMENT_CANCELLED' }), { state: 'cancelled', providerStatus: 'PAYMENT_CANCELLED' }],
  ['PAYMENT_EXPIRED', row({ error: 'PAYMENT_EXPIRED' }), { state: 'expired', providerStatus: 'PAYMENT_EXPIRED' }],
  ['PAYMENT_FAILED', row({ error: 'PAYMENT_FAILED' }), { state: 'failed', providerStatus: 'PAYMENT_FAILED' }],
  ['finalized, part of a refund still pending', paid({ pendingRefundAmount: 3000 }), { state: 'partially_refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 3000 }],
  ['finalized, part refunded', paid({ refundedAmount: 3000 }), { state: 'partially_refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 3000 }],
  ['finalized, part refunded and part pending', paid({ refundedAmount: 3000, pendingRefundAmount: 1000 }), { state: 'partially_refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 4000 }],
  ['finalized, the whole refund still pending', paid({ pendingRefundAmount: 8000 }), { state: 'refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 8000 }],
  ['finalized, refunded and pending add up to all', paid({ refundedAmount: 5000, pendingRefundAmount: 3000 }), { state: 'refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 8000 }],
  ['finalized, fully refunded', paid({ refundedAmount: 8000 }), { state: 'refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 8000 }],
  ['amounts that are not cents count as none', paid({ refundedAmount: -5, pendingRefundAmount: 1.5 }), { state: 'paid', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 0 }],
  ['finalized, paymentStatus shape (no amounts)', { isSuccess: true, error: null }, { state: 'paid', providerStatus: 'SUCCESS' }],
  ['refunded without a known initial amount: only in part', { isSuccess: true, refundedAmount: 500 }, { state: 'partially_refunded', providerStatus: 'SUCCESS', refundedAmount: 500 }],
  ['paymentStatus shape, not initiated', { isSuccess: false, error: 'PAYMENT_NOT_INITIATED' }, { state: 'action_required', providerStatus: 'PAYMENT_NOT_INITIATED' }],
  ['lower-case error is still known', row({ error: 'payment_refused' }), { state: 'declined', providerStatus: 'payment_refused' }],
  ['unknown error, no verdict: keep waiting', row({ error: 'SOMETHING_NEW' }), { state: 'pending', providerStatus: 'SOMETHING_NEW' }],
  ['unknown error, review refused', row({ error: 'SOMETHING_NEW', reviewStatus: 'REFUSED' }), { state: 'declined', providerStatus: 'SOMETHING_NEW' }],
  ['no error, review pending', row({ error: null, reviewStatus: 'PENDING' }), { state: 'processing', providerStatus: 'PENDING' }],
  ['no error, review NONE', row({ error: null, reviewStatus: 'NONE' }), { state: 'pending', providerStatus: 'NONE' }],
  ['reviewStatus as an integer (seed table)', row({ error: null, reviewStatus: 0 }), { state: 'pending', providerStatus: '0' }],
  ['nothing at all', { isSuccess: false }, { state: 'pending', providerStatus: 'UNKNOWN' }],
];

describe('heroStatus', () => {
  for (const [what, data, read] of TABLE) {
    test(what, () => {
      assert.deepEqual(heroStatus(data), read);
    });
  }
});

describe("heroStatus with the merchant's own error and review values", () => {
  const maps = stateMaps({ payment_rejected_by_bank: 'declined', PAYMENT_REFUSED: 'failed' }, { '2': 'declined' });
  const TABLE_WITH_MAPS: Array<[string, HeroStatusData, HeroStatus]> = [
    ['a new error value, given in lower case', row({ error: 'PAYMENT_REJECTED_BY_BANK' }), { state: 'declined', providerStatus: 'PAYMENT_REJECTED_BY_BANK' }],
    ['an assumed value mapped otherwise', row({ error: 'PAYMENT_REFUSED' }), { state: 'failed', providerStatus: 'PAYMENT_REFUSED' }],
    ['the seed value still maps as before', row({ error: 'PAYMENT_NOT_INITIATED' }), { state: 'action_required', providerStatus: 'PAYMENT_NOT_INITIATED' }],
    ['an integer review status (seed table)', row({ error: 'SOMETHING_NEW', reviewStatus: 2 }), { state: 'declined', providerStatus: 'SOMETHING_NEW' }],
    ['the assumed review values stay', row({ error: null, reviewStatus: 'PENDING' }), { state: 'processing', providerStatus: 'PENDING' }],
    ['a finalized payment is paid whatever the maps say', paid({}), { state: 'paid', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 0 }],
  ];
  for (const [what, data, read] of TABLE_WITH_MAPS) {
    test(what, () => {
      assert.deepEqual(heroStatus(data, maps), read);
    });
  }
});

describe('heroReads: one getPaymentsInfos answer, a read per reference', () => {
  const ask = [
    { reference: 'kp_paid', providerPaymentId: 'paycheckout-1' },
    { reference: 'kp_open', providerPaymentId: 'paycheckout-2' },
    { reference: 'kp_unknown', providerPaymentId: 'paycheckout-3' },
    { reference: 'kp_unreadable', providerPaymentId: 'paycheckout-4' },
  ];
  const rows = [
    { paymentId: 'paycheckout-2', ...row({ error: 'PAYMENT_NOT_INITIATED' }) },
    { paymentId: 'paycheckout-1', ...paid({ refundedAmount: 3000 }) },
    // A second row for the same id: the first one counts, as readStatus takes the first.
    { paymentId: 'paycheckout-1', ...row({ error: 'PAYMENT_FAILED' }) },
    { paymentId: 'paycheckout-4', isSuccess: 'yes' as unknown as boolean },
    null,
    { paymentId: 'paycheckout-99', ...paid({}) },
  ];

  test('each row read with heroStatus, keyed by Kassa reference, in any order', () => {
    assert.deepEqual(
      heroReads(ask, rows),
      new Map<string, HeroStatus>([
        ['kp_paid', heroStatus(rows[1]!)],
        ['kp_open', heroStatus(rows[0]!)],
      ]),
    );
    assert.deepEqual(heroReads(ask, rows).get('kp_paid'), { state: 'partially_refunded', providerStatus: 'SUCCESS', capturedAmount: 8000, refundedAmount: 3000 });
  });

  test('ids Hero left out and rows Kassa cannot read get no read', () => {
    const reads = heroReads(ask, rows);
    assert.equal(reads.has('kp_unknown'), false);
    assert.equal(reads.has('kp_unreadable'), false);
  });

  test("the merchant's own maps apply as in readStatus", () => {
    const maps = stateMaps({ PAYMENT_NOT_INITIATED: 'pending' });
    assert.deepEqual(heroReads(ask, rows, maps).get('kp_open'), { state: 'pending', providerStatus: 'PAYMENT_NOT_INITIATED' });
  });

  test('no rows, no reads', () => {
    assert.deepEqual(heroReads(ask, []), new Map());
  });
});
