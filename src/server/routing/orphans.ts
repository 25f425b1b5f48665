/**
 * What an unanswered create may have left behind. When a click went on to another provider after a create that went
 * unanswered (a timeout, a 5xx, a dropped connection), the first provider may still have made a payment the shopper
 * never got the page for. Where the provider can be asked by Kassa's reference, it is looked for a few times over the
 * next minutes; one found is recorded (route `orphan`, `replacedBy` the payment the shopper got: the merchant hears of
 * it as events) and cancelled where the provider allows, so it can never be paid.
 */
import type { PaymentMethod, ProviderName } from '../../core/model.ts';
import { isSettledForShopper } from '../../core/model.ts';
import type { Ledger } from '../payments/ledger.ts';
import type { PaymentOperations } from '../payments/operations.ts';
import type { FoundPayment, ResolvedOrder } from '../provider.ts';
import type { Adapters } from '../providers.ts';
import type { KassaStore } from '../stores/store.ts';

export interface UnansweredCreate {
  provider: ProviderName;
  /** The reference the create was made with: the provider knows the payment by it. */
  reference: string;
  method: PaymentMethod;
  order: ResolvedOrder;
  session: string;
  /** The payment the click made at another provider. */
  replacedBy: string;
}

/** When to look after the click: the provider may make the payment late, after the create's answer was given up. */
const LOOK_AFTER_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

export class Orphans {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly deps: {
      store: KassaStore;
      ledger: Ledger;
      operations: PaymentOperations;
      adapters: Adapters;
      providerTimeoutMs: number;
      onError: (error: unknown, context: string) => void;
    },
  ) {}

  /** Whether a provider can be asked for what an unanswered create made. */
  canFind(provider: ProviderName): boolean {
    return this.deps.adapters.get(provider)?.findPayment !== undefined;
  }

  /** Starts looking for what `create` left (in the background). */
  watch(create: UnansweredCreate): void {
    this.schedule(create, 0);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(create: UnansweredCreate, attempt: number): void {
    if (this.closed || attempt >= LOOK_AFTER_MS.length) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.look(create, attempt).catch((error: unknown) => this.deps.onError(error, `settling what ${create.provider} made for ${create.reference}`));
    }, LOOK_AFTER_MS[attempt]);
    timer.unref?.();
    this.timers.add(timer);
  }

  private async look(create: UnansweredCreate, attempt: number): Promise<void> {
    const adapter = this.deps.adapters.get(create.provider);
    if (!adapter?.findPayment || (await this.deps.store.getPayment(create.reference))) return;
    let found: FoundPayment | undefined;
    try {
      found = await adapter.findPayment(create.reference, create.order, AbortSignal.timeout(this.deps.providerTimeoutMs * 3));
    } catch (error) {
      this.deps.onError(error, `looking for what ${create.provider} made for ${create.reference}`);
      this.schedule(create, attempt + 1);
      return;
    }
    if (!found) {
      this.schedule(create, attempt + 1);
      return;
    }
    await this.record(create, found);
  }

  private async record(create: UnansweredCreate, found: FoundPayment): Promise<void> {
    const now = new Date().toISOString();
    const { order } = create;
    const record = await this.deps.ledger.create({
      reference: create.reference,
      provider: create.provider,
      method: create.method.id,
      order: order.reference,
      amount: order.amount,
      currency: order.currency,
      session: create.session,
      providerPaymentId: found.providerPaymentId,
      state: found.state,
      providerStatus: found.providerStatus,
      action: { type: 'none' },
      ...(found.data ? { data: found.data } : {}),
      route: 'orphan',
      replacedBy: create.replacedBy,
      createdAt: now,
      updatedAt: now,
    });
    const adapter = this.deps.adapters.get(create.provider);
    if (isSettledForShopper(record.state) && record.state !== 'authorized') return;
    if (!adapter?.cancelPayment) {
      this.deps.onError(
        new Error(`Kassa: ${create.provider} made payment ${record.reference} for a start that went unanswered, and ${create.provider} has no cancel: it stays unpaid until it expires`),
        `settling what ${create.provider} made for ${create.reference}`,
      );
      return;
    }
    await this.deps.operations.cancel(record.reference, { reason: `started by a click that went on to ${create.replacedBy}` });
  }
}
