/**
 * Kronor's live feed: one graphql-ws subscription (merchant token) to the merchant's payment requests that are still
 * waiting, so a request that moves on is known within milliseconds instead of at the endpoint's next re-read.
 *
 * Hasura answers a subscription as a live query: the whole list again after every change. The feed keeps the last
 * read per reference and reports only what changed. A request still in the list is read from its row (the same
 * `sessionRead` as readStatus: a waiting request has no Payment yet). A request that left the list has moved on to
 * an outcome the list no longer shows (paid, authorised, declined …), so those references are read with one
 * `readStatuses` call and reported from that: exactly what readStatus says, amounts included.
 *
 * The list stays small: requests created in the last two days, only Kassa's, at most `limit`, newest first. A drop
 * is followed by a reconnect with backoff (graphql-ws's retries, then a new subscription after a refusal).
 */
// The client entry alone: the package's main entry carries graphql-ws's server, which loads all of graphql.
import { createClient, type Client } from 'graphql-ws/client';
import WebSocket from 'ws';
import type { StatusRead, StoredPaymentRef } from '../../server/provider.ts';
import { WAITING_REQUESTS, type WaitingRequestsData } from './graphql.ts';
import { latestByKey, sessionRead, SESSION_OPEN, WAITING_REQUEST_STATUSES, type RequestRow } from './status.ts';

/** How far back the feed looks: a shopper finishes within a session's life (at most 24 hours), with room to spare. */
export const FOLLOW_WINDOW_MS = 2 * 24 * 60 * 60_000;
/** The longest wait between two connection attempts. */
const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 250;
/**
 * How long opening the socket and Kronor's `connection_ack` may take. Without a bound, a socket stuck opening (a proxy
 * that takes the connection and never answers the upgrade) would hold the feed, and its stop, forever: graphql-ws
 * closes a socket only once it has connected.
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The `ws` WebSocket with a bounded opening handshake (graphql-ws constructs it with the URL and subprotocol only). */
function boundedWebSocket(handshakeTimeout: number): unknown {
  return class BoundedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { handshakeTimeout });
    }
  };
}

export interface FollowDeps {
  /** The merchant websocket (`wss://…/v1/graphql`). */
  url: string;
  /** `Bearer <merchant token>`, sent in connection_init's headers as Kronor asks. */
  authorization: string;
  /** Most requests the subscription lists (and so most references one read after a change may need). */
  limit: number;
  readStatuses(payments: readonly StoredPaymentRef[], signal: AbortSignal): Promise<Map<string, StatusRead>>;
  /** Milliseconds before connection attempt `attempt` (0-based); randomised exponential by default. */
  backoffMs?(attempt: number): number;
  now?(): number;
  /** How long opening the socket and Kronor's `connection_ack` may take (`CONNECT_TIMEOUT_MS`). */
  connectTimeoutMs?: number;
}

/** Randomised exponential backoff: 250 ms, 500 ms, 1 s … capped at 30 s, each between half and all of it. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Whether two reads say the same: state, Kronor's status and the amounts. */
export function sameRead(a: StatusRead | undefined, b: StatusRead | undefined): boolean {
  if (!a || !b) return a === b;
  return a.state === b.state && a.providerStatus === b.providerStatus && a.capturedAmount === b.capturedAmount && a.refundedAmount === b.refundedAmount;
}

/** One live-query result → each listed reference's read (its newest request), skipping rows Kassa cannot read. */
export function waitingReads(rows: ReadonlyArray<(RequestRow & { reference?: unknown }) | null> | null | undefined, now: number): Map<string, StatusRead> {
  const reads = new Map<string, StatusRead>();
  for (const [reference, row] of latestByKey(rows ?? [], (r) => r?.reference)) {
    try {
      reads.set(reference, sessionRead({ request: row, now }));
    } catch {
      // A row without a status says nothing; the endpoint's re-reads cover that payment.
    }
  }
  return reads;
}

export interface FeedChanges {
  /** References whose read differs from the last one reported (or that are new), with the new read. */
  changed: Map<string, StatusRead>;
  /** References listed last time and not any more: they moved on and must be read. */
  gone: string[];
}

/** What one result changes against the reads known so far; `known` is updated to the result's listed reads. */
export function diffResult(known: Map<string, StatusRead>, listed: Map<string, StatusRead>, wasListed: ReadonlySet<string>): FeedChanges {
  const changed = new Map<string, StatusRead>();
  for (const [reference, read] of listed) {
    if (!sameRead(known.get(reference), read)) changed.set(reference, read);
    known.set(reference, read);
  }
  const gone = [...wasListed].filter((reference) => !listed.has(reference));
  return { changed, gone };
}

/** Waits `ms`, or less when `signal` aborts; never rejects and leaves no timer behind. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Which of the references gone from a live result moved on (paid, declined …) rather than being pushed out of a full
 * list by newer requests. A full list (`limit` rows) drops its oldest row whenever a request is made: that request is
 * still waiting, and reading it would cost a provider call per new payment. Gone references created no later than the
 * oldest row still listed are taken as pushed out; the endpoint's own reads cover them.
 */
export function movedOn(gone: readonly string[], createdAt: ReadonlyMap<string, number>, listedCreatedAt: readonly number[], limit: number): string[] {
  if (listedCreatedAt.length < limit) return [...gone];
  const oldestListed = Math.min(...listedCreatedAt);
  return gone.filter((reference) => (createdAt.get(reference) ?? Number.NEGATIVE_INFINITY) > oldestListed);
}

/**
 * Follows until `signal` aborts, then resolves once the socket is closed and no read is left running. Never
 * rejects: a refusal or a drop only delays the next attempt, and a failing `onRead` is the caller's to log.
 */
export async function followWaitingRequests(deps: FollowDeps, onRead: (reference: string, status: StatusRead) => void, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const wait = deps.backoffMs ?? ((attempt: number) => backoffMs(attempt));
  const now = deps.now ?? Date.now;
  let attempts = 0;
  const client: Client = createClient({
    url: deps.url,
    webSocketImpl: boundedWebSocket(deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS),
    connectionAckWaitTimeout: deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    connectionParams: { headers: { Authorization: deps.authorization } },
    lazy: true,
    // Every drop is retried, with backoff, for as long as the feed runs.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => !signal.aborted,
    retryWait: (retries) => pause(wait(retries), signal),
    on: { connected: () => (attempts = 0) },
  });

  const known = new Map<string, StatusRead>();
  let listed = new Set<string>();
  // Results are handled one after another: a read after a change finishes before the next result is compared.
  let handling: Promise<void> = Promise.resolve();
  const report = (reference: string, read: StatusRead) => {
    try {
      onRead(reference, read);
    } catch {
      // The caller's failure must not stop the feed.
    }
  };

  const createdAt = new Map<string, number>();
  const handle = async (data: WaitingRequestsData | null | undefined) => {
    const rows = data?.paymentRequests ?? [];
    const reads = waitingReads(rows, now());
    const { changed, gone: left } = diffResult(known, reads, listed);
    listed = new Set(reads.keys());
    const listedCreatedAt: number[] = [];
    for (const row of rows) {
      const at = typeof row?.createdAt === 'string' ? Date.parse(row.createdAt) : Number.NaN;
      if (typeof row?.reference === 'string' && !Number.isNaN(at)) createdAt.set(row.reference, at);
      if (!Number.isNaN(at)) listedCreatedAt.push(at);
    }
    for (const [reference, read] of changed) report(reference, read);
    const gone = movedOn(left, createdAt, listedCreatedAt, deps.limit);
    for (const reference of left) if (!gone.includes(reference)) forget(reference);
    if (gone.length === 0 || signal.aborted) return;
    try {
      const moved = await deps.readStatuses(
        gone.map((reference) => ({ reference, providerPaymentId: reference })),
        signal,
      );
      for (const [reference, read] of moved) {
        // No request found at all: Kronor removed it; that says nothing about the outcome.
        if (read.providerStatus === SESSION_OPEN) continue;
        if (!sameRead(known.get(reference), read)) report(reference, read);
      }
    } catch {
      // Unread here, the payment is still re-read by the endpoint.
    } finally {
      for (const reference of gone) forget(reference);
    }
  };
  function forget(reference: string): void {
    known.delete(reference);
    createdAt.delete(reference);
  }

  try {
    while (!signal.aborted) {
      await new Promise<void>((resolve) => {
        const variables = { since: new Date(now() - FOLLOW_WINDOW_MS).toISOString(), waiting: WAITING_REQUEST_STATUSES, limit: deps.limit };
        const stop = () => {
          signal.removeEventListener('abort', stop);
          unsubscribe();
          resolve();
        };
        const unsubscribe = client.subscribe<WaitingRequestsData>(
          { query: WAITING_REQUESTS, variables },
          {
            next: (result) => {
              if (result.errors?.length) return;
              handling = handling.then(() => handle(result.data));
            },
            error: stop,
            complete: stop,
          },
        );
        signal.addEventListener('abort', stop, { once: true });
      });
      // Refused (a token Kronor rejects, an error in the query) or ended by Kronor: try again later.
      if (!signal.aborted) await pause(wait(attempts++), signal);
    }
  } finally {
    await handling.catch(() => undefined);
    await Promise.resolve(client.dispose()).catch(() => undefined);
  }
}
