/**
 * The client's address behind proxies, for the Node listener. Each proxy appends the address it received from to
 * `X-Forwarded-For`; everything left of the nearest untrusted hop was written by the client and proves nothing. So
 * the client is the right-most address that is not one of the merchant's proxies.
 */
import { BlockList, isIP } from 'node:net';
import { normalizeAddress } from './client-address.ts';
import { KassaConfigError } from '../config.ts';

/** How many proxies stand in front of the server, or their addresses (`10.0.0.7`, `fd00::1`) and networks (`10.0.0.0/8`). */
export type TrustProxy = number | readonly string[];

/** `TrustProxy` once checked: a hop count, or the proxies as a block list. */
export type TrustedProxies = { hops: number } | { list: BlockList };

export function checkTrustProxy(value: unknown): TrustedProxies | undefined {
  if (value === undefined || value === 0) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 16) return { hops: value };
  if (Array.isArray(value) && value.length > 0) {
    const list = new BlockList();
    for (const entry of value) {
      const [address, bits, extra] = typeof entry === 'string' ? entry.split('/') : [];
      const family = address ? isIP(address) : 0;
      const prefix = bits === undefined ? undefined : Number(bits);
      const maxPrefix = family === 6 ? 128 : 32;
      if (!family || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= maxPrefix))) {
        throw new KassaConfigError(`Kassa: invalid configuration — trustProxy: ${JSON.stringify(entry)} is not an IP address or network`);
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address!, type);
      else list.addSubnet(address!, prefix, type);
    }
    return { list };
  }
  throw new KassaConfigError(
    'Kassa: invalid configuration — trustProxy takes the number of proxies in front of this server (1–16) or their addresses; ' +
      '`true` is refused because it would trust any X-Forwarded-For a client sends',
  );
}

/**
 * The client's address: the socket's peer when no proxy is trusted; else, walking `X-Forwarded-For` from the right
 * (the socket's peer being the nearest hop), the first address that is not a trusted proxy.
 */
export function clientAddressFrom(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, trusted: TrustedProxies | undefined): string | undefined {
  const peer = socketAddress && normalizeAddress(socketAddress);
  if (!trusted || !peer) return peer || undefined;
  const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((hop) => normalizeAddress(hop.trim()))
    .filter(Boolean);
  const chain = [...listed, peer];
  if ('hops' in trusted) return chain[Math.max(0, chain.length - 1 - trusted.hops)];
  for (let i = chain.length - 1; i > 0; i--) {
    if (!isTrusted(trusted.list, chain[i]!)) return chain[i];
  }
  return chain[0];
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

