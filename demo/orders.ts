/**
 * The demo shop's order book: what the shop's server knows of each order, learned only from Kassa's
 * `onPaymentEvent` hook — never from the browser (a `kassa-complete` in a page can be faked from the console, and
 * never fires when the shopper closes the tab on the provider's page).
 *
 * In memory, forgotten when the process stops: it is a demo. A real shop keeps this in its database and records the
 * event ids it handled in the same transaction as the change they make.
 *
 * An order's state follows the latest state the book heard of each of its payment attempts:
 * - `paid` while one attempt holds the shopper's money (`paid`, `authorized` or `partially_refunded`); `paidBy` is
 *   the attempt that paid it (the first one heard holding money, as long as it still does), `paidAt` when the book
 *   heard so;
 * - `refunded` when none does any more and one was refunded in full (a refund only ever follows a success);
 * - `open` otherwise: no attempt yet succeeded, or the only success was an authorisation voided or lapsed.
 * Events come at least once and in order per payment: an event id heard before, or an older change of a payment
 * than the one already heard, changes nothing.
 */
import type { PaymentState } from '../src/core/model.ts';
import type { MerchantPayment, PaymentEvent } from '../src/server/events/event.ts';
import type { KassaPayments } from '../src/server/handler.ts';
import { operationsFor, type AdminOperation } from './admin.ts';

export type OrderState = 'open' | 'paid' | 'refunded';

/** One payment attempt as the book last heard of it. */
export interface HeardPayment {
  state: PaymentState;
  /** The event sequence this state came with: an older one never overwrites it. */
  sequence: number;
  /** When the book first heard this payment holding money (the event's `occurredAt`); null if it never did. */
  heldMoneyAt: string | null;
}

export interface OrderRecord {
  order: string;
  state: OrderState;
  /** The payment (`kp_…`) that paid the order, while it is paid. */
  paidBy: string | null;
  /** When the server heard the order paid (the paying change's `occurredAt`). */
  paidAt: string | null;
  /** When the server heard the order refunded. */
  refundedAt: string | null;
  /** When the order's first payment attempt was created. */
  createdAt: string;
  /** The time of the latest change heard. */
  updatedAt: string;
  payments: Readonly<Record<string, HeardPayment>>;
}

/** The states in which a payment holds the shopper's money, so its order counts as paid. */
export const HOLDS_MONEY: readonly PaymentState[] = ['paid', 'authorized', 'partially_refunded'];

/**
 * The order after `event` (one of its payments' changes), from `current` (undefined for an order not heard of yet).
 * Pure: answers `current` itself when the event is older than what the book holds for that payment.
 */
export function applyPaymentEvent(current: OrderRecord | undefined, event: PaymentEvent): OrderRecord {
  const { payment } = event;
  if (current && current.order !== payment.order) throw new Error(`event ${event.id} is for order ${payment.order}, not ${current.order}`);
  const known = current?.payments[payment.reference];
  if (current && known && known.sequence >= event.sequence) return current;

  const holds = HOLDS_MONEY.includes(payment.state);
  const heard: HeardPayment = { state: payment.state, sequence: event.sequence, heldMoneyAt: known?.heldMoneyAt ?? (holds ? event.occurredAt : null) };
  const payments = { ...current?.payments, [payment.reference]: heard };

  const holding = Object.entries(payments)
    .filter(([, p]) => HOLDS_MONEY.includes(p.state))
    .sort(([a, x], [b, y]) => (x.heldMoneyAt ?? '').localeCompare(y.heldMoneyAt ?? '') || a.localeCompare(b));
  const wasPaidBy = current?.state === 'paid' ? current.paidBy : null;
  const payer = holding.find(([reference]) => reference === wasPaidBy) ?? holding[0];
  const refunded = Object.values(payments).some((p) => p.state === 'refunded');
  const state: OrderState = payer ? 'paid' : refunded ? 'refunded' : 'open';

  return {
    order: payment.order,
    state,
    paidBy: payer ? payer[0] : null,
    paidAt: payer ? payer[1].heldMoneyAt : null,
    refundedAt: state === 'refunded' ? (current?.state === 'refunded' ? current.refundedAt : event.occurredAt) : null,
    createdAt: current && current.createdAt <= payment.createdAt ? current.createdAt : payment.createdAt,
    updatedAt: current && current.updatedAt >= event.occurredAt ? current.updatedAt : event.occurredAt,
    payments,
  };
}

/** The shop's orders, as its server learned them from `onPaymentEvent`. */
export class OrderBook {
  private readonly orders = new Map<string, OrderRecord>();
  private readonly heardEvents = new Set<string>();

  /**
   * Takes one delivered event; answers whether it was new. A redelivery (the same `event.id`) changes nothing. To
   * be called from `onPaymentEvent` (see demo/server.ts): if it threw, Kassa would deliver the event again.
   */
  hear(event: PaymentEvent): boolean {
    if (this.heardEvents.has(event.id)) return false;
    const order = event.payment.order;
    this.orders.set(order, applyPaymentEvent(this.orders.get(order), event));
    this.heardEvents.add(event.id);
    return true;
  }

  get(order: string): OrderRecord | undefined {
    return this.orders.get(order);
  }

  /** Every order heard of, newest first (by its first attempt's creation). */
  list(): OrderRecord[] {
    return [...this.orders.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.order.localeCompare(b.order));
  }
}

/** One change in a payment's history, as the back office shows it (from `kassa.payments.events`). */
export interface HistoryEntry {
  sequence: number;
  occurredAt: string;
  type: PaymentEvent['type'];
  /** The payment's state after this change. */
  state: PaymentState;
  providerStatus: string | null;
  /** The after-sale operation this change records (capture, cancel, refund, document), if it is one. */
  operation?: PaymentEvent['operation'];
}

/** One payment attempt of an order, as the back office shows it (from `kassa.payments.forOrder`). */
export interface OrderAttempt {
  reference: string;
  provider: string;
  method: string;
  state: PaymentState;
  providerStatus: string | null;
  amount: number;
  currency: string;
  /** Minor units captured so far, where Kassa knows it. */
  capturedAmount?: number;
  /** Minor units refunded so far, where Kassa knows it. */
  refundedAmount?: number;
  createdAt: string;
  /** What the back office offers for the payment's state; the endpoint checks again. */
  operations: AdminOperation[];
  /** Every change of the payment, oldest first. */
  history: HistoryEntry[];
}

/** An order in the back office: the book's view, with every payment attempt Kassa keeps for it. */
export interface BackOfficeOrder extends Omit<OrderRecord, 'payments'> {
  attempts: OrderAttempt[];
}

/** A payment as the back office shows it, with its history. Pure. */
export function orderAttempt(payment: MerchantPayment, events: readonly PaymentEvent[]): OrderAttempt {
  const { reference, provider, method, state, providerStatus, amount, currency, capturedAmount, refundedAmount, createdAt } = payment;
  return {
    reference,
    provider,
    method,
    state,
    providerStatus,
    amount,
    currency,
    ...(capturedAmount !== undefined ? { capturedAmount } : {}),
    ...(refundedAmount !== undefined ? { refundedAmount } : {}),
    createdAt,
    operations: operationsFor(state),
    history: events.map((event) => ({
      sequence: event.sequence,
      occurredAt: event.occurredAt,
      type: event.type,
      state: event.payment.state,
      providerStatus: event.payment.providerStatus,
      ...(event.operation ? { operation: event.operation } : {}),
    })),
  };
}

/** Every order the book has heard of, newest first, each with its attempts (oldest first) as Kassa holds them. */
export async function backOfficeOrders(book: OrderBook, payments: Pick<KassaPayments, 'forOrder' | 'events'>): Promise<BackOfficeOrder[]> {
  return Promise.all(
    book.list().map(async ({ payments: _heard, ...order }) => ({
      ...order,
      attempts: await Promise.all((await payments.forOrder(order.order)).map(async (payment) => orderAttempt(payment, await payments.events(payment.reference)))),
    })),
  );
}
