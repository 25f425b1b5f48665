/**
 * Where Kassa will send a shopper's browser, and which images it will show: https URLs on an allow-listed host only
 * (plain http only for loopback hosts, which is how the local sandbox is reached). `javascript:`, `data:`, relative
 * and foreign URLs are refused.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || hostname.endsWith('.localhost');
}

/** True when `url` is absolute https (or http on loopback) and its host (with port, if any) is in `hosts`. */
export function isAllowedUrl(url: unknown, hosts: readonly string[]): url is string {
  if (typeof url !== 'string' || url.length > 4096) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  if (!secure) return false;
  return hosts.includes(parsed.host) || hosts.includes(parsed.hostname);
}

/** An image URL a provider supplied (a logo): https or loopback http, or undefined. */
export function safeImageUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return parsed.href;
  } catch {
    // not a URL at all
  }
  return undefined;
}
