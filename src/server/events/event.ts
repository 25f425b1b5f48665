/**
 * What the merchant's server hears: one event for every change of every payment, built from the payment record as
 * saved. Pure: no I/O.
 */
import type { PaymentState, ProviderName } from '../../core/model.ts';
import type { PaymentRecord } from '../stores/store.ts';

/** A payment as the merchant's server sees it (`kassa.payments.get`, `onPaymentEvent`): never the adapter's data. */
export interface MerchantPayment {
  /** Kassa's reference for this payment attempt (`kp_…`). */
  reference: string;
  /** The merchant's order reference, as `resolveOrder` was asked for it. */
  order: string;
  provider: ProviderName;
  /** The method id the shopper chose, e.g. `hero:Pay1X`. */
  method: string;
  state: PaymentState;
  /** The provider's own status value. */
  providerStatus: string | null;
  /** The provider's id for the payment. */
  providerPaymentId: string;
  /** Minor units. */
  amount: number;
  /** ISO 4217. */
  currency: string;
  createdAt: string;
  updatedAt: string;
  /**
   * Set when this payment succeeded after another payment of the same order had: the reference of the payment kept.
   * Kassa cancels or refunds a duplicate where the provider allows it; never fulfil an order twice.
   */
  duplicateOf?: string;
}

/**
 * `payment.created` for a new attempt; `payment.updated` for each change of state or provider status;
 * `payment.duplicate` when the payment is found to be a second success for its order (`payment.duplicateOf`).
 */
export type PaymentEventType = 'payment.created' | 'payment.updated' | 'payment.duplicate';

/** One change of one payment. Delivered at least once: dedupe by `id`. */
export interface PaymentEvent {
  /** Stable across redeliveries, restarts and instances: `<reference>.<sequence>`. */
  id: string;
  type: PaymentEventType;
  /** 1 for `payment.created`, one more for each later change of the same payment: events arrive in this order. */
  sequence: number;
  /** When the change was saved. */
  occurredAt: string;
  /** The state before this change; `null` for `payment.created`. */
  previousState: PaymentState | null;
  /** The payment after this change. */
  payment: MerchantPayment;
}

export function merchantPayment(record: PaymentRecord): MerchantPayment {
  return {
    reference: record.reference,
    order: record.order,
    provider: record.provider,
    method: record.method,
    state: record.state,
    providerStatus: record.providerStatus,
    providerPaymentId: record.providerPaymentId,
    amount: record.amount,
    currency: record.currency,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.duplicateOf ? { duplicateOf: record.duplicateOf } : {}),
  };
}

/** The event for `record` as just saved (its `sequence` already counts this event), after `previous`. */
export function eventFor(record: PaymentRecord, previous: PaymentRecord | undefined): PaymentEvent {
  const type = !previous ? 'payment.created' : record.duplicateOf && !previous.duplicateOf ? 'payment.duplicate' : 'payment.updated';
  return {
    id: `${record.reference}.${record.sequence}`,
    type,
    sequence: record.sequence,
    occurredAt: record.updatedAt,
    previousState: previous?.state ?? null,
    payment: merchantPayment(record),
  };
}
