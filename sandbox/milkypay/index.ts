/**
 * The MilkyPay simulator (a white-label of the Corefy/PayCore platform): public and private REST API, hosted
 * payment page, signed callbacks. Routes live in `routes.ts` and `hpp.ts`; invoices in `state.ts`; every
 * invented default in `config.ts` and `catalogue.ts`.
 */
import type { PaymentSummary, SandboxContext, Simulator } from '../core/context.ts';
import { INVOICE_STATUSES, MILKYPAY_DEFAULTS, type InvoiceStatus, type MilkyPayConfig } from './config.ts';
import { HostedPages } from './hpp.ts';
import { registerApiRoutes } from './routes.ts';
import { MilkyPayService } from './service.ts';
import type { Invoice } from './state.ts';
import { hppUrl } from './views.ts';

export function create(ctx: SandboxContext, config: MilkyPayConfig = MILKYPAY_DEFAULTS): Simulator {
  const service = new MilkyPayService(ctx, config);
  const pages = new HostedPages(ctx, service);
  registerApiRoutes(ctx, service, pages);
  pages.register();

  const summary = (invoice: Invoice): PaymentSummary => ({
    provider: 'milkypay',
    id: invoice.id,
    status: invoice.status,
    amount: invoice.amountMinor,
    currency: invoice.currency,
    reference: invoice.referenceId,
    pageUrl: hppUrl(ctx.baseUrl(), invoice.id),
    createdAt: invoice.createdAtIso,
  });

  return {
    name: 'milkypay',
    statuses: INVOICE_STATUSES,
    payments: () => service.store.list().map(summary),
    decide: (id, outcome) => service.decide(id, outcome),
    // The control API only passes values listed in `statuses`.
    setStatus: (id, status) => service.setStatus(id, status as InvoiceStatus),
    reset: () => service.reset(),
  };
}
