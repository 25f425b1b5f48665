/**
 * MilkyPay's hosted payment page, `/milkypay/hpp/{invoiceId}`: reached with GET through `hpp_url`, or by submitting
 * a `form_post` service's `flow_data` form (POST with its `token`). Its Pay / Decline / Cancel buttons post to
 * `/milkypay/hpp/{invoiceId}/decide`, which settles the invoice, sends the callback and redirects to the return URL.
 */
import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../core/context.ts';
import { redirect, sendHtml } from '../core/http.ts';
import { isOutcome } from '../core/outcomes.ts';
import { renderHostedPage, renderMessagePage } from '../core/pages.ts';
import { findMethod } from './catalogue.ts';
import type { ReturnKind } from './config.ts';
import type { MilkyPayService } from './service.ts';
import { isUndecided, returnUrlFor, type Invoice } from './state.ts';
import { hppUrl, PATHS } from './views.ts';

const PROVIDER = 'MilkyPay';

/** Which return URL a settled invoice's page links back to. */
function returnKindOf(invoice: Invoice): ReturnKind {
  if (invoice.status === 'processed' || invoice.status === 'partially_processed') return 'success';
  return isUndecided(invoice) ? 'pending' : 'fail';
}

export class HostedPages {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly service: MilkyPayService,
  ) {}

  register(): void {
    const { router } = this.ctx;

    router.get(`${PATHS.hpp}/:id`, async (req, res) => {
      const invoice = await this.service.read(req.params.id!);
      if (!invoice) return this.message(res, 404, 'Invoice not found', 'There is no payment invoice with this id.');
      if (invoice.service.redirect === 'form_post') {
        return this.message(res, 405, 'Open this page by form', "This invoice's flow_data asks for a POST form with its params; a plain link cannot open it.");
      }
      await this.open(invoice, res);
    });

    router.post(`${PATHS.hpp}/:id`, async (req, res) => {
      const invoice = await this.service.read(req.params.id!);
      if (!invoice) return this.message(res, 404, 'Invoice not found', 'There is no payment invoice with this id.');
      if (invoice.service.redirect === 'form_post' && req.form().get('token') !== invoice.token) {
        return this.message(res, 403, 'Invalid payment session', "The form did not carry this invoice's flow_data params.");
      }
      await this.open(invoice, res);
    });

    router.post(`${PATHS.hpp}/:id/decide`, async (req, res) => {
      const form = req.form();
      const invoice = this.service.store.get(req.params.id!);
      if (!invoice) return this.message(res, 404, 'Invoice not found', 'There is no payment invoice with this id.');
      if (form.get('token') !== invoice.token) return this.message(res, 403, 'Invalid payment session', 'This form does not belong to the invoice.');
      const outcome = form.get('outcome');
      if (!isOutcome(outcome)) return this.message(res, 400, 'Unknown choice', 'Choose Pay, Decline or Cancel.');
      try {
        const result = await this.service.decide(invoice.id, outcome);
        this.leave(res, invoice, result.redirectUrl);
      } catch (error) {
        this.message(res, 409, 'Payment already finished', error instanceof Error ? error.message : String(error));
      }
    });
  }

  /** The page as the shopper first sees it: a preset outcome applies at once; a settled invoice shows its result. */
  async open(invoice: Invoice, res: ServerResponse): Promise<void> {
    const preset = this.ctx.presets.take('milkypay', invoice.id);
    if (preset && isUndecided(invoice)) {
      const result = await this.service.decide(invoice.id, preset);
      return this.leave(res, invoice, result.redirectUrl);
    }
    if (!isUndecided(invoice)) {
      const back = returnUrlFor(invoice, returnKindOf(invoice));
      const link = back ? { href: back, label: 'Return to the shop' } : undefined;
      return sendHtml(res, 200, renderMessagePage(PROVIDER, `Invoice ${invoice.status}`, `This invoice is already ${invoice.status}.`, link));
    }
    const method = findMethod(invoice.service.method);
    const fields = invoice.service.fields
      .filter((f) => invoice.serviceFields[f.key] !== undefined)
      .map((f): [string, string] => [f.label.en, invoice.serviceFields[f.key]!]);
    sendHtml(
      res,
      200,
      renderHostedPage({
        provider: PROVIDER,
        title: `Pay with ${method?.name.en ?? invoice.service.method}`,
        merchant: this.service.config.account.name,
        amountMinor: invoice.amountMinor,
        currency: invoice.currency,
        action: `${hppUrl(this.ctx.baseUrl(), invoice.id)}/decide`,
        details: [['Invoice', invoice.id], ['Reference', invoice.referenceId], ...fields],
        hidden: { token: invoice.token },
      }),
    );
  }

  /** After a decision the browser goes to the merchant's return URL; without one it stays on a result page. */
  private leave(res: ServerResponse, invoice: Invoice, redirectUrl: string | null): void {
    if (redirectUrl) return redirect(res, redirectUrl);
    this.message(res, 200, `Invoice ${invoice.status}`, `The invoice is ${invoice.status}. The merchant gave no return URL.`);
  }

  private message(res: ServerResponse, status: number, title: string, text: string): void {
    sendHtml(res, status, renderMessagePage(PROVIDER, title, text));
  }
}
