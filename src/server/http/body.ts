/** Reading request bodies: a size limit enforced while reading, JSON checked against a schema, raw bytes for webhooks. */
import type { z } from 'zod';
import { describe } from '../config.ts';
import { HttpProblem } from './problems.ts';

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
export async function readBytes(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new HttpProblem('body-too-large', `at most ${limit} bytes`);
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
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A JSON body checked against `schema`; the problem names the first bad field. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, limit: number): Promise<T> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new HttpProblem('unsupported-media-type');
  const bytes = await readBytes(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), refuseProtoKey);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw new HttpProblem('invalid-body', 'the body is not valid JSON');
  }
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
