/**
 * What the merchant's server hears: one event for every change of every payment, built from the payment record as
 * saved. Pure: no I/O.
 */
import type { PaymentRoute, PaymentState, ProviderName } from '../../core/model.ts';
import type { PaymentRecord } from '../stores/store.ts';

/** A payment as the merchant's server sees it (`kassa.payments.get`, `onPaymentEvent`): never the adapter's data. */
export interface MerchantPayment {
  /** Kassa's reference for this payment attempt (`kp_…`). */
  reference: string;
  /** The merchant's order reference, as `resolveOrder` was asked for it. */
  order: string;
  /** The provider that processed the payment. */
  provider: ProviderName;
  /** The method the provider was given, e.g. `whenthen:card` (the shopper chose `card`). */
  method: string;
  /**
   * How the payment reached `provider`: `first-choice`, `fallback` (the providers in `fallbackFrom` failed to start
   * it first), `direct` (the shopper chose this provider's own entry) or `orphan` (a payment an unanswered start left
   * at this provider, found afterwards: Kassa cancels it where the provider allows; `replacedBy` is the one the shopper
   * got). Absent on payments made before routing existed.
   */
  route?: PaymentRoute;
  fallbackFrom?: ProviderName[];
  replacedBy?: string;
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
  /** Minor units captured, once known (a capture of an authorised payment may take less than `amount`). */
  capturedAmount?: number;
  /** Minor units refunded or being refunded, once any is. */
  refundedAmount?: number;
}

/** An after-sale operation the merchant's server asked for and the provider accepted (`payment.operation`). */
export interface PaymentOperationRecord {
  kind: 'capture' | 'cancel' | 'refund' | 'document';
  /** Minor units (capture and refund). */
  amount?: number;
  reason?: string;
  /** A document's type (hi.health: `INVOICE`, `PRESCRIPTION`, …). */
  documentType?: string;
  /** The operation's idempotency key: the same key never makes a second operation. */
  idempotencyKey: string;
}

/**
 * `payment.created` for a new attempt; `payment.updated` for each change of state, provider status or amounts;
 * `payment.duplicate` when the payment is found to be a second success for its order (`payment.duplicateOf`);
 * `payment.operation` when the provider accepted a capture, cancel, refund or document the merchant asked for (the
 * outcome follows as `payment.updated` once the provider's read shows it).
 */
export type PaymentEventType = 'payment.created' | 'payment.updated' | 'payment.duplicate' | 'payment.operation';

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
  /** What was asked, on `payment.operation` only. */
  operation?: PaymentOperationRecord;
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
    ...(record.route ? { route: record.route } : {}),
    ...(record.fallbackFrom?.length ? { fallbackFrom: [...record.fallbackFrom] } : {}),
    ...(record.replacedBy ? { replacedBy: record.replacedBy } : {}),
    ...(record.duplicateOf ? { duplicateOf: record.duplicateOf } : {}),
    ...(record.capturedAmount !== undefined ? { capturedAmount: record.capturedAmount } : {}),
    ...(record.refundedAmount ? { refundedAmount: record.refundedAmount } : {}),
  };
}

/** The event for `record` as just saved (its `sequence` already counts this event), after `previous`. */
export function eventFor(record: PaymentRecord, previous: PaymentRecord | undefined, operation?: PaymentOperationRecord): PaymentEvent {
  const type = operation
    ? 'payment.operation'
    : !previous
      ? 'payment.created'
      : record.duplicateOf && !previous.duplicateOf
        ? 'payment.duplicate'
        : 'payment.updated';
  return {
    id: `${record.reference}.${record.sequence}`,
    type,
    sequence: record.sequence,
    occurredAt: record.updatedAt,
    previousState: previous?.state ?? null,
    payment: merchantPayment(record),
    ...(operation ? { operation } : {}),
  };
}
