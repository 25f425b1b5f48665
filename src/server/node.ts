/**
 * Mounts the Fetch-API handler on Node's `http` server, or on Express/Connect (`app.use('/kassa', listener)`):
 * the request keeps its full path (`originalUrl` under Express), so configure `basePath` to the mount path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { KassaHandler } from './handler.ts';

export interface NodeListenerOptions {
  /** Trust `X-Forwarded-For` / `X-Forwarded-Proto` / `X-Forwarded-Host` (only behind your own proxy). */
  trustProxy?: boolean;
}

type NodeRequest = IncomingMessage & { originalUrl?: string };

export function createNodeListener(handler: KassaHandler, options: NodeListenerOptions = {}) {
  return async function kassaNodeListener(req: NodeRequest, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const forwarded = (name: string) => (options.trustProxy ? String(req.headers[name] ?? '').split(',')[0]?.trim() : '') || undefined;
    const protocol = forwarded('x-forwarded-proto') ?? ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
    const host = forwarded('x-forwarded-host') ?? req.headers.host ?? 'localhost';
    const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`);

    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: abort.signal,
      // Node's fetch needs this to stream a request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);

    let response: Response;
    try {
      response = await handler(request, { clientAddress: forwarded('x-forwarded-for') ?? req.socket.remoteAddress });
    } catch {
      // The handler answers its own errors; this only guards against a broken custom store or hook.
      res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'urn:kassa:problem:internal', title: 'Something went wrong in the endpoint', status: 500 }));
      return;
    }
    const outHeaders: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    if (!response.body) {
      res.writeHead(response.status, outHeaders);
      res.end();
      return;
    }
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      // A whole answer in one write (with its length), not chunk by chunk.
      let body: Buffer;
      try {
        body = Buffer.from(await response.arrayBuffer());
      } catch {
        res.destroy(); // the answer broke while being read (a custom store's stream, say): nothing true to send
        return;
      }
      res.writeHead(response.status, { ...outHeaders, 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    res.writeHead(response.status, outHeaders);
    // Written chunk by chunk so Server-Sent Events reach the browser as they happen.
    const reader = response.body.getReader();
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
  };
}
