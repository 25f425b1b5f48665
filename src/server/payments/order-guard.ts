/**
 * One order, at most one successful charge. The store keeps each order's attempts; from them:
 * - a session or a new payment for an order that already has a payment holding money is refused (409
 *   `order-already-paid`, naming that payment);
 * - a new attempt cancels the order's earlier open attempts at their providers, where the provider can cancel, so
 *   a page left open elsewhere can no longer be paid;
 * - a second success all the same (paid on another device before the cancel arrived) is marked a duplicate, told to
 *   the merchant, and by default voided or refunded where the provider allows it; the merchant is told when it cannot
 *   be. Which one is kept is decided the same way by every instance: the attempt created first.
 */
import { isFinalState } from '../../core/model.ts';
import { HttpProblem } from '../http/problems.ts';
import { ProviderRefused, type OperationPayment } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';
import type { Ledger } from './ledger.ts';
import { holdsMoney } from './state-machine.ts';

/** What Kassa does with a second successful payment of one order. */
export type DuplicatePolicy = 'refund' | 'report';

export interface OrderGuardDeps {
  store: KassaStore;
  adapters: Adapters;
  ledger: Ledger;
  /** Reads a payment again from its provider at once (after an operation: the outcome is read, never assumed). */
  reread: (record: PaymentRecord) => Promise<PaymentRecord>;
  onError: (error: unknown, context: string) => void;
  providerTimeoutMs: number;
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
   * After a payment was saved: when it holds money and its order has another payment holding money, the one created
   * later is marked a duplicate and, by policy, voided (authorised) or refunded (paid).
   */
  async checkDuplicate(record: PaymentRecord): Promise<void> {
    if (!holdsMoney(record.state) || record.duplicateOf) return;
    const successes = (await this.deps.store.orderPayments(record.order)).filter((p) => holdsMoney(p.state) || p.duplicateOf);
    const kept = keptSuccess(successes);
    if (!kept) return;
    for (const other of successes) {
      if (other.reference === kept.reference || other.duplicateOf || !holdsMoney(other.state)) continue;
      const marked = await this.deps.ledger.markDuplicate(other.reference, kept.reference);
      if (marked) await this.remedy(marked, kept);
    }
  }

  private async remedy(duplicate: PaymentRecord, kept: PaymentRecord): Promise<void> {
    const adapter = this.deps.adapters.get(duplicate.provider);
    const operation = duplicate.state === 'authorized' ? adapter?.cancelPayment : adapter?.refundPayment;
    const what = `order ${duplicate.order} was paid twice: ${kept.reference} (${kept.provider}) is kept, ${duplicate.reference} (${duplicate.provider}) is a duplicate`;
    if (this.deps.duplicatePayments === 'report' || !adapter || !operation) {
      const why = this.deps.duplicatePayments === 'report' ? 'duplicatePayments is "report"' : `${duplicate.provider} offers no ${duplicate.state === 'authorized' ? 'cancel' : 'refund'} Kassa can call`;
      this.deps.onError(new Error(`Kassa: ${what}; it was not refunded automatically (${why}): refund it at the provider`), `duplicate payment ${duplicate.reference}`);
      return;
    }
    try {
      await operation.call(adapter, operationPayment(duplicate), {
        idempotencyKey: `duplicate-${duplicate.reference}`,
        signal: AbortSignal.timeout(this.deps.providerTimeoutMs),
      });
    } catch (error) {
      this.deps.onError(new Error(`Kassa: ${what}; refunding it failed: refund it at the provider`, { cause: error }), `duplicate payment ${duplicate.reference}`);
    }
    await this.deps.reread(duplicate);
  }

  /** Cancels one open attempt where its provider can; a refusal means it had moved on (its state is read again). */
  private async cancel(attempt: PaymentRecord, why: string): Promise<void> {
    const adapter = this.deps.adapters.get(attempt.provider);
    if (!adapter?.cancelPayment) return;
    try {
      await adapter.cancelPayment(operationPayment(attempt), { idempotencyKey: `cancel-${attempt.reference}`, signal: AbortSignal.timeout(this.deps.providerTimeoutMs) });
    } catch (error) {
      if (!(error instanceof ProviderRefused)) this.deps.onError(error, `cancelling payment ${attempt.reference} (${why})`);
    }
    await this.deps.reread(attempt);
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

function operationPayment(record: PaymentRecord): OperationPayment {
  const { reference, providerPaymentId, data, amount, currency, state, providerStatus } = record;
  return { reference, providerPaymentId, data, amount, currency, state, providerStatus };
}
