import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadReferenceSchema } from '../../../sandbox/core/schema-subset.ts';
import type { PaymentState } from '../../core/model.ts';
import { KRONOR_PAYMENT_STATUSES, kronorStatus, latestStatus, paymentStatusState, SESSION_EXPIRED, SESSION_OPEN } from './status.ts';

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
    ['PARTIALLY_CAPTURED', 'authorized'],
    ['PAID', 'paid'],
    ['CAPTURE_DECLINED', 'declined'],
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
