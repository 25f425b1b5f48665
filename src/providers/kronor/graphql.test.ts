/** Every document the adapter sends validates against Kronor's real schemas (and the sandbox's subset of them). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, validate } from 'graphql';
import { loadReferenceSchema } from '../../../sandbox/core/schema-subset.ts';
import { loadSchema, loadSchemaText } from '../../../sandbox/kronor/graphql.ts';
import { roleSchema } from '../../../sandbox/kronor/roles.ts';
import { MERCHANT_DOCUMENTS } from './graphql.ts';

const schemas = {
  merchant: { real: loadReferenceSchema('kronor-merchant.graphqls'), sandbox: loadSchema('merchant.graphql') },
  session: { real: loadReferenceSchema('kronor-session.graphqls'), sandbox: loadSchema('session.graphql') },
};

describe('Kronor GraphQL documents', () => {
  const cases = [
    ...Object.entries(MERCHANT_DOCUMENTS).map(([name, doc]) => ({ name, doc, role: 'merchant' as const })),
  ];
  for (const { name, doc, role } of cases) {
    it(`${name} validates against the real ${role} schema`, () => {
      assert.deepEqual(validate(schemas[role].real, parse(doc)).map(String), []);
    });
    it(`${name} validates against the sandbox's ${role} schema`, () => {
      assert.deepEqual(validate(schemas[role].sandbox, parse(doc)).map(String), []);
    });
  }

  it('the check itself catches a field the schema does not have', () => {
    const wrong = MERCHANT_DOCUMENTS.PAYMENT_STATUS.replace('paymentRefundStatus', 'refundState');
    assert.notDeepEqual(validate(schemas.merchant.real, parse(wrong)), []);
    // A session token cannot make sessions: the session schema has no such mutation.
    assert.notDeepEqual(validate(schemas.session.real, parse(MERCHANT_DOCUMENTS.NEW_SESSION)), []);
  });

  it('the status query needs a token that may read the payment details: not payment-gateway (seed), so checkSetup asks', () => {
    const merchant = loadSchemaText('merchant.graphql');
    const status = parse(MERCHANT_DOCUMENTS.PAYMENT_STATUS);
    assert.deepEqual(validate(roleSchema(merchant, 'merchant-backend'), status).map(String), []);
    assert.deepEqual(validate(roleSchema(merchant, 'merchant-read-only'), status).map(String), []);
    assert.notDeepEqual(validate(roleSchema(merchant, 'payment-gateway'), status), []);
  });
});
