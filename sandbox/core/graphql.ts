/**
 * The GraphQL-over-HTTP plumbing the GraphQL simulators share, as pure functions: read a body (one request or a batch,
 * a JSON array) into requests, prepare each (parse, pick the operation, list its root fields), and run it (validate,
 * then execute with graphql-js). Everything a provider says differently stays with the provider: the refusals for a
 * body that is not a GraphQL request are passed in, and so are schema, root value, context and variables.
 */
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
} from 'graphql';

export interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** A provider's own refusals (a message, or an error object) for a body item that is not a GraphQL request. */
export interface Refusals<E> {
  /** The item is not a JSON object. */
  notAnObject: E;
  /** `query` is missing or not a string. */
  missingQuery: E;
  /** `query` is empty or blank; without it a blank query goes on (and fails to parse). */
  blankQuery?: E;
  /** `variables` is there but not an object. */
  badVariables: E;
  /** `operationName` is there but not a string; without it such an `operationName` is ignored. */
  badOperationName?: E;
}

export type RequestReading<E> = { ok: true; request: GraphqlRequest } | { ok: false; error: E };

/** One item of a body as a GraphQL request, or the provider's refusal of it. */
export function readGraphqlRequest<E>(item: unknown, refusals: Refusals<E>): RequestReading<E> {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { ok: false, error: refusals.notAnObject };
  const { query, variables, operationName } = item as Record<string, unknown>;
  if (typeof query !== 'string') return { ok: false, error: refusals.missingQuery };
  if (refusals.blankQuery !== undefined && query.trim() === '') return { ok: false, error: refusals.blankQuery };
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return { ok: false, error: refusals.badVariables };
  if (refusals.badOperationName !== undefined && operationName != null && typeof operationName !== 'string') {
    return { ok: false, error: refusals.badOperationName };
  }
  return {
    ok: true,
    request: {
      query,
      variables: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof operationName === 'string' ? operationName : undefined,
    },
  };
}

export type BodyReading<E> = { ok: true; requests: GraphqlRequest[]; batch: boolean } | { ok: false; error: E };

/** A whole body (one request, or a non-empty batch) as requests; the first refused item refuses the body. */
export function readGraphqlBody<E>(body: unknown, refusals: Refusals<E> & { emptyBatch: E }): BodyReading<E> {
  const batch = Array.isArray(body);
  const items = batch ? (body as unknown[]) : [body];
  if (items.length === 0) return { ok: false, error: refusals.emptyBatch };
  const requests: GraphqlRequest[] = [];
  for (const item of items) {
    const reading = readGraphqlRequest(item, refusals);
    if (!reading.ok) return reading;
    requests.push(reading.request);
  }
  return { ok: true, requests, batch };
}

/** A request parsed, with its selected operation (undefined when none matches) and that operation's root fields. */
export type PreparedGraphql =
  | { request: GraphqlRequest; document: DocumentNode; operation: OperationDefinitionNode | undefined; rootFields: string[]; syntaxError?: undefined }
  | { request: GraphqlRequest; document?: undefined; operation?: undefined; rootFields: string[]; syntaxError: GraphQLError };

export function prepareGraphql(request: GraphqlRequest): PreparedGraphql {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    const syntaxError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
    return { request, syntaxError, rootFields: [] };
  }
  const operation = getOperationAST(document, request.operationName) ?? undefined;
  return { request, document, operation, rootFields: operation ? rootFieldsOf(document, operation) : [] };
}

/** The root fields an operation asks for, following fragments (named and inline) at the top level. */
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

export interface RunOptions {
  schema: GraphQLSchema;
  rootValue: unknown;
  contextValue: unknown;
  variableValues: Record<string, unknown> | undefined;
}

/** graphql-js's answer to a prepared request: its syntax error, its validation errors, or the execution result. */
export async function runGraphql(prepared: PreparedGraphql, { schema, rootValue, contextValue, variableValues }: RunOptions): Promise<ExecutionResult> {
  if (!prepared.document) return { errors: [prepared.syntaxError] };
  const errors = validate(schema, prepared.document);
  if (errors.length) return { errors };
  return execute({ schema, document: prepared.document, rootValue, contextValue, variableValues, operationName: prepared.request.operationName });
}

/** Runs a body's requests one after another (resolvers change state); a batch answers with all results, else the one. */
export async function runEach(
  prepared: PreparedGraphql[],
  batch: boolean,
  optionsFor: (prepared: PreparedGraphql) => RunOptions,
): Promise<ExecutionResult | ExecutionResult[] | undefined> {
  const results: ExecutionResult[] = [];
  for (const p of prepared) results.push(await runGraphql(p, optionsFor(p)));
  return batch ? results : results[0];
}
