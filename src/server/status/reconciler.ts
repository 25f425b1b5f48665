/**
 * Reconciliation: every payment that is not final is read again from its provider on a schedule, whether or not a
 * browser watches it and whether or not a webhook ever comes (a misconfigured webhook URL, a provider outage, a
 * shopper who closed the tab). The schedule is in the store; an instance takes the due payments in bulk (moving them
 * past a claim period in the same store step, so several instances share the work instead of repeating it) and asks
 * for all their reads at once, so a provider with batch reads is called once per batch, not once per payment. Reads
 * go through `ProviderReads`, within its one-read-per-interval bound.
 */
import { isFinalState } from '../../core/model.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';
import { namePayments } from './reads.ts';

/**
 * How often a payment is read by its age: every 10 s while shoppers usually finish, then less and less, then no more
 * after two days. A change nobody reports is found within 30 s for a payment's first 15 minutes; 1,000 payments
 * pending at once cost at most 100 reads a second, sent to a provider with batch reads as one call per batch (Hero:
 * up to 100 payments a call).
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

/** Most due payments taken from the schedule in one step. */
export const CLAIM_LIMIT = 500;

export interface ReconcilerOptions {
  store: KassaStore;
  /** Reads the payments from their providers (within the per-payment read interval); each answer as saved afterwards. */
  readAll: (records: readonly PaymentRecord[]) => Array<Promise<PaymentRecord>>;
  onError: (error: unknown, context: string) => void;
  /** How long one provider read may take (a claim lasts a few times longer: reads of one provider take turns). */
  readTimeoutMs: number;
  /** How often the schedule is looked at. */
  pollMs?: number;
  /** Most due payments taken at once (`CLAIM_LIMIT`); more due are taken as soon as these are read. */
  claimLimit?: number;
  schedule?: typeof RECONCILE_SCHEDULE;
}

export class Reconciler {
  private timer: ReturnType<typeof setInterval> | undefined;
  private looking: Promise<void> | undefined;
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
    await this.looking;
  }

  /** A payment was saved: schedule its next read, or none when it is final or past the schedule. */
  async track(record: PaymentRecord): Promise<void> {
    const at = this.nextFor(record, Date.now());
    if (at === undefined) await this.options.store.unscheduleRead(record.reference);
    else await this.options.store.scheduleRead(record.reference, at);
  }

  /** Takes the due payments and reads them, batch after batch while more are due (a wave of checkouts). */
  private lookAtSchedule(): Promise<void> {
    this.looking ??= (async () => {
      try {
        const limit = this.options.claimLimit ?? CLAIM_LIMIT;
        const claimMs = this.options.readTimeoutMs * 4 + 5_000;
        while (!this.closed) {
          const claimed = await this.options.store.claimDueReads(Date.now(), limit, claimMs);
          if (claimed.length) await this.reconcile(claimed);
          if (claimed.length < limit) break;
        }
      } catch (error) {
        this.options.onError(error, 'reading the reconciliation schedule');
      } finally {
        this.looking = undefined;
      }
    })();
    return this.looking;
  }

  /** Reads the claimed payments that are still open, all at once, then sets each one's next read in one store step. */
  private async reconcile(references: string[]): Promise<void> {
    const { store, onError } = this.options;
    const records = await store.getPayments(references);
    const open = records.filter((record): record is PaymentRecord => record !== undefined && !isFinalState(record.state));
    const reads = await Promise.allSettled(this.options.readAll(open));
    const now = Date.now();
    const read = new Map(open.map((record, i) => [record.reference, reads[i]!]));
    // A batch that failed fails each of its payments: said once. Those payments are read again on the schedule.
    const failures = new Map<unknown, string[]>();
    const next = references.map((reference, i) => {
      const result = read.get(reference);
      if (result?.status === 'rejected') failures.set(result.reason, [...(failures.get(result.reason) ?? []), reference]);
      const current = result?.status === 'fulfilled' ? result.value : records[i];
      return { reference, at: current && this.nextFor(current, now) };
    });
    for (const [error, failed] of failures) onError(error, `reconciling ${namePayments(failed)}`);
    await store.scheduleReads(next);
  }

  private nextFor(record: PaymentRecord, now: number): number | undefined {
    return isFinalState(record.state) ? undefined : nextReadAt(Date.parse(record.createdAt), now, this.options.schedule);
  }
}
