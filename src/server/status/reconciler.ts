/**
 * Reconciliation: every payment that is not final is read again from its provider on a schedule, whether or not a
 * browser watches it and whether or not a webhook ever comes (a misconfigured webhook URL, a provider outage, a
 * shopper who closed the tab). The schedule is in the store and each read is leased, so several instances share
 * the work instead of repeating it; reads go through `ProviderReads`, within its one-read-per-interval bound.
 */
import { isFinalState } from '../../core/model.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';

/**
 * How often a payment is read by its age: every 10 s while shoppers usually finish, then less and less, then no more
 * after two days. A change nobody reports is found within 30 s for a payment's first 15 minutes; 1,000 payments
 * pending at once cost at most 100 provider reads a second (batch reads per provider would lower it further).
 */
export const RECONCILE_SCHEDULE: ReadonlyArray<{ untilAgeMs: number; everyMs: number }> = [
  { untilAgeMs: 2 * 60_000, everyMs: 10_000 },
  { untilAgeMs: 15 * 60_000, everyMs: 30_000 },
  { untilAgeMs: 2 * 3_600_000, everyMs: 120_000 },
  { untilAgeMs: 48 * 3_600_000, everyMs: 900_000 },
];

/** When a payment created at `createdAt` is read next after `now`; undefined once it is past the schedule. */
export function nextReadAt(createdAt: number, now: number, schedule = RECONCILE_SCHEDULE): number | undefined {
  const step = schedule.find((s) => now - createdAt < s.untilAgeMs);
  return step && now + step.everyMs;
}

export interface ReconcilerOptions {
  store: KassaStore;
  /** Reads the payment from its provider (within the per-payment read interval) and applies what it says. */
  read: (record: PaymentRecord) => Promise<PaymentRecord>;
  onError: (error: unknown, context: string) => void;
  /** This instance's name in the store's leases. */
  owner: string;
  /** How long one read may take (the lease lasts a little longer). */
  readTimeoutMs: number;
  /** How often the schedule is looked at. */
  pollMs?: number;
  /** Payments read at the same time by this instance. */
  concurrency?: number;
  schedule?: typeof RECONCILE_SCHEDULE;
}

export class Reconciler {
  private readonly running = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private looking = false;
  /** The last look found more due payments than it could start: look again as soon as a read ends. */
  private backlog = false;
  private closed = false;

  constructor(private readonly options: ReconcilerOptions) {}

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.lookAtSchedule(), this.options.pollMs ?? 1_000);
    this.timer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    while (this.running.size) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** A payment was saved: schedule its next read, or none when it is final or past the schedule. */
  async track(record: PaymentRecord): Promise<void> {
    const at = isFinalState(record.state) ? undefined : nextReadAt(Date.parse(record.createdAt), Date.now(), this.options.schedule);
    if (at === undefined) await this.options.store.unscheduleRead(record.reference);
    else await this.options.store.scheduleRead(record.reference, at);
  }

  private async lookAtSchedule(): Promise<void> {
    if (this.looking || this.closed) return;
    this.looking = true;
    try {
      const free = (this.options.concurrency ?? 16) - this.running.size;
      if (free <= 0) return;
      const due = await this.options.store.dueReads(Date.now(), free + this.running.size + 1);
      const startable = due.filter((r) => !this.running.has(r));
      this.backlog = startable.length > free;
      for (const reference of startable.slice(0, free)) {
        this.running.add(reference);
        void this.reconcile(reference)
          .catch((error: unknown) => {
            this.options.onError(error, `reconciling payment ${reference}`);
            return false;
          })
          .then((read) => {
            this.running.delete(reference);
            // Many payments due at once (a wave of checkouts): the next starts as soon as a slot is free. Not after a
            // lease another instance holds: that payment stays due until it is done, and looking again would spin.
            if (read && this.backlog) void this.lookAtSchedule();
          });
      }
    } catch (error) {
      this.options.onError(error, 'reading the reconciliation schedule');
    } finally {
      this.looking = false;
    }
  }

  /**
   * One reconciliation read of a due payment, by whichever instance takes its lease; then its next read is set. False
   * when another instance holds the lease.
   */
  private async reconcile(reference: string): Promise<boolean> {
    const { store, owner } = this.options;
    const lease = `reconcile:${reference}`;
    if (!(await store.acquireLease(lease, owner, this.options.readTimeoutMs + 5_000))) return false;
    try {
      const record = await store.getPayment(reference);
      if (!record) {
        await store.unscheduleRead(reference);
        return true;
      }
      let current = record;
      if (!isFinalState(record.state)) current = await this.options.read(record);
      await this.track(current);
      return true;
    } finally {
      await store.releaseLease(lease, owner).catch((error: unknown) => this.options.onError(error, `releasing the reconciliation lease of ${reference}`));
    }
  }
}
