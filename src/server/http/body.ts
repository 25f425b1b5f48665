/** Reading request bodies: a size limit enforced while reading, JSON checked against a schema, raw bytes for webhooks. */
import type { z } from 'zod';
import { describe } from '../config.ts';
import type { IncomingRequest } from './exchange.ts';
import { HttpProblem } from './problems.ts';

/** Stateless for whole inputs, so one serves every request; invalid UTF-8 throws. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Requests whose body a framework had already parsed, written back as JSON by the Node listener. */
const parsedBodies = new WeakSet<Request>();

/** Marks a request whose body is a parsed object written back as JSON: not the bytes the client sent. */
export function markParsedBody(request: Request): void {
  parsedBodies.add(request);
}

/** Whether the body is the client's exact bytes (a webhook's signature is checked over them). */
export function hasOriginalBody(request: Request): boolean {
  return !parsedBodies.has(request);
}

/** Reads the raw body, refusing more than `limit` bytes without reading further. */
export function readBytes(request: IncomingRequest, limit: number): Promise<Uint8Array> {
  return request.bytes(limit);
}

/**
 * A JSON body checked against `schema`; the problem names the first bad field. `plainlyValid`, when given, answers
 * whether a value is certainly one `schema` accepts as it is, so the common body skips the schema (anything it does
 * not vouch for goes through the schema, which words the problem). @internal: its schema type stays out of the
 * package's declarations.
 */
export async function readJsonBody<T>(request: IncomingRequest, schema: z.ZodType<T>, limit: number, plainlyValid?: (value: unknown) => value is T): Promise<T> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new HttpProblem('unsupported-media-type');
  const bytes = await readBytes(request, limit);
  let value: unknown;
  try {
    const text = UTF8.decode(bytes);
    // The reviver costs more than the parse: only a body that could name `__proto__` (plainly or escaped) pays it.
    value = text.includes('__proto__') || text.includes('\\u') ? JSON.parse(text, refuseProtoKey) : JSON.parse(text);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw new HttpProblem('invalid-body', 'the body is not valid JSON');
  }
  if (plainlyValid?.(value)) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.code === 'unrecognized_keys' ? issue.keys[0] : issue?.path.map(String).join('.');
    throw new HttpProblem('invalid-body', describe(parsed.error), field || undefined);
  }
  return parsed.data;
}

/** `__proto__` as a JSON key would be dropped (or worse) on its way into an object: refused, never silently lost. */
function refuseProtoKey(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new HttpProblem('invalid-body', '__proto__ is not accepted as a key', '__proto__');
  return value;
}
