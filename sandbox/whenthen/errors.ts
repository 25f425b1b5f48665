/**
 * WhenThen's errors: GraphQL errors in the body (HTTP 200) whose `extensions.code` names the problem, like the
 * documented `error.authorize.requires3DSecure`. Domain code throws them; graphql-js keeps `extensions` when a
 * resolver throws, and the hosted pages show their message.
 */
import { GraphQLError } from 'graphql';
import type { ERROR_CODES } from './config.ts';

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export function whenThenError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
