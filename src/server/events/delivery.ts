/**
 * Delivers the outbox to the merchant's `onPaymentEvent` hook: at least once, in order per payment, one instance at
 * a time per payment (a lease in the store), with retries and backoff while the hook throws or runs past its
 * timeout. A payment whose hook keeps failing waits on its own schedule; other payments are delivered meanwhile.
 */
import type { KassaStore } from '../stores/store.ts';
import type { PaymentEvent } from './event.ts';

export type PaymentEventHook = (event: PaymentEvent, context: { signal: AbortSignal }) => unknown;

/** Waits before the next attempt after 1, 2, 3… failures in a row; the last one repeats. */
export const EVENT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];

/** A failed delivery, as `onError` receives it: names the event; the hook's own error (and stack) is its `cause`. */
export class PaymentEventHookError extends Error {
  override name = 'PaymentEventHookError';

  constructor(
    readonly eventId: string,
    readonly attempt: number,
    readonly retryInMs: number,
    cause: unknown,
  ) {
    super(`onPaymentEvent failed for event ${eventId} (attempt ${attempt}; next attempt in ${Math.round(retryInMs / 1000)} s): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface DeliveryOptions {
  store: KassaStore;
  /** The merchant's hook; without one, events are kept as each payment's history and marked delivered. */
  hook: PaymentEventHook | undefined;
  onError: (error: unknown, context: string) => void;
  /** This instance's name in the store's leases. */
  owner: string;
  /** How long one call of the hook may take before it counts as failed (and is tried again later). */
  timeoutMs: number;
  /** How often the outbox is looked at for due events (changes made here are delivered at once). */
  pollMs?: number;
  /** Payments delivered at the same time. */
  concurrency?: number;
  retryDelaysMs?: readonly number[];
}

export class EventDelivery {
  private readonly running = new Map<string, Promise<void>>();
  /** Payments that got a new event while being delivered: looked at again right after. */
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** When a payment whose hook failed may be tried again (a new event does not skip its backoff). */
  private readonly retryAt = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private looking = false;
  /** The last look found more due payments than it could start: look again as soon as a delivery ends. */
  private backlog = false;
  private closed = false;

  constructor(private readonly options: DeliveryOptions) {}

  /** Starts looking at the outbox (events left by a stopped process, or by another instance that stopped). */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.lookAtOutbox(), this.options.pollMs ?? 1_000);
    this.timer.unref?.();
    void this.lookAtOutbox();
  }

  /** A payment has a new event: deliver it now. */
  notify(reference: string): void {
    if (this.closed) return;
    if (this.running.has(reference)) this.again.add(reference);
    else this.run(reference);
  }

  /** Stops looking and waits for the deliveries under way. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  /** Delivers every payment whose events are due, a few at a time. */
  private async lookAtOutbox(): Promise<void> {
    if (this.looking || this.closed) return;
    this.looking = true;
    try {
      const free = (this.options.concurrency ?? 8) - this.running.size;
      if (free <= 0) return;
      const due = await this.options.store.dueEvents(Date.now(), free + this.running.size + 1);
      const startable = due.filter((r) => !this.running.has(r));
      this.backlog = startable.length > free;
      for (const reference of startable.slice(0, free)) this.run(reference);
    } catch (error) {
      this.options.onError(error, 'reading the payment events outbox');
    } finally {
      this.looking = false;
    }
  }

  private run(reference: string): void {
    const delivery = this.deliver(reference)
      .catch((error: unknown) => {
        this.options.onError(error, `delivering events of payment ${reference}`);
        return false;
      })
      .then((worked) => {
        this.running.delete(reference);
        if (this.again.delete(reference) && !this.closed) this.run(reference);
        // More payments due than slots: the next starts at once — not after a lease another instance holds or a
        // backoff (those stay due, and looking again would spin).
        else if (worked && this.backlog) void this.lookAtOutbox();
      });
    this.running.set(reference, delivery);
  }

  /**
   * Delivers the payment's pending events in order while this instance holds the payment's lease; false when it did
   * nothing (the lease is another instance's, or the payment waits out a failed call's backoff).
   */
  private async deliver(reference: string): Promise<boolean> {
    const { store, owner, timeoutMs } = this.options;
    const lease = `events:${reference}`;
    // Long enough for one call of the hook and the store's writes around it; renewed before each event.
    const leaseMs = timeoutMs + 5_000;
    if ((this.retryAt.get(reference) ?? 0) > Date.now()) return false;
    if (!(await store.acquireLease(lease, owner, leaseMs))) return false;
    try {
      this.again.delete(reference);
      const { delivered, events } = await store.pendingEvents(reference);
      if (!events.length) {
        await store.markDelivered(reference, delivered);
        return true;
      }
      for (const event of events) {
        if (this.closed || !(await store.acquireLease(lease, owner, leaseMs))) return true;
        if (!(await this.call(event, reference))) return false;
        await store.markDelivered(reference, event.sequence);
      }
      // Events saved meanwhile (by this instance or another) are taken in the same turn.
      this.again.add(reference);
      return true;
    } finally {
      await store.releaseLease(lease, owner).catch((error: unknown) => this.options.onError(error, `releasing the events lease of ${reference}`));
    }
  }

  /** One call of the hook; false (with the next attempt scheduled and the failure reported) when it failed. */
  private async call(event: PaymentEvent, reference: string): Promise<boolean> {
    const { hook, timeoutMs, store, onError } = this.options;
    if (!hook) return true;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`no answer within ${timeoutMs} ms`);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      });
      await Promise.race([Promise.resolve().then(() => hook(event, { signal: controller.signal })), timeout]);
      this.failures.delete(reference);
      this.retryAt.delete(reference);
      return true;
    } catch (error) {
      const attempt = (this.failures.get(reference) ?? 0) + 1;
      this.failures.set(reference, attempt);
      const delays = this.options.retryDelaysMs ?? EVENT_RETRY_DELAYS_MS;
      const wait = delays[Math.min(attempt, delays.length) - 1]!;
      this.retryAt.set(reference, Date.now() + wait);
      await store.postponeEvents(reference, Date.now() + wait);
      onError(new PaymentEventHookError(event.id, attempt, wait, error), `delivering payment event ${event.id}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
