/**
 * Counting provider reads from outside the endpoint, for benchmarks: the sandbox's names for each provider's status
 * calls (its request log, `GET /_sandbox/requests`, counts the calls), and a store that notes, per payment, when the
 * endpoint was let through to read it from its provider (the `provider-read:<ref>` window every read takes, one
 * payment at a time or many at once).
 */
import { MemoryStore } from '../src/server/stores/store.ts';

export const STATUS_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  hero: ['getPaymentsInfos', 'paymentStatus'],
  whenthen: ['getPayment', 'listPayments'],
  hidirect: ['getPayment'],
  milkypay: ['getPaymentInvoice', 'listPaymentInvoices'],
  kronor: ['paymentRequests', 'payments', 'refreshPaymentStatus'],
};

export interface SandboxCall {
  provider: string;
  operation: string;
  at: string;
}

/** The status calls in a request log between `from` and `to` (epoch ms), of `providers` only when given. */
export function statusCalls(requests: readonly SandboxCall[], from: number, to: number, providers?: readonly string[]): SandboxCall[] {
  return requests.filter((r) => {
    const at = Date.parse(r.at);
    return STATUS_OPERATIONS[r.provider]?.includes(r.operation) && at >= from && at < to && (!providers || providers.includes(r.provider));
  });
}

/** A MemoryStore noting, per payment, when each provider read of it was let through; its due reads can be held back. */
export class ReadNotingStore extends MemoryStore {
  readonly reads = new Map<string, number[]>();
  /** While true the reconciler finds nothing due, so it reads nothing. */
  holdReconciliation = false;

  override async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const granted = await super.hit(key, limit, windowMs);
    if (granted && key.startsWith('provider-read:')) {
      const reference = key.slice('provider-read:'.length);
      const times = this.reads.get(reference);
      if (times) times.push(Date.now());
      else this.reads.set(reference, [Date.now()]);
    }
    return granted;
  }

  override async dueReads(now: number, limit: number): Promise<string[]> {
    return this.holdReconciliation ? [] : super.dueReads(now, limit);
  }

  override async claimDueReads(now: number, limit: number, leaseMs: number): Promise<string[]> {
    return this.holdReconciliation ? [] : super.claimDueReads(now, limit, leaseMs);
  }
}
