/**
 * Status reads: a payment's state as the provider says it, saved and published on every change. A read never calls the
 * provider by itself: `ProviderReads` reads a payment at most once per interval, however many status requests,
 * event streams, webhooks and (through the store) endpoint instances ask; concurrent askers share the read in flight.
 */
import { isFinalState, type PaymentView } from '../../core/model.ts';
import type { StatusRead } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import { findRecord, returnPageFor, view } from '../payments/records.ts';
import { amountsAfter, type Ledger } from '../payments/ledger.ts';
import type { KassaStore, PaymentRecord } from '../stores/store.ts';

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

export interface StatusDeps {
  store: KassaStore;
  ledger: Ledger;
  adapters: Adapters;
  providerTimeoutMs: number;
  providerReadIntervalMs: number;
  onError: (error: unknown, context: string) => void;
}

export class StatusReads {
  readonly providerReads: ProviderReads;

  constructor(private readonly deps: StatusDeps) {
    this.providerReads = new ProviderReads(deps.store, deps.providerReadIntervalMs, (record) => this.readFromProvider(record));
  }

  /** `GET /payments/{ref}`: the payment as stored when final, else as its provider says now (within the read interval). */
  async read(reference: string): Promise<PaymentView> {
    const record = await findRecord(this.deps.store, reference);
    return view(isFinalState(record.state) ? record : await this.providerReads.refresh(record));
  }

  /** `GET /return/{ref}`, where providers' return URLs may point: the status re-read, then on to the merchant's return page. */
  async returnTo(reference: string, returnUrl: string): Promise<Response> {
    const record = await findRecord(this.deps.store, reference);
    if (!isFinalState(record.state)) await this.providerReads.refresh(record);
    return new Response(null, { status: 303, headers: { location: returnPageFor(returnUrl, reference), 'cache-control': 'no-store' } });
  }

  /** Asks for a read of a payment that is not final (see `ProviderReads.refresh`). */
  refresh(record: PaymentRecord, options: { now?: boolean } = {}): Promise<PaymentRecord> {
    return this.providerReads.refresh(record, options);
  }

  /** Re-reads a payment from its provider and applies what it says; on a provider failure keeps what it had. */
  private async readFromProvider(record: PaymentRecord): Promise<PaymentRecord> {
    const { onError } = this.deps;
    const adapter = this.deps.adapters.get(record.provider);
    if (!adapter) return record;
    let status: StatusRead;
    try {
      status = await adapter.readStatus(record, AbortSignal.timeout(this.deps.providerTimeoutMs));
    } catch (error) {
      onError(error, `reading ${record.provider} payment ${record.reference}`);
      return record;
    }
    if (!changes(record, status)) return record;
    return (await this.deps.ledger.apply(record.reference, status)) ?? record;
  }
}

/** Whether a read says anything new about the payment: its state, the provider's status or the amounts. */
function changes(record: PaymentRecord, status: StatusRead): boolean {
  if (status.state !== record.state || status.providerStatus !== record.providerStatus) return true;
  const amounts = amountsAfter(record, status);
  return amounts.capturedAmount !== record.capturedAmount || amounts.refundedAmount !== record.refundedAmount;
}
