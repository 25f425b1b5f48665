/**
 * `POST /whenthen/graphql`: one GraphQL request (or a batch, a JSON array) counted and fault-checked by its root
 * field, authenticated by `Authorization: Bearer <private key | client token>`, made idempotent by
 * `X-Idempotency-Key` on mutations, and answered by graphql-js.
 *
 * Answers: GraphQL errors (syntax, validation, WhenThen's own codes) come in the body with HTTP 200. INVENTED: a
 * missing, unknown or expired bearer token is refused before GraphQL runs, with HTTP 401 and a GraphQL-shaped body
 * (`errors[0].extensions.code = error.auth.unauthenticated`); a body that is not a GraphQL request at all gets 400.
 */
import type { ServerResponse } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
} from 'graphql';
import type { SandboxContext } from '../core/context.ts';
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

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

type BodyReading = { ok: true; requests: GraphqlRequest[]; batch: boolean } | { ok: false; message: string };

/** INVENTED wording (WhenThen's server is graphql-java; its exact texts for broken bodies are not public). */
const BAD_BODY = 'The request body must be a JSON object (or an array of them) with a "query"';
const BAD_VARIABLES = '"variables" must be a JSON object';

export function readGraphqlBody(body: unknown): BodyReading {
  const batch = Array.isArray(body);
  const items = batch ? (body as unknown[]) : [body];
  if (items.length === 0) return { ok: false, message: BAD_BODY };
  const requests: GraphqlRequest[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return { ok: false, message: BAD_BODY };
    const { query, variables, operationName } = item as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '') return { ok: false, message: BAD_BODY };
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return { ok: false, message: BAD_VARIABLES };
    requests.push({
      query,
      variables: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
    });
  }
  return { ok: true, requests, batch };
}

interface Prepared {
  request: GraphqlRequest;
  document: DocumentNode | undefined;
  syntaxError: GraphQLError | undefined;
  operation: OperationDefinitionNode | undefined;
  rootFields: string[];
}

function prepare(request: GraphqlRequest): Prepared {
  try {
    const document = parse(request.query);
    const operation = getOperationAST(document, request.operationName) ?? undefined;
    return { request, document, syntaxError: undefined, operation, rootFields: operation ? rootFieldsOf(document, operation) : [] };
  } catch (error) {
    const syntaxError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return { request, document: undefined, syntaxError, operation: undefined, rootFields: [] };
  }
}

/** The root fields an operation asks for, following fragments at the top level. */
export function rootFieldsOf(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])),
  );
  const names: string[] = [];
  const walk = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment, new Set([...seen, selection.name.value]));
      }
    }
  };
  walk(operation.selectionSet, new Set());
  return names;
}

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
export function lenientVariables(operation: OperationDefinitionNode | undefined, variables: Record<string, unknown> | undefined) {
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
  async function run(prepared: Prepared, context: RequestContext): Promise<ExecutionResult> {
    if (!prepared.document) return { errors: [prepared.syntaxError!] };
    const errors = validate(schema, prepared.document);
    if (errors.length) return { errors };
    return execute({
      schema,
      document: prepared.document,
      rootValue,
      contextValue: context,
      variableValues: lenientVariables(prepared.operation, prepared.request.variables),
      operationName: prepared.request.operationName,
    });
  }

  return async (req: SandboxRequest, res: ServerResponse) => {
    const reading = readGraphqlBody(req.json());
    if (!reading.ok) return sendJson(res, 400, { errors: [{ message: reading.message }] });
    const prepared = reading.requests.map(prepare);
    for (const field of prepared.flatMap((p) => p.rootFields)) ctx.record(PROVIDER, field);

    const first = prepared[0]?.rootFields[0] ?? 'unknown';
    if (await ctx.faults.intercept(PROVIDER, [operationKind(first), first], res)) return;

    const caller = authenticate(req.header('authorization'), store);
    if (!caller) return refuseUnauthenticated(res, req);

    const context: RequestContext = { caller, baseUrl: ctx.baseUrl() };
    const answer = async () => {
      const results: ExecutionResult[] = [];
      for (const p of prepared) results.push(await run(p, context));
      return reading.batch ? results : results[0];
    };

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
