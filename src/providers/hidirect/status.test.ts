import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentState } from '../../core/model.ts';
import { hidirectStatus } from './status.ts';

describe('hi.health status mapping', () => {
  // Every status in seed 002 and providers.md, the manual-capture AUTHORISED, and the sandbox's CANCELLED.
  const rows: Array<[raw: string, state: PaymentState]> = [
    ['INITIAL', 'action_required'],
    ['CLAIMED', 'pending'],
    ['PENDING', 'processing'],
    ['AUTHORISED', 'authorized'],
    ['SETTLED', 'paid'],
    ['DENIED', 'declined'],
    ['CANCELLED', 'cancelled'],
    ['CANCELED', 'cancelled'],
    // Case and stray whitespace do not change the meaning; the raw value is kept as sent.
    ['settled', 'paid'],
    [' DENIED ', 'declined'],
    // Unknown values are never final: Kassa keeps reading instead of guessing paid or failed.
    ['REFUNDED_SOMEHOW', 'pending'],
    ['', 'pending'],
    ['constructor', 'pending'],
  ];
  for (const [raw, state] of rows) {
    it(`${JSON.stringify(raw)} → ${state}`, () => {
      assert.deepEqual(hidirectStatus(raw), { state, providerStatus: raw });
    });
  }
});

describe('hi.health statuses from the config', () => {
  const configured = { VOIDED: 'cancelled', CANCELLED: 'expired' } as const;
  const rows: Array<[raw: string, state: PaymentState]> = [
    // A status the docs do not list, as the merchant's hi.health sends it.
    ['VOIDED', 'cancelled'],
    ['voided', 'cancelled'],
    // The merchant's reading wins over the built-in one (CANCELLED is an assumed name).
    ['CANCELLED', 'expired'],
    // Everything else reads as before.
    ['SETTLED', 'paid'],
    ['UNHEARD_OF', 'pending'],
    ['toString', 'pending'],
  ];
  for (const [raw, state] of rows) {
    it(`${JSON.stringify(raw)} → ${state}`, () => {
      assert.deepEqual(hidirectStatus(raw, configured), { state, providerStatus: raw });
    });
  }
});
