/**
 * What one client, or all of them together, may cost the endpoint and the merchant's provider quota:
 * - `ProviderReads`: a payment is read from its provider at most once per interval, however many status reads,
 *   event streams and (through the store) endpoint instances ask; concurrent askers share the read in flight.
 * - `StreamSlots`: open status streams, capped per client and in total, so streams cannot use up memory or file
 *   descriptors that every other shopper needs.
 */
import { HttpProblem } from './http.ts';
import type { KassaStore, PaymentRecord } from './store.ts';

export class ProviderReads {
  private readonly inFlight = new Map<string, Promise<PaymentRecord>>();

  constructor(
    private readonly store: KassaStore,
    private readonly intervalMs: number,
    private readonly read: (record: PaymentRecord) => Promise<PaymentRecord>,
  ) {}

  /**
   * The payment re-read from its provider, or — when it was read within the interval, here or by another instance —
   * as stored (a read elsewhere publishes what it finds). `now` skips the interval: a verified webhook says the
   * payment changed, and a provider's webhooks are not something a shopper can send.
   */
  async refresh(record: PaymentRecord, options: { now?: boolean } = {}): Promise<PaymentRecord> {
    const running = this.inFlight.get(record.reference);
    if (running && !options.now) return running;
    // The store's rate window is the lease: one read per payment per interval across every instance sharing it.
    const due = await this.store.hit(`provider-read:${record.reference}`, 1, this.intervalMs);
    if (!due && !options.now) return this.inFlight.get(record.reference) ?? record;
    const reading = this.read(record).finally(() => {
      if (this.inFlight.get(record.reference) === reading) this.inFlight.delete(record.reference);
    });
    this.inFlight.set(record.reference, reading);
    return reading;
  }
}

export class StreamSlots {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly maxPerClient: number,
    private readonly maxTotal: number,
  ) {}

  /** Takes a slot for `client` or refuses (429 for this client, 503 when the endpoint is full); returns its release. */
  open(client: string): () => void {
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.maxPerClient) {
      throw new HttpProblem('too-many-streams', `at most ${this.maxPerClient} open status streams per client`, undefined, { 'retry-after': '10' });
    }
    if (this.total >= this.maxTotal) throw new HttpProblem('server-busy', undefined, undefined, { 'retry-after': '10' });
    this.perClient.set(client, held + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }
}
