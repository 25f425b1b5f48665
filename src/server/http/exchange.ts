/**
 * What the routes read and answer, whichever entry called them: a Fetch `Request` (`kassa(request)`, for Hono, Deno,
 * Bun, Next.js…) or Node's `IncomingMessage` (`createNodeListener`, without a `Request`, `Headers`, body stream or
 * `Response` per request). The Fetch entry turns an answer into a `Response`; the Node listener writes it as it is.
 */
import { hasOriginalBody } from './body.ts';
import { HttpProblem, problemParts } from './problems.ts';

/** A request as the routes see it. */
export interface IncomingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: { get(name: string): string | null };
  /** Whether a body may follow (anything but GET and HEAD). */
  readonly hasBody: boolean;
  /** Whether the body is the client's exact bytes (a webhook's signature is checked over them), not a framework's re-serialized parse. */
  readonly originalBody: boolean;
  /** Aborted when the client goes away before its answer is written. */
  readonly signal: AbortSignal;
  /** The whole body, refusing more than `limit` bytes (413) without reading further; readable once. */
  bytes(limit: number): Promise<Uint8Array>;
  /** The request as a Fetch `Request`, for the merchant's callbacks (`resolveOrder`, `authorize`, `clientAddress`); its body is the route's to read. */
  fetchRequest(): Request;
}

/** An answer: a whole body (JSON or a problem, as text or bytes), none, or an event stream. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
}

/** What a route may give back: an answer, or a `Response` where one is given (a provider's own webhook reply). */
export type RouteAnswer = Answer | Response;

/** The handler's entry for callers that bring their own request view (the Node listener). */
export const answerRequest: unique symbol = Symbol('kassa.answerRequest');

export type AnswerRequest = (request: IncomingRequest, context?: { clientAddress?: string }) => Promise<RouteAnswer>;

export function jsonAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/** `jsonAnswer` for a body already written as JSON. */
export function jsonTextAnswer(json: string, status = 200): Answer {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: json };
}

export function problemAnswer(problem: HttpProblem): Answer {
  const { status, headers, body } = problemParts(problem);
  return { status, headers: { ...headers, 'cache-control': 'no-store' }, body };
}

export function isEventStream(headers: Record<string, string>): boolean {
  return headers['content-type']?.startsWith('text/event-stream') ?? false;
}

/** An answer with `headers` added (CORS); a `Response` gets them set in place. */
export function withHeaders(answer: RouteAnswer, headers: Record<string, string>): RouteAnswer {
  if (answer instanceof Response) {
    for (const [name, value] of Object.entries(headers)) answer.headers.set(name, value);
    return answer;
  }
  for (const _ in headers) return { ...answer, headers: { ...answer.headers, ...headers } };
  return answer;
}

/** The answer to HEAD: the GET answer's status and headers, with its length, and no body; an event stream is not opened. */
export async function withoutBody(answer: RouteAnswer): Promise<Answer> {
  const headers = answer instanceof Response ? headerRecord(answer.headers) : { ...answer.headers };
  const body = answer.body;
  if (body instanceof ReadableStream) {
    if (isEventStream(headers)) await body.cancel().catch(() => {});
    else headers['content-length'] = String((await new Response(body).arrayBuffer()).byteLength);
  } else if (body !== undefined && body !== null) {
    headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }
  return { status: answer.status, headers };
}

export function toResponse(answer: RouteAnswer): Response {
  return answer instanceof Response ? answer : new Response((answer.body ?? null) as BodyInit | null, { status: answer.status, headers: answer.headers });
}

export function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/** The Fetch entry's view of a `Request`: the routes read it as they read the Node listener's. */
export class FetchIncoming implements IncomingRequest {
  readonly url: URL;

  constructor(private readonly request: Request) {
    this.url = new URL(request.url);
  }

  get method(): string {
    return this.request.method;
  }

  get headers(): Headers {
    return this.request.headers;
  }

  get hasBody(): boolean {
    return this.request.body !== null;
  }

  get originalBody(): boolean {
    return hasOriginalBody(this.request);
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  fetchRequest(): Request {
    return this.request;
  }

  async bytes(limit: number): Promise<Uint8Array> {
    const request = this.request;
    refuseDeclaredOver(request.headers.get('content-length'), limit);
    if (!request.body) return new Uint8Array();
    if (request.bodyUsed) throw new HttpProblem('body-already-parsed', 'the request body was read before Kassa; mount Kassa before body parsers');
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        // The client stopped sending or took too long: its problem, not the endpoint's, and nothing to log.
        if (error instanceof HttpProblem) throw error;
        throw new HttpProblem('bad-request', 'the request body could not be read');
      }
      const { done, value } = read;
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw new HttpProblem('body-too-large', `at most ${limit} bytes`);
      }
      chunks.push(value);
    }
    return joinChunks(chunks, size);
  }
}

/** A declared `Content-Length` over the limit is refused before a byte is read. */
export function refuseDeclaredOver(contentLength: string | null | undefined, limit: number): void {
  if (Number(contentLength ?? '0') > limit) throw new HttpProblem('body-too-large', `at most ${limit} bytes`);
}

export function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A `Request` built only when something touches it: the Node listener hands one to the merchant's callbacks, which
 * mostly never read it (`resolveOrder` looks an order up by its reference). It is a `Request` to `instanceof` and
 * behaves as one in every read.
 */
export function lazyRequest(build: () => Request): Request {
  let request: Request | undefined;
  const real = () => (request ??= build());
  return new Proxy(Object.create(Request.prototype) as Request, {
    get(_target, property) {
      const target = real();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, property) => property in real(),
  });
}
