/**
 * Mounts the Fetch-API handler on Node's `http` server, or on Express/Connect (`app.use('/kassa', listener)`):
 * the request keeps its full path (`originalUrl` under Express), so configure `basePath` to the mount path.
 *
 * A handler from `createKassaHandler` is called without Fetch objects: the routes read a light view of the
 * `IncomingMessage` (headers read in place, the body collected from the socket, an `AbortSignal` only when a route
 * asks for one) and their answer is written with `writeHead`/`end`. Any other Fetch handler gets a `Request` and its
 * `Response` is written back.
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
import {
  answerRequest,
  headerRecord,
  isEventStream,
  joinChunks,
  lazyRequest,
  problemAnswer,
  refuseDeclaredOver,
  type AnswerRequest,
  type IncomingRequest,
  type RouteAnswer,
} from './exchange.ts';
import { HttpProblem, problemParts } from './problems.ts';

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

  // Kassa's own handler has an entry that takes Node's request as it is.
  const answer = (handler as FetchHandler & { [answerRequest]?: AnswerRequest })[answerRequest];

  return async function kassaNodeListener(req: NodeRequest, res: ServerResponse): Promise<void> {
    let body: { drop(): void } | undefined;
    try {
      if (answer) {
        const request = new NodeIncoming(req, res, readTarget(req, trustProxy), bodyTimeoutMs);
        body = request;
        await write(res, await answer(request, { clientAddress: request.clientAddress }), req.method === 'HEAD');
      } else {
        const built = toFetchRequest(req, res, trustProxy, bodyTimeoutMs);
        body = built.body;
        await write(res, await handler(built.request, { clientAddress: built.clientAddress }), req.method === 'HEAD');
      }
    } catch (error) {
      // The handler answers its own errors; this answers what could not become a request (and a broken custom
      // store or hook) without letting anything escape into Node's event loop.
      if (res.headersSent) return void res.destroy();
      const problem = error instanceof HttpProblem ? error : new HttpProblem('internal');
      await write(res, problemAnswer(problem), req.method === 'HEAD').catch(() => res.destroy());
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
    void write(res, problemAnswer(new HttpProblem('expectation-failed', 'only Expect: 100-continue is understood')), req.method === 'HEAD');
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

interface Target {
  method: string;
  url: URL;
  clientAddress: string;
}

/** The method, URL and client of a request, each checked: what cannot be answered is a problem here. */
function readTarget(req: NodeRequest, trustProxy: TrustedProxies | undefined): Target {
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
  const clientAddress = clientAddressFrom(req.headers['x-forwarded-for'], req.socket.remoteAddress, trustProxy);
  if (!clientAddress) throw new HttpProblem('bad-request', 'the connection has no peer address');
  return { method, url, clientAddress };
}

/**
 * The routes' view of a Node request: headers read from `req.headers`, the body collected from the socket within the
 * body time limit, a `Request` and an `AbortSignal` made only for whoever asks for one.
 */
class NodeIncoming implements IncomingRequest {
  readonly method: string;
  readonly url: URL;
  readonly clientAddress: string;
  readonly headers: { get(name: string): string | null };
  readonly hasBody: boolean;
  readonly originalBody: boolean;
  private readonly parsed: Uint8Array | undefined;
  private readonly arrived = Date.now();
  private abort: AbortController | undefined;
  private request: Request | undefined;
  private stopReading: (() => void) | undefined;
  private read = false;

  constructor(
    private readonly req: NodeRequest,
    private readonly res: ServerResponse,
    target: Target,
    private readonly bodyTimeoutMs: number,
  ) {
    this.method = target.method;
    this.url = target.url;
    this.clientAddress = target.clientAddress;
    const raw = req.headers;
    this.headers = { get: (name) => joined(raw[name.toLowerCase()]) };
    this.hasBody = target.method !== 'GET' && target.method !== 'HEAD';
    const parsed = this.hasBody ? alreadyParsedBody(req) : undefined;
    this.parsed = parsed?.bytes;
    this.originalBody = !parsed?.reserialized;
  }

  get signal(): AbortSignal {
    if (!this.abort) {
      const abort = (this.abort = new AbortController());
      const res = this.res;
      // Only a client gone before its answer was written is an abort: no DOMException after every answer.
      if (res.destroyed) {
        if (!res.writableFinished) abort.abort();
      } else {
        res.once('close', () => {
          if (!res.writableFinished) abort.abort();
        });
      }
    }
    return this.abort.signal;
  }

  fetchRequest(): Request {
    return (this.request ??= lazyRequest(() => new Request(this.url, { method: this.method, headers: fetchHeaders(this.req), signal: this.signal })));
  }

  bytes(limit: number): Promise<Uint8Array> {
    refuseDeclaredOver(this.headers.get('content-length'), limit);
    if (this.read) throw new HttpProblem('body-already-parsed', 'the request body was read before Kassa; mount Kassa before body parsers');
    this.read = true;
    if (this.parsed) {
      if (this.parsed.byteLength > limit) throw new HttpProblem('body-too-large', `at most ${limit} bytes`);
      return Promise.resolve(this.parsed);
    }
    if (!this.hasBody) return Promise.resolve(new Uint8Array());
    const req = this.req;
    if (req.readableEnded) throw new HttpProblem('body-already-parsed', 'the request body was read before Kassa; mount Kassa before body parsers');
    return new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const stop = (this.stopReading = () => {
        clearTimeout(timer);
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onGone);
        req.off('aborted', onGone);
      });
      const fail = (problem: HttpProblem) => {
        stop();
        reject(problem);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > limit) return fail(new HttpProblem('body-too-large', `at most ${limit} bytes`));
        chunks.push(chunk);
      };
      const onEnd = () => {
        stop();
        resolve(joinChunks(chunks, size));
      };
      const onGone = () => fail(new HttpProblem('bad-request', 'the client stopped sending the body'));
      // The time limit runs from the request's arrival, as it would while the body streamed into a Request.
      const timeoutMs = this.bodyTimeoutMs;
      const timer = setTimeout(() => fail(new HttpProblem('request-timeout', `the body did not arrive within ${timeoutMs} ms`)), Math.max(0, timeoutMs - (Date.now() - this.arrived)));
      timer.unref?.();
      req.on('data', onData);
      req.once('end', onEnd);
      req.once('error', onGone);
      req.once('aborted', onGone);
    });
  }

  /** The route stopped reading (or never read): what still arrives is the listener's to drain. */
  drop(): void {
    this.stopReading?.();
  }
}

/** A header as `Headers.get` answers it: repeated values joined. */
function joined(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}

/** `req.headers` as `Headers`, for the merchant's callbacks; a value `Headers` refuses is left out (Node's parser let it through). */
function fetchHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        headers.append(name, one);
      } catch {
        // left out
      }
    }
  }
  return headers;
}

function toFetchRequest(req: NodeRequest, res: ServerResponse, trustProxy: TrustedProxies | undefined, bodyTimeoutMs: number) {
  const { method, url, clientAddress } = readTarget(req, trustProxy);
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
  } catch {
    throw new HttpProblem('bad-request', 'a header value is malformed');
  }

  const abort = new AbortController();
  // Only a client gone before its answer was written is an abort: no DOMException after every answer.
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
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
function drainRest(req: IncomingMessage, res: ServerResponse, body: { drop(): void } | undefined, timeoutMs: number): void {
  body?.drop();
  const timer = setTimeout(() => req.socket.destroy(), timeoutMs);
  timer.unref?.();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.on('data', () => {});
  req.resume();
}

/**
 * Writes an answer: a whole body in one write (with its length; for HEAD, the length and no body), an event stream
 * chunk by chunk. A `Response` (from a Fetch handler, or a route that gives one) is written the same way.
 */
async function write(res: ServerResponse, answer: RouteAnswer, headOnly: boolean): Promise<void> {
  const { status } = answer;
  const headers = answer instanceof Response ? headerRecord(answer.headers) : answer.headers;
  let body = answer.body;
  if (body === undefined || body === null) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  if (body instanceof ReadableStream) {
    if (isEventStream(headers)) return writeStream(res, status, headers, body);
    try {
      body = new Uint8Array(await new Response(body).arrayBuffer());
    } catch {
      res.destroy(); // the answer broke while being read (a custom store's stream, say): nothing true to send
      return;
    }
  }
  res.writeHead(status, { ...headers, 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) });
  res.end(headOnly ? undefined : body);
}

/** Written chunk by chunk so Server-Sent Events reach the browser as they happen. */
async function writeStream(res: ServerResponse, status: number, headers: Record<string, string>, body: ReadableStream<Uint8Array>): Promise<void> {
  res.writeHead(status, headers);
  const reader = body.getReader();
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
