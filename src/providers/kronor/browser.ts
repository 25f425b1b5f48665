/**
 * How a browser starts and follows a Kronor payment with nothing but the session token the endpoint handed out
 * (`{type:'kronor', sessionToken, httpUrl, wsUrl}`): Apollo Client over HTTP for mutations and over graphql-ws for
 * the `paymentRequests` subscription. Heavy (Apollo + graphql + rxjs), so Kassa only ever loads it with a dynamic
 * `import()` when a Kronor payment is on the page; importing it does nothing by itself.
 *
 * Kronor's SDK rules it follows: a request that only has INITIALIZING is ignored (its details are not there yet);
 * Swish gives `transactionSwishDetails { qrCode returnUrl }` (returnUrl is the `swish://` app link); card,
 * MobilePay, Vipps and P24 give a `sessionUrl`, PayPal a `paymentUrl`, bank transfer a `payUrl`. Transient failures
 * (network, HTTP 5xx/429, a dropped socket) are retried after 0.5, 1, 2, 4 and 8 s.
 */
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache, ServerError, ServerParseError, type DocumentNode } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { BROWSER_DOCUMENTS, KRONOR_METHODS, pickRequest, START_MUTATIONS, startInput, type KronorMethod, type KronorRequestView } from './browser-requests.ts';

export type { KronorMethod, KronorRequestView } from './browser-requests.ts';

export interface KronorAccess {
  sessionToken: string;
  httpUrl: string;
  wsUrl: string;
}

export interface KronorBrowserSession {
  start(method: KronorMethod, options: { returnUrl: string; idempotencyKey: string; phone?: string }): Promise<{ waitToken: string }>;
  /** Calls `onUpdate` with the request matching `waitToken` (or the newest request when undefined) on every change. */
  watch(waitToken: string | undefined, onUpdate: (request: KronorRequestView) => void, onError: (error: unknown) => void): () => void;
  /** refreshPaymentStatus — call when the shopper comes back from an app. */
  refresh(): Promise<void>;
  cancel(idempotencyKey: string): Promise<void>;
  /** Closes the websocket and stops Apollo. */
  dispose(): void;
}

/**
 * Why a Kronor call failed: `invalid` (bad access or input, before anything was sent), `refused` (Kronor answered
 * with GraphQL errors: an expired token, a method the session cannot take …), `unavailable` (still failing after
 * the retries), `disposed` (the session was disposed meanwhile). The message is for developers, never for shoppers.
 */
export class KronorBrowserError extends Error {
  constructor(
    readonly kind: 'invalid' | 'refused' | 'unavailable' | 'disposed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KronorBrowserError';
  }
}

/** Waits between attempts after a transient failure. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000, 8_000];
/** One HTTP attempt may take this long before it counts as a transient failure. */
const ATTEMPT_TIMEOUT_MS = 15_000;

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\]|.+\.localhost)$/;

function checkUrl(value: unknown, secure: string, plain: string, name: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.username || url.password || !(url.protocol === secure || (url.protocol === plain && LOOPBACK.test(url.hostname)))) {
    throw new KronorBrowserError('invalid', `kronor: ${name} must be a ${secure}// URL (${plain}// only on a loopback host)`);
  }
  return url.href;
}

/** A failure worth another attempt: no answer, a 5xx/429/408, an unreadable answer, an attempt that timed out. */
function isTransient(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return false;
  if (ServerError.is(error)) return error.statusCode >= 500 || error.statusCode === 429 || error.statusCode === 408;
  if (ServerParseError.is(error)) return true;
  const name = (error as { name?: unknown } | null)?.name;
  return error instanceof TypeError || name === 'TimeoutError' || name === 'NetworkError';
}

/** Resolves after `ms`, or rejects at once when `signal` aborts (and then leaves no timer behind). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new KronorBrowserError('disposed', 'kronor: the session was disposed'));
    const done = () => {
      clearTimeout(timer);
      reject(new KronorBrowserError('disposed', 'kronor: the session was disposed'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function openKronorSession(access: KronorAccess): KronorBrowserSession {
  if (typeof access?.sessionToken !== 'string' || !access.sessionToken.trim()) throw new KronorBrowserError('invalid', 'kronor: a session token is required');
  const httpUrl = checkUrl(access.httpUrl, 'https:', 'http:', 'httpUrl');
  const wsUrl = checkUrl(access.wsUrl, 'wss:', 'ws:', 'wsUrl');
  const authorization = `Bearer ${access.sessionToken}`;
  const lifetime = new AbortController();
  const unwatchers = new Set<() => void>();
  let disposed = false;

  const documents = new Map<string, DocumentNode>();
  const doc = (source: string): DocumentNode => {
    let parsed = documents.get(source);
    if (!parsed) documents.set(source, (parsed = gql(source)));
    return parsed;
  };

  const socket: Client = createClient({
    url: wsUrl,
    connectionParams: { headers: { Authorization: authorization } },
    lazy: true,
    retryAttempts: RETRY_DELAYS_MS.length,
    // A failed reconnect fires `error` before `close`, which graphql-ws would take as fatal and stop retrying; the
    // close codes that are fatal (bad token, forbidden) are still refused before this is asked.
    shouldRetry: () => true,
    retryWait: (retries) => sleep(RETRY_DELAYS_MS[Math.min(retries, RETRY_DELAYS_MS.length - 1)]!, lifetime.signal),
  });
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    // No window.__APOLLO_CLIENT__ on a shop's page: several Kassa elements (or the shop's own Apollo) may share it.
    devtools: { enabled: false },
    link: ApolloLink.split(
      (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
      new GraphQLWsLink(socket),
      new HttpLink({ uri: httpUrl, headers: { Authorization: authorization } }),
    ),
  });

  /** One mutation, retried on transient failures; Kronor de-duplicates by idempotencyKey, so a retry pays once. */
  async function mutate<T>(source: string, variables: Record<string, unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (disposed) throw new KronorBrowserError('disposed', 'kronor: the session was disposed');
      const signal = AbortSignal.any([lifetime.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
      try {
        const result = await client.mutate<T>({ mutation: doc(source), variables, fetchPolicy: 'no-cache', context: { fetchOptions: { signal } } });
        if (!result.data) throw new KronorBrowserError('unavailable', 'kronor: the answer had no data');
        return result.data;
      } catch (error) {
        if (disposed) throw new KronorBrowserError('disposed', 'kronor: the session was disposed', { cause: error });
        if (CombinedGraphQLErrors.is(error)) throw new KronorBrowserError('refused', `kronor: ${error.message}`, { cause: error });
        if (!isTransient(error) && !(error instanceof KronorBrowserError)) throw new KronorBrowserError('unavailable', `kronor: ${String(error)}`, { cause: error });
        if (attempt >= RETRY_DELAYS_MS.length) throw new KronorBrowserError('unavailable', 'kronor: still failing after retries', { cause: error });
        await sleep(RETRY_DELAYS_MS[attempt]!, lifetime.signal);
      }
    }
  }

  return {
    async start(method, options) {
      const mutation = START_MUTATIONS[method];
      if (!KRONOR_METHODS.includes(method) || !mutation) throw new KronorBrowserError('invalid', `kronor: unknown method ${String(method)}`);
      checkUrl(options.returnUrl, 'https:', 'http:', 'returnUrl');
      const data = await mutate<Record<string, Record<string, unknown> | null>>(mutation.document, { pay: startInput(method, options) });
      const answer = data[mutation.field];
      const waitToken = mutation.tokens.map((key) => answer?.[key]).find((value): value is string => typeof value === 'string' && value.length > 0);
      if (!waitToken) throw new KronorBrowserError('unavailable', `kronor: ${mutation.field} answered without a payment id`);
      return { waitToken };
    },

    watch(waitToken, onUpdate, onError) {
      const variables = { where: waitToken === undefined ? {} : { waitToken: { _eq: waitToken } }, limit: 1 };
      let stopped = disposed;
      let current: { unsubscribe(): void } | undefined;
      let last = '';
      let restarts = 0;

      const fail = (error: unknown) => {
        if (stopped) return;
        stop();
        onError(error);
      };
      const open = () => {
        if (stopped) return;
        let ended = false;
        const end = (error: unknown) => {
          if (ended || stopped) return;
          ended = true;
          current?.unsubscribe();
          current = undefined;
          // graphql-ws already retried the socket; a GraphQL error or a fatal close is final.
          if (error !== undefined) return fail(error);
          // The server ended the subscription without an error: subscribe again, a few times.
          if (restarts >= RETRY_DELAYS_MS.length) return fail(new KronorBrowserError('unavailable', 'kronor: the subscription keeps ending'));
          sleep(RETRY_DELAYS_MS[restarts++]!, lifetime.signal).then(open, () => undefined);
        };
        current = client.subscribe<{ paymentRequests: unknown }>({ query: doc(BROWSER_DOCUMENTS.WATCH_REQUESTS), variables, fetchPolicy: 'no-cache' }).subscribe({
          next: (result) => {
            if (stopped || ended) return;
            if (result.error) return end(result.error);
            restarts = 0;
            const view = pickRequest(result.data?.paymentRequests, waitToken);
            if (!view) return;
            const key = JSON.stringify(view);
            if (key === last) return;
            last = key;
            onUpdate(view);
          },
          error: (error: unknown) => end(error ?? new KronorBrowserError('unavailable', 'kronor: the subscription failed')),
          complete: () => end(undefined),
        });
        if (ended) current.unsubscribe();
      };
      const stop = () => {
        stopped = true;
        current?.unsubscribe();
        current = undefined;
        unwatchers.delete(stop);
      };
      unwatchers.add(stop);
      open();
      return stop;
    },

    async refresh() {
      await mutate(BROWSER_DOCUMENTS.REFRESH, {});
    },

    async cancel(idempotencyKey) {
      await mutate(BROWSER_DOCUMENTS.CANCEL, { cancel: { idempotencyKey } });
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const stop of [...unwatchers]) stop();
      lifetime.abort();
      client.stop();
      socket.dispose()?.catch(() => undefined);
    },
  };
}
