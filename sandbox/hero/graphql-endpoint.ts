/**
 * `POST /hero/graphql`: reads one GraphQL request (or an Apollo-style batch, a JSON array), counts and fault-checks it
 * by its root field, applies Hero's rate limit, and answers with graphql-js. GraphQL errors (syntax, validation,
 * NOT_LOGGED, Hero's own) come in the body with HTTP 200, as Hero sends them; only a body that is not a GraphQL
 * request at all gets a 400.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { buildSchema, type GraphQLSchema } from 'graphql';
import type { SandboxContext } from '../core/context.ts';
import { START_OPERATION } from '../core/faults.ts';
import { prepareGraphql, readGraphqlBody, runEach } from '../core/graphql.ts';
import { sendJson, sendText, type Handler, type SandboxRequest } from '../core/http.ts';
import { AUTH_SCHEME, MERCHANT_ACCOUNTS, PROVIDER, type MerchantAccount } from './config.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { HeroRequestContext } from './resolvers.ts';

export function loadHeroSchema(): GraphQLSchema {
  return buildSchema(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));
}

/** Fault kinds by root field: the payment-creating and status-reading operations, everything else `other`. */
const OPERATION_KINDS: Record<string, 'create' | 'status'> = {
  createPayment: 'create',
  getPaymentsInfos: 'status',
  paymentStatus: 'status',
};

export function operationKind(rootField: string): 'create' | 'status' | 'other' {
  return OPERATION_KINDS[rootField] ?? 'other';
}

/** The operations a fault may name for a request whose first root field is `rootField`; creating is starting at Hero. */
export function faultOperations(rootField: string): string[] {
  const kind = operationKind(rootField);
  return [kind, rootField, ...(kind === 'create' ? [START_OPERATION] : [])];
}

/** Apollo Server's wording for bodies that are not GraphQL requests (INVENTED for Hero, which runs some GraphQL server). */
const BAD_BODY = 'POST body missing, invalid Content-Type, or JSON object has no keys.';
const MISSING_QUERY = 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
const REFUSALS = {
  emptyBatch: BAD_BODY,
  notAnObject: BAD_BODY,
  missingQuery: MISSING_QUERY,
  blankQuery: MISSING_QUERY,
  badVariables: '`variables` in a POST body should be provided as an object.',
};

/** The account an `Authorization: Api-Key <key>` header opens; undefined for a missing, malformed or unknown key. */
export function merchantFor(authorization: string | undefined): MerchantAccount | undefined {
  const match = /^(\S+)\s+(\S+)$/.exec(authorization?.trim() ?? '');
  if (!match || match[1]!.toLowerCase() !== AUTH_SCHEME.toLowerCase()) return undefined;
  return MERCHANT_ACCOUNTS.find((m) => m.apiKey === match[2]);
}

export interface GraphqlEndpointDeps {
  ctx: SandboxContext;
  schema: GraphQLSchema;
  rootValue: object;
  limiter: RateLimiter;
}

export function graphqlHandler({ ctx, schema, rootValue, limiter }: GraphqlEndpointDeps): Handler {
  return async (req: SandboxRequest, res: ServerResponse) => {
    const reading = readGraphqlBody(req.json(), REFUSALS);
    if (!reading.ok) return sendJson(res, 400, { errors: [{ message: reading.error }] });
    const prepared = reading.requests.map(prepareGraphql);
    for (const field of prepared.flatMap((p) => p.rootFields)) ctx.record(PROVIDER, field);

    const first = prepared[0]?.rootFields[0] ?? 'unknown';
    if (await ctx.faults.intercept(PROVIDER, faultOperations(first), res, req)) return;

    const authorization = req.header('authorization');
    if (!limiter.allow(authorization ?? 'anonymous')) {
      res.setHeader('retry-after', '1');
      return sendText(res, 429, 'Too Many Requests');
    }

    const contextValue: HeroRequestContext = { merchant: merchantFor(authorization) };
    sendJson(res, 200, await runEach(prepared, reading.batch, (p) => ({ schema, rootValue, contextValue, variableValues: p.request.variables })));
  };
}
