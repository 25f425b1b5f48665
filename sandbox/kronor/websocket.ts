/**
 * `ws://…/kronor/v1/graphql` with the `graphql-transport-ws` subprotocol (the npm graphql-ws server). The token comes
 * in connection_init `{headers: {Authorization: "Bearer …"}}` (or on the upgrade request); a refused token closes
 * the socket with 4400 and Hasura's message, and a session's sockets close when the session expires.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FormattedExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from './auth.ts';
import { AUTH_MESSAGES, PROVIDER, WS_AUTH_FAILURE_CLOSE_CODE } from './config.ts';
import { toWsError } from './errors.ts';
import { authenticateRequest, prepare, rootFieldOf, toHasuraResult, type EndpointDeps } from './graphql.ts';

/** WebSocket close reasons are limited to 123 bytes. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

function authorizationOf(params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage): string | undefined {
  const headers = params?.headers;
  if (headers && typeof headers === 'object') {
    const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization');
    if (typeof entry?.[1] === 'string') return entry[1];
  }
  return request.headers.authorization;
}

export class KronorSockets {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly callers = new WeakMap<WebSocket, Caller>();
  private readonly expiryTimers = new Map<WebSocket, NodeJS.Timeout>();

  constructor(private readonly deps: EndpointDeps) {
    useServer(
      {
        onConnect: async (ctx) => {
          const { socket, request } = ctx.extra;
          const auth = await authenticateRequest(deps, authorizationOf(ctx.connectionParams, request));
          if (!auth.ok) {
            socket.close(WS_AUTH_FAILURE_CLOSE_CODE, closeReason(auth.error.message));
            return false;
          }
          this.callers.set(socket, auth.caller);
          if (auth.caller.role === 'session') this.closeAtExpiry(socket, auth.caller.sessionId);
          return true;
        },
        onSubscribe: (ctx, _id, payload) => {
          const caller = this.callers.get(ctx.extra.socket)!;
          deps.ctx.record(PROVIDER, rootFieldOf(payload.query, payload.operationName));
          const prepared = prepare(
            deps.engine,
            caller,
            { query: payload.query, variables: payload.variables ?? undefined, operationName: payload.operationName ?? undefined },
            deps.ctx.baseUrl(),
          );
          return prepared.ok ? prepared.args : prepared.errors.map(toWsError);
        },
        // Resolver errors in Hasura's shape, as over HTTP.
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors?.length ? (toHasuraResult(result) as FormattedExecutionResult) : undefined,
        onClose: (ctx) => this.forget(ctx.extra.socket),
      },
      this.wss,
    );
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** A session's token stops working at its expiresAt; so do the sockets it opened. */
  private closeAtExpiry(socket: WebSocket, sessionId: string): void {
    const expiresAt = this.deps.store.sessions.get(sessionId)?.expiresAtMs ?? Date.now();
    const timer = setTimeout(() => socket.close(WS_AUTH_FAILURE_CLOSE_CODE, AUTH_MESSAGES.expired), Math.max(0, expiresAt - Date.now()));
    timer.unref();
    this.expiryTimers.set(socket, timer);
  }

  /** Closes the sockets of one session at once (its expiry was moved to now). */
  expireSession(sessionId: string): void {
    for (const socket of this.wss.clients) {
      const caller = this.callers.get(socket);
      if (caller?.role === 'session' && caller.sessionId === sessionId) socket.close(WS_AUTH_FAILURE_CLOSE_CODE, AUTH_MESSAGES.expired);
    }
  }

  private forget(socket: WebSocket): void {
    clearTimeout(this.expiryTimers.get(socket));
    this.expiryTimers.delete(socket);
  }

  /** Drops every open socket without a close frame, as a network failure would; returns how many. */
  dropAll(): number {
    let count = 0;
    for (const socket of this.wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      socket.terminate();
      count++;
    }
    return count;
  }

  async close(): Promise<void> {
    for (const socket of this.wss.clients) socket.terminate();
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
