/** Kronor's rules for captures, releases and refunds, one row per case; and what each merchant token role sees. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execute, parse, validate, type ExecutionResult } from 'graphql';
import { loadSchemaText } from './graphql.ts';
import { roleDocument, roleSchema, typeHasField } from './roles.ts';
import { captureRefusal, refundRefusal, releaseRefusal, type MoneyFacts } from './rules.ts';

const authorized: MoneyFacts = { paymentId: 7, status: 'AUTHORIZED', amountAuthorized: 10_000, captured: 0, amountPaid: 0, refunded: 0 };
const partlyCaptured: MoneyFacts = { ...authorized, status: 'PARTIALLY_CAPTURED', captured: 4_000, amountPaid: 4_000 };
const captured: MoneyFacts = { ...authorized, status: 'PAID', captured: 10_000, amountPaid: 10_000 };
const paidSwish: MoneyFacts = { ...authorized, status: 'PAID', amountAuthorized: null, amountPaid: 10_000 };
const partlyRefunded: MoneyFacts = { ...captured, refunded: 2_500 };
const fullyRefunded: MoneyFacts = { ...captured, refunded: 10_000 };
const released: MoneyFacts = { ...authorized, status: 'RELEASED' };
const captureDeclined: MoneyFacts = { ...authorized, status: 'CAPTURE_DECLINED' };

type Row = [name: string, facts: MoneyFacts, amount: number, expected: null | { kind: 'invalid' | 'conflict'; message: RegExp }];

function table(rule: (facts: MoneyFacts, amount: number) => ReturnType<typeof captureRefusal>, rows: Row[]) {
  for (const [name, facts, amount, expected] of rows) {
    it(`${name}: ${expected ? `${expected.kind}` : 'goes ahead'}`, () => {
      const refusal = rule(facts, amount);
      if (!expected) return assert.equal(refusal, null);
      assert.ok(refusal, 'refused');
      assert.equal(refusal.kind, expected.kind);
      assert.match(refusal.message, expected.message);
    });
  }
}

describe('Kronor capture rules', () => {
  table(captureRefusal, [
    ['the whole authorisation', authorized, 10_000, null],
    ['a part of it', authorized, 4_000, null],
    ['the rest after a partial capture', partlyCaptured, 6_000, null],
    ['above the authorisation', authorized, 10_001, { kind: 'invalid', message: /10001 is more than the 10000 left to capture/ }],
    ['above what a partial capture left', partlyCaptured, 6_001, { kind: 'invalid', message: /more than the 6000 left/ }],
    ['a payment captured in full (twice)', captured, 1, { kind: 'conflict', message: /is PAID; it was captured in full already/ }],
    ['a payment that was paid at once', paidSwish, 1, { kind: 'conflict', message: /is PAID/ }],
    ['a released authorisation', released, 1, { kind: 'conflict', message: /is RELEASED; only an AUTHORIZED payment can be captured/ }],
    ['after Kronor declined a capture', captureDeclined, 1, { kind: 'conflict', message: /is CAPTURE_DECLINED/ }],
  ]);
});

describe('Kronor release rules', () => {
  table(releaseRefusal, [
    ['the whole authorisation', authorized, 10_000, null],
    ['a part of it', authorized, 5_000, { kind: 'invalid', message: /only the full amount \(10000\)/ }],
    ['the rest after a partial capture', partlyCaptured, 6_000, { kind: 'conflict', message: /PARTIALLY_CAPTURED; only an AUTHORIZED payment with nothing captured/ }],
    ['a captured payment', captured, 10_000, { kind: 'conflict', message: /is PAID/ }],
    ['twice', released, 10_000, { kind: 'conflict', message: /is RELEASED/ }],
  ]);
});

describe('Kronor refund rules', () => {
  table(refundRefusal, [
    ['all of a captured payment', captured, 10_000, null],
    ['a part', captured, 2_500, null],
    ['what a partial refund left', partlyRefunded, 7_500, null],
    ['what a partial capture took', partlyCaptured, 4_000, null],
    ['a payment paid at once', paidSwish, 10_000, null],
    ['above what was paid', captured, 10_001, { kind: 'invalid', message: /more than the 10000 left to refund/ }],
    ['above what is left', partlyRefunded, 7_501, { kind: 'invalid', message: /more than the 7500 left to refund/ }],
    ['above what a partial capture took', partlyCaptured, 4_001, { kind: 'invalid', message: /more than the 4000 left/ }],
    ['a payment refunded in full', fullyRefunded, 1, { kind: 'invalid', message: /more than the 0 left to refund/ }],
    ['an authorisation (release it instead)', authorized, 1, { kind: 'conflict', message: /AUTHORIZED; nothing was captured yet: release it instead/ }],
    ['a released authorisation', released, 1, { kind: 'conflict', message: /RELEASED; nothing was paid/ }],
  ]);
});

describe('Kronor merchant token roles', () => {
  const sdl = loadSchemaText('merchant.graphql');
  const STATUS_QUERY = parse(`{ paymentRequests { waitToken transactionSwishDetails { errorCode } } payments { id amountPaid } }`);
  const MUTATION = parse(`mutation { releasePayment(release: {amount: 1, idempotencyKey: "k", paymentId: 1}) { releaseId } }`);
  const problems = (role: Parameters<typeof roleSchema>[1], document = STATUS_QUERY) => validate(roleSchema(sdl, role), document).map((e) => e.message);

  it('merchant-backend reads the payment details and writes', () => {
    assert.deepEqual(problems('merchant-backend'), []);
    assert.deepEqual(problems('merchant-backend', MUTATION), []);
  });

  it('payment-gateway may not read the transaction…Details of requests and payments (seed), but writes', () => {
    const [only, ...more] = problems('payment-gateway');
    assert.match(only!, /^Cannot query field "transactionSwishDetails" on type "PaymentRequest"\./);
    assert.deepEqual(more, []);
    const document = roleDocument(sdl, 'payment-gateway');
    for (const type of ['PaymentRequest', 'Payment']) {
      for (const field of ['transactionSwishDetails', 'transactionCreditCardDetails', 'transactionPayPalDetails']) assert.equal(typeHasField(document, type, field), false);
      assert.equal(typeHasField(document, type, 'currentStatus') || typeHasField(document, type, 'status'), true);
    }
    assert.deepEqual(problems('payment-gateway', MUTATION), []);
  });

  it('merchant-read-only reads everything and writes nothing', () => {
    assert.deepEqual(problems('merchant-read-only'), []);
    const schema = roleSchema(sdl, 'merchant-read-only');
    assert.equal(schema.getMutationType(), undefined);
    const result = execute({ schema, document: MUTATION, rootValue: {} }) as ExecutionResult;
    assert.match(String(result.errors?.[0]?.message), /not configured to execute mutation/);
  });
});
