/**
 * Kronor answers like Hasura: HTTP 200 with `{errors: [{message, extensions: {path, code}}]}` and no `data`.
 * Resolvers throw `KronorError`; the endpoint turns every error into that shape.
 */
import { GraphQLError } from 'graphql';
import { ERROR_CODES } from './config.ts';

export interface HasuraError {
  message: string;
  extensions: { path: string; code: string };
}

export class KronorError extends Error {
  constructor(
    message: string,
    readonly code: string = ERROR_CODES.validation,
    readonly path = '$',
  ) {
    super(message);
  }
}

/** An input Kronor refuses (wrong currency for the method, a field too long …). */
export function invalid(message: string): never {
  throw new KronorError(message, ERROR_CODES.validation);
}

/** A request the payment's current state does not allow. */
export function conflict(message: string): never {
  throw new KronorError(message, ERROR_CODES.badRequest);
}

export function hasuraError(message: string, code: string, path = '$'): HasuraError {
  return { message, extensions: { path, code } };
}

/** graphql-js's error → Hasura's shape; validation wording rewritten to Hasura's where it differs. */
export function toHasuraError(error: GraphQLError, fallbackCode: string = ERROR_CODES.unexpected): HasuraError {
  const original = error.originalError;
  if (original instanceof KronorError) return hasuraError(original.message, original.code, original.path);
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (unknownField) {
    const [, field, type] = unknownField;
    return hasuraError(`field '${field}' not found in type: '${type}'`, ERROR_CODES.validation, `$.selectionSet.${field}`);
  }
  // A role without mutations (merchant-read-only): Hasura's own words.
  if (/^Schema is not configured to execute mutation operation/.test(error.message)) return hasuraError('no mutations exist', ERROR_CODES.validation);
  return hasuraError(error.message, fallbackCode, error.path ? `$.${error.path.join('.')}` : '$');
}

/** The same error as a GraphQLError, for graphql-ws messages (which carry GraphQLError JSON). */
export function toWsError(error: HasuraError): GraphQLError {
  return new GraphQLError(error.message, { extensions: error.extensions });
}
