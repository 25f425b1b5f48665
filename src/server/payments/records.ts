/** A stored payment and what of it the browser may see. */
import type { PaymentView } from '../../core/model.ts';
import { HttpProblem } from '../http/problems.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';

/** Kassa's payment references: `kp_` and 24 base64url characters (an HMAC of the session and the click's key). */
export const REFERENCE = /^kp_[A-Za-z0-9_-]{20,40}$/;

export function isReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** The payment a browser asks about, or 404 (a malformed reference never reaches the store). */
export async function findRecord(store: KassaStore, reference: string): Promise<PaymentRecord> {
  const record = isReference(reference) ? await store.getPayment(reference) : undefined;
  if (!record) throw new HttpProblem('payment-not-found');
  return record;
}

export function view(record: PaymentRecord): PaymentView {
  return {
    reference: record.reference,
    provider: record.provider,
    method: record.method,
    order: record.order,
    amount: record.amount,
    currency: record.currency,
    state: record.state,
    providerStatus: record.providerStatus,
    ...(record.route ? { route: record.route } : {}),
    updatedAt: record.updatedAt,
  };
}

/** The merchant's return page for a payment: `returnUrl` with `kassa_payment=<reference>`, which the elements read. */
export function returnPageFor(returnUrl: string, reference: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('kassa_payment', reference);
  return url.href;
}
