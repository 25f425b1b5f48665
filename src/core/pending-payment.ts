/**
 * Remembers the payment a shopper left the page for, so the return page (even in a new tab, or after a reload)
 * can show its status with only `<kassa-status endpoint="/kassa">`. Stored in localStorage under one key per
 * payment, with an expiry; nothing secret is kept (a Kronor session token is scoped to this one payment).
 */
import type { ProviderName } from './model.ts';

export interface PendingPayment {
  reference: string;
  endpoint: string;
  provider: ProviderName;
  /** For Kronor: what the status element needs to follow the payment straight at Kronor. */
  kronor?: { sessionToken: string; httpUrl: string; wsUrl: string; waitToken?: string };
  savedAt: number;
}

const PREFIX = 'kassa:pending:';
const LATEST = 'kassa:pending';
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
    store.setItem(PREFIX + payment.reference, JSON.stringify({ ...payment, savedAt: Date.now() }));
    store.setItem(LATEST, payment.reference);
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

/** The payment reference in the current page's address (`?kassa_payment=kp_…`), if any. */
export function referenceFromUrl(href: string = location.href): string | undefined {
  const value = new URL(href).searchParams.get(RETURN_PARAM);
  return value && /^kp_[A-Za-z0-9_-]{20,40}$/.test(value) ? value : undefined;
}
