/**
 * Mounts the Fetch-API handler on Node's `http` server, or on Express/Connect (`app.use('/kassa', listener)`):
 * the request keeps its full path (`originalUrl` under Express), so configure `basePath` to the mount path.
 *
 * Everything a client sends is untrusted here: a method `Request` cannot carry (TRACE), a malformed `Host`, a
 * header `Headers` refuses, a body that trickles in or stops half-way — each is answered with a problem, never an
 * exception that would end the process. An answer given before the body was read (a 413, a 415, a 401) leaves the
 * connection usable: the rest of the body is read and dropped, within a time limit, before the next request.
 */
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { checkTrustProxy, clientAddressFrom, type TrustedProxies, type TrustProxy } from './trust-proxy.ts';
import { markParsedBody } from './body.ts';
import { HttpProblem, problemParts, problemResponse } from './problems.ts';

/** A Fetch-API handler, as `createKassaHandler` answers one (any other works too). */
export type FetchHandler = (request: Request, context?: { clientAddress?: string }) => Promise<Response>;

export interface NodeListenerOptions {
  /**
   * The proxies in front of this server, so the client's address can be read from `X-Forwarded-For`: how many there
   * are (each appends the address it received from), or their addresses. The client is the right-most address that
   * is not a trusted proxy. Unset, no forwarded header is trusted and the client is the socket's peer.
   */
  trustProxy?: TrustProxy;
  /** How long a request body may take to arrive once its headers are in; 10 s by default. */
  bodyTimeoutMs?: number;
  /** How long the unread rest of a body answered early is read and dropped before the connection is closed; 5 s by default. */
  drainTimeoutMs?: number;
}

const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };

/** Methods a Fetch `Request` can carry; anything else (TRACE, CONNECT, TRACK, …) is answered by the listener itself. */
const REQUEST_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** A `Host` (or `X-Forwarded-Host`): a name or IPv4 address, or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function createNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}) {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  // Checked once, at mount: a wrong trustProxy fails here, not on the first shopper.
  const trustProxy = checkTrustProxy(options.trustProxy);

  return async function kassaNodeListener(req: NodeRequest, res: ServerResponse): Promise<void> {
    let body: NodeBody | undefined;
    try {
      const built = toFetchRequest(req, res, trustProxy, bodyTimeoutMs);
      body = built.body;
      const response = await handler(built.request, { clientAddress: built.clientAddress });
      await send(res, response, req.method === 'HEAD');
    } catch (error) {
      // The handler answers its own errors; this answers what could not become a Request (and a broken custom
      // store or hook) without letting anything escape into Node's event loop.
      if (res.headersSent) return void res.destroy();
      const problem = error instanceof HttpProblem ? error : new HttpProblem('internal');
      await send(res, problemResponse(problem), req.method === 'HEAD').catch(() => res.destroy());
    } finally {
      if (!req.complete) drainRest(req, res, body, drainTimeoutMs);
    }
  };
}

/**
 * `http.createServer(nodeServerOptions(), listener)`: limits on how long a client may take to send its headers and
 * its whole request, checked every second (Node's default check runs every 30 s, so a slow client outlives its limit).
 */
export function nodeServerOptions(limits: { headersTimeoutMs?: number; requestTimeoutMs?: number; keepAliveTimeoutMs?: number } = {}): ServerOptions {
  const headersTimeout = limits.headersTimeoutMs ?? 10_000;
  return {
    headersTimeout,
    requestTimeout: Math.max(limits.requestTimeoutMs ?? 30_000, headersTimeout),
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? 5_000,
    connectionsCheckingInterval: 1_000,
    maxHeaderSize: 16_384,
    // A request without Host reaches the listener, which answers it as a problem (Node's own answer is a bare 400).
    requireHostHeader: false,
  };
}

/**
 * Answers what Node itself refuses (a malformed request line or header, headers over the size limit, a request past
 * its time limit, an `Expect` other than `100-continue`) with `application/problem+json`, as the endpoint answers
 * everything else.
 */
export function answerClientErrors(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    // Node answers `100-continue` itself; any other expectation cannot be met.
    void send(res, problemResponse(new HttpProblem('expectation-failed', 'only Expect: 100-continue is understood')), req.method === 'HEAD');
    req.resume();
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const problem =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new HttpProblem('headers-too-large')
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? new HttpProblem('request-timeout')
          : new HttpProblem('bad-request', 'the request line or a header is malformed');
    const { status, headers, body } = problemParts(problem);
    const head = [`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
    head.push(`content-length: ${Buffer.byteLength(body)}`, 'cache-control: no-store', 'connection: close');
    // An answer to HEAD has no body, even one that says why the request was refused. The packet may hold earlier
    // requests too: only a HEAD whose own headers were still being read when parsing failed is the refused one.
    const packet = error.rawPacket;
    const failedAt = Math.min(error.bytesParsed ?? packet?.length ?? 0, packet?.length ?? 0);
    const toHead = packet?.subarray(0, 5).toString('latin1') === 'HEAD ' && packet.subarray(0, failedAt).indexOf('\r\n\r\n') < 0;
    socket.end(`${head.join('\r\n')}\r\n\r\n${toHead ? '' : body}`);
  });
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function toFetchRequest(req: NodeRequest, res: ServerResponse, trustProxy: TrustedProxies | undefined, bodyTimeoutMs: number) {
  const method = req.method ?? 'GET';
  if (!REQUEST_METHODS.has(method)) {
    throw new HttpProblem('method-not-allowed', `${method.slice(0, 16)} is not answered here`, undefined, { allow: 'GET, HEAD, POST, OPTIONS' });
  }
  const forwarded = (name: string) => (trustProxy !== undefined ? lastListed(req.headers[name]) : undefined);
  const protocol = forwarded('x-forwarded-proto')?.toLowerCase() ?? ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
  const host = forwarded('x-forwarded-host') ?? req.headers.host ?? '';
  if (protocol !== 'http' && protocol !== 'https') throw new HttpProblem('bad-request', 'X-Forwarded-Proto must be http or https');
  if (!HOST.test(host)) throw new HttpProblem('bad-request', 'the Host header is missing or malformed');
  const path = originPath(req.originalUrl ?? req.url ?? '/');
  let url: URL;
  try {
    url = new URL(`${protocol}://${host}${path}`);
  } catch {
    throw new HttpProblem('bad-request', 'the request target or Host is malformed');
  }

  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
  } catch {
    throw new HttpProblem('bad-request', 'a header value is malformed');
  }

  const clientAddress = clientAddressFrom(req.headers['x-forwarded-for'], req.socket.remoteAddress, trustProxy);
  if (!clientAddress) throw new HttpProblem('bad-request', 'the connection has no peer address');

  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: abort.signal };
  const parsed = method === 'GET' || method === 'HEAD' ? undefined : alreadyParsedBody(req);
  let body: NodeBody | undefined;
  if (parsed) {
    init.body = parsed.bytes;
  } else if (method !== 'GET' && method !== 'HEAD') {
    body = new NodeBody(req, bodyTimeoutMs);
    init.body = body.stream;
    init.duplex = 'half'; // Node's fetch needs it to stream a request body
  }
  const request = new Request(url, init);
  if (parsed?.reserialized) markParsedBody(request);
  return { request, body, clientAddress };
}

/**
 * Under Express, a body parser mounted before Kassa (`express.json()`, `express.raw()`) has already read the stream.
 * Raw bytes (a Buffer or string) are used as they are; a parsed object is written back as JSON, and marked, because
 * a webhook's signature can only be checked over the bytes the provider sent.
 */
function alreadyParsedBody(req: NodeRequest): { bytes: Uint8Array<ArrayBuffer>; reserialized: boolean } | undefined {
  // Express 4 sets `req.body = {}` even when no parser took the request: only a body whose stream was read counts.
  if (req.body === undefined || !(req.readableEnded || (req as { _body?: boolean })._body)) return undefined;
  if (Buffer.isBuffer(req.body)) return { bytes: new Uint8Array(req.body), reserialized: false };
  if (typeof req.body === 'string') return { bytes: new TextEncoder().encode(req.body), reserialized: false };
  return { bytes: new TextEncoder().encode(JSON.stringify(req.body)), reserialized: true };
}

/** The path and query of a request target; an absolute-form target (`http://host/path`, which HTTP/1.1 allows) gives its path. */
function originPath(target: string): string {
  if (target.startsWith('/')) return target;
  if (/^https?:\/\//i.test(target) && URL.canParse(target)) {
    const url = new URL(target);
    return `${url.pathname}${url.search}`;
  }
  throw new HttpProblem('bad-request', 'the request target must be a path');
}

/** The last value of a comma-separated header: the one the nearest proxy wrote. */
function lastListed(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  const last = joined?.split(',').pop()?.trim();
  return last || undefined;
}

/** The request body as a web stream, read only as fast as the handler reads it, within a time limit. */
class NodeBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Set once the handler has stopped reading (or the body failed): what still arrives is dropped. */
  private dropping = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(req: IncomingMessage, timeoutMs: number) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          const fail = (problem: HttpProblem) => {
            if (!this.dropping) controller.error(problem);
            this.drop();
          };
          req.pause();
          this.timer = setTimeout(() => fail(new HttpProblem('request-timeout', `the body did not arrive within ${timeoutMs} ms`)), timeoutMs);
          this.timer.unref?.();
          req.on('data', (chunk: Buffer) => {
            if (this.dropping) return;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            if ((controller.desiredSize ?? 0) <= 0) req.pause();
          });
          req.once('end', () => {
            clearTimeout(this.timer);
            if (!this.dropping) controller.close();
          });
          const gone = () => fail(new HttpProblem('bad-request', 'the client stopped sending the body'));
          req.once('error', gone);
          req.once('aborted', gone);
        },
        pull: () => {
          req.resume();
        },
        cancel: () => this.drop(),
      },
      { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
    );
  }

  drop(): void {
    clearTimeout(this.timer);
    this.dropping = true;
  }
}

/**
 * After an answer given before the whole body arrived: reads the rest and drops it, so the next request on a kept-alive
 * connection is parsed from where it starts. A body that does not end within `timeoutMs` closes the connection.
 */
function drainRest(req: IncomingMessage, res: ServerResponse, body: NodeBody | undefined, timeoutMs: number): void {
  body?.drop();
  const timer = setTimeout(() => req.socket.destroy(), timeoutMs);
  timer.unref?.();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.on('data', () => {});
  req.resume();
}

/** Writes the Fetch answer: a whole body in one write (with its length), an event stream chunk by chunk. */
async function send(res: ServerResponse, response: Response, headOnly: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  if (!headers['content-type']?.startsWith('text/event-stream')) {
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.arrayBuffer());
    } catch {
      res.destroy(); // the answer broke while being read (a custom store's stream, say): nothing true to send
      return;
    }
    // HEAD: the length the GET answer would have, and no body.
    res.writeHead(response.status, { ...headers, 'content-length': String(bytes.length) });
    res.end(headOnly ? undefined : bytes);
    return;
  }
  res.writeHead(response.status, headers);
  // Written chunk by chunk so Server-Sent Events reach the browser as they happen.
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch {
    // The client went away mid-stream.
  } finally {
    res.end();
  }
}
