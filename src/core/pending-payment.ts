/**
 * Remembers the payment a shopper left the page for, so the return page (even in a new tab, or after a reload)
 * can show its status with only `<kassa-status endpoint="/kassa">`. Stored in localStorage under one key per
 * payment, with an expiry; nothing secret is kept (a Kronor session token is scoped to this one payment).
 *
 * Where the shopper checked out (the checkout page and its language) is kept apart from the pending payment and
 * outlives it: a return page reloaded after the payment failed still speaks the shopper's language and still
 * offers the way back to the checkout.
 */
import type { ProviderName } from './model.ts';

export interface PendingPayment {
  reference: string;
  endpoint: string;
  provider: ProviderName;
  /** For Kronor: what the status element needs to follow the payment straight at Kronor. */
  kronor?: { sessionToken: string; httpUrl: string; wsUrl: string; waitToken?: string };
  /** The checkout page the shopper left (its address without Kassa's parameters), to come back to. */
  checkoutUrl?: string;
  /** The language the shopper checked out in (a BCP 47 tag). */
  locale?: string;
  savedAt: number;
}

/** Where a payment was checked out: what the return page needs once the payment itself is forgotten. */
export interface CheckoutPlace {
  checkoutUrl?: string;
  locale?: string;
}

const PREFIX = 'kassa:pending:';
const LATEST = 'kassa:pending';
const PLACE_PREFIX = 'kassa:checkout:';
/** A shopper who has not come back within a day is not coming back to this payment. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** The query parameter the endpoint puts on every return URL. */
export const RETURN_PARAM = 'kassa_payment';

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // blocked storage (privacy modes): resuming then relies on the return URL alone
  }
}

export function rememberPending(payment: Omit<PendingPayment, 'savedAt'>): void {
  const store = storage();
  if (!store) return;
  try {
    const savedAt = Date.now();
    store.setItem(PREFIX + payment.reference, JSON.stringify({ ...payment, savedAt }));
    store.setItem(LATEST, payment.reference);
    const { checkoutUrl, locale } = payment;
    if (checkoutUrl || locale) store.setItem(PLACE_PREFIX + payment.reference, JSON.stringify({ checkoutUrl, locale, savedAt }));
    forgetOldPlaces(store);
  } catch {
    // Full or blocked storage: the return URL still carries the reference.
  }
}

export function recallPending(reference?: string | null): PendingPayment | undefined {
  const store = storage();
  if (!store) return undefined;
  const ref = reference ?? store.getItem(LATEST);
  if (!ref) return undefined;
  try {
    const value = JSON.parse(store.getItem(PREFIX + ref) ?? 'null') as PendingPayment | null;
    if (!value || value.reference !== ref || Date.now() - value.savedAt > MAX_AGE_MS) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

export function forgetPending(reference: string): void {
  const store = storage();
  if (!store) return;
  store.removeItem(PREFIX + reference);
  if (store.getItem(LATEST) === reference) store.removeItem(LATEST);
}

/** Where `reference` was checked out, as remembered when the shopper left the checkout (a day at most). */
export function recallCheckoutPlace(reference: string): CheckoutPlace | undefined {
  const store = storage();
  if (!store) return undefined;
  try {
    const value = JSON.parse(store.getItem(PLACE_PREFIX + reference) ?? 'null') as (CheckoutPlace & { savedAt?: number }) | null;
    if (!value || typeof value.savedAt !== 'number' || Date.now() - value.savedAt > MAX_AGE_MS) return undefined;
    return {
      ...(typeof value.checkoutUrl === 'string' ? { checkoutUrl: value.checkoutUrl } : {}),
      ...(typeof value.locale === 'string' ? { locale: value.locale } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Places kept longer than a day are of no use to anyone: dropped whenever a new one is kept. */
function forgetOldPlaces(store: Storage): void {
  for (let i = store.length - 1; i >= 0; i--) {
    const key = store.key(i);
    if (!key?.startsWith(PLACE_PREFIX)) continue;
    try {
      const savedAt = (JSON.parse(store.getItem(key) ?? 'null') as { savedAt?: unknown } | null)?.savedAt;
      if (typeof savedAt !== 'number' || Date.now() - savedAt > MAX_AGE_MS) store.removeItem(key);
    } catch {
      store.removeItem(key);
    }
  }
}

/**
 * The checkout page to come back to: `href` without Kassa's return parameter and without its fragment, or undefined
 * for anything but an http(s) page (a `file:` or `about:` page has no address to come back to).
 */
export function checkoutPageUrl(href: string = location.href): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Only when it is there: rewriting the query would re-encode the rest of it (`~` → `%7E`).
  if (url.searchParams.has(RETURN_PARAM)) url.searchParams.delete(RETURN_PARAM);
  url.hash = '';
  return url.href;
}

/**
 * A way back to the checkout that is safe to offer as a link: an http(s) address (relative ones are resolved
 * against `base`) on the page's own origin, without credentials. Anything else — `javascript:`, `data:`, another
 * site (an open redirect) — gives undefined.
 */
export function sameOriginPageUrl(value: unknown, base: string = location.href): string | undefined {
  if (typeof value !== 'string' || !value.trim() || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.origin !== new URL(base).origin) return undefined;
  return url.href;
}

/**
 * Where "Choose another payment method" leads: the merchant's `checkout-url`, else the checkout page remembered for
 * the payment — only on the page's own origin, and never the page the shopper is on (a checkout showing its own
 * result offers its own way back).
 */
export function wayBackUrl(given: string | undefined, remembered: string | undefined, here: string = location.href): string | undefined {
  const url = sameOriginPageUrl(given?.trim() ? given : remembered, here);
  if (!url || checkoutPageUrl(url) === checkoutPageUrl(here)) return undefined;
  return url;
}

/** The payment reference in the current page's address (`?kassa_payment=kp_…`), if any. */
export function referenceFromUrl(href: string = location.href): string | undefined {
  const value = new URL(href).searchParams.get(RETURN_PARAM);
  return value && /^kp_[A-Za-z0-9_-]{20,40}$/.test(value) ? value : undefined;
}
