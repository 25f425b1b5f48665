import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYMENT_STATES, type PaymentState } from '../../core/model.ts';
import { mayFollow } from './state-machine.ts';

/**
 * Every pair of states: the row is the state a payment is in, the columns the state a read says, in the order of
 * `HEADER`. `x` may follow, `.` is refused.
 */
const HEADER = ['created', 'action_required', 'pending', 'processing', 'authorized', 'paid', 'failed', 'declined', 'cancelled', 'expired', 'refunded', 'partially_refunded'];
const TABLE: Record<PaymentState, string> = {
  //                   cr ar pe pr au pa fa de ca ex re pr
  created: /*       */ 'x  x  x  x  x  x  x  x  x  x  x  x',
  action_required: /**/ '.  x  x  x  x  x  x  x  x  x  x  x',
  pending: /*       */ '.  x  x  x  x  x  x  x  x  x  x  x',
  processing: /*    */ '.  x  x  x  x  x  x  x  x  x  x  x',
  authorized: /*    */ '.  .  .  x  x  x  x  .  x  x  x  x',
  paid: /*          */ '.  .  .  .  .  x  .  .  .  .  x  x',
  failed: /*        */ '.  x  x  x  x  x  x  x  x  x  x  x',
  declined: /*      */ '.  .  .  .  x  x  .  x  .  .  x  x',
  cancelled: /*     */ '.  .  .  .  x  x  .  .  x  .  x  x',
  expired: /*       */ '.  .  .  .  x  x  .  .  .  x  x  x',
  refunded: /*      */ '.  .  .  .  .  .  .  .  .  .  x  .',
  partially_refunded: '.  .  .  .  .  .  .  .  .  .  x  x',
};

describe('payment state machine', () => {
  it('the table names every state, in the model order', () => {
    assert.deepEqual(HEADER, [...PAYMENT_STATES]);
    assert.deepEqual(Object.keys(TABLE).sort(), [...PAYMENT_STATES].sort());
  });

  for (const from of PAYMENT_STATES) {
    it(`from ${from}`, () => {
      const cells = TABLE[from].split(/\s+/);
      assert.equal(cells.length, HEADER.length);
      const allowed = HEADER.filter((_, i) => cells[i] === 'x');
      assert.deepEqual(PAYMENT_STATES.filter((to) => mayFollow(from, to)), allowed);
    });
  }
});
