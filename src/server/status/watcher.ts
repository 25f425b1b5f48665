/**
 * Keeps payments that someone is watching (an open status stream) fresh: while a payment has subscribers and is not
 * final, it is re-read from its provider with backoff, in one loop per payment however many streams watch it.
 * Webhooks make changes arrive sooner; this loop makes them arrive even when a webhook never comes.
 */
import { isFinalState } from '../../core/model.ts';
import type { KassaStore, PaymentListener, PaymentRecord } from '../stores/store.ts';

/** Delays between reads: quick at first (most shoppers finish within seconds), then settling at 10 s. */
export const POLL_BACKOFF_MS = [1_000, 2_000, 3_000, 5_000, 8_000, 10_000];

export class StatusWatcher {
  private readonly loops = new Map<string, { timer: ReturnType<typeof setTimeout> | undefined; step: number; watchers: number }>();

  constructor(
    private readonly store: KassaStore,
    private readonly refresh: (record: PaymentRecord) => Promise<PaymentRecord>,
    private readonly onError: (error: unknown, context: string) => void,
  ) {}

  /** Calls `listener` with every published change of the payment; returns the function that stops watching. */
  watch(reference: string, listener: PaymentListener): () => void {
    const unsubscribe = this.store.subscribe(reference, listener);
    const loop = this.loops.get(reference) ?? { timer: undefined, step: 0, watchers: 0 };
    loop.watchers++;
    if (!this.loops.has(reference)) {
      this.loops.set(reference, loop);
      this.schedule(reference);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      if (--loop.watchers === 0) {
        clearTimeout(loop.timer);
        this.loops.delete(reference);
      }
    };
  }

  /** Stops every loop (the endpoint is closing); streams still open get no more reads. */
  close(): void {
    for (const loop of this.loops.values()) clearTimeout(loop.timer);
    this.loops.clear();
  }

  /** How many payments are being polled now (for tests and the leak benchmark). */
  get active(): number {
    return this.loops.size;
  }

  private schedule(reference: string): void {
    const loop = this.loops.get(reference);
    if (!loop) return;
    const delay = POLL_BACKOFF_MS[Math.min(loop.step, POLL_BACKOFF_MS.length - 1)]!;
    loop.timer = setTimeout(() => void this.poll(reference), delay);
    loop.timer.unref?.();
  }

  private async poll(reference: string): Promise<void> {
    const loop = this.loops.get(reference);
    if (!loop) return;
    try {
      const record = await this.store.getPayment(reference);
      if (!record || isFinalState(record.state)) return this.stop(reference);
      const updated = await this.refresh(record);
      loop.step = updated.state !== record.state ? 0 : loop.step + 1;
      if (isFinalState(updated.state)) return this.stop(reference);
    } catch (error) {
      this.onError(error, `polling payment ${reference}`);
      loop.step++;
    }
    this.schedule(reference);
  }

  private stop(reference: string): void {
    const loop = this.loops.get(reference);
    if (loop) clearTimeout(loop.timer);
    // Watchers stay subscribed to the store; their streams close on the final event they receive.
  }
}
