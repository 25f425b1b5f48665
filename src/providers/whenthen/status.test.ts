/**
 * Every WhenThen status Kassa knows of → Kassa's state: the seed's list (003), the real schema's PaymentStatus enum,
 * the newer schema's values providers.md names, Kassa's two markers for a checkout without a payment, and what an
 * unknown value falls back to. Then what a read reports of captured and refunded amounts, and which of several payments
 * for one order decides the checkout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { AWAITING_CHECKOUT, CHECKOUT_EXPIRED, decisivePayment, whenthenStatus, whenthenStatusRead, type PaymentAmounts } from './status.ts';

const TABLE: Array<[status: string, state: string, why: string]> = [
  // Seed 003 "Status".
  ['AUTHORISED', 'authorized', 'seed: authorised, ready to be captured'],
  ['NEEDS_3D_SECURE', 'action_required', 'seed: waiting for 3-D Secure'],
  ['SUCCEEDED', 'paid', 'seed: payment was successful'],
  ['REFUNDED', 'refunded', 'seed: payment was refunded'],
  ['CANCELLED', 'cancelled', 'seed: payment was cancelled'],
  ['FAILED', 'failed', 'seed: payment failed'],
  ['DECLINED', 'declined', 'seed: payment was declined'],
  ['DISPUTED', 'paid', 'seed: in dispute, after it was paid'],
  // The rest of the real schema's enum (providers.md).
  ['ACTIVE', 'pending', 'schema: still going'],
  ['INACTIVE', 'expired', 'schema: stopped without an outcome'],
  ['PARTIAL_REFUNDED', 'partially_refunded', 'schema'],
  ['REMOVED', 'cancelled', 'schema: removed from the account'],
  ['NEEDS_APM_AUTHORIZATION', 'action_required', 'schema: waiting for PayPal / Klarna approval'],
  ['GATEWAY_HOLD', 'processing', 'schema: held by the gateway'],
  // The newer schema (providers.md).
  ['DRAFT', 'created', 'newer schema'],
  ['REFUND_PENDING', 'paid', 'newer schema: a refund not yet done'],
  ['REFUND_FAILED', 'paid', 'newer schema: the refund failed, the payment stands'],
  ['NO_ANSWER_FROM_PSP', 'processing', 'newer schema: WhenThen still waits for the processor'],
  // Kassa's own markers.
  [AWAITING_CHECKOUT, 'action_required', 'Kassa: no payment yet, the shopper is on the hosted checkout'],
  [CHECKOUT_EXPIRED, 'expired', "Kassa: the checkout's client token expired without a payment"],
  // Spellings.
  ['succeeded', 'paid', 'case does not matter'],
  [' DECLINED ', 'declined', 'surrounding space does not matter'],
  ['SOMETHING_NEW', 'pending', 'unknown: keep waiting, never guess'],
];

describe('whenthenStatus', () => {
  for (const [status, state, why] of TABLE) {
    test(`${JSON.stringify(status)} → ${state} (${why})`, () => {
      assert.deepEqual(whenthenStatus(status), { state, providerStatus: status.trim() });
    });
  }

  test('the table covers every PaymentStatus of the real schema', () => {
    const sdl = readFileSync(new URL('../../../sandbox/reference/whenthen.graphqls', import.meta.url), 'utf8');
    const block = /enum PaymentStatus \{([^}]*)\}/.exec(sdl)?.[1] ?? '';
    const values = block.split(/\s+/).filter(Boolean);
    assert.ok(values.length >= 14, 'the schema lists the statuses');
    const covered = new Set(TABLE.map(([status]) => status));
    assert.deepEqual(values.filter((v) => !covered.has(v)), []);
  });
});

describe('whenthenStatusRead', () => {
  type Expected = { state: string; capturedAmount?: number; refundedAmount?: number };
  const rows: Array<[status: string, amounts: PaymentAmounts, expected: Expected, why: string]> = [
    ['AUTHORISED', { amount: 4990 }, { state: 'authorized' }, 'nothing captured yet: no amounts'],
    ['NEEDS_3D_SECURE', { amount: 4990 }, { state: 'action_required' }, 'nothing captured yet'],
    ['CANCELLED', { amount: 4990 }, { state: 'cancelled' }, 'voided: nothing captured'],
    ['SUCCEEDED', { amount: 4990 }, { state: 'paid', capturedAmount: 4990, refundedAmount: 0 }, 'refundedAmount null before any refund'],
    ['SUCCEEDED', { amount: 3000, refundedAmount: 0 }, { state: 'paid', capturedAmount: 3000, refundedAmount: 0 }, 'a smaller capture: amount is what was captured'],
    ['PARTIAL_REFUNDED', { amount: 4990, refundedAmount: 1990 }, { state: 'partially_refunded', capturedAmount: 4990, refundedAmount: 1990 }, 'WhenThen says it'],
    ['PARTIAL_REFUNDED', { amount: 4990 }, { state: 'partially_refunded', capturedAmount: 4990 }, 'refunded part unknown'],
    ['REFUNDED', { amount: 4990, refundedAmount: 4990 }, { state: 'refunded', capturedAmount: 4990, refundedAmount: 4990 }, 'WhenThen says it'],
    ['REFUNDED', { amount: 4990 }, { state: 'refunded', capturedAmount: 4990, refundedAmount: 4990 }, 'REFUNDED without refundedAmount: all of it'],
    ['SUCCEEDED', { amount: 4990, refundedAmount: 990 }, { state: 'partially_refunded', capturedAmount: 4990, refundedAmount: 990 }, 'status behind its refunds'],
    ['SUCCEEDED', { amount: 4990, refundedAmount: 4990 }, { state: 'refunded', capturedAmount: 4990, refundedAmount: 4990 }, 'refunds reached the capture'],
    ['REFUND_PENDING', { amount: 4990, refundedAmount: 1000 }, { state: 'partially_refunded', capturedAmount: 4990, refundedAmount: 1000 }, 'a refund being made counts'],
    ['REFUND_PENDING', { amount: 4990 }, { state: 'paid', capturedAmount: 4990, refundedAmount: 0 }, 'pending with no amount yet'],
    ['REFUND_FAILED', { amount: 4990, refundedAmount: 0 }, { state: 'paid', capturedAmount: 4990, refundedAmount: 0 }, 'the refund failed: still paid'],
    ['DISPUTED', { amount: 4990, refundedAmount: 2000 }, { state: 'partially_refunded', capturedAmount: 4990, refundedAmount: 2000 }, 'disputed after a partial refund'],
    ['SUCCEEDED', {}, { state: 'paid', refundedAmount: 0 }, 'amount unknown'],
    ['SUCCEEDED', { refundedAmount: 10 }, { state: 'partially_refunded', refundedAmount: 10 }, 'refunds against an unknown capture: in part'],
    ['succeeded', { amount: 100 }, { state: 'paid', capturedAmount: 100, refundedAmount: 0 }, 'case does not matter'],
  ];
  for (const [status, amounts, expected, why] of rows) {
    test(`${status} ${JSON.stringify(amounts)} → ${JSON.stringify(expected)} (${why})`, () => {
      assert.deepEqual(whenthenStatusRead(status, amounts), { providerStatus: status, ...expected });
    });
  }
});

describe('decisivePayment', () => {
  const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00Z`;

  test('none for no payments', () => {
    assert.equal(decisivePayment([]), undefined);
  });

  test('a paid payment wins over a later decline', () => {
    const paid = { status: 'SUCCEEDED', date: at(1) };
    assert.equal(decisivePayment([paid, { status: 'DECLINED', date: at(5) }]), paid);
    assert.equal(decisivePayment([{ status: 'DECLINED', date: at(5) }, paid]), paid);
  });

  test('a payment still going wins over an earlier decline', () => {
    const challenged = { status: 'NEEDS_3D_SECURE', date: at(4) };
    assert.equal(decisivePayment([{ status: 'DECLINED', date: at(1) }, challenged]), challenged);
  });

  test('between equals, the newest', () => {
    const newest = { status: 'CANCELLED', date: at(9) };
    assert.equal(decisivePayment([{ status: 'DECLINED', date: at(2) }, newest, { status: 'FAILED', date: at(3) }]), newest);
  });
});
