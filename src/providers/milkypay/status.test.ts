/**
 * Every MilkyPay invoice status in providers.md and the seed → Kassa's state, with the resolutions that decide
 * between failure states, the public API's capitals, and what an unknown value falls back to.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { milkypayStatus } from './status.ts';

const TABLE: Array<[status: string, resolution: string | null, state: string, raw: string]> = [
  // Every status of providers.md (the sandbox's INVOICE_STATUSES), with the resolution the platform gives it.
  ['created', 'ok', 'created', 'created'],
  ['processing', 'ok', 'processing', 'processing'],
  ['process_pending', 'ok', 'pending', 'process_pending'],
  ['processed', 'ok', 'paid', 'processed'],
  ['partially_processed', 'ok', 'pending', 'partially_processed'],
  ['process_error', 'processing_error', 'failed', 'process_error/processing_error'],
  ['refunding', 'ok', 'paid', 'refunding'],
  ['refund_pending', 'ok', 'paid', 'refund_pending'],
  ['refund_error', 'processing_error', 'paid', 'refund_error/processing_error'],
  ['expired', 'expired', 'expired', 'expired/expired'],
  ['terminated', 'cancelled', 'cancelled', 'terminated/cancelled'],
  ['process_failed', 'declined', 'declined', 'process_failed/declined'],
  ['partially_refunded', 'ok', 'partially_refunded', 'partially_refunded'],
  ['refunded', 'ok', 'refunded', 'refunded'],
  ['refund_failed', 'refund_declined', 'paid', 'refund_failed/refund_declined'],
  ['charged_back', 'ok', 'refunded', 'charged_back'],
  // process_failed: the resolution decides.
  ['process_failed', 'insufficient_funds', 'declined', 'process_failed/insufficient_funds'],
  ['process_failed', 'card_expired', 'declined', 'process_failed/card_expired'],
  ['process_failed', 'invalid_cvv', 'declined', 'process_failed/invalid_cvv'],
  ['process_failed', 'expired', 'expired', 'process_failed/expired'], // the seed's own list sample
  ['process_failed', 'cancelled', 'cancelled', 'process_failed/cancelled'],
  ['process_failed', 'processing_error', 'failed', 'process_failed/processing_error'],
  ['process_failed', 'something_new', 'failed', 'process_failed/something_new'],
  ['process_failed', null, 'failed', 'process_failed'],
  // A 3-D Secure step still to take.
  ['process_pending', 'auth_3ds_required', 'action_required', 'process_pending/auth_3ds_required'],
  // The public API writes resolutions in capitals (the seed's "OK").
  ['process_pending', 'OK', 'pending', 'process_pending'],
  ['processed', 'OK', 'paid', 'processed'],
  ['process_failed', 'DECLINED', 'declined', 'process_failed/declined'],
  // Unknown: keep waiting, keep the raw value.
  ['on_hold', 'ok', 'pending', 'on_hold'],
  ['', null, 'pending', ''],
];

describe('milkypayStatus', () => {
  for (const [status, resolution, state, raw] of TABLE) {
    test(`${status || '(empty)'} / ${resolution ?? '(none)'} → ${state}`, () => {
      assert.deepEqual(milkypayStatus(status, resolution), { state, providerStatus: raw });
    });
  }

  const OWN: Array<[status: string, resolution: string, state: string]> = [
    // With the merchant's own resolutions: { do_not_honour: 'declined', declined: 'failed' }.
    ['process_failed', 'do_not_honour', 'declined'],
    ['process_failed', 'DO_NOT_HONOUR', 'declined'],
    ['process_failed', 'declined', 'failed'],
    ['process_failed', 'insufficient_funds', 'declined'],
    ['processed', 'declined', 'paid'],
  ];
  for (const [status, resolution, state] of OWN) {
    test(`with the merchant's resolutions: ${status} / ${resolution} → ${state}`, () => {
      assert.equal(milkypayStatus(status, resolution, { do_not_honour: 'declined', declined: 'failed' }).state, state);
    });
  }

  test('covers every status the sandbox can set', async () => {
    const { INVOICE_STATUSES } = await import('../../../sandbox/milkypay/config.ts');
    const covered = new Set(TABLE.map(([status]) => status));
    assert.deepEqual(INVOICE_STATUSES.filter((s) => !covered.has(s)), []);
  });
});
