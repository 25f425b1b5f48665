import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema } from 'graphql';
import { prepareGraphql, readGraphqlBody, readGraphqlRequest, runEach, runGraphql, type GraphqlRequest, type Refusals } from './graphql.ts';

const STRICT: Refusals<string> & { emptyBatch: string } = {
  emptyBatch: 'empty',
  notAnObject: 'object',
  missingQuery: 'query',
  blankQuery: 'blank',
  badVariables: 'variables',
  badOperationName: 'operationName',
};
const LENIENT: Refusals<string> = { notAnObject: 'object', missingQuery: 'query', badVariables: 'variables' };

/** graphql-js answers with null-prototype objects; compare what goes over the wire. */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const request = (query: string, operationName?: string, variables?: Record<string, unknown>): GraphqlRequest => ({ query, variables, operationName });

describe('readGraphqlRequest', () => {
  const cases: Array<[name: string, item: unknown, refusals: Refusals<string>, expected: GraphqlRequest | string]> = [
    ['a plain request', { query: '{ a }' }, STRICT, request('{ a }')],
    ['variables and operationName', { query: 'query Q { a }', variables: { x: 1 }, operationName: 'Q' }, STRICT, request('query Q { a }', 'Q', { x: 1 })],
    ['null variables and operationName', { query: '{ a }', variables: null, operationName: null }, STRICT, request('{ a }')],
    ['not an object', 'hello', STRICT, 'object'],
    ['null', null, STRICT, 'object'],
    ['an array', [{ query: '{ a }' }], STRICT, 'object'],
    ['no query', { variables: {} }, STRICT, 'query'],
    ['a query that is not a string', { query: 5 }, STRICT, 'query'],
    ['a blank query, refused', { query: '  ' }, STRICT, 'blank'],
    ['a blank query, let through', { query: '  ' }, LENIENT, request('  ')],
    ['variables as an array', { query: '{ a }', variables: [1] }, STRICT, 'variables'],
    ['variables as a string', { query: '{ a }', variables: '{}' }, LENIENT, 'variables'],
    ['a numeric operationName, refused', { query: '{ a }', operationName: 5 }, STRICT, 'operationName'],
    ['a numeric operationName, ignored', { query: '{ a }', operationName: 5 }, LENIENT, request('{ a }')],
  ];
  for (const [name, item, refusals, expected] of cases) {
    it(name, () => {
      const reading = readGraphqlRequest(item, refusals);
      assert.deepEqual(reading, typeof expected === 'string' ? { ok: false, error: expected } : { ok: true, request: expected });
    });
  }
});

describe('readGraphqlBody', () => {
  const cases: Array<[name: string, body: unknown, expected: { requests: GraphqlRequest[]; batch: boolean } | string]> = [
    ['one request', { query: '{ a }' }, { requests: [request('{ a }')], batch: false }],
    ['a batch', [{ query: '{ a }' }, { query: '{ b }' }], { requests: [request('{ a }'), request('{ b }')], batch: true }],
    ['an empty batch', [], 'empty'],
    ['no body (not JSON)', undefined, 'object'],
    ['a batch with one bad item', [{ query: '{ a }' }, { query: '{ b }', variables: 1 }], 'variables'],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      assert.deepEqual(readGraphqlBody(body, STRICT), typeof expected === 'string' ? { ok: false, error: expected } : { ok: true, ...expected });
    });
  }
});

describe('prepareGraphql', () => {
  const cases: Array<[name: string, query: string, operationName: string | undefined, rootFields: string[], kind?: string]> = [
    ['a query', '{ a b }', undefined, ['a', 'b'], 'query'],
    ['a mutation', 'mutation { pay }', undefined, ['pay'], 'mutation'],
    ['fragments at the top level', 'query { ...F ... on Query { c } } fragment F on Query { a ...G } fragment G on Query { b }', undefined, ['a', 'b', 'c'], 'query'],
    ['a fragment cycle', 'query { ...F } fragment F on Query { a ...F }', undefined, ['a'], 'query'],
    ['the named operation', 'query A { a } mutation B { pay }', 'B', ['pay'], 'mutation'],
    ['several operations, none named', 'query A { a } query B { b }', undefined, []],
    ['an unknown operation name', '{ a }', 'Nope', []],
    ['a syntax error', '{ a', undefined, []],
  ];
  for (const [name, query, operationName, rootFields, kind] of cases) {
    it(name, () => {
      const prepared = prepareGraphql(request(query, operationName));
      assert.deepEqual(prepared.rootFields, rootFields);
      assert.equal(prepared.operation?.operation, kind);
      assert.equal(prepared.document === undefined, prepared.syntaxError !== undefined);
    });
  }
});

describe('runGraphql', () => {
  const schema = buildSchema('type Query { hello(name: String): String who: String } type Mutation { count: Int }');
  let counter = 0;
  const rootValue = {
    hello: ({ name }: { name?: string }) => `hello ${name ?? 'you'}`,
    who: (_args: unknown, context: { user: string }) => context.user,
    count: () => ++counter,
  };
  const options = (variableValues?: Record<string, unknown>) => ({ schema, rootValue, contextValue: { user: 'ada' }, variableValues });
  const cases: Array<[name: string, query: string, variables: Record<string, unknown> | undefined, expected: RegExp | unknown]> = [
    ['data', '{ hello }', undefined, { hello: 'hello you' }],
    ['variables', 'query ($n: String) { hello(name: $n) }', { n: 'bob' }, { hello: 'hello bob' }],
    ['the context', '{ who }', undefined, { who: 'ada' }],
    ['a syntax error', '{ hello', undefined, /Syntax Error/],
    ['a validation error', '{ nope }', undefined, /Cannot query field "nope"/],
    ['a variable of the wrong type', 'query ($n: String) { hello(name: $n) }', { n: 5 }, /String cannot represent a non string value/],
    ['several operations, none named', 'query A { hello } query B { who }', undefined, /Must provide operation name/],
  ];
  for (const [name, query, variables, expected] of cases) {
    it(name, async () => {
      const result = await runGraphql(prepareGraphql(request(query, undefined, variables)), options(variables));
      if (expected instanceof RegExp) {
        assert.equal(result.data, undefined);
        assert.match(result.errors?.[0]?.message ?? '', expected);
      } else {
        assert.deepEqual(wire(result), { data: expected });
      }
    });
  }

  it('runs a batch in order and answers one request with its one result', async () => {
    const batch = ['mutation { count }', 'mutation { count }'].map((q) => prepareGraphql(request(q)));
    assert.deepEqual(wire(await runEach(batch, true, () => options())), [{ data: { count: 1 } }, { data: { count: 2 } }]);
    assert.deepEqual(wire(await runEach(batch.slice(0, 1), false, () => options())), { data: { count: 3 } });
  });
});
