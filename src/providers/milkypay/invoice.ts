/**
 * MilkyPay payment invoices through the private API (JSON:API): the create request Kassa sends, the parts of an
 * invoice it reads back, the next step for the shopper, and which refusals the shopper can act on.
 */
import type { NextAction } from '../../core/model.ts';
import { toMajor, toMinor } from '../../core/money.ts';
import { isAllowedUrl } from '../../core/url-safety.ts';
import { ProviderRefused, ProviderUnavailable, type CreatePaymentInput } from '../../server/provider.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Invoice ids are `cpi_…`; anything that is not an identifier is not used in a URL. */
const INVOICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What Kassa had to choose for an invoice where the documentation is silent; the adapter's options set them. */
export interface InvoiceOptions {
  /** Sent as `test_mode`. */
  testMode: boolean;
  /** ASSUMED bound (the platform publishes none): descriptions are shown on the hosted page. */
  descriptionMaxLength: number;
  /** ASSUMED: a guest (no merchant customer id) is sent with the e-mail as `customer.reference_id`, or no customer. */
  guestCustomerReference: 'email' | 'none';
}

export const DEFAULT_INVOICE_OPTIONS: Omit<InvoiceOptions, 'testMode'> = { descriptionMaxLength: 255, guestCustomerReference: 'email' };

/** The `data` of `POST /api/payment-invoices`. Amounts go in major units, as the JSON number the seed shows (`100.55`). */
export function invoiceRequest(input: CreatePaymentInput, service: string, options: InvoiceOptions): Json {
  const { order } = input;
  const attributes: Json = {
    reference_id: input.reference,
    amount: Number(toMajor(order.amount, order.currency)),
    currency: order.currency,
    service,
    flow: 'charge',
    test_mode: options.testMode,
    description: (order.description ?? `Order ${order.reference}`).slice(0, options.descriptionMaxLength),
    // `return_urls` wins over `return_url`; Kassa's return page reads the outcome itself, so all three are the same.
    return_url: input.returnUrl,
    return_urls: { success: input.returnUrl, pending: input.returnUrl, fail: input.returnUrl },
    callback_url: input.webhookUrl,
    metadata: { kassa_order: order.reference },
  };
  if (Object.keys(input.fields).length) attributes.service_fields = { ...input.fields };
  const customer = customerOf(input, options.guestCustomerReference);
  if (customer) attributes.customer = customer;
  return { data: { type: 'payment-invoices', attributes } };
}

/**
 * MilkyPay's `customer` needs a `reference_id`: the merchant's customer id, or (assumed, `guestCustomerReference`)
 * the e-mail address when the merchant has no id for a guest. Without either, no customer is sent.
 */
function customerOf(input: CreatePaymentInput, guestReference: InvoiceOptions['guestCustomerReference']): Json | undefined {
  const customer = input.order.customer;
  const reference = customer?.reference ?? (guestReference === 'email' ? customer?.email : undefined);
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
  /** Major units, as MilkyPay writes them; null until money moved. */
  processedAmount: number | string | null;
  refundedAmount: number | string | null;
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
  const major = (value: unknown) => (typeof value === 'number' || (typeof value === 'string' && value) ? value : null);
  return {
    id,
    referenceId: text(attributes.reference_id),
    status: attributes.status,
    resolution: text(attributes.resolution),
    amount: typeof attributes.amount === 'number' ? attributes.amount : typeof attributes.amount === 'string' ? Number(attributes.amount) : null,
    currency: text(attributes.currency),
    processedAmount: major(attributes.processed_amount),
    refundedAmount: major(attributes.refunded_amount),
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

/** What MilkyPay's read says moved, in minor units: `processed_amount` and `refunded_amount` when it gives them. */
export function invoiceAmounts(invoice: Invoice): { capturedAmount?: number; refundedAmount?: number } {
  const currency = invoice.currency;
  if (!currency) return {};
  const minor = (value: number | string | null) => {
    const amount = value === null ? undefined : toMinor(value, currency);
    return amount !== undefined && Number.isSafeInteger(amount) && amount >= 0 ? amount : undefined;
  };
  const captured = minor(invoice.processedAmount);
  const refunded = minor(invoice.refundedAmount);
  return { ...(captured === undefined ? {} : { capturedAmount: captured }), ...(refunded === undefined ? {} : { refundedAmount: refunded }) };
}

/** The shopper's next step has no host Kassa may send them to: the merchant's `redirectHosts` lacks MilkyPay's. */
export class RedirectHostNotAllowed extends Error {
  override name = 'RedirectHostNotAllowed';
  constructor(readonly hosts: readonly string[]) {
    super(
      `milkypay: the invoice sends the shopper to ${hosts.join(' or ')}, which is not in providers.milkypay.redirectHosts; ` +
        'add the host of your MilkyPay hosted pages there (the invoice was not shown to the shopper and expires unpaid)',
    );
  }
}

/**
 * Where the shopper goes next: `hpp_url` by GET; else `flow_data` as a form (`action`, `method`, hidden `params`) —
 * the seed's "2 ways to redirect user to the payment page". The first one on an allowed host wins, so an invoice
 * whose `hpp_url` is elsewhere can still go on by its form; when neither is allowed, nothing is shown and the error
 * names the host to allow. An invoice with neither needs nothing from the browser (a host-to-host service): Kassa
 * shows its status.
 */
export function nextAction(invoice: Invoice, allowedHosts: readonly string[]): NextAction {
  const refusedHosts: string[] = [];
  if (invoice.hppUrl) {
    if (isAllowedUrl(invoice.hppUrl, allowedHosts)) return { type: 'redirect', url: invoice.hppUrl };
    refusedHosts.push(hostOf(invoice.hppUrl));
  }
  const form = formOf(invoice.flowData);
  if (form) {
    if (isAllowedUrl(form.url, allowedHosts)) return form;
    refusedHosts.push(hostOf(form.url));
  }
  if (refusedHosts.length) throw new RedirectHostNotAllowed([...new Set(refusedHosts)]);
  return { type: 'none' };
}

type FormAction = Extract<NextAction, { type: 'form' }>;

function formOf(flow: unknown): FormAction | undefined {
  if (!isObject(flow) || typeof flow.action !== 'string' || !flow.action) return undefined;
  const method = typeof flow.method === 'string' ? flow.method.toUpperCase() : 'GET';
  if (method !== 'GET' && method !== 'POST') throw new ProviderUnavailable('milkypay: answered a payment form with an unknown method');
  return { type: 'form', url: flow.action, method, fields: formFields(flow.params) };
}

/** The host of a URL MilkyPay answered, for the merchant's log; never the path or query (they carry tokens). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || 'an address without a host';
  } catch {
    return 'an address that is not a URL';
  }
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
