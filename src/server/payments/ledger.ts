/**
 * Every change of a payment goes through here: checked against the state machine, saved with its event in one
 * store step (the merchant's outbox), then told to the browser's status streams and to the event delivery.
 */
import { eventFor, type PaymentEvent, type PaymentOperationRecord } from '../events/event.ts';
import type { StatusRead } from '../provider.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';
import { view } from './records.ts';
import { mayFollow } from './state-machine.ts';

/** How often a change is tried again when other writers (other instances) keep saving first. */
const MAX_WRITE_ATTEMPTS = 5;

export interface LedgerDeps {
  store: KassaStore;
  onError: (error: unknown, context: string) => void;
  /** Called after each saved change: the event delivery starts at once, the reconciliation schedule follows the state. */
  committed: (record: PaymentRecord, event: PaymentEvent) => Promise<void> | void;
}

export class Ledger {
  constructor(private readonly deps: LedgerDeps) {}

  /** Saves a new payment with its `payment.created` event. */
  async create(fields: Omit<PaymentRecord, 'sequence'>): Promise<PaymentRecord> {
    const record: PaymentRecord = { ...fields, sequence: 1 };
    const event = eventFor(record, undefined);
    if (!(await this.deps.store.commitPayment(record, event))) throw new Error(`payment ${record.reference} exists already`);
    await this.told(record, event);
    return record;
  }

  /**
   * Applies what the provider says about a payment; answers the payment as saved afterwards (unchanged when the
   * provider says nothing new or the state machine refuses the move, e.g. `paid` read back as `pending`).
   */
  async apply(reference: string, status: StatusRead): Promise<PaymentRecord | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.store.getPayment(reference);
      if (!current) return undefined;
      if (!mayFollow(current.state, status.state)) return current;
      const amounts = amountsAfter(current, status);
      if (current.state === status.state && current.providerStatus === status.providerStatus && sameAmounts(current, amounts)) return current;
      const next: PaymentRecord = {
        ...current,
        ...amounts,
        state: status.state,
        providerStatus: status.providerStatus,
        // A read that found the provider's own id (WhenThen's card payment, once money moved): later reads and
        // webhooks use it. Taken with a change only: an id alone is not news for the merchant.
        providerPaymentId: status.providerPaymentId ?? current.providerPaymentId,
        sequence: current.sequence + 1,
        updatedAt: new Date().toISOString(),
      };
      const event = eventFor(next, current);
      if (await this.deps.store.commitPayment(next, event)) {
        await this.told(next, event);
        return next;
      }
    }
    throw new Error(`payment ${reference}: other writers kept saving first (${MAX_WRITE_ATTEMPTS} attempts)`);
  }

  /**
   * Marks a payment as a second success for its order (`duplicateOf` the payment kept), with a `payment.duplicate`
   * event. Answers the marked payment only to the caller whose write did it (one instance, once, goes on to cancel or
   * refund it); undefined when it was marked already.
   */
  async markDuplicate(reference: string, kept: string): Promise<PaymentRecord | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.store.getPayment(reference);
      if (!current || current.duplicateOf) return undefined;
      const next: PaymentRecord = { ...current, duplicateOf: kept, sequence: current.sequence + 1, updatedAt: new Date().toISOString() };
      const event = eventFor(next, current);
      if (await this.deps.store.commitPayment(next, event)) {
        await this.told(next, event);
        return next;
      }
    }
    throw new Error(`payment ${reference}: other writers kept saving first (${MAX_WRITE_ATTEMPTS} attempts)`);
  }

  /**
   * Records an operation the provider accepted (`payment.operation`), with what Kassa now knows of the amounts: a
   * capture's amount, a refund added to what was refunded. The state is not assumed: a read afterwards moves it.
   */
  async recordOperation(reference: string, operation: PaymentOperationRecord): Promise<PaymentRecord | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.store.getPayment(reference);
      if (!current) return undefined;
      const next: PaymentRecord = { ...current, sequence: current.sequence + 1, updatedAt: new Date().toISOString() };
      if (operation.kind === 'capture') next.capturedAmount = operation.amount;
      if (operation.kind === 'refund') next.refundedAmount = (current.refundedAmount ?? 0) + (operation.amount ?? 0);
      const event = eventFor(next, current, operation);
      if (await this.deps.store.commitPayment(next, event)) {
        await this.told(next, event);
        return next;
      }
    }
    throw new Error(`payment ${reference}: other writers kept saving first (${MAX_WRITE_ATTEMPTS} attempts)`);
  }

  /** Saved before it is told: a listener that fails (the store reports it) cannot undo a saved change. */
  private async told(record: PaymentRecord, event: PaymentEvent): Promise<void> {
    try {
      await this.deps.committed(record, event);
    } catch (error) {
      this.deps.onError(error, `after saving payment ${record.reference}`);
    }
    await this.deps.store.publish(view(record)).catch((error: unknown) => this.deps.onError(error, `publishing payment ${record.reference}`));
  }
}

type Amounts = Pick<PaymentRecord, 'capturedAmount' | 'refundedAmount'>;

/**
 * The amounts after a read: the provider's where it says them. What was refunded never shrinks: a refund Kassa made
 * that the provider's read does not show yet (Hero's settle, a read in flight) still counts.
 */
export function amountsAfter(current: Amounts, status: StatusRead): Amounts {
  const capturedAmount = status.capturedAmount ?? current.capturedAmount;
  const refundedAmount = status.refundedAmount === undefined ? current.refundedAmount : Math.max(status.refundedAmount, current.refundedAmount ?? 0);
  return {
    ...(capturedAmount !== undefined ? { capturedAmount } : {}),
    ...(refundedAmount !== undefined ? { refundedAmount } : {}),
  };
}

function sameAmounts(current: Amounts, next: Amounts): boolean {
  return current.capturedAmount === next.capturedAmount && current.refundedAmount === next.refundedAmount;
}
