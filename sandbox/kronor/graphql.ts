/**
 * `POST /kronor/v1/graphql`, answered the way Hasura answers: each role sees its own schema, every error comes
 * with HTTP 200 as `{errors:[{message, extensions:{path, code}}]}` and no `data`, and a JSON array is a batch.
 * `prepare` is shared with the websocket server so both transports parse, validate and authorize alike.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import {
  buildSchema,
  execute,
  Kind,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationTypeNode,
} from 'graphql';
import type { SandboxContext } from '../core/context.ts';
import { START_OPERATION } from '../core/faults.ts';
import { prepareGraphql, readGraphqlRequest, type GraphqlRequest } from '../core/graphql.ts';
import { sendJson, type SandboxRequest } from '../core/http.ts';
import { authenticate, type Caller, type SessionTokens } from './auth.ts';
import { ERROR_CODES, PROVIDER, type MerchantRole } from './config.ts';
import { hasuraError, toHasuraError, type HasuraError } from './errors.ts';
import type { KronorContext, Roots } from './resolvers.ts';
import { roleSchema } from './roles.ts';
import type { KronorStore } from './state.ts';

export function loadSchemaText(file: 'session.graphql' | 'merchant.graphql'): string {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
}

export function loadSchema(file: 'session.graphql' | 'merchant.graphql'): GraphQLSchema {
  return buildSchema(loadSchemaText(file));
}

/** The session's schema, and the merchant's as each token role sees it. */
export function loadSchemas(): Engine['schemas'] {
  const merchant = loadSchemaText('merchant.graphql');
  return {
    session: loadSchema('session.graphql'),
    'merchant-backend': roleSchema(merchant, 'merchant-backend'),
    'payment-gateway': roleSchema(merchant, 'payment-gateway'),
    'merchant-read-only': roleSchema(merchant, 'merchant-read-only'),
  };
}

/** Fault-injection kinds by root field: what creates a payment (or its session) and what reads a status. */
const CREATE_FIELDS = new Set([
  'newPaymentSession',
  'newPaymentSessionWithReferenceCheck',
  'newSwishPayment',
  'newCreditCardPayment',
  'newMobilePayPayment',
  'newVippsPayment',
  'newP24Payment',
  'newPayPalPayment',
  'newBankTransferPayment',
]);
const STATUS_FIELDS = new Set(['paymentRequests', 'payments', 'refreshPaymentStatus']);
/** What a merchant's server calls to start a payment (the browser starts the payment request in the session after). */
const START_FIELDS = new Set(['newPaymentSession', 'newPaymentSessionWithReferenceCheck']);

/** The operations a fault may name for a request whose first root field is `rootField`. */
export function faultOperations(rootField: string): string[] {
  return [operationKind(rootField), rootField, ...(START_FIELDS.has(rootField) ? [START_OPERATION] : [])];
}

export function operationKind(rootField: string): 'create' | 'status' | 'other' {
  if (CREATE_FIELDS.has(rootField)) return 'create';
  if (STATUS_FIELDS.has(rootField)) return 'status';
  return 'other';
}

/** The first field an operation selects at its top level (`unknown` when the query does not parse). */
export function rootFieldOf(query: unknown, operationName?: string | null): string {
  if (typeof query !== 'string') return 'unknown';
  const { operation } = prepareGraphql({ query, variables: undefined, operationName: operationName ?? undefined });
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/** Hasura's wording when a body is not a GraphQL request. */
const REFUSALS = {
  notAnObject: hasuraError('When parsing the constructor GQLReq of type Hasura.GraphQL.Transport.HTTP.Protocol.GQLReq expected Object', ERROR_CODES.parseFailed),
  missingQuery: hasuraError("the key 'query' was not present", ERROR_CODES.parseFailed, '$'),
  badVariables: hasuraError('expected Object for variables', ERROR_CODES.parseFailed, '$.variables'),
  badOperationName: hasuraError('expected String for operationName', ERROR_CODES.parseFailed, '$.operationName'),
};

export interface Engine {
  schemas: Record<'session' | MerchantRole, GraphQLSchema>;
  roots: Record<Caller['role'], Roots>;
}

function schemaOf(engine: Engine, caller: Caller): GraphQLSchema {
  return caller.role === 'session' ? engine.schemas.session : engine.schemas[caller.access];
}

export type Prepared = { ok: true; args: ExecutionArgs; operation: OperationTypeNode } | { ok: false; errors: HasuraError[] };

/** Parses and validates a request against the caller's own schema, and builds graphql-js's execution arguments. */
export function prepare(engine: Engine, caller: Caller, request: GraphqlRequest, baseUrl: string): Prepared {
  const { document, operation } = prepareGraphql(request);
  if (!document) return { ok: false, errors: [hasuraError('not a valid graphql query', ERROR_CODES.validation, '$.query')] };
  const schema = schemaOf(engine, caller);
  const problems = validate(schema, document);
  if (problems.length) {
    // A field the role cannot see is the error that matters; the unknown input types it drags along come after.
    const errors = problems.map((p) => toHasuraError(p, ERROR_CODES.validation));
    const fieldFirst = [...errors].sort((a, b) => Number(b.message.startsWith('field ')) - Number(a.message.startsWith('field ')));
    return { ok: false, errors: fieldFirst };
  }
  if (!operation) {
    return {
      ok: false,
      errors: [hasuraError('exactly one operation has to be present in the document when operationName is not specified', ERROR_CODES.validation)],
    };
  }
  const contextValue: KronorContext = { caller, baseUrl };
  return {
    ok: true,
    operation: operation.operation,
    args: {
      schema,
      document,
      rootValue: engine.roots[caller.role][operation.operation],
      contextValue,
      variableValues: request.variables,
      operationName: request.operationName,
    },
  };
}

/** graphql-js's result → Hasura's: errors alone (variable errors are validation failures), or data alone. */
export function toHasuraResult(result: ExecutionResult): { data: unknown } | { errors: HasuraError[] } {
  if (!result.errors?.length) return { data: result.data };
  const code = result.data === undefined ? ERROR_CODES.validation : ERROR_CODES.unexpected;
  return { errors: result.errors.map((e) => toHasuraError(e, code)) };
}

export interface EndpointDeps {
  ctx: SandboxContext;
  engine: Engine;
  tokens: SessionTokens;
  store: KronorStore;
}

export function authenticateRequest(deps: Pick<EndpointDeps, 'tokens' | 'store'>, authorization: string | undefined) {
  return authenticate(authorization, deps.tokens, (id) => deps.store.sessions.get(id)?.expiresAtMs);
}

/** The HTTP handler. */
export function graphqlHandler(deps: EndpointDeps) {
  return async (req: SandboxRequest, res: ServerResponse): Promise<void> => {
    const body = req.json();
    if (body === undefined) {
      return sendJson(res, 200, { errors: [hasuraError('Error in $: Failed reading: not a valid json value', ERROR_CODES.invalidJson)] });
    }
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    const first = items[0] as Record<string, unknown> | undefined;
    const firstField = rootFieldOf(first?.query, first?.operationName as string | undefined);
    if (await deps.ctx.faults.intercept(PROVIDER, faultOperations(firstField), res, req)) return;

    const auth = await authenticateRequest(deps, req.header('authorization'));
    const results = [];
    for (const item of items) {
      const field = rootFieldOf((item as Record<string, unknown> | null)?.query, (item as Record<string, unknown> | null)?.operationName as string | undefined);
      deps.ctx.record(PROVIDER, field);
      if (!auth.ok) {
        results.push({ errors: [auth.error] });
        continue;
      }
      results.push(await run(deps, auth.caller, item));
    }
    sendJson(res, 200, batch ? results : results[0]);
  };
}

async function run(deps: EndpointDeps, caller: Caller, item: unknown) {
  const reading = readGraphqlRequest(item, REFUSALS);
  if (!reading.ok) return { errors: [reading.error] };
  const prepared = prepare(deps.engine, caller, reading.request, deps.ctx.baseUrl());
  if (!prepared.ok) return { errors: prepared.errors };
  if (prepared.operation === 'subscription') {
    return { errors: [hasuraError('subscriptions are not supported over HTTP, use websockets instead', ERROR_CODES.validation)] };
  }
  return toHasuraResult(await execute(prepared.args));
}
