/**
 * `POST /whenthen/graphql`: one GraphQL request (or a batch, a JSON array) counted and fault-checked by its root
 * field, authenticated by `Authorization: Bearer <private key | client token>`, made idempotent by
 * `X-Idempotency-Key` on mutations, and answered by graphql-js (aliases included: `p0: getPayment(id: "…") …
 * p1: getPayment(…)` asks many payments in one request, each alias answered or failed on its own).
 *
 * The request log counts calls: each root field once per HTTP request, however many aliases ask it. The `Date`
 * header follows WhenThen's clock (`POST /_sandbox/whenthen/clock`).
 *
 * Answers: GraphQL errors (syntax, validation, WhenThen's own codes) come in the body with HTTP 200. INVENTED: a
 * missing, unknown or expired bearer token is refused before GraphQL runs, with HTTP 401 and a GraphQL-shaped body
 * (`errors[0].extensions.code = error.auth.unauthenticated`); a body that is not a GraphQL request at all gets 400.
 */
import type { ServerResponse } from 'node:http';
import { Kind, type GraphQLSchema, type OperationDefinitionNode, type TypeNode } from 'graphql';
import type { SandboxContext } from '../core/context.ts';
import { START_OPERATION } from '../core/faults.ts';
import { prepareGraphql, readGraphqlBody, runEach, type GraphqlRequest } from '../core/graphql.ts';
import { sendJson, type Handler, type SandboxRequest } from '../core/http.ts';
import { ERROR_CODES, PRIVATE_KEY, PROVIDER } from './config.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import type { Caller, RequestContext } from './resolvers.ts';
import type { WhenThenStore } from './state.ts';

/** Fault kinds by root field: the payment-creating and status-reading operations; everything else is `other`. */
const OPERATION_KINDS: Record<string, 'create' | 'status'> = {
  authorizePayment: 'create',
  getPayment: 'status',
  listPayments: 'status',
};

export function operationKind(rootField: string): 'create' | 'status' | 'other' {
  return OPERATION_KINDS[rootField] ?? 'other';
}

/** What a merchant's server calls to start a payment: the client token of a card checkout, or a PayPal/Klarna payment. */
const START_FIELDS = new Set(['generateClientToken', 'authorizePayment']);

/** The operations a fault may name for a request whose first root field is `rootField`. */
export function faultOperations(rootField: string): string[] {
  return [operationKind(rootField), rootField, ...(START_FIELDS.has(rootField) ? [START_OPERATION] : [])];
}

/** INVENTED wording (WhenThen's server is graphql-java; its exact texts for broken bodies are not public). */
const BAD_BODY = 'The request body must be a JSON object (or an array of them) with a "query"';
const REFUSALS = {
  emptyBatch: BAD_BODY,
  notAnObject: BAD_BODY,
  missingQuery: BAD_BODY,
  blankQuery: BAD_BODY,
  badVariables: '"variables" must be a JSON object',
};

/** Who calls: the private key, a live client token, or nobody (undefined). */
export function authenticate(authorization: string | undefined, store: WhenThenStore): Caller | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return undefined;
  const token = match[1]!;
  if (token === PRIVATE_KEY) return { kind: 'private' };
  const grant = store.clientToken(token);
  return grant ? { kind: 'client', grant } : undefined;
}

function isStringType(type: TypeNode): boolean {
  const named = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  return named.kind === Kind.NAMED_TYPE && named.name.value === 'String';
}

/**
 * INVENTED leniency, after graphql-java before v20 (WhenThen's stack): a number given for a `String` variable is
 * read as its text. The seed's own listPayments example sends `"after": 0`.
 */
export function lenientVariables(operation: OperationDefinitionNode | undefined, variables: GraphqlRequest['variables']) {
  if (!operation || !variables) return variables;
  const adjusted = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (isStringType(definition.type) && typeof adjusted[name] === 'number') adjusted[name] = String(adjusted[name]);
  }
  return adjusted;
}

export interface GraphqlEndpointDeps {
  ctx: SandboxContext;
  store: WhenThenStore;
  schema: GraphQLSchema;
  rootValue: object;
  idempotency: IdempotencyKeys;
}

export function graphqlHandler({ ctx, store, schema, rootValue, idempotency }: GraphqlEndpointDeps): Handler {
  return async (req: SandboxRequest, res: ServerResponse) => {
    const reading = readGraphqlBody(req.json(), REFUSALS);
    if (!reading.ok) return sendJson(res, 400, { errors: [{ message: reading.error }] });
    const prepared = reading.requests.map(prepareGraphql);
    for (const field of new Set(prepared.flatMap((p) => p.rootFields))) ctx.record(PROVIDER, field);
    res.setHeader('date', new Date(store.now()).toUTCString());

    const first = prepared[0]?.rootFields[0] ?? 'unknown';
    if (await ctx.faults.intercept(PROVIDER, faultOperations(first), res, req)) return;

    const caller = authenticate(req.header('authorization'), store);
    if (!caller) return refuseUnauthenticated(res, req);

    const contextValue: RequestContext = { caller, baseUrl: ctx.baseUrl() };
    const answer = () =>
      runEach(prepared, reading.batch, (p) => ({ schema, rootValue, contextValue, variableValues: lenientVariables(p.operation, p.request.variables) }));

    const key = req.header('x-idempotency-key');
    const mutates = prepared.some((p) => p.operation?.operation === 'mutation');
    if (!key || !mutates) return sendJson(res, 200, await answer());
    const outcome = await idempotency.run(key, req.json(), answer);
    if (outcome.conflict) {
      return sendJson(res, 200, {
        errors: [{ message: 'This X-Idempotency-Key was already used with a different request', extensions: { code: ERROR_CODES.idempotencyKeyReused } }],
        data: null,
      });
    }
    sendJson(res, 200, outcome.value);
  };
}

function refuseUnauthenticated(res: ServerResponse, req: SandboxRequest): void {
  const message = req.header('authorization')
    ? 'Unauthorized: the bearer token is not a valid private key or a live client token'
    : 'Unauthorized: send Authorization: Bearer <private key or client token>';
  sendJson(res, 401, { errors: [{ message, extensions: { code: ERROR_CODES.unauthenticated } }], data: null }, { 'www-authenticate': 'Bearer' });
}
