/**
 * The sandbox's small HTTP toolkit: a router with `:param` segments, body reading and typed replies.
 * Every simulator registers its routes through this so faults, request counts and resets apply the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface SandboxRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The raw body, exactly as sent (signatures are computed over it). */
  raw: Buffer;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; `undefined` when it is not JSON. */
  json(): unknown;
  /** The body parsed as `application/x-www-form-urlencoded`. */
  form(): URLSearchParams;
  header(name: string): string | undefined;
}

export type Handler = (req: SandboxRequest, res: ServerResponse) => void | Promise<void>;

interface Route {
  method: Method;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: Method, pattern: string, handler: Handler): void {
    this.routes.push({ method, segments: split(pattern), handler });
  }

  get(pattern: string, handler: Handler): void {
    this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): void {
    this.add('POST', pattern, handler);
  }

  delete(pattern: string, handler: Handler): void {
    this.add('DELETE', pattern, handler);
  }

  /** Finds the route for a method and path; `allowed` lists methods that match the path when none matched both. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | { allowed: string[] } {
    const parts = split(pathname);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}

/** Largest body the sandbox reads; real providers cap bodies too (hi.health documents 10 MB for PDFs). */
export const MAX_BODY_BYTES = 11 * 1024 * 1024;

export async function readRequest(req: IncomingMessage, params: Record<string, string>, base: string): Promise<SandboxRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  let parsed: { done: boolean; value: unknown } = { done: false, value: undefined };
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', base),
    params,
    headers: req.headers,
    raw,
    text: () => raw.toString('utf8'),
    json: () => {
      if (!parsed.done) {
        try {
          parsed = { done: true, value: JSON.parse(raw.toString('utf8')) };
        } catch {
          parsed = { done: true, value: undefined };
        }
      }
      return parsed.value;
    },
    form: () => new URLSearchParams(raw.toString('utf8')),
    header: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
  };
}

export class BodyTooLarge extends Error {
  constructor() {
    super('request body too large');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': headers['content-type'] ?? 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Hosted pages are plain HTML with no script at all, so they render under any Content-Security-Policy. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action *",
  });
  res.end(html);
}

/** A browser redirect after a form post (303 turns the POST into a GET, as the providers' pages do). */
export function redirect(res: ServerResponse, location: string, status = 303): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
