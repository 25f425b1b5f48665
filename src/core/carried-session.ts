/**
 * A session the merchant's page carries: the JSON `POST /session` answers, rendered by the shop's server into a
 * `<script type="application/json">` child of `<kassa-checkout>` (a data block: never executed, so a strict CSP
 * allows it). The checkout takes it instead of asking the endpoint. Its amount is for display only: the endpoint
 * charges what the signed token and `resolveOrder` say, never what the page holds.
 */
import { isServer } from 'lit';
import type { SessionResponse } from './model.ts';

/** A carried session with less time left than this is not taken: the shopper could not finish with it. */
export const MIN_REMAINING_MS = 60_000;

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The session in `text` when it is one for `order` and has at least `MIN_REMAINING_MS` left at `now`; undefined for
 * anything else (malformed, another order, expired), so the checkout asks the endpoint instead.
 */
export function parseCarriedSession(text: string, order: string, now: number): SessionResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return usableSession(value, order, now);
}

/** `value` as a session when it is one for `order` with at least `MIN_REMAINING_MS` left at `now`; else undefined. */
export function usableSession(value: unknown, order: string, now: number): SessionResponse | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const s = value as Partial<Record<keyof SessionResponse, unknown>>;
  const expires = typeof s.expiresAt === 'string' ? Date.parse(s.expiresAt) : NaN;
  const valid =
    JWT.test(String(s.token)) &&
    s.order === order &&
    Number.isInteger(s.amount) &&
    (s.amount as number) > 0 &&
    /^[A-Z]{3}$/.test(String(s.currency)) &&
    typeof s.locale === 'string' &&
    Array.isArray(s.methods) &&
    s.methods.every((m) => typeof m?.id === 'string' && m.name instanceof Object) &&
    expires - now >= MIN_REMAINING_MS;
  return valid ? (value as SessionResponse) : undefined;
}

/**
 * The session carried for `order`, if usable: the one given to the element (`given`: a server renderer, which cannot
 * see the element's children, or a framework passing it as a property), else `host`'s first
 * `<script type="application/json">` child.
 */
export function carriedSession(host: HTMLElement, order: string, given?: unknown, now = Date.now()): SessionResponse | undefined {
  if (given !== undefined) return usableSession(given, order, now);
  if (isServer) return undefined;
  const script = host.querySelector(':scope > script[type="application/json"]');
  return script?.textContent ? parseCarriedSession(script.textContent, order, now) : undefined;
}
