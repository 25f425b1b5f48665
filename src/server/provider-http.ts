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
 * A provider asking to wait longer than this (`Retry-After`) is not asked again within the same call: a retry
 * sooner would be refused too, and the shopper is better told at once (the endpoint passes the wait on).
 */
export const MAX_RETRY_AFTER_WITHIN_CALL_SECONDS = 1;

/**
 * Client errors a server answers before acting on the request (RFC 9110 §15.5): a call answered with one of them
 * created nothing. 409 and 422 are left out: a provider may answer them after looking at what it holds (MilkyPay's
 * 409 for a reference it already has).
 */
const REFUSED_BEFORE_PROCESSING = new Set([400, 401, 403, 404, 405, 406, 411, 413, 414, 415, 429, 431]);

/** Connection errors that prove the request was never sent: the host's name did not resolve, or it refused to connect. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an HTTP status proves the provider refused the request before acting on it (see the list above). */
export function refusedBeforeProcessing(status: number): boolean {
  return REFUSED_BEFORE_PROCESSING.has(status);
}

/**
 * `fetch` with a timeout and bounded retries. Answers any non-retryable response as it is (4xx included) for the
 * adapter to interpret; throws `ProviderUnavailable` when the provider stays unreachable, slow or 5xx/429 — with
 * `provablyNotProcessed` when no attempt can have been acted on (each was answered 429 or never sent), and the
 * provider's last `Retry-After`.
 */
export async function callProvider(provider: string, url: string, init: RequestInit, options: CallOptions): Promise<Response> {
  const attempts = options.idempotent ? Math.max(1, options.attempts ?? DEFAULT_TIMINGS.attempts) : 1;
  const backoff = options.backoffMs ?? ((n: number) => 150 * 2 ** n);
  let last = '';
  let notProcessed = true;
  let retryAfter: number | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await delay(backoff(attempt - 1), options.signal);
    const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
      if (!RETRYABLE_STATUS.has(response.status)) return response;
      last = `HTTP ${response.status}`;
      notProcessed &&= refusedBeforeProcessing(response.status);
      retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      await response.body?.cancel();
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_WITHIN_CALL_SECONDS) break;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const unsent = !timedOut && neverSent(error);
      notProcessed &&= unsent;
      retryAfter = undefined;
      last = timedOut ? `no answer within ${options.timeoutMs} ms` : unsent ? 'connection refused' : 'connection failed';
    }
  }
  throw new ProviderUnavailable(`${provider}: ${last}`, { provablyNotProcessed: notProcessed, retryAfterSeconds: retryAfter });
}

/** Whether a failed `fetch` never sent its request (undici puts the socket's error in `cause`). */
function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown; errors?: unknown } } | null)?.cause;
  if (!cause) return false;
  if (typeof cause.code === 'string' && NEVER_SENT_CODES.has(cause.code)) return true;
  // Trying several addresses (autoSelectFamily) fails with one AggregateError: unsent only if every try was.
  return Array.isArray(cause.errors) && cause.errors.length > 0 && cause.errors.every((e) => NEVER_SENT_CODES.has(String((e as { code?: unknown } | null)?.code)));
}

/** `Retry-After` in seconds, from delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its month ("Sun, 06 Nov 1994 08:49:37 GMT"); Date.parse alone would read "-5" as a year.
  if (!/\b[A-Za-z]{3}\b/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
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
  return readGraphQLAnswer<T>(provider, response);
}

/**
 * A provider's answer to a GraphQL POST as `callGraphQL` reads it: errors in the body (also on a refusal), transport
 * failures thrown. For an adapter that calls `callProvider` itself because it needs the response (its headers).
 */
export async function readGraphQLAnswer<T>(provider: string, response: Response): Promise<GraphQLAnswer<T>> {
  if (response.status >= 400) {
    // A refusal with GraphQL errors is the adapter's to read; a bare one says at most that nothing was done.
    const text = await response.text();
    const refused = parseOrNull(text) as { data?: T | null; errors?: unknown } | null;
    if (refused && typeof refused === 'object' && Array.isArray(refused.errors) && refused.errors.length) {
      return { data: refused.data ?? null, errors: refused.errors as GraphQLErrorItem[] };
    }
    throw new ProviderUnavailable(`${provider}: answered HTTP ${response.status}`, {
      provablyNotProcessed: refusedBeforeProcessing(response.status),
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  const body = (await readJson(provider, response)) as { data?: T | null; errors?: GraphQLErrorItem[] } | null;
  if (!body || typeof body !== 'object') throw new ProviderUnavailable(`${provider}: answered HTTP ${response.status} without a GraphQL body`);
  return { data: body.data ?? null, errors: Array.isArray(body.errors) ? body.errors : [] };
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
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
