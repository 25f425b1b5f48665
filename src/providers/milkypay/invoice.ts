/**
 * MilkyPay payment invoices through the private API (JSON:API): the create request Kassa sends, the parts of an
 * invoice it reads back, the next step for the shopper, and which refusals the shopper can act on.
 */
import type { NextAction } from '../../core/model.ts';
import { toMajor } from '../../core/money.ts';
import { ProviderRefused, ProviderUnavailable, type CreatePaymentInput } from '../../server/provider.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Invoice ids are `cpi_…`; anything that is not an identifier is not used in a URL. */
const INVOICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** INVENTED bound (the platform publishes none): descriptions are shown on the hosted page. */
const MAX_DESCRIPTION = 255;

/** The `data` of `POST /api/payment-invoices`. Amounts go in major units, as the JSON number the seed shows (`100.55`). */
export function invoiceRequest(input: CreatePaymentInput, service: string, testMode: boolean): Json {
  const { order } = input;
  const attributes: Json = {
    reference_id: input.reference,
    amount: Number(toMajor(order.amount, order.currency)),
    currency: order.currency,
    service,
    flow: 'charge',
    test_mode: testMode,
    description: (order.description ?? `Order ${order.reference}`).slice(0, MAX_DESCRIPTION),
    // `return_urls` wins over `return_url`; Kassa's return page reads the outcome itself, so all three are the same.
    return_url: input.returnUrl,
    return_urls: { success: input.returnUrl, pending: input.returnUrl, fail: input.returnUrl },
    callback_url: input.webhookUrl,
    metadata: { kassa_order: order.reference },
  };
  if (Object.keys(input.fields).length) attributes.service_fields = { ...input.fields };
  const customer = customerOf(input);
  if (customer) attributes.customer = customer;
  return { data: { type: 'payment-invoices', attributes } };
}

/**
 * MilkyPay's `customer` needs a `reference_id`: the merchant's customer id, or (INVENTED) the e-mail address when the
 * merchant has no id for a guest. Without either, no customer is sent.
 */
function customerOf(input: CreatePaymentInput): Json | undefined {
  const customer = input.order.customer;
  const reference = customer?.reference ?? customer?.email;
  if (!customer || !reference) return undefined;
  const result: Json = { reference_id: reference };
  if (customer.email) result.email = customer.email;
  if (customer.name) result.name = customer.name;
  if (customer.phone) result.phone = customer.phone;
  const address = customer.address;
  if (address) {
    result.address = {
      country: address.country,
      city: address.city,
      street: [address.line1, address.line2].filter(Boolean).join(', '),
      post_code: address.postalCode,
      full_address: [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country].filter(Boolean).join(', '),
    };
  } else if (customer.country) {
    result.address = { country: customer.country };
  }
  return result;
}

/** The parts of an invoice Kassa relies on; the rest of the body is left alone. */
export interface Invoice {
  id: string;
  referenceId: string | null;
  status: string;
  resolution: string | null;
  amount: number | null;
  currency: string | null;
  hppUrl: string | null;
  flowData: unknown;
}

/** A JSON:API invoice resource (`{type, id, attributes}`) → Invoice; anything without an id or status is a broken answer. */
export function readInvoice(resource: unknown): Invoice {
  const attributes = isObject(resource) && isObject(resource.attributes) ? resource.attributes : undefined;
  const id = isObject(resource) ? resource.id : undefined;
  if (!attributes || typeof id !== 'string' || !INVOICE_ID.test(id) || typeof attributes.status !== 'string' || !attributes.status) {
    throw new ProviderUnavailable('milkypay: answered with an invoice that has no id or status');
  }
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  return {
    id,
    referenceId: text(attributes.reference_id),
    status: attributes.status,
    resolution: text(attributes.resolution),
    amount: typeof attributes.amount === 'number' ? attributes.amount : typeof attributes.amount === 'string' ? Number(attributes.amount) : null,
    currency: text(attributes.currency),
    hppUrl: text(attributes.hpp_url),
    flowData: attributes.flow_data,
  };
}

/** `{data: resource}` (a create or a read) → Invoice. */
export function invoiceFromBody(body: unknown): Invoice {
  return readInvoice(isObject(body) ? body.data : undefined);
}

/** `{data: [resource…]}` (a list filtered by reference) → the invoice with that reference, if any. */
export function invoiceFromList(body: unknown, reference: string): Invoice | undefined {
  const list = isObject(body) && Array.isArray(body.data) ? body.data : undefined;
  if (!list) throw new ProviderUnavailable('milkypay: answered an invoice list without data');
  return list.map(readInvoice).find((invoice) => invoice.referenceId === reference);
}

export function isInvoiceId(value: string): boolean {
  return INVOICE_ID.test(value);
}

/**
 * Where the shopper goes next: `hpp_url` by GET; else `flow_data` as a form (`action`, `method`, hidden `params`).
 * An invoice with neither needs nothing from the browser (a host-to-host service): Kassa shows its status.
 * The endpoint checks the URL against MilkyPay's allow-list.
 */
export function nextAction(invoice: Invoice): NextAction {
  if (invoice.hppUrl) return { type: 'redirect', url: invoice.hppUrl };
  const flow = invoice.flowData;
  if (!isObject(flow) || typeof flow.action !== 'string' || !flow.action) return { type: 'none' };
  const method = typeof flow.method === 'string' ? flow.method.toUpperCase() : 'GET';
  if (method !== 'GET' && method !== 'POST') throw new ProviderUnavailable('milkypay: answered a payment form with an unknown method');
  return { type: 'form', url: flow.action, method, fields: formFields(flow.params) };
}

/** `params` is a map of hidden inputs; PHP writes an empty one as `[]`. Only flat text values make hidden inputs. */
function formFields(params: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!isObject(params)) return fields;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
  }
  return fields;
}

/**
 * A 422 to a create: `{"errors": {"<field>": "<message>"}}`. The amount, the currency and the shopper's own inputs
 * (`service_fields.*`) are things the shopper can act on and get a short, plain refusal; any other field is Kassa's
 * or the merchant's setup (service, URLs), reported as an error that names the fields only.
 */
export function refusalFor(body: unknown): Error {
  const errors = isObject(body) && isObject(body.errors) ? Object.keys(body.errors).filter((key) => /^[A-Za-z0-9_.[\]-]{1,80}$/.test(key)) : [];
  const inputField = errors.map((key) => /^(?:service_fields|fields)\.([A-Za-z0-9_.-]{1,64})$/.exec(key)?.[1]).find(Boolean);
  if (inputField) return new ProviderRefused(`MilkyPay did not accept ${inputField}; please check it`, `fields.${inputField}`);
  if (errors.includes('amount')) return new ProviderRefused('MilkyPay does not accept this amount for this payment method', 'amount');
  if (errors.includes('currency')) return new ProviderRefused('MilkyPay does not accept this currency for this payment method', 'currency');
  return new Error(`milkypay: refused the invoice${errors.length ? ` (${errors.join(', ')})` : ''}`);
}
