/** Kronor's errors → Kassa's, one row per kind of error. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphQLErrorItem } from '../../server/provider-http.ts';
import { ProviderRefused, ProviderUnavailable } from '../../server/provider.ts';
import { createFailure, KronorSetupError, operationFailure, permissionFailure, readFailure } from './errors.ts';

const error = (code: string, message: string): GraphQLErrorItem => ({ message, extensions: { code, path: '$' } });

describe('Kronor errors', () => {
  it('a read: a refused token or a hidden field is setup, anything else unavailable', () => {
    const rows: Array<[GraphQLErrorItem, new (...args: never[]) => Error, RegExp]> = [
      [error('invalid-jwt', 'Could not verify JWT: JWTExpired'), KronorSetupError, /refused \(invalid-jwt\); check providers\.kronor\.merchantToken/],
      [error('access-denied', 'Missing Authorization'), KronorSetupError, /merchantToken/],
      [error('validation-failed', "field 'transactionSwishDetails' not found in type: 'PaymentRequest'"), KronorSetupError, /may not use PaymentRequest\.transactionSwishDetails; use a token with the merchant-backend role/],
      [error('validation-failed', "field 'payments' not found in type: 'query_root'"), KronorSetupError, /may not use payments;/],
      [error('unexpected', 'database error'), ProviderUnavailable, /payments answered an error \(unexpected: database error\)/],
    ];
    for (const [item, type, message] of rows) {
      const failure = readFailure('payments', [item]);
      assert.ok(failure instanceof type, `${item.message} → ${failure.constructor.name}`);
      assert.match(failure.message, message);
    }
  });

  it("a write a role may not make is setup; an unknown input field is Kassa's request", () => {
    assert.match(permissionFailure('refundPayment', [error('validation-failed', 'no mutations exist')])!.message, /may only read/);
    assert.equal(permissionFailure('refundPayment', [error('validation-failed', "field 'foo' not found in type: 'RefundPaymentInput'")]), undefined);
    const bug = operationFailure('refundPayment', [error('validation-failed', "field 'foo' not found in type: 'RefundPaymentInput'")]);
    assert.ok(!(bug instanceof ProviderRefused) && !(bug instanceof ProviderUnavailable) && !(bug instanceof KronorSetupError));
  });

  it('an operation Kronor refuses: the adapter\'s own message when it has one, else by Kronor\'s words', () => {
    const refused = [error('bad-request', 'payment 7 is PAID; it was captured in full already')];
    const own = new ProviderRefused('This Kronor payment has already been captured in full.');
    assert.equal(operationFailure('newPaymentCapture', refused, { refusal: own }), own);
    assert.match(operationFailure('newPaymentCapture', [error('validation-failed', 'amount 9 is more than the 8 left to capture')]).message, /more than what is left/);
    assert.match(operationFailure('cancelPayment', [error('validation-failed', 'no payment with reference kp_1')]).message, /has not started one/);
    // Another code is Kronor failing, unless the merchant says it is how Kronor refuses.
    assert.ok(operationFailure('newPaymentCapture', [error('action-failed', 'nope')]) instanceof ProviderUnavailable);
    assert.ok(operationFailure('newPaymentCapture', [error('action-failed', 'nope')], { refusalCodes: new Set(['action-failed']) }) instanceof ProviderRefused);
    assert.ok(createFailure('newPaymentSessionWithReferenceCheck', [error('action-failed', 'currency')], 'SEK', new Set(['action-failed'])) instanceof ProviderRefused);
  });
});
