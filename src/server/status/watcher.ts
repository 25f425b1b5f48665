/**
 * Keeps payments that someone is watching (an open status stream) fresh: while a payment has subscribers and is not
 * final, it is re-read from its provider on a schedule by its age, however many streams watch it. Webhooks make
 * changes arrive sooner; these reads make them arrive even when a webhook never comes.
 *
 * One timer serves every watched payment, ticking once per read interval (and a little more): every payment due at a
 * tick is read at that tick, together, so a provider with batch reads is called once per tick for up to its batch
 * limit of watched payments, however many there are and whenever their streams opened.
 */
import { isFinalState } from '../../core/model.ts';
import type { KassaStore, PaymentListener, PaymentRecord } from '../stores/store.ts';
import { namePayments } from './reads.ts';

/**
 * How often a watched payment is read, by its age (from its creation, not from when the stream opened): as often as
 * the read interval allows while shoppers usually finish (most within the first minutes), then less often. An
 * `everyMs` below the read interval means the interval.
 */
export const WATCH_SCHEDULE: ReadonlyArray<{ untilAgeMs: number; everyMs: number }> = [
  { untilAgeMs: 3 * 60_000, everyMs: 0 },
  { untilAgeMs: 15 * 60_000, everyMs: 5_000 },
  { untilAgeMs: Number.POSITIVE_INFINITY, everyMs: 10_000 },
];

/**
 * What a tick adds to the read interval: the store counts a read a little after its tick (a store round trip, a busy
 * moment), and the next tick must find the payment's window over, or the read would wait a whole tick more.
 */
export const WATCH_SLACK_MS = 100;

/** The time between the watcher's ticks. */
export function watchTickMs(intervalMs: number): number {
  return intervalMs + WATCH_SLACK_MS;
}

/** The time from one read of a watched payment `ageMs` old to its next: its schedule's wait, in whole ticks. */
export function watchedReadDelay(ageMs: number, intervalMs: number, schedule = WATCH_SCHEDULE): number {
  const step = schedule.find((s) => ageMs < s.untilAgeMs) ?? schedule[schedule.length - 1]!;
  const tick = watchTickMs(intervalMs);
  return Math.ceil(Math.max(intervalMs, step.everyMs) / tick) * tick;
}

export interface WatcherOptions {
  store: KassaStore;
  /** Reads the payments from their providers (within the per-payment read interval); each answer as saved afterwards. */
  refreshAll: (records: readonly PaymentRecord[]) => Array<Promise<PaymentRecord>>;
  onError: (error: unknown, context: string) => void;
  /** The per-payment read interval (`providerReadIntervalMs`). */
  intervalMs: number;
  schedule?: typeof WATCH_SCHEDULE;
}

interface Watched {
  createdAt: number;
  watchers: number;
  nextReadAt: number;
  reading: boolean;
  /** Final, or gone from the store: no more reads. */
  done: boolean;
}

export class StatusWatcher {
  private readonly watched = new Map<string, Watched>();
  private readonly tickMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly reading = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WatcherOptions) {
    this.tickMs = watchTickMs(options.intervalMs);
  }

  /**
   * Calls `listener` with every published change of the payment; returns the function that stops watching. A payment
   * not final is read at the next tick (its status may have changed while nobody watched), then on the schedule. Not
   * at once: a read between ticks would hold the next tick's read back by the interval.
   */
  watch(record: PaymentRecord, listener: PaymentListener): () => void {
    const { reference } = record;
    const unsubscribe = this.options.store.subscribe(reference, listener);
    let entry = this.watched.get(reference);
    if (!entry) {
      const done = isFinalState(record.state);
      entry = { createdAt: Date.parse(record.createdAt) || Date.now(), watchers: 0, nextReadAt: Date.now(), reading: false, done };
      this.watched.set(reference, entry);
      this.schedule();
    }
    entry.watchers++;
    const own = entry;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      if (--own.watchers === 0 && this.watched.get(reference) === own) this.watched.delete(reference);
    };
  }

  /** Stops reading (the endpoint is closing) and waits for the reads under way; streams still open get no more reads. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.reading.size) await Promise.all(this.reading);
  }

  /** How many payments are being read on the schedule now (for tests and the leak benchmark). */
  get active(): number {
    let active = 0;
    for (const entry of this.watched.values()) if (!entry.done) active++;
    return active;
  }

  /** Sets the timer for the tick of the earliest read due, unless one is set for that tick or earlier. */
  private schedule(): void {
    if (this.closed) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.watched.values()) if (!entry.done && !entry.reading && entry.nextReadAt < earliest) earliest = entry.nextReadAt;
    if (earliest === Number.POSITIVE_INFINITY) return;
    const at = Math.ceil(earliest / this.tickMs) * this.tickMs;
    if (this.timer && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.max(0, at - Date.now()));
    this.timer.unref?.();
  }

  private tick(): void {
    const tickAt = this.timerAt;
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    const due: Array<[string, Watched]> = [];
    for (const [reference, entry] of this.watched) {
      if (!entry.done && !entry.reading && entry.nextReadAt <= now) {
        entry.reading = true;
        due.push([reference, entry]);
      }
    }
    if (due.length) {
      const reading = this.read(due, Math.min(tickAt, now)).finally(() => {
        this.reading.delete(reading);
        this.schedule();
      });
      this.reading.add(reading);
    }
    this.schedule();
  }

  /**
   * Reads the payments due at the tick `tickAt` together: their records in one store step, then one refresh for all.
   * Their next reads fall on later ticks, counted from this one (not from when the reads end).
   */
  private async read(due: Array<[string, Watched]>, tickAt: number): Promise<void> {
    const next = (entry: Watched) => tickAt + watchedReadDelay(tickAt - entry.createdAt, this.options.intervalMs, this.options.schedule);
    try {
      const records = await this.options.store.getPayments(due.map(([reference]) => reference));
      const open: Array<[PaymentRecord, Watched]> = [];
      records.forEach((record, i) => {
        const entry = due[i]![1];
        if (!record || isFinalState(record.state)) entry.done = true;
        else open.push([record, entry]);
      });
      const reads = await Promise.allSettled(this.options.refreshAll(open.map(([record]) => record)));
      // A batch that failed fails each of its payments: said once.
      const failures = new Map<unknown, string[]>();
      reads.forEach((read, i) => {
        const [record, entry] = open[i]!;
        if (read.status === 'rejected') failures.set(read.reason, [...(failures.get(read.reason) ?? []), record.reference]);
        else if (isFinalState(read.value.state)) entry.done = true;
      });
      for (const [error, references] of failures) this.options.onError(error, `reading watched ${namePayments(references)}`);
    } catch (error) {
      this.options.onError(error, `reading ${due.length} watched payments`);
    }
    // Watchers stay subscribed to the store after a final state; their streams close on the final event they receive.
    for (const [, entry] of due) {
      entry.reading = false;
      entry.nextReadAt = next(entry);
    }
  }
}
