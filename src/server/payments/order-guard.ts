/**
 * One order, at most one successful charge. The store keeps each order's attempts; from them:
 * - a session or a new payment for an order that already has a payment holding money is refused (409
 *   `order-already-paid`, naming that payment);
 * - a new attempt cancels the order's earlier open attempts at their providers, where the provider can cancel, so
 *   a page left open elsewhere can no longer be paid;
 * - a second success all the same (paid on another device before the cancel arrived) is marked a duplicate, told to
 *   the merchant, and by default voided or refunded where the provider allows it; the merchant is told when it cannot
 *   be. Which one is kept is decided the same way by every instance: the attempt created first. Both steps run as the
 *   payments' events are delivered, so a restart between a charge and its refund does not lose the refund.
 */
import { isFinalState } from '../../core/model.ts';
import { HttpProblem } from '../http/problems.ts';
import { OperationNotSupported } from '../provider.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';
import type { PaymentEvent } from '../events/event.ts';
import type { Ledger } from './ledger.ts';
import { PaymentOperationError, type PaymentOperations } from './operations.ts';
import { holdsMoney } from './state-machine.ts';

/** What Kassa does with a second successful payment of one order. */
export type DuplicatePolicy = 'refund' | 'report';

export interface OrderGuardDeps {
  store: KassaStore;
  ledger: Ledger;
  /** Cancels and refunds go through the after-sale operations: checked, idempotent, recorded, read back. */
  operations: Pick<PaymentOperations, 'cancel' | 'refund'>;
  onError: (error: unknown, context: string) => void;
  duplicatePayments: DuplicatePolicy;
}

export class OrderGuard {
  constructor(private readonly deps: OrderGuardDeps) {}

  /** 409 `order-already-paid` (with the paying payment's reference) when the order has a payment holding money. */
  async refuseIfPaid(order: string): Promise<void> {
    const paid = keptSuccess(await this.deps.store.orderPayments(order));
    if (paid) throw new HttpProblem('order-already-paid', `order ${order} is paid by ${paid.reference}`, undefined, {}, { payment: paid.reference });
  }

  /** After a new attempt: the order's other open attempts are cancelled where their provider can cancel. */
  async cancelEarlierAttempts(created: PaymentRecord): Promise<void> {
    const attempts = await this.deps.store.orderPayments(created.order);
    const open = attempts.filter((p) => p.reference !== created.reference && !isFinalOrHeld(p));
    await Promise.all(open.map((attempt) => this.cancel(attempt, 'a newer attempt for the order')));
  }

  /**
   * Runs as each payment event is delivered (the outbox makes it survive a restart): a payment that now holds money
   * has the order's later successes marked duplicates; a payment's `payment.duplicate` event voids or refunds it, by
   * policy. Both are safe to repeat: a payment is marked once, and the provider's idempotency key (or, for Hero, what
   * is left to refund) keeps a repeated refund from paying back twice.
   */
  async onEvent(event: PaymentEvent): Promise<void> {
    const record = await this.deps.store.getPayment(event.payment.reference);
    if (!record) return;
    if (event.type === 'payment.duplicate') return this.remedy(record);
    if (holdsMoney(record.state) && !record.duplicateOf) await this.markDuplicates(record.order);
  }

  /** Of the order's payments holding money, every one but the first created is marked a duplicate of it. */
  private async markDuplicates(order: string): Promise<void> {
    const successes = (await this.deps.store.orderPayments(order)).filter((p) => holdsMoney(p.state) && !p.duplicateOf);
    const kept = keptSuccess(successes);
    if (!kept) return;
    for (const other of successes) {
      if (other.reference !== kept.reference) await this.deps.ledger.markDuplicate(other.reference, kept.reference);
    }
  }

  /**
   * Voids (authorised) or refunds (paid) a duplicate through the after-sale operations (checked, idempotent, recorded
   * as its events) where its provider allows it and the policy says so; else reports it.
   */
  private async remedy(duplicate: PaymentRecord): Promise<void> {
    if (!duplicate.duplicateOf || !holdsMoney(duplicate.state)) return;
    const kept = { reference: duplicate.duplicateOf, provider: (await this.deps.store.getPayment(duplicate.duplicateOf))?.provider ?? 'unknown' };
    const what = `order ${duplicate.order} was paid twice: ${kept.reference} (${kept.provider}) is kept, ${duplicate.reference} (${duplicate.provider}) is a duplicate`;
    if (this.deps.duplicatePayments === 'report') {
      this.deps.onError(new Error(`Kassa: ${what}; it was not refunded automatically (duplicatePayments is "report"): refund it at the provider`), `duplicate payment ${duplicate.reference}`);
      return;
    }
    const options = { idempotencyKey: `duplicate-${duplicate.reference}`, reason: `a second payment of order ${duplicate.order}` };
    try {
      if (duplicate.state === 'authorized') await this.deps.operations.cancel(duplicate.reference, options);
      else await this.deps.operations.refund(duplicate.reference, options);
    } catch (error) {
      const why = error instanceof OperationNotSupported ? `${duplicate.provider} offers no ${error.operation} Kassa can call` : 'refunding it failed';
      this.deps.onError(new Error(`Kassa: ${what}; it was not refunded automatically (${why}): refund it at the provider`, { cause: error }), `duplicate payment ${duplicate.reference}`);
    }
  }

  /** Cancels one open attempt where its provider can; a refusal means it had moved on (its state is read again). */
  private async cancel(attempt: PaymentRecord, why: string): Promise<void> {
    try {
      await this.deps.operations.cancel(attempt.reference, { idempotencyKey: `cancel-${attempt.reference}`, reason: why });
    } catch (error) {
      const expected = error instanceof OperationNotSupported || (error instanceof PaymentOperationError && (error.code === 'operation-not-allowed' || error.code === 'provider-refused'));
      if (!expected) this.deps.onError(error, `cancelling payment ${attempt.reference} (${why})`);
    }
  }
}

/** The order's payment that counts: of those holding money, the one created first (every instance picks the same). */
function keptSuccess(attempts: PaymentRecord[]): PaymentRecord | undefined {
  return attempts
    .filter((p) => holdsMoney(p.state) && !p.duplicateOf)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.reference.localeCompare(b.reference))[0];
}

function isFinalOrHeld(payment: PaymentRecord): boolean {
  return holdsMoney(payment.state) || isFinalState(payment.state);
}

