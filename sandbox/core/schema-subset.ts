/**
 * Checks that a simulator's GraphQL schema is a faithful subset of the provider's real one: every type it declares
 * exists there with the same kind, every field and argument with the same type and nullability, every enum value
 * and union member too, and no argument the real API requires is missing. Root types are compared by role
 * (query / mutation / subscription), since Hasura names them `query_root` and so on.
 */
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SPECIFIED_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/** The real schemas: Kassa's copies in `sandbox/reference/`. */
export function loadReferenceSchema(file: 'kronor-session.graphqls' | 'kronor-merchant.graphqls' | 'whenthen.graphqls'): GraphQLSchema {
  const path = fileURLToPath(new URL(`../reference/${file}`, import.meta.url));
  return buildSchema(readFileSync(path, 'utf8'));
}

export function schemaSubsetProblems(sandbox: GraphQLSchema, reference: GraphQLSchema): string[] {
  const problems: string[] = [];
  const roots = new Map<string, GraphQLNamedType | null | undefined>([
    [sandbox.getQueryType()?.name ?? '', reference.getQueryType()],
    [sandbox.getMutationType()?.name ?? '', reference.getMutationType()],
    [sandbox.getSubscriptionType()?.name ?? '', reference.getSubscriptionType()],
  ]);
  roots.delete('');

  for (const type of Object.values(sandbox.getTypeMap())) {
    if (type.name.startsWith('__') || SPECIFIED_SCALARS.has(type.name)) continue;
    const real = roots.has(type.name) ? roots.get(type.name) : reference.getType(type.name);
    if (!real) {
      problems.push(`type ${type.name} does not exist in the real schema`);
      continue;
    }
    if (kind(type) !== kind(real)) {
      problems.push(`${type.name} is ${kind(type)} here but ${kind(real)} in the real schema`);
      continue;
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(real) || isInterfaceType(real))) {
      const realFields = real.getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) {
          problems.push(`${type.name}.${field.name} does not exist in the real schema`);
          continue;
        }
        compareTypes(`${type.name}.${field.name}`, String(field.type), String(realField.type), problems);
        compareArgs(`${type.name}.${field.name}`, field, realField, problems);
      }
    } else if (isInputObjectType(type) && isInputObjectType(real)) {
      const realFields = real.getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) problems.push(`input ${type.name}.${field.name} does not exist in the real schema`);
        else compareTypes(`input ${type.name}.${field.name}`, String(field.type), String(realField.type), problems);
      }
      for (const realField of Object.values(real.getFields())) {
        if (isNonNullType(realField.type) && realField.defaultValue === undefined && !type.getFields()[realField.name]) {
          problems.push(`input ${type.name} lacks ${realField.name}, which the real schema requires`);
        }
      }
    } else if (isEnumType(type) && isEnumType(real)) {
      const realValues = new Set(real.getValues().map((v) => v.name));
      for (const value of type.getValues()) {
        if (!realValues.has(value.name)) problems.push(`enum ${type.name} value ${value.name} does not exist in the real schema`);
      }
    } else if (isUnionType(type) && isUnionType(real)) {
      const realMembers = new Set(real.getTypes().map((t) => t.name));
      for (const member of type.getTypes()) {
        if (!realMembers.has(member.name)) problems.push(`union ${type.name} member ${member.name} is not in the real schema`);
      }
    }
  }
  return problems;
}

function kind(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'an object type';
  if (isInterfaceType(type)) return 'an interface';
  if (isInputObjectType(type)) return 'an input type';
  if (isEnumType(type)) return 'an enum';
  if (isUnionType(type)) return 'a union';
  if (isScalarType(type)) return 'a scalar';
  return 'unknown';
}

function compareTypes(where: string, mine: string, real: string, problems: string[]): void {
  if (mine !== real) problems.push(`${where} is ${mine} here but ${real} in the real schema`);
}

function compareArgs(where: string, field: GraphQLField<unknown, unknown>, realField: GraphQLField<unknown, unknown>, problems: string[]): void {
  const realArgs = new Map(realField.args.map((a) => [a.name, a]));
  for (const arg of field.args) {
    const realArg = realArgs.get(arg.name);
    if (!realArg) problems.push(`${where}(${arg.name}) does not exist in the real schema`);
    else compareTypes(`${where}(${arg.name})`, String(arg.type), String(realArg.type), problems);
  }
  for (const realArg of realField.args) {
    if (isNonNullType(realArg.type) && realArg.defaultValue === undefined && !field.args.some((a) => a.name === realArg.name)) {
      problems.push(`${where} lacks argument ${realArg.name}, which the real schema requires`);
    }
  }
}
