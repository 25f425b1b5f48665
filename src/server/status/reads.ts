/**
 * Status reads: a payment's state as the provider says it, saved and published on every change. A read never calls the
 * provider by itself: `ProviderReads` reads a payment at most once per interval, however many status requests,
 * event streams, webhooks and (through the store) endpoint instances ask; concurrent askers share the read in flight.
 * Reads asked for close together are gathered per provider and sent as one batch read where the provider has one
 * (Hero, WhenThen, Kronor), so the provider's load grows with the number of batches, not of payments.
 */
import { isFinalState, type PaymentView, type ProviderName } from '../../core/model.ts';
import type { ProviderAdapter, StatusRead } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import { findRecord, returnPageFor, view } from '../payments/records.ts';
import { amountsAfter, type Ledger } from '../payments/ledger.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';

/** How long a due read waits for others of its provider to join its batch, where the provider reads in batches. */
export const BATCH_WINDOW_MS = 20;
/** Most payments of a provider without batch reads sent on together (read one by one, taking turns). */
const ONE_BY_ONE_BATCH = 100;

export interface ProviderReadsOptions {
  store: KassaStore;
  /** At most one provider read per payment per interval. */
  intervalMs: number;
  /** Most payments one read of the provider takes (its batch read's limit); undefined where it reads one at a time. */
  batchLimit: (provider: ProviderName) => number | undefined;
  /** Reads payments of one provider and applies what it says; answers each payment as saved afterwards. */
  read: (provider: ProviderName, records: PaymentRecord[]) => Promise<Map<string, PaymentRecord>>;
  batchWindowMs?: number;
}

interface Waiting {
  record: PaymentRecord;
  resolve: (record: PaymentRecord) => void;
  reject: (error: unknown) => void;
}

export class ProviderReads {
  private readonly inFlight = new Map<string, Promise<PaymentRecord>>();
  /** Per provider, the due payments waiting for their batch to leave, and the timer that sends it. */
  private readonly queues = new Map<ProviderName, { waiting: Waiting[]; timer: ReturnType<typeof setTimeout> | undefined }>();
  private readonly sending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: ProviderReadsOptions) {}

  /**
   * The payment re-read from its provider, or — when it was read within the interval, here or by another instance —
   * as stored (a read elsewhere publishes what it finds). A due read waits a few milliseconds for others of its
   * provider to share one provider call, where the provider reads in batches. `now` reads at once and skips the
   * interval: a verified webhook says the payment changed, and a provider's webhooks are not something a shopper can
   * send.
   */
  refresh(record: PaymentRecord, options: { now?: boolean } = {}): Promise<PaymentRecord> {
    if (options.now) return this.readNow(record);
    const running = this.inFlight.get(record.reference);
    if (running) return running;
    if (this.closed) return Promise.resolve(record);
    return this.share(
      record.reference,
      (async () => {
        // The store's rate window is the lease: one read per payment per interval across every instance sharing it.
        if (!(await this.options.store.hit(readKey(record.reference), 1, this.options.intervalMs))) return record;
        return this.enqueue(record);
      })(),
    );
  }

  /**
   * `refresh` for many payments at once (the reconciler's due payments, the watched ones at a tick): the store is
   * asked about all of them in one step, and the due ones are sent without waiting for others.
   */
  refreshAll(records: readonly PaymentRecord[]): Array<Promise<PaymentRecord>> {
    const answers: Array<Promise<PaymentRecord>> = [];
    const asked: Array<[number, PaymentRecord]> = [];
    records.forEach((record, i) => {
      const running = this.inFlight.get(record.reference);
      if (running) answers[i] = running;
      else if (this.closed) answers[i] = Promise.resolve(record);
      else asked.push([i, record]);
    });
    if (!asked.length) return answers;
    const keys = asked.map(([, record]) => readKey(record.reference));
    const due = this.options.store.hitEach(keys, 1, this.options.intervalMs);
    asked.forEach(([i, record], j) => {
      answers[i] = this.share(record.reference, due.then((within) => (within[j] ? this.enqueue(record) : record)));
    });
    // After every due payment above is queued (callbacks run in the order they were added): off they go.
    void due.then(
      () => new Set(asked.map(([, record]) => record.provider)).forEach((provider) => this.send(provider)),
      () => undefined,
    );
    return answers;
  }

  /** Answers the payments still waiting as stored, and waits for the reads under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [provider, queue] of this.queues) {
      clearTimeout(queue.timer);
      this.queues.delete(provider);
      for (const waiting of queue.waiting) waiting.resolve(waiting.record);
    }
    while (this.sending.size) await Promise.all(this.sending);
  }

  private readNow(record: PaymentRecord): Promise<PaymentRecord> {
    const reading = (async () => {
      // Counted in the interval, so the reads that follow the webhook's wait their turn.
      await this.options.store.hit(readKey(record.reference), 1, this.options.intervalMs);
      const read = await this.track(this.options.read(record.provider, [record]));
      return read.get(record.reference) ?? record;
    })();
    return this.share(record.reference, reading);
  }

  /** Queues a due payment for its provider's next batch; sent when the batch is full or its window has passed. */
  private enqueue(record: PaymentRecord): Promise<PaymentRecord> {
    if (this.closed) return Promise.resolve(record);
    return new Promise<PaymentRecord>((resolve, reject) => {
      const { provider } = record;
      const batchLimit = this.options.batchLimit(provider);
      const queue = this.queues.get(provider) ?? { waiting: [], timer: undefined };
      this.queues.set(provider, queue);
      queue.waiting.push({ record, resolve, reject });
      if (queue.waiting.length >= Math.max(1, batchLimit ?? ONE_BY_ONE_BATCH)) this.send(provider);
      else if (!queue.timer) {
        // Where the provider reads one at a time there is nothing to wait for: only those asked in this turn go together.
        // Not unref'd: someone waits for this read, and the wait is a few milliseconds.
        queue.timer = setTimeout(() => this.send(provider), batchLimit === undefined ? 0 : (this.options.batchWindowMs ?? BATCH_WINDOW_MS));
      }
    });
  }

  /** Shares a read with whoever asks about the payment while it runs. */
  private share(reference: string, reading: Promise<PaymentRecord>): Promise<PaymentRecord> {
    this.inFlight.set(reference, reading);
    const done = () => {
      if (this.inFlight.get(reference) === reading) this.inFlight.delete(reference);
    };
    reading.then(done, done);
    return reading;
  }

  /** Sends the provider's waiting payments as one read. */
  private send(provider: ProviderName): void {
    const queue = this.queues.get(provider);
    if (!queue) return;
    clearTimeout(queue.timer);
    this.queues.delete(provider);
    const batch = queue.waiting;
    const records = batch.map((waiting) => waiting.record);
    void this.track(this.options.read(provider, records)).then(
      (read) => batch.forEach((waiting) => waiting.resolve(read.get(waiting.record.reference) ?? waiting.record)),
      (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.sending.add(settled);
    void settled.then(() => this.sending.delete(settled));
    return work;
  }
}

/** Payments named in an error's context: `payment kp_1`, `payments kp_1, kp_2 and 498 more`. */
export function namePayments(references: readonly string[]): string {
  if (references.length === 1) return `payment ${references[0]}`;
  const named = references.slice(0, 3).join(', ');
  return references.length > 3 ? `payments ${named} and ${references.length - 3} more` : `payments ${named}`;
}

/** The store's rate-window key that bounds a payment's provider reads. */
export function readKey(reference: string): string {
  return `provider-read:${reference}`;
}

export interface StatusDeps {
  store: KassaStore;
  ledger: Ledger;
  adapters: Adapters;
  providerTimeoutMs: number;
  providerReadIntervalMs: number;
  onError: (error: unknown, context: string) => void;
}

/** One-by-one reads at once per provider, for a batch of a provider without batch reads. */
const ONE_BY_ONE_AT_ONCE = 16;

export class StatusReads {
  readonly providerReads: ProviderReads;
  private readonly following = new AbortController();
  private readonly follows: Array<Promise<void>> = [];
  private readonly followed = new Set<ProviderName>();
  /** Per provider without batch reads (or for the payments a batch missed): the one-by-one reads under way. */
  private readonly oneByOne = new Map<ProviderName, Turns>();

  constructor(private readonly deps: StatusDeps) {
    this.providerReads = new ProviderReads({
      store: deps.store,
      intervalMs: deps.providerReadIntervalMs,
      batchLimit: (provider) => {
        const adapter = deps.adapters.get(provider);
        return adapter?.readStatuses ? adapter.batchReadLimit : undefined;
      },
      read: (provider, records) => this.readFromProvider(provider, records),
    });
  }

  /** `GET /payments/{ref}`: the payment as stored when final, else as its provider says now (within the read interval). */
  async read(reference: string): Promise<PaymentView> {
    const record = await findRecord(this.deps.store, reference);
    return view(isFinalState(record.state) ? record : await this.refresh(record));
  }

  /** `GET /return/{ref}`, where providers' return URLs may point: the status re-read, then on to the merchant's return page. */
  async returnTo(reference: string, returnUrl: string): Promise<Response> {
    const record = await findRecord(this.deps.store, reference);
    if (!isFinalState(record.state)) await this.refresh(record);
    return new Response(null, { status: 303, headers: { location: returnPageFor(returnUrl, reference), 'cache-control': 'no-store' } });
  }

  /** Asks for a read of a payment that is not final (see `ProviderReads.refresh`). */
  refresh(record: PaymentRecord, options: { now?: boolean } = {}): Promise<PaymentRecord> {
    this.follow(record.provider);
    return this.providerReads.refresh(record, options);
  }

  /** Asks for reads of many payments at once (see `ProviderReads.refreshAll`). */
  refreshAll(records: readonly PaymentRecord[]): Array<Promise<PaymentRecord>> {
    for (const provider of new Set(records.map((record) => record.provider))) this.follow(provider);
    return this.providerReads.refreshAll(records);
  }

  /**
   * Follows the provider's live feed (Kronor's subscription; every provider that has one when none is named), applying
   * each read as a provider read until `close`: a change then reaches the status streams without waiting for a poll.
   * Started once per provider, when a payment of it is first saved or read here: an endpoint that never has one of its
   * payments (or is made and never closed, as in a test) holds no connection open.
   */
  follow(provider?: ProviderName): void {
    for (const adapter of this.deps.adapters.values()) {
      if ((provider && adapter.name !== provider) || !adapter.followStatuses || this.followed.has(adapter.name) || this.following.signal.aborted) continue;
      this.followed.add(adapter.name);
      const followed = adapter
        .followStatuses((reference, status) => void this.applyFollowed(adapter, reference, status), this.following.signal)
        .catch((error: unknown) => this.deps.onError(error, `following ${adapter.name} payments`));
      this.follows.push(followed);
    }
  }

  /**
   * Stops following providers and waits for the reads under way. A feed that does not end within a provider call's
   * timeout (a connection that hangs while opening) is reported and left behind: closing the endpoint must end.
   */
  async close(): Promise<void> {
    this.following.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.deps.providerTimeoutMs)));
    const stopped = Promise.all(this.follows).then(() => false);
    if (await Promise.race([stopped, late])) {
      this.deps.onError(new Error(`a provider's live feed did not stop within ${this.deps.providerTimeoutMs} ms`), 'closing the endpoint');
    }
    clearTimeout(timer);
    await this.providerReads.close();
  }

  private async applyFollowed(adapter: ProviderAdapter, reference: string, status: StatusRead): Promise<void> {
    const { store, onError } = this.deps;
    try {
      const record = await store.getPayment(reference);
      // Only the provider's own payments: a reference Kassa gave another provider's payment is not this one's to move.
      if (!record || record.provider !== adapter.name) return;
      // A read like any other: the polls that follow wait their interval.
      await store.hit(readKey(reference), 1, this.deps.providerReadIntervalMs);
      await this.applyRead(record, status);
    } catch (error) {
      onError(error, `applying a followed ${adapter.name} read of payment ${reference}`);
    }
  }

  /**
   * Reads payments of one provider and applies what it says: one batch read where the provider has one (a payment
   * missing from its answer is read alone: a payment the batch cannot find would otherwise never be read), else one
   * by one. On a provider failure a payment keeps what it had; the failure goes to `onError`.
   */
  private async readFromProvider(provider: ProviderName, records: PaymentRecord[]): Promise<Map<string, PaymentRecord>> {
    const adapter = this.deps.adapters.get(provider);
    const saved = new Map<string, PaymentRecord>();
    if (!adapter) return saved;
    let alone = records;
    if (adapter.readStatuses && records.length > 1) {
      let reads: Map<string, StatusRead>;
      try {
        reads = await adapter.readStatuses(records, AbortSignal.timeout(this.deps.providerTimeoutMs));
      } catch (error) {
        this.deps.onError(error, `reading ${records.length} ${provider} payments`);
        return saved;
      }
      alone = records.filter((record) => !reads.has(record.reference));
      await Promise.all(
        records.map(async (record) => {
          const status = reads.get(record.reference);
          if (status) saved.set(record.reference, await this.applyRead(record, status));
        }),
      );
    }
    const readAlone = async (record: PaymentRecord) => {
      let status: StatusRead;
      try {
        status = await adapter.readStatus(record, AbortSignal.timeout(this.deps.providerTimeoutMs));
      } catch (error) {
        this.deps.onError(error, `reading ${provider} payment ${record.reference}`);
        return;
      }
      saved.set(record.reference, await this.applyRead(record, status));
    };
    // One payment (a status request, a webhook) is read at once; many (the reconciler's) take turns per provider.
    if (records.length === 1) await Promise.all(alone.map(readAlone));
    else await Promise.all(alone.map((record) => this.turns(provider).run(() => readAlone(record))));
    return saved;
  }

  private turns(provider: ProviderName): Turns {
    let turns = this.oneByOne.get(provider);
    if (!turns) {
      turns = new Turns(ONE_BY_ONE_AT_ONCE);
      this.oneByOne.set(provider, turns);
    }
    return turns;
  }

  /** Applies a provider's read of a payment; answers the payment as saved afterwards. */
  private async applyRead(record: PaymentRecord, status: StatusRead): Promise<PaymentRecord> {
    if (!changes(record, status)) return record;
    return (await this.deps.ledger.apply(record.reference, status)) ?? record;
  }
}

/** Work that runs at most `size` at a time; the rest waits its turn, first come first served. */
class Turns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // The turn passes straight to the next in line (the count stays), or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Whether a read says anything new about the payment: its state, the provider's status or the amounts. */
function changes(record: PaymentRecord, status: StatusRead): boolean {
  if (status.state !== record.state || status.providerStatus !== record.providerStatus) return true;
  const amounts = amountsAfter(record, status);
  return amounts.capturedAmount !== record.capturedAmount || amounts.refundedAmount !== record.refundedAmount;
}
