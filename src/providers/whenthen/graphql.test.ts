/** Every document the adapter sends validates against WhenThen's real schema, and against the sandbox's subset. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, validate } from 'graphql';
import { loadReferenceSchema } from '../../../sandbox/core/schema-subset.ts';
import { buildWhenThenSchema } from '../../../sandbox/whenthen/schema.ts';
import { getPaymentsDocument, listPaymentsDocument, WHENTHEN_DOCUMENTS } from './graphql.ts';

describe('WhenThen GraphQL documents', () => {
  const real = loadReferenceSchema('whenthen.graphqls');
  const sandbox = buildWhenThenSchema();
  for (const [name, document] of Object.entries(WHENTHEN_DOCUMENTS)) {
    test(`${name} validates against the real schema and the sandbox's`, () => {
      assert.deepEqual(validate(real, parse(document)).map(String), []);
      assert.deepEqual(validate(sandbox, parse(document)).map(String), []);
    });
  }

  for (const [name, document] of [
    ['getPaymentsDocument(3)', getPaymentsDocument(3)],
    ['listPaymentsDocument(3)', listPaymentsDocument(3)],
  ] as const) {
    test(`${name}, many by alias in one request, validates against the real schema and the sandbox's`, () => {
      assert.deepEqual(validate(real, parse(document)).map(String), []);
      assert.deepEqual(validate(sandbox, parse(document)).map(String), []);
    });
  }

  test('a document with a field WhenThen lacks would fail (the check has teeth)', () => {
    assert.notDeepEqual(validate(real, parse('query { getPayment(id: "x") { id orderId } }')), []);
  });
});
