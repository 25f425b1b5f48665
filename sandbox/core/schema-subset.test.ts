import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema } from 'graphql';
import { schemaSubsetProblems } from './schema-subset.ts';

const real = buildSchema(`
  schema { query: query_root mutation: mutation_root }
  type query_root { payment(id: ID!): Payment }
  type mutation_root { pay(input: PayInput!): Payment! }
  input PayInput { amount: Int! currency: String note: String }
  enum Status { PAID DECLINED }
  type Payment { id: ID! status: Status! amount: Int! }
`);

describe('schemaSubsetProblems', () => {
  const cases: Array<[name: string, sdl: string, expected: RegExp[]]> = [
    ['a true subset with other root names', `type Query { payment(id: ID!): Payment } type Payment { id: ID! status: Status! } enum Status { PAID }`, []],
    ['an unknown type', `type Query { payment(id: ID!): Payment } type Payment { id: ID! } type Extra { x: Int }`, [/type Extra does not exist/]],
    ['an unknown field', `type Query { payment(id: ID!): Payment } type Payment { id: ID! color: String }`, [/Payment.color does not exist/]],
    ['other nullability', `type Query { payment(id: ID!): Payment } type Payment { id: ID }`, [/Payment.id is ID here but ID! in the real schema/]],
    ['an unknown enum value', `type Query { payment(id: ID!): Payment } type Payment { status: Status } enum Status { PAID LOST }`, [/Status value LOST/, /Payment.status is Status here but Status!/]],
    ['an argument of another type', `type Query { payment(id: String!): Payment } type Payment { id: ID! }`, [/payment\(id\) is String! here but ID!/]],
    ['a missing required argument', `type Query { payment: Payment } type Payment { id: ID! }`, [/lacks argument id/]],
    ['a missing required input field', `type Query { payment(id: ID!): Payment } type Mutation { pay(input: PayInput!): Payment! } input PayInput { currency: String } type Payment { id: ID! }`, [/input PayInput lacks amount/]],
    ['a wrong kind', `type Query { payment(id: ID!): Payment } type Payment { id: ID! status: Status! } scalar Status`, [/Status is a scalar here but an enum/]],
  ];
  for (const [name, sdl, expected] of cases) {
    it(name, () => {
      const problems = schemaSubsetProblems(buildSchema(sdl), real);
      assert.equal(problems.length, expected.length, problems.join('\n'));
      for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `${pattern} not in:\n${problems.join('\n')}`);
    });
  }
});
