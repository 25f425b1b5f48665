/**
 * The payment a checkout started and has not seen end, per endpoint and order, kept for this tab (sessionStorage):
 * after a reload the checkout shows it again — the same QR code, the same provider page, the same Kronor request —
 * instead of offering the shopper a second payment for the same order. Nothing secret is kept (a Kronor session
 * token is scoped to this one payment).
 */
import type { NextAction, PaymentView } from './model.ts';

export interface OpenAttempt {
  payment: PaymentView;
  action: NextAction;
  /** The click's idempotency key: Kronor's browser start is resumed with it (Kronor answers the same request). */
  key: string;
  savedAt: number;
}

/** After this long a reload offers the picker again; the endpoint still cancels an earlier open attempt. */
const MAX_AGE_MS = 60 * 60 * 1000;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // blocked storage: a reload shows the picker (the endpoint cancels the earlier attempt)
  }
}

function keyFor(endpoint: string, order: string): string {
  return `kassa:attempt:${endpoint}:${order}`;
}

export function rememberAttempt(endpoint: string, order: string, attempt: Omit<OpenAttempt, 'savedAt'>): void {
  try {
    storage()?.setItem(keyFor(endpoint, order), JSON.stringify({ ...attempt, savedAt: Date.now() }));
  } catch {
    // Full storage: a reload shows the picker.
  }
}

export function recallAttempt(endpoint: string, order: string): OpenAttempt | undefined {
  try {
    const value = JSON.parse(storage()?.getItem(keyFor(endpoint, order)) ?? 'null') as OpenAttempt | null;
    if (!value || typeof value.payment?.reference !== 'string' || !value.action || Date.now() - value.savedAt > MAX_AGE_MS) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

export function forgetAttempt(endpoint: string, order: string): void {
  try {
    storage()?.removeItem(keyFor(endpoint, order));
  } catch {
    // Nothing to forget.
  }
}
