/**
 * The batch read's pure parts: the one window that holds every payment's, which listed payments each payment's own
 * search would have found, when a walk cut short still covers a payment, and what the found payments read as.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBounded, paymentsByLookup, searchRanges, searchWindow, withinLookup, type FoundPayment, type OrderLookup } from './lookup.ts';
import { learnedId, orderRead, readsByAlias } from './server.ts';
import { DEFAULT_ERROR_CODES } from './config.ts';
import { whenthenStatus } from './status.ts';

const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 12, minute)).toISOString();
const lookup = (orderId: string, from: number, until: number, maxAmount?: number) => ({ orderId, from: at(from), until: at(until), ...(maxAmount === undefined ? {} : { maxAmount }) });
const found = (orderId: string | null, minute: number, status: string, amount?: number, refundedAmount?: number): FoundPayment => ({
  id: `pay_${orderId}_${minute}`,
  orderId,
  status,
  date: at(minute),
  amount,
  refundedAmount,
});

describe('searchWindow: where a batch read looks for a payment, in WhenThen\'s clock', () => {
  const own = lookup('a', 0, 30);
  const ms = (minute: number, seconds = 0) => Date.parse(at(minute)) + seconds * 1000;
  const made = { from: ms(5), until: ms(5, 1) };
  const TABLE: Array<[string, Parameters<typeof searchWindow>[1], Parameters<typeof searchWindow>[2], object]> = [
    ['no offset known yet: its own window, skew and all', made, undefined, { from: ms(0), until: ms(30) }],
    ['a record from before the made instants: its own window', undefined, { low: 0, high: 1000 }, { from: ms(0), until: ms(30) }],
    ['clocks together: the made instants, the margin either side', made, { low: -200, high: 800 }, { from: ms(5, -2.2), until: ms(5, 3.8) }],
    ["WhenThen 90 s ahead: shifted by it", made, { low: 89_500, high: 90_500 }, { from: ms(6, 27.5), until: ms(6, 33.5) }],
    ['never wider than its own window', made, { low: -400_000, high: 400_000 }, { from: ms(0), until: ms(11, 43) }],
    ['an offset beyond the skew leaves nothing: its own window whole', made, { low: 3_600_000, high: 3_601_000 }, { from: ms(0), until: ms(30) }],
  ];
  for (const [what, window, offset, expected] of TABLE) test(what, () => assert.deepEqual(searchWindow(own, window, offset), expected));
});

describe('searchRanges: the windows one walk pages through', () => {
  const w = (from: number, until: number, maxAmount?: number) => ({ from, until, maxAmount });
  const TABLE: Array<[string, Array<ReturnType<typeof w>>, number, object[]]> = [
    ['one window', [w(10, 20, 100)], 10, [w(10, 20, 100)]],
    ['overlapping windows joined, the largest amount', [w(15, 30, 50), w(10, 20, 100)], 10, [w(10, 30, 100)]],
    ['touching windows joined', [w(10, 20, 1), w(20, 25, 1)], 10, [w(10, 25, 1)]],
    ['apart: walked apart, earliest first', [w(50, 60, 1), w(10, 20, 2)], 10, [w(10, 20, 2), w(50, 60, 1)]],
    ['a window without an amount: no amount bound', [w(10, 20, 1), w(15, 25)], 10, [w(10, 25)]],
    ['past the bound, the nearest two are joined across their gap', [w(0, 1, 1), w(100, 101, 1), w(103, 104, 1)], 2, [w(0, 1, 1), w(100, 104, 1)]],
    ['a bound of one: one range over all', [w(0, 1, 1), w(50, 51, 1), w(100, 101, 1)], 1, [w(0, 101, 1)]],
  ];
  for (const [what, windows, max, ranges] of TABLE) test(what, () => assert.deepEqual(searchRanges(windows, max), ranges));
});

describe('isBounded', () => {
  const TABLE: Array<[string, OrderLookup, boolean]> = [
    ['both bounds', lookup('a', 0, 25), true],
    ['no bounds (a record kept no window)', { orderId: 'a' }, false],
    ['only a start', { orderId: 'a', from: at(0) }, false],
    ['a bound that is not a date', { orderId: 'a', from: 'soon', until: at(5) }, false],
  ];
  for (const [what, value, bounded] of TABLE) test(what, () => assert.equal(isBounded(value), bounded));
});

describe("withinLookup: what readStatus's own listPayments would list", () => {
  const mine = lookup('a', 10, 25, 4990);
  const TABLE: Array<[string, FoundPayment, boolean]> = [
    ['its orderId, in its window, at its amount', found('a', 12, 'SUCCEEDED', 4990), true],
    ["another order's payment", found('b', 12, 'SUCCEEDED', 4990), false],
    ['no orderId', found(null, 12, 'SUCCEEDED', 4990), false],
    ['at the start, inclusive', found('a', 10, 'SUCCEEDED', 4990), true],
    ['at the end, inclusive', found('a', 25, 'SUCCEEDED', 4990), true],
    ['before its window (another of the batch reached further back)', found('a', 9, 'SUCCEEDED', 4990), false],
    ['after its window', found('a', 26, 'SUCCEEDED', 4990), false],
    ['above its amount', found('a', 12, 'SUCCEEDED', 4991), false],
    ['amount unknown: kept, as WhenThen filtered on the real one', found('a', 12, 'SUCCEEDED'), true],
  ];
  for (const [what, payment, listed] of TABLE) test(what, () => assert.equal(withinLookup(payment, mine), listed));
});

describe('paymentsByLookup: walks newest first, and which searches they completed', () => {
  const ms = (minute: number) => Date.parse(at(minute));
  const lookups = [
    { lookup: lookup('a', 10, 25), search: { from: ms(10), until: ms(25) } },
    { lookup: lookup('b', 0, 15), search: { from: ms(0), until: ms(15) } },
    { lookup: lookup('c', 40, 50), search: { from: ms(40), until: ms(50) } },
  ];
  const list = [found('a', 20, 'SUCCEEDED', 4990), found('x', 12, 'DECLINED', 100), found('a', 11, 'DECLINED', 4990), found('b', 5, 'DECLINED', 4990), found('c', 45, 'SUCCEEDED', 4990)];
  const early = { from: ms(0), until: ms(25) };
  const late = { from: ms(40), until: ms(50) };

  test('walks that reached their ends complete every search', () => {
    const result = paymentsByLookup(lookups, list, [{ range: early, ended: true, oldest: ms(5) }, { range: late, ended: true, oldest: ms(45) }]);
    assert.deepEqual(result.get('a'), { payments: [list[0], list[2]], complete: true });
    assert.deepEqual(result.get('b'), { payments: [list[3]], complete: true });
    assert.deepEqual(result.get('c'), { payments: [list[4]], complete: true });
  });

  test('a walk cut short completes only the searches it went past the start of', () => {
    const result = paymentsByLookup(lookups, list.slice(0, 3), [{ range: early, ended: false, oldest: ms(9) }, { range: late, ended: true, oldest: ms(45) }]);
    assert.deepEqual(result.get('a'), { payments: [list[0], list[2]], complete: true });
    assert.equal(result.has('b'), false);
    assert.equal(result.has('c'), true);
  });

  test('a walk cut short before any payment completes nothing of its range', () => {
    assert.equal(paymentsByLookup(lookups, [], [{ range: early, ended: false, oldest: undefined }]).size, 0);
  });

  test('an empty range that ended: no payment, complete', () => {
    assert.deepEqual(paymentsByLookup(lookups, [], [{ range: early, ended: true, oldest: undefined }]).get('b'), { payments: [], complete: true });
  });

  test("a payment of the order outside the search but inside readStatus's window is still its", () => {
    const narrow = [{ lookup: lookup('a', 10, 25), search: { from: ms(19), until: ms(21) } }];
    const result = paymentsByLookup(narrow, list, [{ range: early, ended: true, oldest: ms(5) }]);
    assert.deepEqual(result.get('a'), { payments: [list[0], list[2]], complete: true });
  });
});

describe('orderRead: what the payments found for an order say, and when WhenThen\'s id goes with it', () => {
  const now = Date.parse(at(40));
  const open = at(45);
  const paid = { state: 'paid', providerStatus: 'SUCCEEDED', capturedAmount: 4990, refundedAmount: 0 };
  const TABLE: Array<[string, Parameters<typeof orderRead>[0], string | undefined, object]> = [
    ['paid on the hosted checkout: its id', { payments: [found('a', 12, 'SUCCEEDED', 4990)], complete: true }, open, { ...paid, providerPaymentId: 'pay_a_12' }],
    ['declined, then paid: the paid one', { payments: [found('a', 14, 'SUCCEEDED', 4990), found('a', 12, 'DECLINED', 4990)], complete: true }, open, { ...paid, providerPaymentId: 'pay_a_14' }],
    ['refunded in part', { payments: [found('a', 12, 'SUCCEEDED', 4990, 1000)], complete: true }, open, { state: 'partially_refunded', providerStatus: 'SUCCEEDED', capturedAmount: 4990, refundedAmount: 1000, providerPaymentId: 'pay_a_12' }],
    ['authorised', { payments: [found('a', 12, 'AUTHORISED', 4990)], complete: true }, open, { state: 'authorized', providerStatus: 'AUTHORISED', providerPaymentId: 'pay_a_12' }],
    ['declined on the hosted checkout: no id, the shopper may try again', { payments: [found('a', 12, 'DECLINED', 4990)], complete: true }, open, { state: 'declined', providerStatus: 'DECLINED' }],
    ['in 3-D Secure on the hosted checkout: no id', { payments: [found('a', 12, 'NEEDS_3D_SECURE', 4990)], complete: true }, open, { state: 'action_required', providerStatus: 'NEEDS_3D_SECURE' }],
    ['a PayPal / Klarna payment awaiting approval: its id (the order has no other)', { payments: [found('a', 12, 'NEEDS_APM_AUTHORIZATION', 4990)], complete: true }, undefined, { state: 'action_required', providerStatus: 'NEEDS_APM_AUTHORIZATION', providerPaymentId: 'pay_a_12' }],
    ['nothing yet, checkout open', { payments: [], complete: true }, open, { state: 'action_required', providerStatus: 'AWAITING_CHECKOUT' }],
    ['nothing, token expired past the skew', { payments: [], complete: true }, at(30), { state: 'expired', providerStatus: 'CHECKOUT_EXPIRED' }],
    ['nothing, token expired within the skew', { payments: [], complete: true }, at(37), { state: 'action_required', providerStatus: 'AWAITING_CHECKOUT' }],
    ['nothing found in an incomplete search: never concluded expired', { payments: [], complete: false }, at(0), { state: 'action_required', providerStatus: 'AWAITING_CHECKOUT' }],
  ];
  for (const [what, payments, expiresAt, read] of TABLE) {
    test(what, () => assert.deepEqual(orderRead(payments, { checkoutExpiresAt: expiresAt }, now), read));
  }
});

describe('readsByAlias: payments asked by id in one request', () => {
  const payment = (status: string, amount = 4990) => ({ id: 'x', status, amount: { rawAmount: amount }, refundedAmount: null });
  const unknown = { message: 'Payment nope not found', path: ['p1'], extensions: { code: 'error.payment.notFound' } };
  type Answer = Parameters<typeof readsByAlias>[1];
  const TABLE: Array<[string, Answer, Record<string, string> | RegExp]> = [
    ['every alias answered', { data: { p0: payment('SUCCEEDED'), p1: payment('AUTHORISED') }, errors: [] }, { a: 'paid', b: 'authorized' }],
    ['an id WhenThen does not know: left out, the rest read', { data: { p0: payment('SUCCEEDED'), p1: null }, errors: [unknown] }, { a: 'paid' }],
    ['an alias answered null without an error: left out', { data: { p0: null, p1: payment('DECLINED') }, errors: [] }, { b: 'declined' }],
    ['a refused key fails the batch', { data: null, errors: [{ message: 'Unauthorized', extensions: { code: 'error.auth.unauthenticated' } }] }, /getPayment was refused/],
    ['a refused key named on an alias still fails the batch', { data: { p0: null, p1: null }, errors: [{ message: 'no', path: ['p0'], extensions: { code: 'error.auth.forbidden' } }] }, /getPayment was refused/],
    ['an error of the whole request fails the batch', { data: null, errors: [{ message: 'Validation error' }] }, /getPayment answered an error/],
    ['no data and no error: WhenThen unavailable', { data: null, errors: [] }, /answered no data/],
  ];
  for (const [what, answer, expected] of TABLE) {
    test(what, () => {
      if (expected instanceof RegExp) return assert.throws(() => readsByAlias(['a', 'b'], answer, DEFAULT_ERROR_CODES), expected);
      const reads = readsByAlias(['a', 'b'], answer, DEFAULT_ERROR_CODES);
      assert.deepEqual(Object.fromEntries([...reads].map(([ref, read]) => [ref, read.state])), expected);
    });
  }
});

describe('learnedId', () => {
  const TABLE: Array<[string, string, boolean, string | undefined]> = [
    ['hosted checkout, paid', 'SUCCEEDED', true, 'pay_a_1'],
    ['hosted checkout, authorised', 'AUTHORISED', true, 'pay_a_1'],
    ['hosted checkout, declined', 'DECLINED', true, undefined],
    ['hosted checkout, on hold', 'GATEWAY_HOLD', true, undefined],
    ['PayPal / Klarna, declined', 'DECLINED', false, 'pay_a_1'],
  ];
  for (const [what, status, hosted, id] of TABLE) {
    test(what, () => assert.equal(learnedId(found('a', 1, status), { state: whenthenStatus(status).state, providerStatus: status }, hosted), id));
  }
});
