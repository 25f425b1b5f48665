/**
 * Where `kassa-redirect` may send a shopper, decided by pure code: an absolute `https:` URL (plain `http:` only on
 * loopback hosts, how the local sandbox is reached), without credentials, and — when the page gives a list — on one
 * of the allowed hosts. `javascript:`, `data:`, relative and protocol-relative URLs are refused.
 */
import type { NextAction } from '../../core/model.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';

/** True when the browser may be sent to `url`; with `allowedHosts`, only to a host (or host:port) in that list. */
export function isNavigableUrl(url: unknown, allowedHosts?: readonly string[]): url is string {
  if (typeof url !== 'string') return false;
  if (allowedHosts) return isAllowedUrl(url, allowedHosts);
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return false; // relative, protocol-relative or not a URL at all
  }
  return isAllowedUrl(url, [host]);
}

/** What `kassa-redirect` does with a next action. */
export type RedirectTarget =
  /** Not a redirect or form action (or none at all): nothing to do. */
  | { kind: 'none' }
  /** A redirect the element refuses to follow. */
  | { kind: 'unsafe' }
  /** Navigate to `url` (a `redirect`, or a `form` with method GET, its fields in the query). */
  | { kind: 'get'; url: string }
  /** Submit a POST form to `url` with these hidden fields, in order. */
  | { kind: 'post'; url: string; fields: ReadonlyArray<readonly [string, string]> };

/**
 * The target for a next action. A GET form keeps the URL's own query and sets each field on it (a field wins over
 * a query parameter of the same name); the resulting URL is checked again.
 */
export function redirectTarget(action: NextAction | undefined, allowedHosts?: readonly string[]): RedirectTarget {
  if (!action || (action.type !== 'redirect' && action.type !== 'form')) return { kind: 'none' };
  if (!isNavigableUrl(action.url, allowedHosts)) return { kind: 'unsafe' };
  if (action.type === 'redirect') return { kind: 'get', url: new URL(action.url).href };
  const fields = Object.entries(action.fields ?? {}).map(([name, value]) => [name, String(value)] as const);
  if (String(action.method).toUpperCase() === 'GET') {
    const url = new URL(action.url);
    for (const [name, value] of fields) url.searchParams.set(name, value);
    return isNavigableUrl(url.href, allowedHosts) ? { kind: 'get', url: url.href } : { kind: 'unsafe' };
  }
  return { kind: 'post', url: new URL(action.url).href, fields };
}
