/**
 * The endpoint's only state: idempotency records, payment records and the fan-out of status events, behind one
 * small interface. `MemoryStore` serves one process with zero setup; several instances behind a load balancer need
 * a shared implementation of the same interface (e.g. on Redis), and nothing else changes. `FileStore`
 * (file-store.ts) keeps the same state on disk, so one process can restart without forgetting its payments.
 */
import type { NextAction, PaymentState, PaymentView, ProviderName } from '../../core/model.ts';

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
  createdAt: string;
  updatedAt: string;
}

export type PaymentListener = (view: PaymentView) => void;

export interface KassaStore {
  /**
   * Claims `key` for a request with `fingerprint`. While another request holds the same key this waits for its
   * answer (up to `waitMs`), so concurrent duplicates all get the first one's answer.
   */
  claimIdempotency(key: string, fingerprint: string, waitMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer for later replays (kept `ttlMs`), or with `null` releases the key so a retry runs again. */
  finishIdempotency(key: string, response: StoredResponse | null, ttlMs: number): Promise<void>;
  getPayment(reference: string): Promise<PaymentRecord | undefined>;
  findPayment(provider: ProviderName, providerPaymentId: string): Promise<PaymentRecord | undefined>;
  savePayment(record: PaymentRecord): Promise<void>;
  /** Tells every subscriber of the payment, in this process and others sharing the store. */
  publish(view: PaymentView): Promise<void>;
  subscribe(reference: string, listener: PaymentListener): () => void;
  /** Counts one request against `key`'s budget of `limit` per `windowMs`; false when over it. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
}

export interface IdempotencyEntry {
  fingerprint: string;
  response?: StoredResponse;
  expiresAt: number;
  waiters: Array<() => void>;
}

/**
 * How long a payment record is kept after its last change: long past any shopper's return page or a provider's
 * late webhook, short enough that a long-running endpoint's memory or disk does not grow without bound.
 */
export const DEFAULT_PAYMENT_RETENTION_MS = 7 * 24 * 3_600_000;

export interface StoreOptions {
  /** How long a payment is kept after it was last saved; `DEFAULT_PAYMENT_RETENTION_MS` (7 days) by default. */
  paymentRetentionMs?: number;
}

/** In one process, in memory: the default. Entries expire; nothing grows without bound. */
export class MemoryStore implements KassaStore {
  protected readonly idempotency = new Map<string, IdempotencyEntry>();
  protected readonly paymentRetentionMs: number;
  private readonly payments = new Map<string, { record: PaymentRecord; expiresAt: number }>();
  private readonly byProviderId = new Map<string, string>();
  private readonly listeners = new Map<string, Set<PaymentListener>>();
  private readonly windows = new Map<string, { start: number; count: number }>();
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
    const kept = this.payments.get(reference);
    if (kept && kept.expiresAt <= Date.now()) {
      this.forgetPayment(kept.record);
      return undefined;
    }
    return kept && structuredClone(kept.record);
  }

  async findPayment(provider: ProviderName, providerPaymentId: string): Promise<PaymentRecord | undefined> {
    const reference = this.byProviderId.get(`${provider}:${providerPaymentId}`);
    return reference ? this.getPayment(reference) : undefined;
  }

  async savePayment(record: PaymentRecord): Promise<void> {
    this.sweep();
    this.keepPayment(record, Date.now() + this.paymentRetentionMs);
  }

  /** Holds a record in memory until `expiresAt` (FileStore restores saved records with their remaining time). */
  protected keepPayment(record: PaymentRecord, expiresAt: number): void {
    this.payments.set(record.reference, { record: structuredClone(record), expiresAt });
    this.byProviderId.set(`${record.provider}:${record.providerPaymentId}`, record.reference);
  }

  protected forgetPayment(record: PaymentRecord): void {
    this.payments.delete(record.reference);
    this.byProviderId.delete(`${record.provider}:${record.providerPaymentId}`);
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

  /** Drops expired idempotency answers, payments past their retention and stale rate windows, at most once a minute. */
  protected sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.idempotency) if (entry.expiresAt < now) this.forgetIdempotency(key);
    for (const kept of this.payments.values()) if (kept.expiresAt <= now) this.forgetPayment(kept.record);
    for (const [key, window] of this.windows) if (now - window.start > 3_600_000) this.windows.delete(key);
  }
}
