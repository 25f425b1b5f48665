/**
 * MilkyPay callbacks: a POST of the invoice's JSON:API object to `callback_url`, signed in `X-Signature` with
 * `base64(sha1(secret + rawBody + secret))` (binary digest), the secret being the test or live key of the invoice's mode.
 */
import { createHash } from 'node:crypto';
import type { SandboxContext } from '../core/context.ts';
import type { MilkyPayConfig } from './config.ts';
import { logCallback, type Invoice } from './state.ts';
import { invoiceResource } from './views.ts';

export function signCallback(secret: string, rawBody: string): string {
  return createHash('sha1').update(secret + rawBody + secret, 'utf8').digest('base64');
}

export class Callbacks {
  /**
   * One delivery chain per invoice, so a receiver sees an invoice's callbacks in the order its statuses changed
   * (the real platform may reorder them; merchants sort by `updated`). The sandbox does not retry failures.
   */
  private chains = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly config: MilkyPayConfig,
  ) {}

  /** Snapshots the invoice now and delivers after the invoice's earlier callbacks; resolves once delivered. */
  send(invoice: Invoice): Promise<void> {
    const url = invoice.callbackUrl;
    if (!url) return Promise.resolve();
    const body = JSON.stringify({ data: invoiceResource(invoice, this.ctx.baseUrl()) });
    const secret = invoice.testMode ? this.config.testCallbackSecret : this.config.liveCallbackSecret;
    const status = invoice.status;
    const at = Date.now();
    const previous = this.chains.get(invoice.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      const delivery = await this.ctx.webhooks.send({
        provider: 'milkypay',
        paymentId: invoice.id,
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signCallback(secret, body) },
        body,
      });
      logCallback(invoice, at, status, delivery.status);
    });
    this.chains.set(invoice.id, next);
    return next;
  }

  reset(): void {
    this.chains = new Map();
  }
}
