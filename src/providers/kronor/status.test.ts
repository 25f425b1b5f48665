import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadReferenceSchema } from '../../../sandbox/core/schema-subset.ts';
import type { PaymentState } from '../../core/model.ts';
import {
  capturedAmount,
  KRONOR_PAYMENT_STATUSES,
  kronorStatus,
  latestStatus,
  minorUnitsOf,
  paymentStatusState,
  refundedAmount,
  SESSION_EXPIRED,
  SESSION_OPEN,
  type KronorStatusFacts,
  type PaymentMoney,
} from './status.ts';

describe('Kronor status mapping', () => {
  // Every PaymentStatusEnum value of the merchant schema, and ACCEPTED and PROCESSING from the seed.
  const rows: Array<[raw: string, state: PaymentState]> = [
    ['PRE_FLIGHT_CHECK', 'pending'],
    ['INITIALIZING', 'pending'],
    ['WAITING_FOR_PAYMENT', 'action_required'],
    ['PROCESSING_REDIRECTED_APP', 'action_required'],
    ['PROCESSING_REDIRECTED_WEB', 'action_required'],
    ['WAITING_FOR_PROMOTION', 'processing'],
    ['FLOW_COMPLETED', 'processing'],
    ['ACCEPTED', 'processing'],
    ['PROCESSING', 'processing'],
    ['AUTHORIZED', 'authorized'],
    ['PARTIALLY_CAPTURED', 'paid'],
    ['PAID', 'paid'],
    ['CAPTURE_DECLINED', 'failed'],
    ['RELEASED', 'cancelled'],
    ['ERROR', 'failed'],
    ['DECLINED', 'declined'],
    ['CANCELLING', 'pending'],
    ['CANCELLED', 'cancelled'],
  ];
  for (const [raw, state] of rows) {
    it(`${raw} → ${state}`, () => {
      assert.deepEqual(kronorStatus({ status: raw }), { state, providerStatus: raw });
    });
  }

  it('the table covers every value of PaymentStatusEnum in both real schemas, and nothing else', () => {
    const values = new Set<string>();
    for (const file of ['kronor-merchant.graphqls', 'kronor-session.graphqls'] as const) {
      const type = loadReferenceSchema(file).getType('PaymentStatusEnum');
      assert.ok(type && 'getValues' in type, `${file} has PaymentStatusEnum`);
      for (const value of type.getValues()) values.add(value.name);
    }
    for (const seedOnly of ['ACCEPTED', 'PROCESSING']) values.add(seedOnly);
    assert.deepEqual([...values].sort(), rows.map(([raw]) => raw).sort());
    assert.deepEqual([...KRONOR_PAYMENT_STATUSES].sort(), rows.map(([raw]) => raw).sort());
  });

  it('an unknown, empty or prototype-named status is never final', () => {
    for (const raw of ['SOMETHING_NEW', '', 'constructor', '__proto__']) assert.equal(paymentStatusState(raw), 'pending');
    assert.equal(paymentStatusState(' paid '), 'paid');
  });

  it('a session nobody started a payment in waits for the shopper, until it expires', () => {
    assert.deepEqual(kronorStatus({ status: null }), { state: 'action_required', providerStatus: SESSION_OPEN });
    assert.deepEqual(kronorStatus({ status: null, sessionExpired: true }), { state: 'expired', providerStatus: SESSION_EXPIRED });
  });

  it('refunds of a paid payment', () => {
    assert.deepEqual(kronorStatus({ status: 'PAID', refundStatus: 'FULLY_REFUNDED' }), { state: 'refunded', providerStatus: 'PAID (FULLY_REFUNDED)' });
    assert.deepEqual(kronorStatus({ status: 'PAID', refundStatus: 'PARTIALLY_REFUNDED' }), {
      state: 'partially_refunded',
      providerStatus: 'PAID (PARTIALLY_REFUNDED)',
    });
    assert.deepEqual(kronorStatus({ status: 'PAID', refundStatus: 'NO_REFUND' }), { state: 'paid', providerStatus: 'PAID' });
    // A refund status never turns a failed payment into a refunded one.
    assert.deepEqual(kronorStatus({ status: 'DECLINED', refundStatus: 'FULLY_REFUNDED' }), { state: 'declined', providerStatus: 'DECLINED' });
  });

  it('refund states from the amounts, else from paymentRefundStatus; the amounts are reported', () => {
    const rows: Array<[name: string, facts: KronorStatusFacts, expected: ReturnType<typeof kronorStatus>]> = [
      ['captured, nothing refunded', { status: 'PAID', refundStatus: 'NO_REFUND', capturedAmount: 10_000, refundedAmount: 0 }, { state: 'paid', providerStatus: 'PAID', capturedAmount: 10_000, refundedAmount: 0 }],
      ['part refunded', { status: 'PAID', refundStatus: 'PARTIALLY_REFUNDED', capturedAmount: 10_000, refundedAmount: 2_500 }, { state: 'partially_refunded', providerStatus: 'PAID (PARTIALLY_REFUNDED)', capturedAmount: 10_000, refundedAmount: 2_500 }],
      ['all refunded', { status: 'PAID', refundStatus: 'FULLY_REFUNDED', capturedAmount: 10_000, refundedAmount: 10_000 }, { state: 'refunded', providerStatus: 'PAID (FULLY_REFUNDED)', capturedAmount: 10_000, refundedAmount: 10_000 }],
      // A refund on its way counts before Kronor's paymentRefundStatus catches up.
      ['a refund on its way', { status: 'PAID', refundStatus: 'NO_REFUND', capturedAmount: 10_000, refundedAmount: 10_000 }, { state: 'refunded', providerStatus: 'PAID', capturedAmount: 10_000, refundedAmount: 10_000 }],
      ['part captured, that part refunded', { status: 'PARTIALLY_CAPTURED', refundStatus: 'FULLY_REFUNDED', capturedAmount: 4_000, refundedAmount: 4_000 }, { state: 'refunded', providerStatus: 'PARTIALLY_CAPTURED (FULLY_REFUNDED)', capturedAmount: 4_000, refundedAmount: 4_000 }],
      ['part captured, less refunded', { status: 'PARTIALLY_CAPTURED', capturedAmount: 4_000, refundedAmount: 1_000 }, { state: 'partially_refunded', providerStatus: 'PARTIALLY_CAPTURED', capturedAmount: 4_000, refundedAmount: 1_000 }],
      ['authorised, nothing captured', { status: 'AUTHORIZED', capturedAmount: 0, refundedAmount: 0 }, { state: 'authorized', providerStatus: 'AUTHORIZED', capturedAmount: 0, refundedAmount: 0 }],
      ['released', { status: 'RELEASED', capturedAmount: 0, refundedAmount: 0 }, { state: 'cancelled', providerStatus: 'RELEASED', capturedAmount: 0, refundedAmount: 0 }],
      ['no amounts: Kronor\'s refund status', { status: 'PAID', refundStatus: 'PARTIALLY_REFUNDED' }, { state: 'partially_refunded', providerStatus: 'PAID (PARTIALLY_REFUNDED)' }],
    ];
    for (const [name, facts, expected] of rows) assert.deepEqual(kronorStatus(facts), expected, name);
  });

  it('what was captured and refunded, from the captures, amountPaid and refunds', () => {
    const done = (amount: unknown) => ({ amount, status: [{ status: 'CAPTURE_DONE', enteredAt: '2025-01-01T10:00:01+00:00' }] });
    const capturing = (amount: number) => ({ amount, status: [{ status: 'CAPTURING', enteredAt: '2025-01-01T10:00:01+00:00' }] });
    const refund = (totalAmount: unknown, status: string) => ({ totalAmount, status: [{ status, enteredAt: '2025-01-01T10:00:01+00:00' }] });
    const rows: Array<[name: string, payment: PaymentMoney, captured: number, refunded: number]> = [
      ['paid at once (no captures)', { amountPaid: 10_000, captures: [], refunds: [] }, 10_000, 0],
      ['authorised', { amountPaid: 0, captures: [], refunds: [] }, 0, 0],
      ['captures done', { amountPaid: 0, captures: [done(4_000), done('6000')], refunds: [] }, 10_000, 0],
      ['a capture still running is not captured yet', { amountPaid: 0, captures: [done(4_000), capturing(6_000)], refunds: [] }, 4_000, 0],
      ['amountPaid says more', { amountPaid: 7_000, captures: [done(4_000)], refunds: [] }, 7_000, 0],
      ['refunds on their way count, failed ones do not', { amountPaid: 10_000, captures: [], refunds: [refund(1_000, 'INITIALIZING'), refund(2_000, 'PAID'), refund(3_000, 'ERROR')] }, 10_000, 3_000],
      ['unreadable amounts count as nothing', { amountPaid: 'x', captures: [done(-5), null], refunds: [refund('1e3', 'PAID'), null] }, 0, 0],
      ['missing lists', {}, 0, 0],
    ];
    for (const [name, payment, captured, refunded] of rows) {
      assert.equal(capturedAmount(payment), captured, `${name}: captured`);
      assert.equal(refundedAmount(payment), refunded, `${name}: refunded`);
    }
    assert.deepEqual([minorUnitsOf(12), minorUnitsOf('12'), minorUnitsOf(-1), minorUnitsOf(1.5), minorUnitsOf('9'.repeat(16)), minorUnitsOf(null)], [12, 12, undefined, undefined, undefined, undefined]);
  });

  it("Swish's timeout (TM01) is an expiry; its other errors are failures", () => {
    assert.deepEqual(kronorStatus({ status: 'ERROR', swishErrorCode: 'TM01' }), { state: 'expired', providerStatus: 'ERROR (TM01)' });
    assert.deepEqual(kronorStatus({ status: 'ERROR', swishErrorCode: 'DS24' }), { state: 'failed', providerStatus: 'ERROR' });
    assert.deepEqual(kronorStatus({ status: 'DECLINED', swishErrorCode: 'TM01' }), { state: 'declined', providerStatus: 'DECLINED' });
  });

  it('the latest of a status list is the one entered last', () => {
    assert.equal(latestStatus(null), null);
    assert.equal(latestStatus([]), null);
    assert.equal(
      latestStatus([
        { status: 'PAID', enteredAt: '2025-01-01T10:00:02+00:00' },
        { status: 'INITIALIZING', enteredAt: '2025-01-01T10:00:00+00:00' },
        { status: 'WAITING_FOR_PAYMENT', enteredAt: '2025-01-01T10:00:01+00:00' },
      ]),
      'PAID',
    );
  });
});
