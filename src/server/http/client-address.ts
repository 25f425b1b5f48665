/**
 * Who is asking: the client address that rate limits and stream caps key on. It is explicit — the Node listener
 * reads it from the socket (trust-proxy.ts behind proxies), a Fetch runtime passes it (`kassa(request, {
 * clientAddress })`) or names how to read it (`clientAddress` in the configuration) — because a guessed address
 * either puts every shopper in one bucket or lets a client choose its own. No Node-only module here: the handler
 * runs in any Fetch runtime.
 */

/**
 * The rate-limit key for an address: an IPv4 address as it is, an IPv6 address by its /64 network (one subscriber
 * is usually given a whole /64, so its single addresses cost nothing to change).
 */
export function clientKey(address: string): string {
  const normalized = normalizeAddress(address);
  if (!isIpv6(normalized)) return normalized.slice(0, 64);
  const groups = expandIpv6(normalized);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : normalized.slice(0, 64);
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; `1.2.3.4:5678` and `[::1]:80` lose their port; anything else is kept (lower case). */
export function normalizeAddress(value: string): string {
  let address = value.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  if (address.startsWith('::ffff:') && IPV4.test(address.slice(7))) address = address.slice(7);
  return address;
}

/** The eight groups of an IPv6 address, or undefined for one this cannot read (e.g. with an embedded IPv4 part). */
function expandIpv6(address: string): string[] | undefined {
  const [head, tail, extra] = address.split('::');
  if (extra !== undefined || address.includes('.')) return undefined;
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function isIpv6(address: string): boolean {
  return address.includes(':') && /^[0-9a-f:.]+$/.test(address);
}
