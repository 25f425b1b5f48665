/**
 * What the API routes, the hosted page and the control API share: invoices plus the callbacks that follow every
 * change of status (creation included — the seed: "a Callback … notifying them about successful invoice creation").
 */
import { UnknownPayment, type DecideResult, type SandboxContext } from '../core/context.ts';
import type { Outcome } from '../core/outcomes.ts';
import { Callbacks } from './callbacks.ts';
import type { InvoiceStatus, MilkyPayConfig } from './config.ts';
import { applyOutcome, applyStatus, expireIfDue, InvoiceStore, returnUrlFor, type Invoice, type InvoiceSource } from './state.ts';
import type { InvoiceDraft } from './validation.ts';

export class MilkyPayService {
  readonly store: InvoiceStore;
  private readonly callbacks: Callbacks;

  constructor(
    private readonly ctx: SandboxContext,
    readonly config: MilkyPayConfig,
  ) {
    this.store = new InvoiceStore(config);
    this.callbacks = new Callbacks(ctx, config);
  }

  /** Creates the invoice and queues its creation callback without waiting for the receiver. */
  createInvoice(draft: InvoiceDraft, source: InvoiceSource, testMode: boolean): Invoice {
    const invoice = this.store.create(draft, source, testMode);
    this.ctx.presets.attach('milkypay', invoice.id);
    void this.callbacks.send(invoice);
    return invoice;
  }

  /** Finds an invoice, first expiring it (with its callback) when its lifetime is over. */
  async read(id: string): Promise<Invoice | undefined> {
    const invoice = this.store.get(id);
    if (invoice) await this.refresh(invoice);
    return invoice;
  }

  async refresh(invoice: Invoice): Promise<void> {
    if (expireIfDue(invoice)) await this.callbacks.send(invoice);
  }

  async decide(id: string, outcome: Outcome): Promise<DecideResult> {
    const invoice = await this.read(id);
    if (!invoice) throw new UnknownPayment('milkypay', id);
    const returnTo = applyOutcome(invoice, outcome);
    await this.callbacks.send(invoice);
    return { status: invoice.status, redirectUrl: returnUrlFor(invoice, returnTo) };
  }

  async setStatus(id: string, status: InvoiceStatus): Promise<void> {
    const invoice = this.store.get(id);
    if (!invoice) throw new UnknownPayment('milkypay', id);
    applyStatus(invoice, status);
    await this.callbacks.send(invoice);
  }

  reset(): void {
    this.store.reset();
    this.callbacks.reset();
  }
}
