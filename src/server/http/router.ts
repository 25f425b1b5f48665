/**
 * The route table's matcher: a route is a method, a path pattern under the endpoint's base path (`*` is one
 * segment) and a handler given the `*` segments. HEAD runs the GET route (the caller drops the body); a path that
 * exists under another method is answered 405 with `Allow`, anything else 404.
 */
import type { IncomingRequest, RouteAnswer } from './exchange.ts';
import { HttpProblem } from './problems.ts';

export interface RouteContext<Client> {
  request: IncomingRequest;
  url: URL;
  client: Client;
  /** The segments the pattern's `*` matched, in order. */
  ids: string[];
}

export type Route<Client> = [method: 'GET' | 'POST', pattern: string, run: (context: RouteContext<Client>) => Promise<RouteAnswer> | RouteAnswer];

export type RouteMatcher<Client> = (method: string, path: string) => { run: Route<Client>[2]; ids: string[] };

/** The table's patterns split once, not on every request. */
export function routeMatcher<Client>(routes: ReadonlyArray<Route<Client>>): RouteMatcher<Client> {
  const table = routes.map(([method, pattern, run]) => ({ method, segments: pattern.split('/'), run }));
  return (method, path) => {
    const parts = path.split('/').filter(Boolean);
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allowed: string[] = [];
    for (const route of table) {
      const { segments } = route;
      if (segments.length !== parts.length || !segments.every((s, i) => s === '*' || s === parts[i])) continue;
      if (route.method === wanted) return { run: route.run, ids: parts.filter((_, i) => segments[i] === '*') };
      allowed.push(...(route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]));
    }
    if (allowed.length) throw new HttpProblem('method-not-allowed', undefined, undefined, { allow: allowed.join(', ') });
    throw new HttpProblem('not-found');
  };
}
