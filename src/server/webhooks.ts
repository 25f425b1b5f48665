/**
 * `POST /webhooks/{provider}`: a provider says one of its payments changed. The signature is checked over the exact
 * bytes received; the body is never trusted for the state: the payment is read again from the provider.
 */
import { isProviderName } from '../core/model.ts';
import { readBytes } from './http/body.ts';
import { jsonAnswer, type IncomingRequest, type RouteAnswer } from './http/exchange.ts';
import { HttpProblem } from './http/problems.ts';
import { isReference } from './payments/records.ts';
import { WebhookRejected, type WebhookResult } from './provider.ts';
import type { Adapters } from './providers.ts';
import type { StatusReads } from './status/reads.ts';
import type { KassaStore } from './stores/store.ts';

/** Webhook bodies are small; a megabyte leaves room for the largest provider payload. */
const MAX_WEBHOOK_BYTES = 1_048_576;

export class Webhooks {
  constructor(private readonly deps: { store: KassaStore; adapters: Adapters; status: StatusReads }) {}

  async receive(request: IncomingRequest, url: URL, name: string): Promise<RouteAnswer> {
    const adapter = isProviderName(name) ? this.deps.adapters.get(name) : undefined;
    if (!adapter) throw new HttpProblem('unknown-provider', `${name} is not enabled`);
    if (!request.originalBody) {
      throw new HttpProblem('body-already-parsed', "a body parser turned the webhook into an object; its signature needs the provider's bytes: mount Kassa before it");
    }
    const body = await readBytes(request, MAX_WEBHOOK_BYTES);
    let result: WebhookResult;
    try {
      result = await adapter.verifyWebhook({ method: request.method, url, headers: request.fetchRequest().headers, body });
    } catch (error) {
      if (error instanceof WebhookRejected) throw new HttpProblem('webhook-invalid', error.message);
      throw error;
    }
    const { store } = this.deps;
    const record =
      (isReference(result.reference) ? await store.getPayment(result.reference) : undefined) ??
      (result.providerPaymentId ? await store.findPayment(adapter.name, result.providerPaymentId) : undefined);
    // A verified webhook says something changed, so the read does not wait for the read interval; a final payment is
    // read too (a refund, a reversal, a failure the provider did not mean as final).
    if (record) await this.deps.status.refresh(record, { now: true });
    return adapter.webhookAnswer?.() ?? jsonAnswer({ received: true });
  }
}
