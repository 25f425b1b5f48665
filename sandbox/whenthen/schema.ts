/**
 * The sandbox's WhenThen schema: `schema.graphql` (a subset of the real one) with its three custom scalars made to
 * behave like WhenThen's, which come from graphql-java's extended scalars: `Long` (a 64-bit integer, also given as a
 * numeric string), `DateTime` (RFC 3339) and `JSON` (any value).
 */
import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type GraphQLSchema, type ValueNode } from 'graphql';

export function loadSchemaSdl(): string {
  return readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'Array' : typeof value;
}

/** JavaScript numbers stay exact up to 2^53; beyond that a Long would silently lose digits, so it is refused. */
function toLong(value: unknown): number {
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new GraphQLError(`Expected a value that can be converted to type 'Long' but it was a '${describe(value)}' (${JSON.stringify(value)})`);
  }
  return number;
}

const long = {
  serialize: toLong,
  parseValue: toLong,
  parseLiteral(ast: ValueNode): number {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.STRING) {
      throw new GraphQLError(`Expected an AST type of 'IntValue' or 'StringValue' for 'Long' but it was a '${ast.kind}'`, { nodes: ast });
    }
    return toLong(ast.value);
  },
};

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function toDate(value: unknown): Date {
  if (typeof value !== 'string' || !RFC_3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`Invalid RFC 3339 value for 'DateTime': ${JSON.stringify(value)}`);
  }
  return new Date(value);
}

const dateTime = {
  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return value;
    throw new GraphQLError(`Cannot serialize ${describe(value)} as 'DateTime'`);
  },
  parseValue: toDate,
  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`Expected a 'StringValue' for 'DateTime' but it was a '${ast.kind}'`, { nodes: ast });
    return toDate(ast.value);
  },
};

const json = {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => valueFromASTUntyped(ast, variables),
};

export function buildWhenThenSchema(): GraphQLSchema {
  const schema = buildSchema(loadSchemaSdl());
  // buildSchema makes pass-through scalars; give them WhenThen's behaviour in place (types refer to these objects).
  for (const [name, behaviour] of Object.entries({ Long: long, DateTime: dateTime, JSON: json })) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) throw new Error(`schema.graphql lacks scalar ${name}`);
    Object.assign(type, behaviour);
  }
  return schema;
}
