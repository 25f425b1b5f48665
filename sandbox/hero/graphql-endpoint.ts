/**
 * `POST /hero/graphql`: reads one GraphQL request (or an Apollo-style batch, a JSON array), counts and fault-checks it
 * by its root field, applies Hero's rate limit, and answers with graphql-js. GraphQL errors (syntax, validation,
 * NOT_LOGGED, Hero's own) come in the body with HTTP 200, as Hero sends them; only a body that is not a GraphQL
 * request at all gets a 400.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import {
  buildSchema,
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { SandboxContext } from '../core/context.ts';
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

/** Apollo Server's wording for bodies that are not GraphQL requests (INVENTED for Hero, which runs some GraphQL server). */
const BAD_BODY = 'POST body missing, invalid Content-Type, or JSON object has no keys.';
const MISSING_QUERY = 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.';
const BAD_VARIABLES = '`variables` in a POST body should be provided as an object.';

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

type BodyReading = { ok: true; requests: GraphqlRequest[]; batch: boolean } | { ok: false; message: string };

export function readGraphqlBody(body: unknown): BodyReading {
  const batch = Array.isArray(body);
  const items = batch ? (body as unknown[]) : [body];
  if (items.length === 0) return { ok: false, message: BAD_BODY };
  const requests: GraphqlRequest[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return { ok: false, message: BAD_BODY };
    const { query, variables, operationName } = item as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '') return { ok: false, message: MISSING_QUERY };
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
  rootFields: string[];
}

function prepare(request: GraphqlRequest): Prepared {
  try {
    const document = parse(request.query);
    return { request, document, syntaxError: undefined, rootFields: rootFieldsOf(document, request.operationName) };
  } catch (error) {
    const syntaxError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return { request, document: undefined, syntaxError, rootFields: [] };
  }
}

/** The root fields the selected operation asks for, following fragments at the top level. */
export function rootFieldsOf(document: DocumentNode, operationName: string | undefined): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
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
  async function run(prepared: Prepared, context: HeroRequestContext): Promise<ExecutionResult> {
    if (!prepared.document) return { errors: [prepared.syntaxError!] };
    const errors = validate(schema, prepared.document);
    if (errors.length) return { errors };
    return execute({
      schema,
      document: prepared.document,
      rootValue,
      contextValue: context,
      variableValues: prepared.request.variables,
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

    const authorization = req.header('authorization');
    if (!limiter.allow(authorization ?? 'anonymous')) {
      res.setHeader('retry-after', '1');
      return sendText(res, 429, 'Too Many Requests');
    }

    const context: HeroRequestContext = { merchant: merchantFor(authorization) };
    const results: ExecutionResult[] = [];
    for (const p of prepared) results.push(await run(p, context));
    sendJson(res, 200, reading.batch ? results : results[0]);
  };
}
