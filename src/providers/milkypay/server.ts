/**
 * MilkyPay (a white-label of Corefy/PayCore; REST, JSON:API): the methods come from the public payment pre-request;
 * a payment is a payment invoice created through the private API (HTTP Basic) with Kassa's reference as
 * `reference_id`; the shopper goes on by `hpp_url` or a `flow_data` form; MilkyPay posts signed callbacks on every
 * status change; `GET /api/payment-invoices/{id}` reads it.
 *
 * `reference_id` is unique per account and a second create answers 409, so creating is idempotent by reference:
 * it is retried, and a 409 means "already made" — the invoice is looked up by reference and used. One click never
 * makes two invoices.
 *
 * Where an invoice sends the shopper (`hpp_url`, `flow_data.action`) is known only once it exists, and the hosted
 * pages live on other hosts than the API; so the allow-list is settled at start-up (`config.ts`: the documented
 * hosts per environment, or `redirectHosts`), and the next step is the first of the two ways on an allowed host.
 *
 * After the sale: the MilkyPay documentation Kassa follows describes no capture, cancel or refund call (refunds are
 * made in MilkyPay's dashboard), so none is offered and the endpoint answers OperationNotSupported. Reads report
 * `processed_amount` and `refunded_amount`, so a refund made at MilkyPay shows in the payment.
 */
import type { PaymentMethod } from '../../core/model.ts';
import { toMajor } from '../../core/money.ts';
import { callProvider, readJson } from '../../server/provider-http.ts';
import {
  ProviderUnavailable,
  type CreatedPayment,
  type CreatePaymentInput,
  type FoundPayment,
  type ProviderAdapter,
  type ProviderDeps,
  type ProviderModule,
  type ResolvedOrder,
  type StatusRead,
  type StoredPaymentRef,
  type WebhookRequest,
  type WebhookResult,
} from '../../server/provider.ts';
import { milkypayConfigSchema, milkypayEndpoints, type MilkypayConfig } from './config.ts';
import { invoiceAmounts, invoiceFromBody, invoiceFromList, invoiceRequest, isInvoiceId, nextAction, refusalFor, type Invoice } from './invoice.ts';
import { methodsFromPrerequest, PROVIDER, serviceCodeOf } from './methods.ts';
import { milkypayStatus } from './status.ts';
import { callbackSubject, checkSignature } from './webhook.ts';

export type { MilkypayConfig } from './config.ts';

export const milkypayProvider: ProviderModule<MilkypayConfig> = {
  configSchema: milkypayConfigSchema,
  create: (config, deps) => createMilkypayAdapter(milkypayConfigSchema.parse(config), deps),
};

function createMilkypayAdapter(config: MilkypayConfig, deps: ProviderDeps): ProviderAdapter {
  const endpoints = milkypayEndpoints(config, deps.sandboxUrl);
  const privateHeaders = {
    authorization: `Basic ${Buffer.from(`${config.accountId}:${config.apiKey}`, 'utf8').toString('base64')}`,
    accept: 'application/json',
  };
  const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json' };
  const reads = (signal: AbortSignal) => ({ timeoutMs: deps.timeoutMs, attempts: deps.attempts, idempotent: true, signal });

  /** The invoice MilkyPay holds for a reference, if any. */
  async function findInvoice(reference: string, signal: AbortSignal): Promise<Invoice | undefined> {
    const query = new URLSearchParams({ 'filter[reference_id]': reference });
    const response = await callProvider(PROVIDER, `${endpoints.privateApi}/payment-invoices?${query}`, { method: 'GET', headers: privateHeaders }, reads(signal));
    if (!response.ok) throw await unexpected(response, 'looking up an invoice by reference');
    return invoiceFromList(await readJson(PROVIDER, response), reference);
  }

  /** The invoice MilkyPay already holds for a reference (after a 409). */
  async function invoiceByReference(reference: string, signal: AbortSignal): Promise<Invoice> {
    const invoice = await findInvoice(reference, signal);
    // It answered 409 for this reference a moment ago: not finding it now is MilkyPay's hiccup, worth a retry.
    if (!invoice) throw new ProviderUnavailable('milkypay: the invoice that already exists for this reference was not found');
    return invoice;
  }

  return {
    name: PROVIDER,
    redirectHosts: endpoints.redirectHosts,
    createIsIdempotent: true,

    async listMethods(order: ResolvedOrder, signal: AbortSignal): Promise<PaymentMethod[]> {
      // The pre-request does not filter by amount (the endpoint does, by min/max), so the list is cached per currency.
      const body = { public_key: config.publicKey, currency: order.currency, amount: Number(toMajor(order.amount, order.currency)) };
      const response = await callProvider(
        PROVIDER,
        `${endpoints.publicApi}/payment-prerequest`,
        { method: 'POST', headers: jsonHeaders, body: JSON.stringify(body) },
        reads(signal),
      );
      if (!response.ok) throw await unexpected(response, 'asking for the payment methods');
      return methodsFromPrerequest(await readJson(PROVIDER, response), order.currency);
    },

    async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
      const service = serviceCodeOf(input.method.id);
      if (!service) throw new Error(`milkypay: ${input.method.id} is not a MilkyPay method`);
      const response = await callProvider(
        PROVIDER,
        `${endpoints.privateApi}/payment-invoices`,
        { method: 'POST', headers: { ...privateHeaders, ...jsonHeaders }, body: JSON.stringify(invoiceRequest(input, service, endpoints.invoice)) },
        // Safe to retry: reference_id is unique per account, so a repeat answers 409 instead of making a second invoice.
        { timeoutMs: deps.timeoutMs, attempts: deps.attempts, idempotent: true, signal: input.signal },
      );
      let invoice: Invoice;
      if (response.status === 200 || response.status === 201) {
        invoice = invoiceFromBody(await readJson(PROVIDER, response));
      } else if (response.status === 409) {
        await response.body?.cancel();
        invoice = await invoiceByReference(input.reference, input.signal);
      } else if (response.status === 422) {
        throw refusalFor(await readJson(PROVIDER, response));
      } else {
        throw await unexpected(response, 'creating an invoice');
      }
      checkSameOrder(invoice, input);
      const status = milkypayStatus(invoice.status, invoice.resolution, endpoints.resolutionStates);
      return {
        providerPaymentId: invoice.id,
        action: nextAction(invoice, endpoints.redirectHosts),
        state: status.state,
        providerStatus: status.providerStatus,
      };
    },

    async readStatus(payment: StoredPaymentRef, signal: AbortSignal): Promise<StatusRead> {
      if (!isInvoiceId(payment.providerPaymentId)) throw new Error('milkypay: the stored invoice id is not an invoice id');
      const response = await callProvider(
        PROVIDER,
        `${endpoints.privateApi}/payment-invoices/${encodeURIComponent(payment.providerPaymentId)}`,
        { method: 'GET', headers: privateHeaders },
        reads(signal),
      );
      if (!response.ok) throw await unexpected(response, 'reading an invoice');
      const invoice = invoiceFromBody(await readJson(PROVIDER, response));
      if (invoice.id !== payment.providerPaymentId || (invoice.referenceId && invoice.referenceId !== payment.reference)) {
        throw new Error('milkypay: answered with another invoice than the one asked for');
      }
      return { ...milkypayStatus(invoice.status, invoice.resolution, endpoints.resolutionStates), ...invoiceAmounts(invoice) };
    },

    async findPayment(reference: string, order: ResolvedOrder, signal: AbortSignal): Promise<FoundPayment | undefined> {
      const invoice = await findInvoice(reference, signal);
      if (!invoice) return undefined;
      checkSameOrder(invoice, { order, reference });
      const status = milkypayStatus(invoice.status, invoice.resolution, endpoints.resolutionStates);
      return { providerPaymentId: invoice.id, state: status.state, providerStatus: status.providerStatus };
    },

    async verifyWebhook(request: WebhookRequest): Promise<WebhookResult> {
      checkSignature(request, config.callbackSecret);
      return callbackSubject(request.body);
    },
  };
}

/** An invoice found by reference must be for this order's amount and currency; anything else is a setup fault. */
function checkSameOrder(invoice: Invoice, input: Pick<CreatePaymentInput, 'order' | 'reference'>): void {
  const { amount, currency } = input.order;
  const sameCurrency = invoice.currency === null || invoice.currency === currency;
  const sameAmount = invoice.amount === null || invoice.amount === Number(toMajor(amount, currency));
  if (!sameCurrency || !sameAmount || (invoice.referenceId && invoice.referenceId !== input.reference)) {
    throw new Error('milkypay: the invoice for this reference is for another amount, currency or reference');
  }
}

/** A 4xx Kassa cannot hand to the shopper: the merchant's setup (keys, URLs) — logged, never shown, never secret. */
async function unexpected(response: Response, doing: string): Promise<Error> {
  const { status } = response;
  await response.body?.cancel();
  if (status === 401 || status === 403) return new Error(`milkypay: the credentials were refused while ${doing} (HTTP ${status})`);
  return new Error(`milkypay: answered HTTP ${status} while ${doing}`);
}
