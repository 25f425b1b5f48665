/**
 * The route table's matcher: a route is a method, a path pattern under the endpoint's base path (`*` is one
 * segment) and a handler given the `*` segments. HEAD runs the GET route and drops the body; a path that exists
 * under another method is answered 405 with `Allow`, anything else 404.
 */
import { HttpProblem } from './problems.ts';

export interface RouteContext<Client> {
  request: Request;
  url: URL;
  client: Client;
  /** The segments the pattern's `*` matched, in order. */
  ids: string[];
}

export type Route<Client> = [method: 'GET' | 'POST', pattern: string, run: (context: RouteContext<Client>) => Promise<Response> | Response];

export function matchRoute<Client>(routes: ReadonlyArray<Route<Client>>, request: Request, path: string): { run: Route<Client>[2]; ids: string[] } {
  const parts = path.split('/').filter(Boolean);
  const wanted = request.method === 'HEAD' ? 'GET' : request.method;
  const allowed: string[] = [];
  for (const [method, pattern, run] of routes) {
    const segments = pattern.split('/');
    if (segments.length !== parts.length || !segments.every((s, i) => s === '*' || s === parts[i])) continue;
    if (method === wanted) return { run, ids: parts.filter((_, i) => segments[i] === '*') };
    allowed.push(...(method === 'GET' ? ['GET', 'HEAD'] : [method]));
  }
  if (allowed.length) throw new HttpProblem('method-not-allowed', undefined, undefined, { allow: allowed.join(', ') });
  throw new HttpProblem('not-found');
}

/** The answer to HEAD: the GET answer's status and headers (with its length), no body; an event stream is not opened. */
export async function withoutBody(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) await response.body?.cancel().catch(() => {});
  else if (response.body) headers.set('content-length', String((await response.arrayBuffer()).byteLength));
  return new Response(null, { status: response.status, headers });
}
