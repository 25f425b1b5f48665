/**
 * How adapters call providers: a timeout on every call, retries with backoff only where the operation is
 * idempotent (reads, or writes carrying an idempotency key the provider honours), and errors that say what
 * happened without leaking the request's secrets.
 */
import { ProviderUnavailable } from './provider.ts';

export interface CallOptions {
  /** Per attempt. */
  timeoutMs: number;
  /** True for reads and for writes the provider de-duplicates; only those are retried. */
  idempotent: boolean;
  /** Attempts in all for idempotent calls. */
  attempts?: number;
  /** Backoff before retry n (0-based); small by default so a shopper is not kept waiting. */
  backoffMs?: (attempt: number) => number;
  signal?: AbortSignal;
}

export interface CallTimings {
  timeoutMs: number;
  attempts: number;
}

export const DEFAULT_TIMINGS: CallTimings = { timeoutMs: 8_000, attempts: 3 };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * `fetch` with a timeout and bounded retries. Answers any non-retryable response as it is (4xx included) for the
 * adapter to interpret; throws `ProviderUnavailable` when the provider stays unreachable, slow or 5xx/429.
 */
export async function callProvider(provider: string, url: string, init: RequestInit, options: CallOptions): Promise<Response> {
  const attempts = options.idempotent ? Math.max(1, options.attempts ?? DEFAULT_TIMINGS.attempts) : 1;
  const backoff = options.backoffMs ?? ((n: number) => 150 * 2 ** n);
  let last = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await delay(backoff(attempt - 1), options.signal);
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
      if (!RETRYABLE_STATUS.has(response.status)) return response;
      last = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      last = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : 'connection failed';
    }
  }
  throw new ProviderUnavailable(`${provider}: ${last}`);
}

/** Reads a JSON body, treating a malformed one as the provider being unavailable (it is not the shopper's fault). */
export async function readJson(provider: string, response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderUnavailable(`${provider}: answered HTTP ${response.status} with a body that is not JSON`);
  }
}

export interface GraphQLErrorItem {
  message: string;
  extensions?: Record<string, unknown>;
  path?: ReadonlyArray<string | number>;
}

export interface GraphQLAnswer<T> {
  data: T | null;
  errors: GraphQLErrorItem[];
}

/** One GraphQL POST; GraphQL errors come back in `errors` (HTTP 200), transport failures throw. */
export async function callGraphQL<T>(
  provider: string,
  url: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown>,
  options: CallOptions,
): Promise<GraphQLAnswer<T>> {
  const response = await callProvider(
    provider,
    url,
    { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify({ query, variables }) },
    options,
  );
  const body = (await readJson(provider, response)) as { data?: T | null; errors?: GraphQLErrorItem[] } | null;
  if (!body || typeof body !== 'object') throw new ProviderUnavailable(`${provider}: answered HTTP ${response.status} without a GraphQL body`);
  if (response.status >= 400 && !body.errors?.length) throw new ProviderUnavailable(`${provider}: answered HTTP ${response.status}`);
  return { data: body.data ?? null, errors: Array.isArray(body.errors) ? body.errors : [] };
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
