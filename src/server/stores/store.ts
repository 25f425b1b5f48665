/**
 * The endpoint's only state, behind one small interface: idempotency records, payment records with their events (the
 * merchant's outbox) and each order's attempts, leases for shared work, rate windows and the fan-out of status
 * events. `MemoryStore` serves one process with zero setup; `FileStore` (file-store.ts) keeps the same state on disk,
 * so one process can restart without forgetting its payments or undelivered events; `RedisStore` (redis-store.ts)
 * shares it between instances behind a load balancer. Nothing else changes between them.
 */
import type { NextAction, PaymentRoute, PaymentState, PaymentView, ProviderName } from '../../core/model.ts';
import type { PaymentEvent } from '../events/event.ts';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  /** The caller owns the key and must call `finishIdempotency`. */
  | { kind: 'acquired' }
  /** The same request was already answered: send this again. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used with a different request. */
  | { kind: 'conflict' };

export interface PaymentRecord {
  reference: string;
  provider: ProviderName;
  method: string;
  order: string;
  amount: number;
  currency: string;
  session: string;
  providerPaymentId: string;
  state: PaymentState;
  providerStatus: string | null;
  action: NextAction;
  /** Adapter data for later reads (never sent to the browser). */
  data?: Record<string, unknown>;
  /** How many events the payment has had: 1 once created, one more per change. */
  sequence: number;
  /** Set when this payment succeeded after another payment of its order had: the reference of the one kept. */
  duplicateOf?: string;
  /** How the payment reached its provider (absent on payments saved before routing existed). */
  route?: PaymentRoute;
  /** For `fallback`: the providers that failed to start it first, in the order tried. */
  fallbackFrom?: ProviderName[];
  /** For `orphan`: the payment the shopper's click went on to make at another provider. */
  replacedBy?: string;
  /** Minor units captured, once known: the provider's read, or a capture Kassa made that the provider accepted. */
  capturedAmount?: number;
  /**
   * Minor units refunded or being refunded, once known: the larger of the provider's read and the refunds Kassa made
   * that the provider accepted (a refund still settling counts, so nothing is refunded twice).
   */
  refundedAmount?: number;
  createdAt: string;
  updatedAt: string;
}

export type PaymentListener = (view: PaymentView) => void;

/** A payment's events not yet delivered to the merchant's hook, oldest first. */
export interface PendingEvents {
  /** The sequence of the last event delivered (0 when none). */
  delivered: number;
  events: PaymentEvent[];
}

export interface KassaStore {
  /**
   * Claims `key` for a request with `fingerprint`. While another request holds the same key this waits for its
   * answer (up to `waitMs`), so concurrent duplicates all get the first one's answer.
   */
  claimIdempotency(key: string, fingerprint: string, waitMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer for later replays (kept `ttlMs`), or with `null` releases the key so a retry runs again. */
  finishIdempotency(key: string, response: StoredResponse | null, ttlMs: number): Promise<void>;
  getPayment(reference: string): Promise<PaymentRecord | undefined>;
  /** Several payments in one step, in the order asked; undefined where one is unknown (or past its retention). */
  getPayments(references: readonly string[]): Promise<Array<PaymentRecord | undefined>>;
  findPayment(provider: ProviderName, providerPaymentId: string): Promise<PaymentRecord | undefined>;
  /**
   * Saves a new payment or a change of one together with its event, in one step: the event is in the outbox as soon
   * as the change is saved (a crash cannot keep one without the other). Only when `record.sequence` is one more
   * than the stored payment's (1 for a new payment); otherwise nothing is written and the answer is false: another
   * writer saved a change first, and the caller reads again. A new payment joins its order's attempts.
   */
  commitPayment(record: PaymentRecord, event: PaymentEvent): Promise<boolean>;
  /** Every payment attempt made for an order, oldest first. */
  orderPayments(order: string): Promise<PaymentRecord[]>;
  /** A payment's events, oldest first: its history. */
  paymentEvents(reference: string): Promise<PaymentEvent[]>;
  /** Payments whose undelivered events are due for a delivery attempt at `now`, at most `limit`. */
  dueEvents(now: number, limit: number): Promise<string[]>;
  /** The payment's events after the last one delivered. */
  pendingEvents(reference: string): Promise<PendingEvents>;
  /**
   * Records the payment's events up to `sequence` as delivered (never moving back); once none is left, the payment
   * leaves the outbox and its retention starts.
   */
  markDelivered(reference: string, sequence: number): Promise<void>;
  /** The payment's next delivery attempt is not before `at` (epoch ms). */
  postponeEvents(reference: string, at: number): Promise<void>;
  /** The payment's next reconciliation read is due at `at` (epoch ms), replacing an earlier schedule. */
  scheduleRead(reference: string, at: number): Promise<void>;
  /** The payment needs no more reconciliation reads. */
  unscheduleRead(reference: string): Promise<void>;
  /** Payments whose reconciliation read is due at `now`, earliest first, at most `limit`. */
  dueReads(now: number, limit: number): Promise<string[]>;
  /**
   * Takes up to `limit` payments whose reconciliation read is due at `now`, earliest first, and in the same step moves
   * each one's next read to `now + leaseMs`: no other instance sharing the store takes them meanwhile, and a payment
   * whose taker stopped before setting its next read is due again once `leaseMs` has passed.
   */
  claimDueReads(now: number, limit: number, leaseMs: number): Promise<string[]>;
  /** Sets many payments' next reconciliation reads in one step; `at: undefined` takes a payment off the schedule. */
  scheduleReads(reads: ReadonlyArray<{ reference: string; at: number | undefined }>): Promise<void>;
  /**
   * Takes the lease `name` for `owner` for `ttlMs` when it is free, has lapsed or is already `owner`'s (then it is
   * extended); false while someone else holds it. Leases make one instance at a time do a piece of shared work.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
  /** Tells every subscriber of the payment, in this process and others sharing the store. */
  publish(view: PaymentView): Promise<void>;
  subscribe(reference: string, listener: PaymentListener): () => void;
  /** Counts one request against `key`'s budget of `limit` per `windowMs`; false when over it. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /** `hit` for each of `keys` (each its own budget) in one step: whether each is within its budget, in order. */
  hitEach(keys: readonly string[], limit: number, windowMs: number): Promise<boolean[]>;
  /** A small shared value (provider health), or undefined when unset or expired. */
  getValue(key: string): Promise<string | undefined>;
  /** Sets a small shared value for `ttlMs`, replacing any earlier one. */
  setValue(key: string, value: string, ttlMs: number): Promise<void>;
  deleteValue(key: string): Promise<void>;
}

export interface IdempotencyEntry {
  fingerprint: string;
  response?: StoredResponse;
  expiresAt: number;
  waiters: Array<() => void>;
}

/**
 * How long a payment record is kept after its last change (once its events are delivered): long past any shopper's
 * return page or a provider's late webhook, short enough that a long-running endpoint's memory or disk does not grow
 * without bound.
 */
export const DEFAULT_PAYMENT_RETENTION_MS = 7 * 24 * 3_600_000;

export interface StoreOptions {
  /** How long a payment is kept after it was last saved; `DEFAULT_PAYMENT_RETENTION_MS` (7 days) by default. */
  paymentRetentionMs?: number;
}

/** One payment as a store keeps it: the record, its events, how far they were delivered, and when it expires. */
export interface KeptPayment {
  record: PaymentRecord;
  events: PaymentEvent[];
  delivered: number;
  /** The next delivery attempt (epoch ms) while events are undelivered. */
  due?: number;
  /** Epoch ms; never while events are undelivered. */
  expiresAt: number;
}

/** In one process, in memory: the default. Entries expire; nothing grows without bound. */
export class MemoryStore implements KassaStore {
  protected readonly idempotency = new Map<string, IdempotencyEntry>();
  protected readonly paymentRetentionMs: number;
  protected readonly payments = new Map<string, KeptPayment>();
  private readonly byProviderId = new Map<string, string>();
  private readonly byOrder = new Map<string, Set<string>>();
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();
  /** Reconciliation reads: payment reference → when its next read is due. */
  protected readonly readSchedule = new Map<string, number>();
  private readonly listeners = new Map<string, Set<PaymentListener>>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly values = new Map<string, { value: string; expiresAt: number }>();
  private lastSweep = 0;

  constructor(options: StoreOptions = {}) {
    this.paymentRetentionMs = options.paymentRetentionMs ?? DEFAULT_PAYMENT_RETENTION_MS;
  }

  async claimIdempotency(key: string, fingerprint: string, waitMs: number): Promise<IdempotencyClaim> {
    this.sweep();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const entry = this.idempotency.get(key);
      if (!entry) {
        this.idempotency.set(key, { fingerprint, expiresAt: Number.POSITIVE_INFINITY, waiters: [] });
        return { kind: 'acquired' };
      }
      if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
      if (entry.response) return { kind: 'replay', response: entry.response };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'conflict' };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        entry.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async finishIdempotency(key: string, response: StoredResponse | null, ttlMs: number): Promise<void> {
    const entry = this.idempotency.get(key);
    if (!entry) return;
    if (response) {
      entry.response = response;
      entry.expiresAt = Date.now() + ttlMs;
    } else {
      this.forgetIdempotency(key);
    }
    for (const wake of entry.waiters.splice(0)) wake();
  }

  protected forgetIdempotency(key: string): void {
    this.idempotency.delete(key);
  }

  async getPayment(reference: string): Promise<PaymentRecord | undefined> {
    const kept = this.kept(reference);
    return kept && structuredClone(kept.record);
  }

  async getPayments(references: readonly string[]): Promise<Array<PaymentRecord | undefined>> {
    return references.map((reference) => {
      const kept = this.kept(reference);
      return kept && structuredClone(kept.record);
    });
  }

  async findPayment(provider: ProviderName, providerPaymentId: string): Promise<PaymentRecord | undefined> {
    const reference = this.byProviderId.get(`${provider}:${providerPaymentId}`);
    return reference ? this.getPayment(reference) : undefined;
  }

  async commitPayment(record: PaymentRecord, event: PaymentEvent): Promise<boolean> {
    this.sweep();
    const kept = this.kept(record.reference);
    if (record.sequence !== (kept?.record.sequence ?? 0) + 1 || event.sequence !== record.sequence) return false;
    const next: KeptPayment = {
      record: structuredClone(record),
      events: [...(kept?.events ?? []), structuredClone(event)],
      delivered: kept?.delivered ?? 0,
      // A payment whose events are already waiting keeps its next attempt (a failing hook's backoff holds).
      due: kept?.due ?? Date.now(),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    this.keep(next);
    await this.persist(next);
    return true;
  }

  async orderPayments(order: string): Promise<PaymentRecord[]> {
    const references = this.byOrder.get(order);
    // Most orders asked about have no payment yet (every session opened asks): nothing to copy.
    if (!references?.size) return [];
    const records = [...references].flatMap((reference) => this.kept(reference)?.record ?? []);
    return structuredClone(records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  async paymentEvents(reference: string): Promise<PaymentEvent[]> {
    return structuredClone(this.kept(reference)?.events ?? []);
  }

  async dueEvents(now: number, limit: number): Promise<string[]> {
    const due: Array<[string, number]> = [];
    for (const kept of this.payments.values()) if (kept.due !== undefined && kept.due <= now) due.push([kept.record.reference, kept.due]);
    return due.sort((a, b) => a[1] - b[1]).slice(0, limit).map(([reference]) => reference);
  }

  async pendingEvents(reference: string): Promise<PendingEvents> {
    const kept = this.kept(reference);
    if (!kept) return { delivered: 0, events: [] };
    return { delivered: kept.delivered, events: structuredClone(kept.events.slice(kept.delivered)) };
  }

  async markDelivered(reference: string, sequence: number): Promise<void> {
    const kept = this.kept(reference);
    if (!kept || sequence <= kept.delivered) return;
    kept.delivered = Math.min(sequence, kept.events.length);
    if (kept.delivered >= kept.events.length) {
      kept.due = undefined;
      kept.expiresAt = Date.now() + this.paymentRetentionMs;
    }
    await this.persist(kept);
  }

  async postponeEvents(reference: string, at: number): Promise<void> {
    const kept = this.kept(reference);
    if (!kept || kept.due === undefined) return;
    kept.due = at;
    await this.persist(kept);
  }

  async scheduleRead(reference: string, at: number): Promise<void> {
    this.readSchedule.set(reference, at);
  }

  async unscheduleRead(reference: string): Promise<void> {
    this.readSchedule.delete(reference);
  }

  async dueReads(now: number, limit: number): Promise<string[]> {
    return this.dueReadsNow(now, limit);
  }

  async claimDueReads(now: number, limit: number, leaseMs: number): Promise<string[]> {
    // Found and moved without a pause between: a concurrent claim cannot take the same payments.
    const due = this.dueReadsNow(now, limit);
    for (const reference of due) this.readSchedule.set(reference, now + leaseMs);
    return due;
  }

  private dueReadsNow(now: number, limit: number): string[] {
    const due: Array<[string, number]> = [];
    for (const [reference, at] of this.readSchedule) if (at <= now) due.push([reference, at]);
    return due.sort((a, b) => a[1] - b[1]).slice(0, limit).map(([reference]) => reference);
  }

  async scheduleReads(reads: ReadonlyArray<{ reference: string; at: number | undefined }>): Promise<void> {
    for (const { reference, at } of reads) {
      if (at === undefined) this.readSchedule.delete(reference);
      else this.readSchedule.set(reference, at);
    }
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt > now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  /** Writes a changed payment where it must survive the process (FileStore); nothing to do in memory. */
  protected async persist(_kept: KeptPayment): Promise<void> {}

  /** The kept payment, or undefined once its retention has passed (it is then forgotten). */
  private kept(reference: string): KeptPayment | undefined {
    const kept = this.payments.get(reference);
    if (kept && kept.expiresAt <= Date.now()) {
      this.forgetPayment(kept.record);
      return undefined;
    }
    return kept;
  }

  /** Holds a payment in memory, indexed by provider id and order (FileStore restores saved ones through it). */
  protected keep(kept: KeptPayment): void {
    const { record } = kept;
    this.payments.set(record.reference, kept);
    this.byProviderId.set(`${record.provider}:${record.providerPaymentId}`, record.reference);
    const attempts = this.byOrder.get(record.order) ?? new Set();
    attempts.add(record.reference);
    this.byOrder.set(record.order, attempts);
  }

  protected forgetPayment(record: PaymentRecord): void {
    this.payments.delete(record.reference);
    this.readSchedule.delete(record.reference);
    this.byProviderId.delete(`${record.provider}:${record.providerPaymentId}`);
    const attempts = this.byOrder.get(record.order);
    attempts?.delete(record.reference);
    if (attempts && !attempts.size) this.byOrder.delete(record.order);
  }

  async publish(view: PaymentView): Promise<void> {
    for (const listener of this.listeners.get(view.reference) ?? []) listener(view);
  }

  subscribe(reference: string, listener: PaymentListener): () => void {
    const set = this.listeners.get(reference) ?? new Set();
    set.add(listener);
    this.listeners.set(reference, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(reference);
    };
  }

  async hit(key: string, limit: number, windowMs: number): Promise<boolean> {
    const now = Date.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return limit >= 1;
    }
    window.count++;
    return window.count <= limit;
  }

  /** Through `hit`, one key after another (a subclass that counts hits sees each). */
  async hitEach(keys: readonly string[], limit: number, windowMs: number): Promise<boolean[]> {
    const within: boolean[] = [];
    for (const key of keys) within.push(await this.hit(key, limit, windowMs));
    return within;
  }

  async getValue(key: string): Promise<string | undefined> {
    const entry = this.values.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.values.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  }

  async setValue(key: string, value: string, ttlMs: number): Promise<void> {
    this.sweep();
    this.values.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  async deleteValue(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** Drops expired idempotency answers, payments past their retention, stale rate windows and leases, at most once a minute. */
  protected sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.idempotency) if (entry.expiresAt < now) this.forgetIdempotency(key);
    for (const kept of this.payments.values()) if (kept.expiresAt <= now) this.forgetPayment(kept.record);
    for (const [key, window] of this.windows) if (now - window.start > 3_600_000) this.windows.delete(key);
    for (const [name, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(name);
    for (const [key, entry] of this.values) if (entry.expiresAt <= now) this.values.delete(key);
  }
}
