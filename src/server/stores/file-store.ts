/**
 * `FileStore`: the in-memory store, written through to a directory, so a restarted endpoint still knows its payments
 * (a shopper coming back from a provider's page after a deploy sees the true state), the events its merchant's hook
 * has not heard yet, and the keys of clicks already answered or still unsettled (a retry can never pay twice). For
 * one process on one machine; several instances need a shared store (Redis) behind the same `KassaStore` interface.
 *
 * Layout: `payments/<sha256 of reference>.json` (the `PaymentRecord`, its events, how far they were delivered and the
 * next delivery attempt) and `idempotency/<sha256 of key>.json`. Each file is written whole to a temporary name, then
 * renamed over the old one, so a crash never leaves half a record.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFinalState } from '../../core/model.ts';
import { eventFor, type PaymentEvent } from '../events/event.ts';
import { MemoryStore, type IdempotencyClaim, type KeptPayment, type PaymentRecord, type StoreOptions, type StoredResponse } from './store.ts';

/** How long a click whose request was in flight when the process stopped stays refused (its outcome is unknown). */
export const UNSETTLED_KEY_TTL_MS = 24 * 3_600_000;

/** One payment's file: the record, its events, how far they were delivered and the next delivery attempt. */
interface PaymentFile {
  record: PaymentRecord;
  events: PaymentEvent[];
  delivered: number;
  due?: number;
}

interface IdempotencyFile {
  key: string;
  fingerprint: string;
  response?: StoredResponse;
  /** Epoch ms; absent while the request is in flight. */
  expiresAt?: number;
}

export class FileStore extends MemoryStore {
  private readonly paymentsDir: string;
  private readonly idempotencyDir: string;
  private writes = 0;
  /** The write under way per payment, which the next one waits for. */
  private readonly paymentWrites = new Map<string, Promise<void>>();

  /** Reads what an earlier process left in `dir` (created if missing). */
  constructor(
    readonly dir: string,
    options: StoreOptions = {},
  ) {
    super(options);
    this.paymentsDir = join(dir, 'payments');
    this.idempotencyDir = join(dir, 'idempotency');
    mkdirSync(this.paymentsDir, { recursive: true });
    mkdirSync(this.idempotencyDir, { recursive: true });
    this.load();
  }

  /**
   * Writes a payment's file, one write at a time per payment, each of the payment as it is when the write starts:
   * two changes close together can never leave the older one on disk.
   */
  protected override async persist(kept: KeptPayment): Promise<void> {
    const reference = kept.record.reference;
    const previous = this.paymentWrites.get(reference) ?? Promise.resolve();
    const writing = previous.catch(() => undefined).then(async () => {
      const latest = this.payments.get(reference);
      if (!latest) return;
      const { record, events, delivered, due } = latest;
      await this.write(join(this.paymentsDir, fileName(reference)), { record, events, delivered, due } satisfies PaymentFile);
    });
    this.paymentWrites.set(reference, writing);
    try {
      await writing;
    } finally {
      if (this.paymentWrites.get(reference) === writing) this.paymentWrites.delete(reference);
    }
  }

  override async claimIdempotency(key: string, fingerprint: string, waitMs: number): Promise<IdempotencyClaim> {
    const claim = await super.claimIdempotency(key, fingerprint, waitMs);
    if (claim.kind === 'acquired') await this.write(this.idempotencyFile(key), { key, fingerprint } satisfies IdempotencyFile);
    return claim;
  }

  override async finishIdempotency(key: string, response: StoredResponse | null, ttlMs: number): Promise<void> {
    const entry = this.idempotency.get(key);
    await super.finishIdempotency(key, response, ttlMs);
    if (response && entry) {
      await this.write(this.idempotencyFile(key), { key, fingerprint: entry.fingerprint, response, expiresAt: entry.expiresAt } satisfies IdempotencyFile);
    }
  }

  protected override forgetPayment(record: PaymentRecord): void {
    super.forgetPayment(record);
    void rm(join(this.paymentsDir, fileName(record.reference)), { force: true });
  }

  protected override forgetIdempotency(key: string): void {
    super.forgetIdempotency(key);
    void rm(this.idempotencyFile(key), { force: true });
  }

  private load(): void {
    const now = Date.now();
    for (const name of readdirSync(this.paymentsDir)) {
      if (!name.endsWith('.json')) continue;
      const file = join(this.paymentsDir, name);
      const saved = readJson<PaymentFile | PaymentRecord>(file);
      if (!saved) continue;
      const kept = 'record' in saved ? { ...saved, expiresAt: Number.POSITIVE_INFINITY } : fromRecordFile(saved);
      // Undelivered events keep a payment; a delivered one is kept for the retention from its last save (the file's time).
      if (kept.delivered >= kept.events.length) kept.expiresAt = statSync(file).mtimeMs + this.paymentRetentionMs;
      if (kept.expiresAt <= now) void rm(file, { force: true });
      else {
        this.keep(kept);
        // The schedule is not kept on disk: after a restart every open payment is read again soon.
        if (!isFinalState(kept.record.state)) this.readSchedule.set(kept.record.reference, now);
      }
    }
    for (const name of readdirSync(this.idempotencyDir)) {
      if (!name.endsWith('.json')) continue;
      const saved = readJson<IdempotencyFile>(join(this.idempotencyDir, name));
      if (!saved) continue;
      // A request in flight when the process stopped: nobody will answer it, and the provider may have acted on it.
      const expiresAt = saved.expiresAt ?? now + UNSETTLED_KEY_TTL_MS;
      if (expiresAt < now) void rm(join(this.idempotencyDir, name), { force: true });
      else this.idempotency.set(saved.key, { fingerprint: saved.fingerprint, response: saved.response, expiresAt, waiters: [] });
    }
  }

  private idempotencyFile(key: string): string {
    return join(this.idempotencyDir, fileName(key));
  }

  private async write(file: string, value: unknown): Promise<void> {
    const temporary = `${file}.${process.pid}.${++this.writes}.tmp`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, file);
  }
}

/** A payment saved by a version of Kassa before events: its creation counts as its one event, already delivered. */
function fromRecordFile(record: PaymentRecord): KeptPayment {
  const withSequence = { ...record, sequence: 1 };
  return { record: withSequence, events: [eventFor(withSequence, undefined)], delivered: 1, expiresAt: Number.POSITIVE_INFINITY };
}

/** Keys come from browsers: never used as file names as they are. */
function fileName(id: string): string {
  return `${createHash('sha256').update(id).digest('hex')}.json`;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // not a file this store wrote (writes are whole or absent): skipped
  }
}
